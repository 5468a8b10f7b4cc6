"""Reads for sitewide notices: what a page shows, the status page and the admins' list."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from forum.models import Notice, NoticeDismissal, Thread


def _audience_allows(notice, *, user, board) -> bool:

    audience = notice.audience
    if audience == Notice.Audience.EVERYONE:
        return True
    if audience == Notice.Audience.MEMBERS:
        return bool(getattr(user, "is_authenticated", False))
    if audience == Notice.Audience.STAFF:
        return bool(getattr(user, "is_employee", False) or getattr(user, "is_moderator", False))
    return board is not None and notice.board_id == board.pk


def notices_not_ended(*, now=None) -> list:
    """Every notice not ended yet, for any reader and page, in the order pages show them:
    what ``notices_for_page`` picks from. The same for everybody, so it may be kept. One
    query."""

    now = now or timezone.now()
    return list(
        Notice.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("thread")
        .order_by("-severity", "-starts_at", "-pk")
    )


def notices_for_page(*, user, board=None, now=None, not_ended=None) -> tuple[list, object]:
    """Notices in force for this reader on this page — most severe first, then newest —
    and the next instant the list changes by time alone (a scheduled start or an end), so
    an open page can refresh itself then. One query; given ``not_ended`` (a kept copy of
    ``notices_not_ended``), none, or one for the member's dismissals when an info notice
    is in it."""

    now = now or timezone.now()
    signed_in = getattr(user, "is_authenticated", False)
    if not_ended is None:
        rows = Notice.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).select_related(
            "thread"
        )
        if signed_in:
            # Only info notices can be dismissed: a dismissed notice that is later raised
            # to a warning or an outage shows again.
            dismissed = NoticeDismissal.objects.filter(user=user).values("notice_id")
            rows = rows.exclude(level=Notice.Level.INFO, pk__in=dismissed)
        rows = rows.order_by("-severity", "-starts_at", "-pk")
    else:
        rows = [
            notice
            for notice in not_ended
            if (notice.ends_at is None or notice.ends_at > now)
            and _audience_allows(notice, user=user, board=board)
        ]
        dismissible = [notice.pk for notice in rows if notice.level == Notice.Level.INFO]
        if signed_in and dismissible:
            dismissed = set(
                NoticeDismissal.objects.filter(
                    user_id=user.pk, notice_id__in=dismissible
                ).values_list("notice_id", flat=True)
            )
            rows = [notice for notice in rows if notice.pk not in dismissed]
    shown, next_change = [], None
    for notice in rows:
        if not _audience_allows(notice, user=user, board=board):
            continue
        if notice.starts_at > now:
            next_change = min(filter(None, [next_change, notice.starts_at]))
            continue
        shown.append(notice)
        if notice.ends_at is not None:
            next_change = min(filter(None, [next_change, notice.ends_at]))
    return shown, next_change


def notices_for_status(*, now=None, past_limit: int = 50) -> tuple[list, list]:
    """Current notices (any audience but staff-only), then past ones, newest first."""

    now = now or timezone.now()
    public = Notice.objects.exclude(audience=Notice.Audience.STAFF).select_related(
        "thread", "board"
    )
    current = list(
        public.filter(starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-severity", "-starts_at")
    )
    past = list(public.filter(ends_at__lte=now).order_by("-starts_at")[:past_limit])
    return current, past


def notice_get(*, notice_id: int):

    return get_object_or_404(Notice.objects.select_related("thread", "board"), pk=notice_id)


def notices_for_management(*, now=None, past_limit: int = 100) -> dict[str, list]:
    """Notices for the admins' list in three groups: in force now (most severe first, then
    newest), scheduled (soonest first) and past (most recently ended first, the latest
    ``past_limit``). Two queries."""

    now = now or timezone.now()
    rows = Notice.objects.select_related("thread", "board", "created_by")
    current, scheduled = [], []
    for notice in rows.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).order_by(
        "-severity", "-starts_at", "-pk"
    ):
        (scheduled if notice.starts_at > now else current).append(notice)
    scheduled.sort(key=lambda notice: (notice.starts_at, notice.pk))
    past = list(rows.filter(ends_at__lte=now).order_by("-ends_at", "-pk")[:past_limit])
    return {"current": current, "scheduled": scheduled, "past": past}


def notice_thread_find(*, thread_id: int) -> Thread | None:
    """The thread a notice links to, or None when there is no such thread."""
    return Thread.objects.select_related("board").filter(pk=thread_id).first()
