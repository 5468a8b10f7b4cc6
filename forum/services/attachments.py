"""Images attached to posts: an upload, its attaching to the post that names it, and the
sweep of uploads never attached.

The file bytes go through Django's storage API (``STORAGES["default"]``: the filesystem
under MEDIA_ROOT unless the operator configured S3-compatible storage), under random
names; what is stored is the re-encoded image from ``forum.services.images``."""

import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum import ratelimit
from forum.models import Attachment, Post
from forum.services.images import check_size, clean_image

ALT_MAX = 300
# How a post names an attachment: its address, as the editor writes it into the Markdown.
ATTACHMENT_ADDRESS = re.compile(r"/attachments/(\d{1,18})/")


def _alt_from_name(name: str) -> str:
    stem = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return " ".join(stem.replace("_", " ").replace("-", " ").split())[:ALT_MAX]


def _image_error(exc: ValidationError) -> ValidationError:
    return ValidationError({"image": exc.messages})


def attachment_create(*, uploader: User, upload, alt_text: str = "") -> Attachment:
    """Store an uploaded image for ``uploader``, not yet attached to a post. The upload is
    validated by its content and re-encoded (``forum.services.images``): ValidationError
    on ``image`` when refused, and nothing is stored. The alt text defaults to the file
    name without its extension. Counts as one write of the member's budget, after commit."""
    name = getattr(upload, "name", "") or ""
    try:
        check_size(name=_display_name(name), size=upload.size)
        upload.seek(0)
        # The size was checked first, so this reads at most ATTACHMENT_MAX_BYTES.
        clean = clean_image(upload.read())
    except ValidationError as exc:
        raise _image_error(exc) from None
    alt = " ".join((alt_text or "").split())[:ALT_MAX] or _alt_from_name(name)
    key = uuid.uuid4().hex
    attachment = Attachment(
        uploader=uploader,
        width=clean.width,
        height=clean.height,
        bytes=len(clean.data),
        content_type=clean.content_type,
        alt_text=alt,
        created_at=timezone.now(),
    )
    attachment.image.save(f"{key}.{clean.extension}", ContentFile(clean.data), save=False)
    attachment.thumbnail.save(
        f"{key}-thumb.{clean.extension}", ContentFile(clean.thumbnail), save=False
    )
    stored = [attachment.image.name, attachment.thumbnail.name]
    try:
        with transaction.atomic():
            attachment.save()
            transaction.on_commit(lambda: ratelimit.record_write(uploader.pk))
    except Exception:
        _delete_files(stored)
        raise
    return attachment


def _display_name(name: str) -> str:
    return name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:80] or "That file"


def markdown_for(attachment: Attachment) -> str:
    """What the editor inserts: the image by its address, with its alt text."""
    alt = attachment.alt_text.replace("[", "(").replace("]", ")").replace("\n", " ")
    return f"![{alt}]({attachment.get_absolute_url()})"


def attachments_attach_named(*, post: Post, body: str) -> int:
    """Attach to ``post`` the author's own unattached uploads its body names. No query
    for a body naming none. Called inside the post's transaction."""
    ids = {int(match) for match in ATTACHMENT_ADDRESS.findall(body)}
    if not ids:
        return 0
    return Attachment.objects.filter(
        pk__in=ids, uploader_id=post.author_id, post__isnull=True
    ).update(post=post)


def _delete_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("image").storage
    for name in names:
        if name:
            storage.delete(name)


def _delete_with_files(attachments) -> int:
    """Delete these rows now and their files once the deletion commits, so a rollback
    never leaves a row without its file."""
    rows = list(attachments.values_list("pk", "image", "thumbnail"))
    if not rows:
        return 0
    deleted, _ = Attachment.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
    names = [name for _, image, thumb in rows for name in (image, thumb)]
    transaction.on_commit(lambda: _delete_files(names))
    return deleted


@transaction.atomic
def attachments_delete_of_member(*, uploader: User, attached_too: bool) -> int:
    """Remove a departing member's images: the ones no post names always, and with
    ``attached_too`` the ones in their posts as well (when their posts are erased)."""
    attachments = Attachment.objects.filter(uploader=uploader)
    if not attached_too:
        attachments = attachments.filter(post__isnull=True)
    return _delete_with_files(attachments)


def attachments_delete_orphans(*, older_than: timedelta | None = None) -> int:
    """Delete uploads no post named within ``older_than`` (ATTACHMENT_ORPHAN_HOURS by
    default), rows and files. The rows go first; their files are deleted once that
    commits, so a rollback never leaves a row without its file."""
    if older_than is None:
        older_than = timedelta(hours=settings.ATTACHMENT_ORPHAN_HOURS)
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        orphans = list(
            Attachment.objects.select_for_update(skip_locked=True)
            .filter(post__isnull=True, created_at__lt=cutoff)
            .values_list("pk", "image", "thumbnail")
        )
        if not orphans:
            return 0
        # Re-checked in the delete: one attached meanwhile stays.
        return _delete_with_files(
            Attachment.objects.filter(pk__in=[pk for pk, _, _ in orphans], post__isnull=True)
        )
