"""Reads for notifications and watching: a member's notification list, one notification,
the unread count, and the watch levels shown on threads and boards."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404

from forum.models import Board, Notification, Thread, Watch

NOTIFICATIONS_PER_PAGE = getattr(settings, "FORUM_NOTIFICATIONS_PER_PAGE", 25)

# A notification about a post or thread moderators hid (spam above all) is gone from the
# list and the bell: its summary would name the spammer and repeat the thread's title. It
# comes back if moderators restore the post.
ABOUT_PUBLIC = (Q(thread__isnull=True) | Q(thread__is_hidden=False)) & (
    Q(post__isnull=True) | Q(post__is_hidden=False)
)


def notification_page_for_user(*, user, page_number) -> Page:
    """One page of the member's notifications, newest first, with everything the list
    shows (actor, thread and board, post). Two queries: the count and the page."""
    notifications = Notification.objects.filter(ABOUT_PUBLIC, recipient=user).select_related(
        "actor", "thread__board", "post", "event"
    )
    return Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(page_number)


def notification_get_for_user(*, user, notification_id: int) -> Notification:
    """The member's own notification, or 404 for both missing and someone else's."""
    return get_object_or_404(Notification, pk=notification_id, recipient=user)


def unread_notification_count(*, user) -> int:
    """Unread notifications the member can read: none about a hidden post or thread."""
    return Notification.objects.filter(ABOUT_PUBLIC, recipient=user, read_at__isnull=True).count()


def watch_levels_for_thread(*, user, thread: Thread) -> dict:
    """The member's chosen level for the thread ("" when none) and for its board, and
    the level in effect (a watched board makes its threads watched unless the member
    chose otherwise for the thread). One query; none for visitors."""
    thread_level = board_level = ""
    if user.is_authenticated:
        rows = Watch.objects.filter(user=user).filter(
            Q(thread_id=thread.pk) | Q(board_id=thread.board_id)
        )
        for thread_id, level in rows.values_list("thread_id", "level"):
            if thread_id is None:
                board_level = level
            else:
                thread_level = level
    effective = thread_level or (
        Watch.Level.WATCHING if board_level == Watch.Level.WATCHING else Watch.Level.NORMAL
    )
    return {"thread": thread_level, "board": board_level, "effective": effective}


def watch_level_for_board(*, user, board: Board) -> str:
    """The member's level for the board ("normal" when they never chose). One query."""
    if not user.is_authenticated:
        return Watch.Level.NORMAL
    level = Watch.objects.filter(user=user, board=board).values_list("level", flat=True).first()
    return level or Watch.Level.NORMAL
