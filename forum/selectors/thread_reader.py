"""What the thread page shows of one member's own state, read in one query: their read
marker, their watch levels for the thread and its board, their bell count, and whether any
unread notification about this thread waits to be marked read."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from config.compiled import CompiledQuery
from forum.models import Notification, Post, ReadMarker, Thread, Watch
from forum.selectors.notifications import ABOUT_PUBLIC


@dataclass(frozen=True)
class ThreadReaderState:
    read_position: int | None
    thread_watch: str
    board_watch: str
    unread_notifications: int
    unread_here: int
    # Of the unread notifications about this thread's posts and event lines: how many the
    # bell counts, and the furthest position one is about (None: there are none).
    unread_here_counted: int
    unread_here_last: int | None
    # What ``thread_get_for_user`` annotates for this member: whether posts of their own
    # here are hidden or held, and the position of their latest hidden one.
    own_apart: bool = False
    own_hidden_position: int | None = None


def _per_recipient(rows, aggregate):
    return Subquery(
        rows.order_by().values("recipient_id").annotate(n=aggregate).values("n"),
        output_field=IntegerField(),
    )


def _count(rows) -> Coalesce:
    return Coalesce(_per_recipient(rows, Count("pk")), Value(0))


def _state_query(user_id: int, thread_id: int, board_id: int):
    me = OuterRef("pk")
    watches = Watch.objects.filter(user=me)
    unread = Notification.objects.filter(recipient=me, read_at__isnull=True)
    # What notifications_mark_read_in_thread can mark: about a post or an event line here.
    markable = unread.filter(thread_id=thread_id).filter(
        Q(post__isnull=False) | Q(event__isnull=False)
    )
    own = Post.objects.filter(thread_id=thread_id, author_id=me)
    return (
        User.objects.filter(pk=user_id)
        .annotate(
            read_position=Subquery(
                ReadMarker.objects.filter(user=me, thread_id=thread_id).values("position")[:1]
            ),
            thread_watch=Subquery(watches.filter(thread_id=thread_id).values("level")[:1]),
            board_watch=Subquery(watches.filter(board_id=board_id).values("level")[:1]),
            unread_notifications=_count(unread.filter(ABOUT_PUBLIC)),
            unread_here=_count(unread.filter(thread_id=thread_id)),
            unread_here_counted=_count(markable.filter(ABOUT_PUBLIC)),
            unread_here_last=_per_recipient(
                markable, Max(Coalesce("post__position", "event__after_position"))
            ),
            own_apart=Exists(own.filter(Q(is_hidden=True) | Q(held_at__isnull=False))),
            own_hidden_position=Subquery(
                own.filter(is_hidden=True).order_by("-position").values("position")[:1]
            ),
        )
        .values_list(
            "read_position",
            "thread_watch",
            "board_watch",
            "unread_notifications",
            "unread_here",
            "unread_here_counted",
            "unread_here_last",
            "own_apart",
            "own_hidden_position",
        )
        .order_by()[:1]
    )


# Built once per process: its SQL costs more CPU to build than to run.
_STATE = CompiledQuery(
    _state_query, user_id=-7_000_000_001, thread_id=-7_000_000_002, board_id=-7_000_000_003
)


def thread_reader_state(*, user, thread: Thread) -> ThreadReaderState:
    """One query for a member (scalar subqueries on their own row): what
    ``read_position``, ``watch_levels_for_thread`` and ``unread_notification_count`` would
    say, plus ``unread_here``, the member's unread notifications about this thread of any
    kind (so a visit that shows new posts only writes when there is something to mark),
    and enough about those a visit marks read to tell the bell's count afterwards
    without counting again."""
    row = _STATE.fetchone(user_id=user.pk, thread_id=thread.pk, board_id=thread.board_id)
    return ThreadReaderState(
        read_position=row[0],
        thread_watch=row[1] or "",
        board_watch=row[2] or "",
        unread_notifications=row[3],
        unread_here=row[4],
        unread_here_counted=row[5],
        unread_here_last=row[6],
        own_apart=bool(row[7]),
        own_hidden_position=row[8],
    )
