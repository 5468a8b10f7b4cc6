"""Reading an uploaded image by its content (never its name) and writing it afresh.

An upload is decoded with Pillow only as PNG, JPEG, WebP or GIF, after its size and its
pixel count (read from the header, before any pixel is decoded) are within the limits, so
a small file that would decode to gigabytes (a decompression bomb) is refused cheaply.
The picture is then re-encoded from its pixels alone: EXIF (GPS position, camera serial),
XMP, comments and colour-profile payloads never reach storage, and the EXIF orientation
is applied to the pixels first so the image still stands the right way up. An animated
GIF keeps its first frame: a screenshot is a still, and a looping animation in a support
thread costs every reader bandwidth for little."""

import io
import threading
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    thumbnail: bytes
    format: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return FORMATS[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def _millions(count: int) -> str:
    return f"{count / 1_000_000:.3g}"


def _not_an_image() -> ValidationError:
    return ValidationError(
        _(
            "That file isn't a PNG, JPEG, WebP or GIF image. Attach a screenshot or photo "
            "in one of those formats — your text is kept."
        ),
        code="not_an_image",
    )


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ValidationError:
    limit = _millions(settings.ATTACHMENT_MAX_PIXELS)
    if width is None:
        return ValidationError(
            _(
                "That image has far more pixels than we take; the limit is %(limit)s "
                "megapixels. Scale it down and attach it again — your text is kept."
            )
            % {"limit": limit},
            code="too_many_pixels",
        )
    return ValidationError(
        _(
            "That image is %(width)s × %(height)s pixels; the limit is %(limit)s megapixels. "
            "Scale it down and attach it again — your text is kept."
        )
        % {
            "width": width,
            "height": height,
            "limit": limit,
        },
        code="too_many_pixels",
    )


def check_size(*, name: str, size: int) -> None:
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _(
                "“%(name)s” is %(size)s MB; the limit is %(limit)s MB. Crop it or save it as "
                "JPEG, then attach it again — your text is kept."
            )
            % {
                "name": name,
                "size": _millions(size),
                "limit": _millions(settings.ATTACHMENT_MAX_BYTES),
            },
            code="too_large",
        )


def _open(data: bytes) -> Image.Image:
    """The image, its header read and checked; no pixels decoded yet."""
    try:
        with warnings.catch_warnings():
            # Pillow warns past its own pixel limit and refuses past twice that; our own
            # limit below is lower, and a warning must not be mistaken for an image.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _not_an_image() from None
    if image.format not in FORMATS:
        raise _not_an_image()
    width, height = image.size
    if width < 1 or height < 1:
        raise _not_an_image()
    if width * height > settings.ATTACHMENT_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        rgb = image if image.mode in ("RGB", "L") else image.convert("RGB")
        rgb.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85)
    elif fmt == "GIF":
        image.save(out, "GIF", optimize=True)
    else:
        # zlib's default level: "optimize" (level 9 and every filter tried) took seconds
        # for a screenshot-sized image full of detail, for a few per cent.
        image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _keep_pixels_only(image: Image.Image) -> None:
    """Forget everything the file said but the pixels and their transparency."""
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}


# Decoding holds the whole picture in memory (up to ATTACHMENT_MAX_PIXELS × 4 bytes, about
# 250 MB of peak for 40 megapixels); a worker decodes two at a time and the rest wait, so
# a burst of uploads can't take a worker's memory.
_DECODING = threading.BoundedSemaphore(2)


def clean_image(data: bytes) -> CleanImage:
    """See ``_clean_image``; at most two at a time per process."""
    with _DECODING:
        return _clean_image(data)


def _clean_image(data: bytes) -> CleanImage:
    """The upload re-encoded without metadata, with its thumbnail; ValidationError (one
    plain sentence, what to do next) when it is not an image we take. The pixels are
    decoded once and worked on in place: a 40-megapixel image is 120 MB as RGB, and each
    copy would cost as much again."""
    image = _open(data)
    fmt = image.format
    try:
        # verify() reads the whole stream for corruption without decoding into memory;
        # it leaves the image unusable, so it is opened again to decode.
        image.verify()
        image = _open(data)
        image.seek(0)
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, EOFError):
        raise _not_an_image() from None
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    _keep_pixels_only(image)
    width, height = image.size
    data_out = _encode(image, fmt)
    thumb = image.convert("RGBA") if image.mode == "P" else image
    thumb.thumbnail(
        (settings.ATTACHMENT_THUMBNAIL_WIDTH, settings.ATTACHMENT_THUMBNAIL_WIDTH * 3),
        Image.Resampling.LANCZOS,
    )
    return CleanImage(
        data=data_out,
        thumbnail=_encode(thumb, fmt),
        format=fmt,
        width=width,
        height=height,
    )
