"""Template values for the notification bell and the board watch control.

Lazy: a page that does not print them runs no query, and visitors never do. Signed-in
pages that show the bell run one COUNT query."""

from django.utils.functional import SimpleLazyObject

from forum.selectors import notifications as selectors_notifications


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def board_level():
        board = getattr(request, "current_board", None)
        if board is None:
            return ""
        return selectors_notifications.watch_level_for_board(user=user, board=board)

    return {
        "unread_notifications": SimpleLazyObject(
            lambda: selectors_notifications.unread_notification_count(user=user)
        ),
        # Board pages set request.current_board; only _board_watch.html reads this.
        "board_watch_level": SimpleLazyObject(board_level),
    }
