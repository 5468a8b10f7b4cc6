from django.conf import settings
from django.utils.functional import SimpleLazyObject

from forum import selectors


def site(request):
    """Site-wide template values: the site name and the notices for this page (lazy, so
    pages that fail before rendering them run no query). Views showing a board's pages
    set ``request.current_board`` so board-targeted notices appear there."""

    def notices():
        return selectors.notices_for_page(
            user=getattr(request, "user", None), board=getattr(request, "current_board", None)
        )

    page_notices = SimpleLazyObject(lambda: _Notices(*notices()))
    return {"SITE_NAME": settings.SITE_NAME, "page_notices": page_notices}


class _Notices:
    def __init__(self, shown, next_change):
        self.shown = shown
        self.next_change = next_change

    def __iter__(self):
        return iter(self.shown)

    def __bool__(self):
        return bool(self.shown)
