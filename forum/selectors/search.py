"""The search page's results: one page of hits, ranked among a bounded set of matches.

A common word can be in a large share of all posts (tens of thousands at a million
posts), and counting or ranking every match reads every matching row. So a search reads
at most ``SEARCH_CANDIDATES + 1`` matches, newest first, which PostgreSQL answers by
walking ``post_newest_idx`` (created_at, id) from the newest post, or from the end of a
date range, until it has them, or from the GIN index when the words are rare. Their
number is the count ("1,000+" past the cap), and the newest ``SEARCH_CANDIDATES`` are
ranked for the pages. A query with fewer matches than that is ranked whole, however old
its posts; pages reach as far as the candidates.

Two queries whatever the number of matches: the candidates' keys with their rank, read
once and put in order here, then the page's rows by key with their snippets and their
thread, board and author joined (none when nothing matches).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.core.paginator import Page
from django.urls import reverse

from forum.models import Board
from forum.search import (
    ORDER_RELEVANCE,
    RESULTS_PER_PAGE,
    SearchHit,
    hit_for,
    search_queryset,
)
from forum.selectors.pagination import CountedPaginator

# How many of the newest matches are counted and ranked: 50 pages of 20.
SEARCH_CANDIDATES = 1000
# Stands for a post's key in its permalink, which is reversed once per page.
_POST_KEY_SLOT = 918273645


@dataclass
class LinkedHit(SearchHit):
    """A hit with its post's permalink and its board's address, worked out once per page
    rather than reversed for every hit while the page renders."""

    url: str = ""
    board_url: str = ""


def _linked(hits: list[SearchHit]) -> list[LinkedHit]:
    if not hits:
        return []
    permalink = reverse("forum:post-permalink", kwargs={"post_id": _POST_KEY_SLOT})
    before, after = permalink.split(str(_POST_KEY_SLOT))
    boards = {hit.thread.board_id: hit.thread.board for hit in hits}
    board_urls = {key: board.get_absolute_url() for key, board in boards.items()}
    return [
        LinkedHit(
            post=hit.post,
            thread=hit.thread,
            snippet=hit.snippet,
            rank=hit.rank,
            url=f"{before}{hit.post.pk}{after}",
            board_url=board_urls[hit.thread.board_id],
        )
        for hit in hits
    ]


class SearchResultsPaginator(CountedPaginator):
    """Pages over the ranked candidates' keys (``object_list``); ``capped`` says more posts
    matched than were ranked, so the page shows "1,000+" and how to reach the rest.

    A page reads only its own rows from ``rows`` (the search, annotated with its
    snippet), by key, and puts them in the keys' order: the snippets (``ts_headline``)
    are cut for those rows alone, and no query ranks the candidates a second time."""

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
        keys = self.object_list[bottom:top]
        if not keys:
            return self._get_page([], number, self)
        found = {post.pk: post for post in self.rows.filter(pk__in=keys).order_by()}
        return self._get_page([found[key] for key in keys if key in found], number, self)


def _rank_column(posts) -> tuple[str, bool] | None:
    """The column the search ranks by and whether higher is better (PostgreSQL's
    ``ts_rank``) or lower (FTS5's ``bm25``); None when it orders by date alone."""
    ordering = posts.query.order_by
    if not ordering or ordering[0] in ("-created_at", "created_at"):
        return None
    first = ordering[0]
    return first.lstrip("-"), first.startswith("-")


@dataclass(frozen=True)
class SearchCandidates:
    """The matches a search ranks: ``rows`` is the search (annotated for ``hit_for``), to
    read a page's posts from by key; ``ranked`` is (sort key, post key) for each
    candidate, best first, where the sort key orders them (rank, then newest, then key)
    and never ties; ``capped`` says more posts matched than were ranked."""

    rows: object
    ranked: list[tuple[tuple, int]]
    capped: bool

    @property
    def keys(self) -> list[int]:
        return [pk for _, pk in self.ranked]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def search_candidates(
    *,
    query: str,
    user,
    board: Board | str | None = None,
    author=None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str | None = None,
    order: str = ORDER_RELEVANCE,
) -> SearchCandidates:
    """The newest ``SEARCH_CANDIDATES`` matches of ``query`` ranked, best first (equal
    ranks newest first), in one query; the arguments and the ValidationError are
    :func:`forum.search.search_queryset`'s."""
    posts = search_queryset(
        query=query, user=user, board=board, author=author, date_from=date_from,
        date_to=date_to, status=status, order=order,
    )  # fmt: skip
    cap = SEARCH_CANDIDATES
    rank = _rank_column(posts)
    newest = posts.order_by("-created_at", "-pk")
    columns = ["pk", "created_at"] if rank is None else ["pk", "created_at", rank[0]]
    matches = list(newest.values_list(*columns)[: cap + 1])
    sign = -1 if rank is not None and rank[1] else 1
    ranked = sorted(
        (
            (
                sign * row[2] if rank is not None else 0,
                -((row[1] - _EPOCH) // _MICROSECOND),
                -row[0],
            ),
            row[0],
        )
        for row in matches[:cap]
    )
    return SearchCandidates(rows=posts, ranked=ranked, capped=len(matches) > cap)


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
    """One page of :class:`LinkedHit` for ``query``, best first among the
    newest ``SEARCH_CANDIDATES`` matches (see :func:`forum.search.search_queryset` for
    the arguments and the ValidationError it raises). ``page.paginator.count`` is how
    many were ranked and ``page.paginator.capped`` whether more matched."""
    candidates = search_candidates(
        query=query, user=user, board=board, author=author, date_from=date_from,
        date_to=date_to, status=status, order=order,
    )  # fmt: skip
    keys = candidates.keys
    paginator = SearchResultsPaginator(
        keys, per_page, rows=candidates.rows, count=len(keys), capped=candidates.capped
    )
    result_page = paginator.get_page(page)
    result_page.object_list = _linked([hit_for(post, query) for post in result_page.object_list])
    return result_page
