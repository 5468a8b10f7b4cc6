"""Search stays bounded however many posts match: at most SEARCH_CANDIDATES + 1 keys are
read, the newest SEARCH_CANDIDATES matches are ranked, the count stops at "N+" and the
page's query count does not grow with the data.

The cap is lowered per test (a module constant read at every search), so a handful of
posts stands for the thousands a common word matches. Runs on SQLite (FTS5) and on
PostgreSQL with DATABASE_URL=postgres://…; the PostgreSQL-only tests say so."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.search import search_queryset
from forum.selectors import search as search_selectors
from forum.selectors.search import SearchResultsPaginator, search_posts

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search only"
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap(monkeypatch):
    def lower(value: int) -> int:
        monkeypatch.setattr(search_selectors, "SEARCH_CANDIDATES", value)
        return value

    return lower


@pytest.fixture
def printer_posts(make_thread, member, clock):
    """``make(n)``: n posts that mention "printer", one minute apart, oldest first."""

    def make(n: int, *, board=None, title="Printer trouble") -> list:
        posts = []
        for index in range(n):
            thread = make_thread(
                member, board=board, title=f"{title} {index}", body="The printer jams."
            )
            posts.append(thread.last_post)
            clock.advance(minutes=1)
        return posts

    return make


def _ids(page) -> list[int]:
    return [hit.post.pk for hit in page.object_list]


def _search(query="printer", **arguments):
    return search_posts(query=query, user=AnonymousUser(), **arguments)


def _heading(response) -> str:
    html = response.content.decode()
    heading = re.search(r'<h2 id="results-heading">(.*?)<span', html, re.S).group(1)
    return " ".join(heading.split())


# --- The count -------------------------------------------------------------------------


def test_more_matches_than_the_cap_are_counted_as_n_plus(cap, printer_posts):
    cap(5)
    posts = printer_posts(7)
    page = _search()
    assert page.paginator.count == 5
    assert page.paginator.capped is True
    assert set(_ids(page)) == {post.pk for post in posts[2:]}


def test_exactly_the_cap_is_an_exact_count(cap, printer_posts):
    cap(5)
    printer_posts(5)
    page = _search()
    assert page.paginator.count == 5
    assert page.paginator.capped is False


def test_counting_reads_at_most_one_key_past_the_cap(cap, printer_posts):
    cap(5)
    printer_posts(9)
    with CaptureQueriesContext(connection) as ctx:
        _search()
    sql = [query["sql"] for query in ctx.captured_queries]
    assert len(sql) == 2
    assert not any("COUNT(" in statement.upper() for statement in sql)
    assert re.search(r"\bLIMIT 6\b", sql[0])


def test_the_page_says_n_plus_results_and_how_to_reach_older_posts(client, cap, printer_posts):
    cap(3)
    printer_posts(5)
    response = client.get(reverse("forum:search"), {"q": "printer"})
    assert response.status_code == 200
    assert _heading(response) == "3+ results"
    html = response.content.decode()
    assert "More than 3 posts match, so these are the best matches among the newest 3." in html
    assert "add a word or narrow the search by board, author or date" in html
    assert len(response.context["page"].object_list) == 3


def test_the_cap_is_written_with_a_thousands_separator(client, cap, printer_posts):
    cap(1000)
    printer_posts(2)
    response = client.get(reverse("forum:search"), {"q": "printer"})
    assert _heading(response) == "2 results"
    assert "best matches among" not in response.content.decode()
    context = response.context[0].flatten()
    context["page"].paginator = SearchResultsPaginator([], 20, rows=None, count=1000, capped=True)
    html = render_to_string("forum/search.html", context)
    assert re.search(r"1,000\+ results\s*<span", html)
    assert "among the newest 1,000." in html


def test_a_count_under_the_cap_is_exact_and_has_no_note(client, cap, printer_posts):
    cap(5)
    printer_posts(4)
    response = client.get(reverse("forum:search"), {"q": "printer"})
    assert _heading(response) == "4 results"
    assert "best matches among" not in response.content.decode()


# --- Which posts are ranked --------------------------------------------------------------


def test_the_top_results_come_from_the_newest_matches(cap, make_thread, member, clock):
    cap(3)
    # Best on its own (title and body), but older than the three newest mentions.
    strong = make_thread(member, title="Printer printer", body="Printer: the printer jams.")
    clock.advance(minutes=1)
    weak = []
    for index in range(3):
        weak.append(make_thread(member, title=f"Office {index}", body="A printer, somewhere."))
        clock.advance(minutes=1)
    page = _search()
    assert page.paginator.capped is True
    assert set(_ids(page)) == {thread.last_post.pk for thread in weak}
    cap(4)
    page = _search()
    assert _ids(page)[0] == strong.last_post.pk


def test_a_selective_query_still_finds_old_posts(cap, make_thread, member, printer_posts):
    cap(3)
    old = make_thread(member, title="Zeppelin in the car park", body="Since Monday.")
    printer_posts(6)
    page = _search("zeppelin")
    assert _ids(page) == [old.last_post.pk]
    assert page.paginator.count == 1 and page.paginator.capped is False


def test_filters_apply_before_the_cap(cap, boards, printer_posts, clock):
    cap(3)
    older = printer_posts(2)
    clock.advance(days=3)
    bugs = printer_posts(2, board=boards["bugs"], title="Printer bug")
    printer_posts(5)
    assert _search().paginator.capped is True
    in_bugs = _search(board="bugs")
    assert set(_ids(in_bugs)) == {post.pk for post in bugs}
    assert in_bugs.paginator.capped is False
    before = _search(date_to=older[-1].created_at.date())
    assert set(_ids(before)) == {post.pk for post in older}
    assert before.paginator.capped is False


# --- Pages --------------------------------------------------------------------------------


def test_pages_cover_the_ranked_candidates_once_each(cap, printer_posts):
    cap(5)
    posts = printer_posts(8)
    pages = [_search(page=number, per_page=2) for number in (1, 2, 3)]
    assert [page.paginator.num_pages for page in pages] == [3, 3, 3]
    seen = [pk for page in pages for pk in _ids(page)]
    assert len(seen) == 5
    assert set(seen) == {post.pk for post in posts[3:]}
    assert [len(page.object_list) for page in pages] == [2, 2, 1]


@pytest.mark.parametrize("asked", ["4", "999"])
def test_a_page_past_the_cap_shows_the_last_one(cap, printer_posts, asked):
    cap(5)
    printer_posts(8)
    page = _search(page=asked, per_page=2)
    assert page.number == 3
    assert len(page.object_list) == 1


def test_the_page_links_stop_at_the_cap(client, cap, printer_posts):
    cap(21)
    printer_posts(23)
    first = client.get(reverse("forum:search"), {"q": "printer"})
    assert "Page 1 of 2" in first.content.decode()
    last = client.get(reverse("forum:search"), {"q": "printer", "page": "7"})
    html = last.content.decode()
    assert "Page 2 of 2" in html and 'rel="next"' not in html
    assert len(last.context["page"].object_list) == 1


def test_nothing_matching_costs_one_search_query(printer_posts):
    printer_posts(2)
    with CaptureQueriesContext(connection) as ctx:
        page = _search("zeppelin")
    assert page.paginator.count == 0 and list(page.object_list) == []
    assert len(ctx.captured_queries) == 1


# --- Queries per page ------------------------------------------------------------------------


def _page_queries(client, query="printer") -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("forum:search"), {"q": query})
    assert response.status_code == 200
    assert response.context["page"].object_list
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["visitor", "member", "moderator"])
def test_the_search_page_costs_at_most_ten_queries_whatever_matches(
    client, cap, printer_posts, other_member, moderator, member, who
):
    cap(30)
    if who != "visitor":
        client.force_login(member if who == "member" else moderator)
    printer_posts(2)
    few = _page_queries(client)
    for post in printer_posts(25):
        services.post_create(thread=post.thread, author=other_member, body="printer fixed")
    many = _page_queries(client)
    assert many == few
    assert many <= 10


# --- PostgreSQL ------------------------------------------------------------------------------


@on_postgres
def test_the_newest_index_exists_on_postgres(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'forum_post' AND indexname = %s",
            ["post_newest_idx"],
        )
        (definition,) = cursor.fetchone()
    assert "(created_at DESC, id DESC)" in definition


@on_postgres
def test_postgres_ranks_the_candidates_by_ts_rank(cap, make_thread, member, clock):
    cap(3)
    make_thread(member, title="Printer printer", body="printer printer printer")
    clock.advance(minutes=1)
    once = make_thread(member, title="Office", body="The printer.")
    clock.advance(minutes=1)
    thrice = make_thread(member, title="Desk", body="Printer here, printer there, printer.")
    clock.advance(minutes=1)
    twice = make_thread(member, title="Hall", body="A printer and a printer.")
    page = _search()
    assert _ids(page) == [thrice.last_post.pk, twice.last_post.pk, once.last_post.pk]
    ranks = [hit.rank for hit in page.object_list]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]


@on_postgres
def test_a_deep_page_cuts_snippets_for_its_own_rows_only(cap, printer_posts):
    cap(6)
    posts = printer_posts(8)
    with CaptureQueriesContext(connection) as ctx:
        page = _search(page=3, per_page=2)
    assert len(page.object_list) == 2
    assert all("<mark>" in str(hit.snippet).lower() for hit in page.object_list)
    keys_sql, page_sql = (query["sql"] for query in ctx.captured_queries)
    # The candidates are read once, with their rank and no snippet; the page reads its
    # own two rows by key, so ts_headline runs for them alone and nothing is skipped.
    assert "ts_rank" in keys_sql and "ts_headline" not in keys_sql
    assert page_sql.count("ts_headline") == 1
    assert not re.search(r"\b(OFFSET|LIMIT)\b", page_sql)
    assert page_sql.count("SELECT") == 1
    page_keys = {hit.post.pk for hit in page.object_list}
    assert page_keys <= {post.pk for post in posts[2:]}


@on_postgres
def test_ties_in_rank_stay_newest_first_across_pages(cap, printer_posts, make_thread, member):
    cap(6)
    posts = printer_posts(7)
    best = make_thread(member, title="Printer printer", body="The printer, the printer.")
    pages = [_search(page=number, per_page=2) for number in (1, 2, 3)]
    seen = [pk for page in pages for pk in _ids(page)]
    assert seen == [best.last_post.pk, *(post.pk for post in reversed(posts[2:]))]
    expected = list(
        search_queryset(query="printer", user=AnonymousUser())
        .filter(pk__in=seen)
        .values_list("pk", flat=True)
    )
    assert seen == expected
