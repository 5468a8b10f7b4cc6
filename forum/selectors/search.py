"""The search page's results: one page of hits, ranked among a bounded set of matches.

A common word can be in a large share of all posts (tens of thousands at a million
posts), and counting or ranking every match reads every matching row. So a search reads
the keys of at most ``SEARCH_CANDIDATES + 1`` matches, newest first, which PostgreSQL
answers by walking ``post_newest_idx`` (created_at, id) from the newest post, or from the
end of a date range, until it has them, or from the GIN index when the words are rare.
Their number is the count ("1,000+" past the cap), and the newest ``SEARCH_CANDIDATES``
are ranked for the pages. A query with fewer matches than that is ranked whole, however
old its posts; pages reach as far as the candidates.

Two queries whatever the number of matches: the candidates' keys, then the page with its
thread, board and author joined (none when nothing matches).
"""

from datetime import date

from django.core.paginator import Page
from django.db import connections

from forum.models import Board
from forum.search import ORDER_RELEVANCE, RESULTS_PER_PAGE, hit_for, search_queryset
from forum.selectors.pagination import CountedPaginator

# How many of the newest matches are counted and ranked: 50 pages of 20.
SEARCH_CANDIDATES = 1000


class SearchResultsPaginator(CountedPaginator):
    """Pages over the ranked candidates (``object_list``); ``capped`` says more posts
    matched than were ranked, so the page shows "1,000+" and how to reach the rest.

    On PostgreSQL a page is one query: a subquery ranks the candidates and keeps the
    page's keys, and only those rows are read from ``rows`` (the search, annotated with
    its snippet); an OFFSET on the annotated query itself would cut a ``ts_headline`` for
    every row it skips. SQLite's FTS5 join is raw SQL naming ``forum_post``, which cannot
    move into a subquery, and its snippets are cheap: there the page is a plain slice."""

    def __init__(self, object_list, per_page, *, rows, count: int, capped: bool, **kwargs):
        super().__init__(object_list, per_page, count=count, **kwargs)
        self.rows = rows
        self.capped = capped

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if top <= bottom:
            return self._get_page(self.rows.none(), number, self)
        if connections[self.rows.db].vendor != "postgresql":
            return self._get_page(self.object_list[bottom:top], number, self)
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.rows.filter(pk__in=keys), number, self)


def search_posts(
    *,
    query: str,
    user,
    board: Board | str | None = None,
    author=None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str | None = None,
    page=1,
    per_page: int = RESULTS_PER_PAGE,
    order: str = ORDER_RELEVANCE,
) -> Page:
    """One page of :class:`forum.search.SearchHit` for ``query``, best first among the
    newest ``SEARCH_CANDIDATES`` matches (see :func:`forum.search.search_queryset` for
    the arguments and the ValidationError it raises). ``page.paginator.count`` is how
    many were ranked and ``page.paginator.capped`` whether more matched."""
    posts = search_queryset(
        query=query, user=user, board=board, author=author, date_from=date_from,
        date_to=date_to, status=status, order=order,
    )  # fmt: skip
    cap = SEARCH_CANDIDATES
    keys = list(posts.order_by("-created_at", "-pk").values_list("pk", flat=True)[: cap + 1])
    candidates = keys[:cap]
    paginator = SearchResultsPaginator(
        posts.filter(pk__in=candidates),
        per_page,
        rows=posts,
        count=len(candidates),
        capped=len(keys) > cap,
    )
    result_page = paginator.get_page(page)
    result_page.object_list = [hit_for(post, query) for post in result_page.object_list]
    return result_page
