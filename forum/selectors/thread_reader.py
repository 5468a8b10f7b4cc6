"""What the thread page shows of one member's own state, read in one query: their read
marker, their watch levels for the thread and its board, their bell count, and whether any
unread notification about this thread waits to be marked read."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from forum.models import Notification, ReadMarker, Thread, Watch
from forum.selectors.notifications import ABOUT_PUBLIC


@dataclass(frozen=True)
class ThreadReaderState:
    read_position: int | None
    thread_watch: str
    board_watch: str
    unread_notifications: int
    unread_here: int


def _count(rows) -> Coalesce:
    counted = rows.order_by().values("recipient_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def thread_reader_state(*, user, thread: Thread) -> ThreadReaderState:
    """One query for a member (scalar subqueries on their own row): what
    ``read_position``, ``watch_levels_for_thread`` and ``unread_notification_count`` would
    say, plus ``unread_here``, the member's unread notifications about this thread of any
    kind (so a visit that shows new posts only writes when there is something to mark)."""
    me = OuterRef("pk")
    watches = Watch.objects.filter(user=me)
    unread = Notification.objects.filter(recipient=me, read_at__isnull=True)
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            read_position=Subquery(
                ReadMarker.objects.filter(user=me, thread_id=thread.pk).values("position")[:1]
            ),
            thread_watch=Subquery(watches.filter(thread_id=thread.pk).values("level")[:1]),
            board_watch=Subquery(watches.filter(board_id=thread.board_id).values("level")[:1]),
            unread_notifications=_count(unread.filter(ABOUT_PUBLIC)),
            unread_here=_count(unread.filter(thread_id=thread.pk)),
        )
        .values_list(
            "read_position", "thread_watch", "board_watch", "unread_notifications", "unread_here"
        )
        .first()
    )
    read_position, thread_watch, board_watch, unread_notifications, unread_here = row
    return ThreadReaderState(
        read_position=read_position,
        thread_watch=thread_watch or "",
        board_watch=board_watch or "",
        unread_notifications=unread_notifications,
        unread_here=unread_here,
    )
