"""The board list and a board's page of threads."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accounts.permissions import can
from forum import pagecache, selectors
from forum.filters import ThreadFilter
from forum.permissions import check_start_thread
from forum.selectors import reading as selectors_reading
from forum.views.assignment import assignees_for
from forum.views.pages import lockdown_banners
from forum.views.visitor_cache import site_pages, valid_until, visitor_cached
from moderation.permissions import lockdowns_for

# A stored thread list prints relative times ("5 minutes ago"): it is kept for a minute
# at most, so they are never further behind than that.
LISTING_TIMEOUT = 60


@dataclass(frozen=True)
class Listing:
    """A board page's thread list as every reader sees it: the filter panel, the table's
    head, each row cut where the reader's unread mark goes, and the rest (the table's end
    and the page links)."""

    filters: SafeString
    head: SafeString
    rows: tuple[tuple[int, str, SafeString, SafeString], ...]  # id, address, before, after
    tail: SafeString
    narrowed: bool  # filtered (or with a filter error): an empty list says so

    @property
    def thread_ids(self) -> list[int]:
        return [row[0] for row in self.rows]


@visitor_cached(site_pages)
def board_index(request):
    return render(request, "forum/board_index.html", {"boards": selectors.board_list()})


@visitor_cached(site_pages)
def board_detail(request, board_slug: str):
    user = request.user
    board = selectors.board_get(slug=board_slug, watcher=user)
    request.current_board = board
    listing, counts = board_listing(request, board)
    if counts is None:
        counts = selectors_reading.unread_counts_for_ids(user=user, thread_ids=listing.thread_ids)
    # The team's "Assigned to" marks go around the shared rows, never into them.
    assignees = assignees_for(request, listing.thread_ids)
    rows = [
        (before, url, counts.get(pk), assignees.get(pk), after)
        for pk, url, before, after in listing.rows
    ]
    lockdowns = lockdowns_for(board=board)
    ends = [lockdown.ends_at for lockdown in lockdowns if lockdown.ends_at]
    valid_until(request, min(ends, default=None))
    context = {
        "board": board,
        "listing": listing,
        "rows": rows,
        "can_start_thread": can(check_start_thread, user, board),
        "lockdown_banners": lockdown_banners(lockdowns, user),
    }
    if user.is_authenticated:
        # Read with the board: the watch control needs no query of its own.
        context["board_watch_level"] = board.watcher_level
    return render(request, "forum/board_detail.html", context)


def board_listing(request, board) -> tuple[Listing, dict[int, int] | None]:
    """The page of threads the address asks for (filters, sort, page), rendered once for
    every reader and kept in the page cache under the site's and the content's versions
    (the services replace them after any change a board page shows), keyed by the board,
    its thread count and the address's query. A warm page reads no thread; what differs
    per reader (the unread marks) is added around the stored rows. Returns the listing
    and, when it was rendered for this request, the member's unread counts (read with
    the threads); None when it was stored."""
    versions = pagecache.versions((pagecache.SITE, pagecache.CONTENT))
    key = None
    if versions is not None:
        address = "/".join(
            (
                str(board.pk),
                board.kind,
                str(board.thread_count),
                str(settings.FORUM_THREADS_PER_PAGE),
                request.GET.urlencode(),
            )
        )
        key = pagecache.page_key("board-listing", address, versions)
        stored = pagecache.page_get(key)
        if stored is not None:
            return stored, None
    listing, counts = _render_listing(
        request, board, site_version=versions[0] if versions else None
    )
    if key is not None:
        pagecache.page_set(key, listing, timeout=LISTING_TIMEOUT)
    return listing, counts


def _filters_panel(request, board, filterset, page, site_version) -> SafeString:
    """The filter panel. Unless it states active filters (with their count) or errors it
    shows nothing of the content, so it is kept under the site's version alone and a
    change to the threads re-renders only the rows."""
    context = {"board": board, "filterset": filterset, "filter_form": filterset.form}
    if site_version is None or filterset.active_filters() or filterset.form.errors:
        return render_to_string("forum/_board_filters.html", {**context, "page": page})
    query = request.GET.copy()
    query.pop("page", None)
    address = "/".join((str(board.pk), board.kind, board.slug, query.urlencode()))
    key = pagecache.page_key("board-filters", address, (site_version,))
    stored = pagecache.page_get(key)
    if stored is not None:
        return stored
    panel = render_to_string("forum/_board_filters.html", context)
    pagecache.page_set(key, panel)
    return panel


def _render_listing(request, board, *, site_version) -> tuple[Listing, dict[int, int]]:
    filterset = ThreadFilter(request.GET or None, board=board)
    page = selectors.thread_page_for_board(
        board=board,
        page_number=request.GET.get("page"),
        filterset=filterset,
        reader=request.user,
    )
    threads = list(page.object_list)
    counts = {thread.pk: getattr(thread, "unread_count", None) for thread in threads}
    separator = secrets.token_hex(8)
    parts = render_to_string(
        "forum/_board_threads_shared.html",
        {
            "board": board,
            "page": page,
            "threads": threads,
            "filterset": filterset,
            "request": request,
            "sep": separator,
        },
    ).split(separator)
    # head | (before, after) per row | tail
    safe = [mark_safe(part) for part in parts]  # noqa: S308 - rendered above
    rows = tuple(
        (thread.pk, thread.get_absolute_url(), safe[1 + 2 * index], safe[2 + 2 * index])
        for index, thread in enumerate(threads)
    )
    listing = Listing(
        filters=_filters_panel(request, board, filterset, page, site_version),
        head=safe[0],
        rows=rows,
        tail=safe[-1],
        narrowed=bool(filterset.is_filtering() or filterset.form.errors),
    )
    return listing, counts
