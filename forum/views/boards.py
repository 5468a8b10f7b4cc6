"""The board list and a board's page of threads."""

from django.shortcuts import render

from accounts.permissions import can
from forum import selectors
from forum.filters import ThreadFilter
from forum.permissions import check_start_thread
from forum.views.pages import lockdown_banners
from forum.views.reading import annotate_unread
from forum.views.visitor_cache import site_pages, valid_until, visitor_cached
from moderation.permissions import lockdowns_for


@visitor_cached(site_pages)
def board_index(request):
    return render(request, "forum/board_index.html", {"boards": selectors.board_list()})


@visitor_cached(site_pages)
def board_detail(request, board_slug: str):
    board = selectors.board_get(slug=board_slug)
    request.current_board = board
    filterset = ThreadFilter(request.GET or None, board=board)
    page = selectors.thread_page_for_board(
        board=board, page_number=request.GET.get("page"), filterset=filterset
    )
    if request.user.is_authenticated:
        page.object_list = list(page.object_list)
        annotate_unread(request, page.object_list)
    lockdowns = lockdowns_for(board=board)
    ends = [lockdown.ends_at for lockdown in lockdowns if lockdown.ends_at]
    valid_until(request, min(ends, default=None))
    return render(
        request,
        "forum/board_detail.html",
        {
            "board": board,
            "page": page,
            "filterset": filterset,
            "filter_form": filterset.form,
            "can_start_thread": can(check_start_thread, request.user, board),
            "lockdown_banners": lockdown_banners(lockdowns, request.user),
        },
    )
