"""Attaching images: what is taken (by content, within the limits), what is stored (the
pixels re-encoded, no EXIF, orientation applied, a thumbnail), attaching to the post that
names it, and the sweep of uploads no post named."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from accounts.deletion import account_deletion_request, account_deletions_complete_due
from forum.models import Attachment
from forum.services import (
    attachment_create,
    attachments_delete_orphans,
    markdown_for,
    post_create,
    post_edit,
)
from tests.forum.attachment_images import (
    animated_gif_bytes,
    has_exif,
    jpeg_with_gps,
    png_bomb,
    png_bytes,
    webp_bytes,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(data: bytes, name="screenshot.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


def stored(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def refusal(data: bytes, name="screenshot.png", **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        attachment_create(uploader=kwargs.pop("uploader"), upload=upload(data, name))
    return " ".join(caught.value.message_dict["image"])


def test_a_jpeg_with_gps_exif_is_stored_without_any_exif(member):
    original = jpeg_with_gps()
    assert has_exif(original)
    attachment = attachment_create(uploader=member, upload=upload(original, "holiday.jpg"))
    data = stored(attachment.image)
    assert not has_exif(data)
    assert b"PhoneCo" not in data and b"GPS" not in data
    assert not has_exif(stored(attachment.thumbnail))
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert attachment.content_type == "image/jpeg"
    assert (attachment.width, attachment.height) == (200, 100)
    assert attachment.bytes == len(data)
    assert attachment.post is None


def test_the_exif_orientation_is_applied_to_the_pixels_before_it_is_dropped(member):
    # Orientation 6: the camera was turned; the picture stands 100 wide, 200 high.
    attachment = attachment_create(
        uploader=member, upload=upload(jpeg_with_gps(orientation=6), "turned.jpg")
    )
    image = Image.open(io.BytesIO(stored(attachment.image)))
    assert image.size == (100, 200) == (attachment.width, attachment.height)


def test_a_text_file_named_png_is_refused_by_its_content(member):
    message = refusal(b"Not an image at all, just words.\n" * 20, uploader=member)
    assert "isn't a PNG, JPEG, WebP or GIF image" in message
    assert "your text is kept" in message
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"GIF89a" + b"\0" * 20,  # a GIF header with nothing valid after it
        png_bytes()[:60],  # a PNG cut short
    ],
    ids=["svg", "truncated-gif", "truncated-png"],
)
def test_other_formats_and_broken_files_are_refused(member, data):
    assert "isn't a PNG, JPEG, WebP or GIF image" in refusal(data, uploader=member)


def test_a_bmp_is_refused_though_pillow_reads_it(member):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    assert "isn't a PNG, JPEG, WebP or GIF image" in refusal(out.getvalue(), uploader=member)


def test_a_decompression_bomb_is_refused_before_decoding(member):
    message = refusal(png_bomb(), "bomb.png", uploader=member)
    assert "pixels" in message and "the limit is 40 megapixels" in message
    assert not Attachment.objects.exists()


def test_an_image_over_the_pixel_limit_is_refused_with_its_size(member, settings):
    settings.ATTACHMENT_MAX_PIXELS = 10_000
    message = refusal(png_bytes((200, 100)), uploader=member)
    assert "200 × 100 pixels; the limit is 0.01 megapixels" in message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(member):
    message = refusal(b"\x89PNG" + b"\0" * 12_000_000, "huge.png", uploader=member)
    assert "“huge.png” is 12 MB; the limit is 5 MB" in message


def test_a_thumbnail_is_made_at_most_the_set_width(member, settings):
    settings.ATTACHMENT_THUMBNAIL_WIDTH = 64
    attachment = attachment_create(uploader=member, upload=upload(png_bytes((640, 320))))
    assert Image.open(io.BytesIO(stored(attachment.thumbnail))).size == (64, 32)
    assert Image.open(io.BytesIO(stored(attachment.image))).size == (640, 320)


def test_an_animated_gif_keeps_its_first_frame(member):
    attachment = attachment_create(uploader=member, upload=upload(animated_gif_bytes(), "a.gif"))
    image = Image.open(io.BytesIO(stored(attachment.image)))
    assert image.format == "GIF" and getattr(image, "n_frames", 1) == 1
    assert attachment.content_type == "image/gif"


def test_webp_is_taken(member):
    attachment = attachment_create(uploader=member, upload=upload(webp_bytes(), "w.webp"))
    assert attachment.content_type == "image/webp"


def test_the_stored_names_are_random_not_the_uploaded_name(member):
    attachment = attachment_create(
        uploader=member, upload=upload(png_bytes(), "../../etc/passwd.png")
    )
    assert "passwd" not in attachment.image.name
    assert attachment.image.name.startswith("attachments/")
    assert attachment.alt_text == "passwd"


def test_the_alt_text_defaults_to_the_file_name_without_extension(member):
    attachment = attachment_create(uploader=member, upload=upload(png_bytes(), "login_error.png"))
    assert attachment.alt_text == "login error"
    assert markdown_for(attachment) == f"![login error](/attachments/{attachment.pk}/)"
    named = attachment_create(
        uploader=member, upload=upload(png_bytes()), alt_text="The [red] error"
    )
    assert markdown_for(named) == f"![The (red) error](/attachments/{named.pk}/)"


def test_a_reply_naming_an_upload_attaches_it_and_shows_its_thumbnail(thread, member):
    attachment = attachment_create(uploader=member, upload=upload(png_bytes(), "shot.png"))
    post = post_create(thread=thread, author=member, body=f"Look:\n\n{markdown_for(attachment)}")
    attachment.refresh_from_db()
    assert attachment.post == post
    assert (
        f'<a href="/attachments/{attachment.pk}/" class="attachment"' in post.body_html
        and f'<img src="/attachments/{attachment.pk}/thumbnail/" alt="shot"' in post.body_html
    )


def test_a_post_cannot_take_another_members_upload(thread, member, other_member):
    theirs = attachment_create(uploader=other_member, upload=upload(png_bytes()))
    post_create(thread=thread, author=member, body=f"Mine now {markdown_for(theirs)}")
    theirs.refresh_from_db()
    assert theirs.post is None


def test_an_edit_attaches_an_image_it_adds(thread, member):
    post = thread.posts.get()
    attachment = attachment_create(uploader=member, upload=upload(png_bytes()))
    post_edit(post=post, editor=member, body=f"{post.body}\n\n{markdown_for(attachment)}")
    attachment.refresh_from_db()
    assert attachment.post_id == post.pk


def test_orphans_older_than_the_limit_are_deleted_with_their_files(thread, member, clock, media):
    kept = attachment_create(uploader=member, upload=upload(png_bytes()))
    post_create(thread=thread, author=member, body=markdown_for(kept))
    orphan = attachment_create(uploader=member, upload=upload(png_bytes()))
    clock.advance(hours=23)
    young = attachment_create(uploader=member, upload=upload(png_bytes()))
    files = [Path(media) / orphan.image.name, Path(media) / orphan.thumbnail.name]
    assert all(path.exists() for path in files)
    clock.advance(hours=2)
    assert attachments_delete_orphans() == 1
    assert set(Attachment.objects.values_list("pk", flat=True)) == {kept.pk, young.pk}
    assert (Path(media) / kept.image.name).exists()
    assert (Path(media) / young.image.name).exists()


def test_the_orphan_files_go_once_the_delete_commits(
    member, clock, media, django_capture_on_commit_callbacks
):
    orphan = attachment_create(uploader=member, upload=upload(png_bytes()))
    path = Path(media) / orphan.image.name
    clock.advance(hours=25)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert attachments_delete_orphans() == 1
    assert path.exists()  # not yet: the rows' delete has not committed
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_the_management_command_sweeps_orphans(
    member, clock, media, django_capture_on_commit_callbacks
):
    orphan = attachment_create(uploader=member, upload=upload(png_bytes()))
    path = Path(media) / orphan.thumbnail.name
    clock.advance(hours=25)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_orphan_attachments", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert not Attachment.objects.exists() and not path.exists()


def _files_of(attachment, media) -> list[Path]:
    return [Path(media) / attachment.image.name, Path(media) / attachment.thumbnail.name]


def test_a_deleted_member_who_erases_their_posts_takes_their_images_with_them(
    thread, member, other_member, media, django_capture_on_commit_callbacks
):
    in_post = attachment_create(uploader=member, upload=upload(jpeg_with_gps(), "mine.jpg"))
    post_create(thread=thread, author=member, body=markdown_for(in_post))
    unposted = attachment_create(uploader=member, upload=upload(png_bytes()))
    theirs = attachment_create(uploader=other_member, upload=upload(png_bytes()))
    post_create(thread=thread, author=other_member, body=markdown_for(theirs))
    account_deletion_request(user=member, erase_posts=True)
    assert Attachment.objects.filter(uploader=member).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        account_deletions_complete_due(now=timezone.now() + timedelta(days=30))
    assert list(Attachment.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert not any(path.exists() for path in _files_of(in_post, media) + _files_of(unposted, media))
    assert all(path.exists() for path in _files_of(theirs, media))


def test_a_deleted_member_who_keeps_their_posts_keeps_the_images_in_them(
    thread, member, media, django_capture_on_commit_callbacks
):
    in_post = attachment_create(uploader=member, upload=upload(png_bytes()))
    post_create(thread=thread, author=member, body=markdown_for(in_post))
    unposted = attachment_create(uploader=member, upload=upload(png_bytes()))
    account_deletion_request(user=member, erase_posts=False)
    with django_capture_on_commit_callbacks(execute=True):
        account_deletions_complete_due(now=timezone.now() + timedelta(days=30))
    assert list(Attachment.objects.values_list("pk", flat=True)) == [in_post.pk]
    assert not any(path.exists() for path in _files_of(unposted, media))
