"""Data export: a member asks for a copy of what the site holds about them; the task
worker builds a ZIP and tells them where to download it.

* ``export_request`` refuses a second request within ``DATA_EXPORT_INTERVAL_HOURS`` of
  the last one (failed builds do not count) and queues the build after commit.
* ``export_build`` (run by the task ``build_data_export``) writes ``profile.json``
  here and whatever the other apps return for ``signals.data_export_collect`` (posts with
  their revisions, votes, flags, moderation actions…), stores the ZIP in the default
  storage under ``EXPORT_PREFIX`` with an unguessable name, and tells the member by email
  (the outbox) and in-app (``signals.data_export_ready``).
* The link is signed (``export_token``) and the download view also checks the requester
  owns the export; after ``DATA_EXPORT_EXPIRY_DAYS`` the link stops working and
  ``exports_remove_expired`` deletes the file.
"""

import json
import logging
import secrets
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from accounts import signals
from accounts.access_tokens import access_token_list
from accounts.mail import email_enqueue
from accounts.models import DataExport, User

logger = logging.getLogger("porchlight.accounts")

# Not under any public prefix: the proxy serving MEDIA_URL must not serve this folder
# (docs/privacy.md); downloads go through the owner-checking view.
EXPORT_PREFIX = "private/exports/"
_SALT = "accounts.data-export"
Status = DataExport.Status


def export_interval() -> timedelta:
    return timedelta(hours=settings.DATA_EXPORT_INTERVAL_HOURS)


def export_expiry() -> timedelta:
    return timedelta(days=settings.DATA_EXPORT_EXPIRY_DAYS)


def export_next_allowed_at(*, user: User, now: datetime | None = None) -> datetime | None:
    """When the member may ask again, or None if they may now."""
    now = now or timezone.now()
    last = (
        DataExport.objects.filter(user=user)
        .exclude(status=Status.FAILED)
        .order_by("-requested_at")
        .values_list("requested_at", flat=True)
        .first()
    )
    if last is None or last + export_interval() <= now:
        return None
    return last + export_interval()


@transaction.atomic
def export_request(*, user: User, now: datetime | None = None) -> DataExport:
    """Queue a new export for ``user``. Raises ValidationError when one was asked for
    within the interval, saying when the next is possible. The member's row is locked so
    two requests sent at once make one export."""
    now = now or timezone.now()
    User.objects.select_for_update().filter(pk=user.pk).first()
    next_at = export_next_allowed_at(user=user, now=now)
    if next_at is not None:
        raise ValidationError(
            _(
                "You can ask for one export every %(hours)s hours. The next one is possible "
                "from %(when)s."
            )
            % {
                "hours": settings.DATA_EXPORT_INTERVAL_HOURS,
                "when": formats.date_format(
                    timezone.localtime(next_at), "DATETIME_FORMAT", use_l10n=True
                ),
            }
        )
    export = DataExport.objects.create(user=user, requested_at=now)
    transaction.on_commit(lambda: build_data_export.enqueue(export_id=export.pk), robust=True)
    return export


def export_token(export: DataExport) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(export.pk))


def export_id_from_token(token: str) -> int | None:
    """The export a link names, or None when the signature is wrong or older than the
    expiry (the row's own ``expires_at`` is checked too)."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=export_expiry() + timedelta(hours=1)
        )
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def export_download_url(export: DataExport) -> str:
    path = reverse("accounts:data-export-download", kwargs={"token": export_token(export)})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def export_is_expired(export: DataExport, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return export.status == Status.READY and (
        not export.file_name or (export.expires_at is not None and export.expires_at <= now)
    )


def _profile(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "bio": user.bio,
        "role": user.role,
        "job_title": user.job_title,
        "time_zone": user.time_zone,
        "language": user.language,
        "theme": user.theme,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "post_count": user.post_count,
        "notification_email_frequency": user.email_frequency,
        # What a member needs to recognise their tokens; the digest is of no use to them.
        "api_tokens": [
            {
                "name": token.name,
                "scope": token.scope,
                "prefix": token.prefix,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in access_token_list(user=user)
        ],
    }


Content = str | bytes | Iterable[str] | Iterable[bytes]


def _files_for(user: User) -> dict[str, Content]:
    files: dict[str, Content] = {
        "profile.json": json.dumps(_profile(user), indent=2, ensure_ascii=False)
    }
    for receiver, contributed in signals.data_export_collect.send(sender=User, user=user):
        for name, content in (contributed or {}).items():
            if name in files:
                raise ValueError(f"{receiver!r} and another receiver both wrote {name}.")
            files[name] = content
    return files


def _write(archive: zipfile.ZipFile, name: str, content: Content) -> None:
    """A file of the ZIP; an iterable of chunks (text or bytes) is streamed into it, so a
    prolific member's posts or images never sit in memory whole."""
    if isinstance(content, str | bytes):
        archive.writestr(name, content)
        return
    with archive.open(name, "w", force_zip64=True) as target:
        for chunk in content:
            target.write(chunk if isinstance(chunk, bytes) else chunk.encode())


def export_build(*, export_id: int, now: datetime | None = None) -> str:
    """Build one export. Returns "ready", "failed" or "skipped" (already built, or gone).
    The "building" state is committed first, so the settings page shows it meanwhile."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update().select_related("user").filter(pk=export_id)
        ).first()
        if export is None or export.status not in (Status.REQUESTED, Status.BUILDING):
            return "skipped"
        export.status = Status.BUILDING
        export.save(update_fields=["status"])
    user = export.user
    try:
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
            with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name, content in sorted(_files_for(user).items()):
                    _write(archive, f"porchlight-export/{name}", content)
            size = buffer.tell()
            buffer.seek(0)
            name = f"{EXPORT_PREFIX}{user.pk}/{secrets.token_urlsafe(24)}.zip"
            stored = default_storage.save(name, File(buffer, name=name))
    except Exception:
        logger.exception("Data export %s for member %s failed.", export.pk, user.pk)
        DataExport.objects.filter(pk=export.pk).update(status=Status.FAILED)
        return "failed"
    now = now or timezone.now()
    with transaction.atomic():
        export.status = Status.READY
        export.ready_at = now
        export.expires_at = now + export_expiry()
        export.file_name = stored
        export.size = size
        export.save(update_fields=["status", "ready_at", "expires_at", "file_name", "size"])
        url = export_download_url(export)
        _tell_ready(user, export, url)
    return "ready"


@task()
def build_data_export(*, export_id: int) -> str:
    return export_build(export_id=export_id)


def _tell_ready(user: User, export: DataExport, url: str) -> None:
    # Written once and stored, so in the member's own language and time zone (no browser
    # is asking).
    with (
        translation.override(user.language or settings.LANGUAGE_CODE),
        timezone.override(user.time_zone or "UTC"),
    ):
        signals.data_export_ready.send(sender=User, user=user, export=export, url=url)
        if not user.email:
            return
        until = formats.date_format(
            timezone.localtime(export.expires_at), "DATETIME_FORMAT", use_l10n=True
        )
        body = _(
            "Your data export is ready. Download it, signed in as %(name)s, from:\n\n"
            "%(url)s\n\nThe link works only for you and until %(until)s. You can ask for a "
            "new export from your settings page afterwards."
        ) % {"name": user.username, "url": url, "until": until}
        subject = _("[%(site)s] Your data export is ready") % {"site": settings.SITE_NAME}
    email_enqueue(
        message=EmailMessage(subject=subject, body=body, to=[user.email]), kind="data-export"
    )


def exports_remove_expired(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry (the rows stay, showing "expired").
    Returns how many files were removed."""
    now = now or timezone.now()
    removed = 0
    for export in DataExport.objects.filter(status=Status.READY, expires_at__lte=now).exclude(
        file_name=""
    ):
        default_storage.delete(export.file_name)
        DataExport.objects.filter(pk=export.pk).update(file_name="")
        removed += 1
    return removed


def exports_delete_for(*, user: User) -> int:
    """Remove every export of ``user`` with its file (used when the account is deleted)."""
    count = 0
    for export in DataExport.objects.filter(user=user):
        if export.file_name:
            default_storage.delete(export.file_name)
        export.delete()
        count += 1
    return count
