"""Image files for the attachment tests, built with Pillow (and one by hand)."""

import io
import struct
import zlib

from PIL import ExifTags, Image

GPS_LATITUDE = (48.0, 51.0, 24.0)


def png_bytes(size=(120, 80), color=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps(size=(200, 100), *, orientation: int | None = None) -> bytes:
    """A JPEG whose EXIF names a camera and a GPS position (and optionally an
    orientation), as a phone's photo would."""
    image = Image.new("RGB", size, (30, 120, 200))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "Pocket 12"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 7.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def animated_gif_bytes() -> bytes:
    frames = [Image.new("P", (40, 30), index) for index in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def webp_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 10)).save(out, "WEBP")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width=40_000, height=40_000) -> bytes:
    """A PNG header claiming 1.6 gigapixels: tiny on disk, enormous if decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def has_exif(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data))
    return bool(image.getexif()) or "exif" in image.info
