"""Sitewide notices: creating, changing, ending, deleting and dismissing them. Open pages
learn of every change after commit, and the status page's saved copy is rewritten."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from accounts.models import User
from forum import realtime
from forum.markup import render_markdown
from forum.models import Board, Notice, NoticeDismissal, Thread
from forum.services import webhooks
from forum.services.posts import thread_create
from forum.services.validation import without_control_chars
from forum.status import write_status_snapshot


def validate_notice(
    *,
    message: str,
    level: str,
    thread: Thread | None,
    audience: str,
    board: Board | None,
    starts_at,
    ends_at,
    creates_thread: bool,
) -> tuple[str, object]:
    """Every rule a notice must meet, all reported at once keyed by field; returns the
    cleaned message and the start (now when blank). Forms call it too, so an admin sees
    every problem in one go."""
    message = without_control_chars(message or "").strip()
    errors: dict[str, str] = {}
    if not message:
        errors["message"] = gettext(
            "Write the notice: one or two sentences people will see on every page."
        )
    elif len(message) > Notice.MESSAGE_MAX:
        errors["message"] = gettext(
            "Notices can be at most %(max)s characters; this one has "
            "%(count)s. Put the details in the discussion thread instead."
        ) % {
            "max": number_format(Notice.MESSAGE_MAX, force_grouping=True),
            "count": number_format(len(message), force_grouping=True),
        }
    if level not in Notice.Level.values:
        errors["level"] = gettext("Choose a level: info, warning or outage.")
    elif level != Notice.Level.INFO and thread is None and not creates_thread:
        errors["thread"] = gettext(
            "Warnings and outages need a discussion thread, so people know where to talk "
            "about it. Pick an existing thread or create one with the notice."
        )
    if audience not in Notice.Audience.values:
        errors["audience"] = gettext("Choose who sees the notice.")
    elif audience == Notice.Audience.BOARD and board is None:
        errors["board"] = gettext("Choose the board whose pages show the notice.")
    starts_at = starts_at or timezone.now()
    if ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = gettext("The end time must be after the start time.")
    if errors:
        raise ValidationError(errors)
    return message, starts_at


def _notice_thread_create(*, actor: User, board: Board, title: str, message: str) -> Thread:
    """The notice's discussion thread, opened with the notice's message. Called inside the
    notice's transaction, so a refused notice leaves no thread behind."""
    try:
        return thread_create(board=board, author=actor, title=title, body=message)
    except ValidationError as exc:
        errors = exc.message_dict.get("title", exc.messages)
        raise ValidationError({"new_thread_title": errors}) from exc


def _notices_changed() -> None:
    realtime.notices_changed()
    transaction.on_commit(write_status_snapshot)


@transaction.atomic
def notice_create(
    *,
    actor: User,
    message: str,
    level: str,
    audience: str = Notice.Audience.EVERYONE,
    thread: Thread | None = None,
    board: Board | None = None,
    starts_at=None,
    ends_at=None,
    new_thread_board: Board | None = None,
    new_thread_title: str = "",
) -> Notice:
    """Create a notice (admins). With ``new_thread_title`` and ``new_thread_board`` the
    discussion thread is created in the same transaction, its opening post being the
    notice's message. Open pages learn of it after commit; the status page copy is
    rewritten."""
    creates_thread = bool(new_thread_title.strip()) and new_thread_board is not None
    message, starts_at = validate_notice(
        message=message, level=level, thread=thread, audience=audience, board=board,
        starts_at=starts_at, ends_at=ends_at, creates_thread=creates_thread,
    )  # fmt: skip
    if thread is None and creates_thread:
        thread = _notice_thread_create(
            actor=actor, board=new_thread_board, title=new_thread_title, message=message
        )
    now = timezone.now()
    notice = Notice.objects.create(
        message=message,
        message_html=render_markdown(message),
        level=level,
        severity=Notice.SEVERITY[level],
        thread=thread,
        audience=audience,
        board=board if audience == Notice.Audience.BOARD else None,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _notices_changed()
    # Announced when created, a scheduled notice too (its starts_at says when it shows):
    # nothing runs at the moment a notice starts.
    webhooks.webhook_event_on_commit(
        webhooks.Event.NOTICE_PUBLISHED, subject=f"notice:{notice.pk}", notice_id=notice.pk
    )
    return notice


@transaction.atomic
def notice_update(
    *,
    notice: Notice,
    actor: User,
    message: str,
    level: str,
    audience: str,
    thread: Thread | None,
    board: Board | None = None,
    starts_at=None,
    ends_at=None,
    new_thread_board: Board | None = None,
    new_thread_title: str = "",
) -> Notice:
    """Change a notice; every open page shows the new version. A blank ``starts_at`` keeps
    the start. ``new_thread_*`` create the discussion thread in the same transaction, as
    for ``notice_create``."""
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    creates_thread = bool(new_thread_title.strip()) and new_thread_board is not None
    message, starts_at = validate_notice(
        message=message, level=level, thread=thread, audience=audience, board=board,
        starts_at=starts_at or locked.starts_at, ends_at=ends_at, creates_thread=creates_thread,
    )  # fmt: skip
    if thread is None and creates_thread:
        thread = _notice_thread_create(
            actor=actor, board=new_thread_board, title=new_thread_title, message=message
        )
    locked.message = message
    locked.message_html = render_markdown(message)
    locked.level = level
    locked.severity = Notice.SEVERITY[level]
    locked.thread = thread
    locked.audience = audience
    locked.board = board if audience == Notice.Audience.BOARD else None
    locked.starts_at = starts_at
    locked.ends_at = ends_at
    locked.updated_at = timezone.now()
    locked.save()
    _notices_changed()
    return locked


@transaction.atomic
def notice_end(*, notice: Notice, actor: User) -> bool:
    """End a notice now (it moves to the past on /status). False if it had already ended."""
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    now = timezone.now()
    if locked.ends_at is not None and locked.ends_at <= now:
        return False
    locked.ends_at = now
    if locked.starts_at > now:
        locked.starts_at = now  # a scheduled notice ended before it began
    locked.updated_at = now
    locked.save(update_fields=["ends_at", "starts_at", "updated_at"])
    _notices_changed()
    return True


@transaction.atomic
def notice_delete(*, notice: Notice, actor: User) -> None:
    """Remove a notice entirely (a mistake, not history: ending keeps it on /status)."""
    Notice.objects.filter(pk=notice.pk).delete()
    _notices_changed()


@transaction.atomic
def notice_dismiss(*, notice: Notice, user: User) -> bool:
    """Hide an info notice for this member. Warnings and outages cannot be dismissed."""
    if not notice.dismissible:
        raise ValidationError(
            gettext("Warnings and outages stay until they end; they can't be dismissed.")
        )
    _, created = NoticeDismissal.objects.get_or_create(
        notice=notice, user=user, defaults={"created_at": timezone.now()}
    )
    return created
