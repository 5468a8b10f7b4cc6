"""Template values every page may print. Lazy: a page that does not print them runs no
query."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from forum import pagecache, selectors
from forum.selectors import notifications as selectors_notifications
from forum.views.kept import kept
from forum.views.visitor_cache import valid_until


def site(request):
    """Site-wide template values: the site name and the notices for this page (lazy, so
    pages that fail before rendering them run no query). Views showing a board's pages
    set ``request.current_board`` so board-targeted notices appear there."""

    def notices():
        shown, next_change = selectors.notices_for_page(
            user=getattr(request, "user", None),
            board=getattr(request, "current_board", None),
            not_ended=_notices_not_ended(request),
        )
        valid_until(request, next_change)
        return shown, next_change

    page_notices = SimpleLazyObject(lambda: _Notices(*notices()))
    return {"SITE_NAME": settings.SITE_NAME, "page_notices": page_notices}


def _notices_not_ended(request):
    """The notices not ended yet, kept under the site's version (every notice change,
    and a reply to a thread a notice in force links to, retires it); those yet to start
    or already over are sorted out by time on each request. None without the cache."""
    # A view that read the site's version already leaves it on the request.
    versions = getattr(request, "site_versions", None) or pagecache.versions((pagecache.SITE,))
    if versions is None:
        return None
    return kept(pagecache.page_key("notices", "", versions), selectors.notices_not_ended)


class _Notices:
    def __init__(self, shown, next_change):
        self.shown = shown
        self.next_change = next_change

    def __iter__(self):
        return iter(self.shown)

    def __bool__(self):
        return bool(self.shown)


def notifications(request):
    """The notification bell and the board watch control. Visitors never query; signed-in
    pages that show the bell run one COUNT query."""
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
