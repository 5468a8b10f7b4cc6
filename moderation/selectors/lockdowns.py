"""Lockdowns in force, and what slow mode compares against."""

from datetime import UTC, datetime

from django.db import connection
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from config.compiled import CompiledQuery
from forum.models import Post
from moderation.models import Lockdown


def active_lockdowns(*, thread=None, board=None, now: datetime | None = None) -> list[Lockdown]:
    """Lockdowns in force on a thread and its board (or on a board), thread ones first."""
    if thread is not None and board is None:
        return _thread_lockdowns(thread=thread, now=now or timezone.now())
    return _lockdowns(thread=thread, board=board, now=now or timezone.now(), started=True)


def _thread_lockdowns_query(thread_id: int, board_id: int, now: datetime):
    return (
        Lockdown.objects.filter(
            Q(thread_id=thread_id) | Q(board_id=board_id), lifted_at__isnull=True
        )
        .filter(starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("created_by")
        .order_by("board_id", "-starts_at")
    )


# Every write to a thread checks them: built once per process (building costs more than
# running).
_THREAD_LOCKDOWNS = CompiledQuery(
    _thread_lockdowns_query,
    converted=True,
    thread_id=-7_000_000_071,
    board_id=-7_000_000_073,
    now=datetime(1901, 2, 3, 4, 5, 6, 797, tzinfo=UTC),
)


def _thread_lockdowns(*, thread, now: datetime) -> list[Lockdown]:
    """``_lockdowns`` for a thread and its board in force at ``now``, from the compiled
    query, with the moderator who set each."""
    lockdown_fields = [field.attname for field in Lockdown._meta.concrete_fields]
    user_fields = [field.attname for field in User._meta.concrete_fields]
    split = len(lockdown_fields)
    rows = []
    for row in _THREAD_LOCKDOWNS.fetchall(thread_id=thread.pk, board_id=thread.board_id, now=now):
        lockdown = Lockdown.from_db(connection.alias, lockdown_fields, row[:split])
        lockdown.created_by = User.from_db(
            connection.alias, user_fields, row[split : split + len(user_fields)]
        )
        rows.append(lockdown)
    return sorted(rows, key=lambda row: row.thread_id is None)


def lockdowns_not_ended(*, thread, now: datetime | None = None) -> list[Lockdown]:
    """The thread's and its board's lockdowns in force or yet to start, thread ones first,
    for a caller that keeps them and asks ``Lockdown.is_active_at`` at each use."""
    return _lockdowns(thread=thread, board=None, now=now or timezone.now(), started=False)


def _lockdowns(*, thread, board, now: datetime, started: bool) -> list[Lockdown]:
    condition = Q()
    if thread is not None:
        condition |= Q(thread_id=thread.pk)
        board_id = board.pk if board is not None else thread.board_id
    else:
        board_id = board.pk
    condition |= Q(board_id=board_id)
    rows = (
        Lockdown.objects.filter(condition, lifted_at__isnull=True)
        .filter(Q(starts_at__lte=now) if started else Q())
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("created_by")
        .order_by("board_id", "-starts_at")  # NULL board (thread lockdowns) first on every DB
    )
    return sorted(rows, key=lambda row: row.thread_id is None)


def lockdown_get(*, lockdown_id: int) -> Lockdown:
    return get_object_or_404(
        Lockdown.objects.select_related("thread__board", "board", "created_by"), pk=lockdown_id
    )


def last_post_time(*, user, thread_id: int | None, board_id: int | None):
    """When the member last posted in a thread or board (for slow mode)."""
    posts = Post.objects.filter(author_id=user.pk)
    posts = (
        posts.filter(thread_id=thread_id) if thread_id else posts.filter(thread__board_id=board_id)
    )
    return posts.order_by("-created_at").values_list("created_at", flat=True).first()
