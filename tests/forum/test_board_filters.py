"""Board pages filter and sort (django-filter): status, help state, staff reply, votes or
affected, dates, author; the filters combine, live in the URL, keep pinned threads on
top, and a value that makes no sense gets a message instead of an error page."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from forum.models import Thread
from forum.services import answers, post_create, thread_set_pinned
from forum.services.statuses import thread_mark_affected, thread_set_status, thread_vote

Status = Thread.Status


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def titles(html: str) -> list[str]:
    """The thread titles listed on a board page, in order."""
    return re.findall(r'class="thread-row__title" href="/t/\d+/">([^<]+)</a>', html)


@pytest.fixture
def bugs(boards):
    return boards["bugs"]


@pytest.fixture
def ideas(boards):
    return boards["ideas"]


@pytest.fixture
def bug_list(make_thread, member, other_member, staff, bugs, clock):
    """Four bugs: crash (confirmed, 2 affected, staff replied), login (new, by priya),
    export (fixed), typo (new, oldest activity, pinned later by some tests)."""
    made = {}
    for name, author in (("typo", member), ("export", member), ("login", other_member)):
        made[name] = make_thread(author, board=bugs, title=f"Bug {name}")
        clock.advance(hours=1)
    made["crash"] = make_thread(member, board=bugs, title="Bug crash")
    clock.advance(hours=1)
    thread_set_status(thread=made["crash"], actor=staff, status=Status.CONFIRMED)
    thread_set_status(thread=made["export"], actor=staff, status=Status.FIXED)
    post_create(thread=made["crash"], author=staff, body="We can reproduce it.")
    thread_mark_affected(thread=made["crash"], user=other_member, on=True)
    thread_mark_affected(thread=made["crash"], user=staff, on=True)
    thread_mark_affected(thread=made["typo"], user=other_member, on=True)
    return made


@pytest.fixture
def idea_list(make_thread, member, other_member, staff, make_user, ideas, clock):
    voters = [other_member, staff, make_user("kai"), make_user("lee")]
    made = {}
    for name, votes in (("popular", 3), ("quiet", 0), ("liked", 1)):
        made[name] = make_thread(member, board=ideas, title=f"Idea {name}")
        for voter in voters[:votes]:
            thread_vote(thread=made[name], user=voter, on=True)
        clock.advance(hours=1)
    thread_set_status(
        thread=made["popular"], actor=staff, status=Status.PLANNED, reason="Next quarter."
    )
    return made


# --- Filters -------------------------------------------------------------------------------


def test_filter_bugs_by_status(client, bug_list):
    html = html_of(client.get("/b/bugs/?status=new"))
    assert sorted(titles(html)) == ["Bug login", "Bug typo"]
    assert titles(html_of(client.get("/b/bugs/?status=fixed"))) == ["Bug export"]


def test_filter_ideas_not_reviewed_yet(client, idea_list):
    html = html_of(client.get("/b/ideas/?status=none"))
    assert sorted(titles(html)) == ["Idea liked", "Idea quiet"]


def test_filter_by_staff_reply(client, bug_list):
    assert titles(html_of(client.get("/b/bugs/?staff_reply=yes"))) == ["Bug crash"]
    assert "Bug crash" not in titles(html_of(client.get("/b/bugs/?staff_reply=no")))


def test_staff_replied_marker_on_rows(client, bug_list):
    html = html_of(client.get("/b/bugs/"))
    crash = html[html.index(">Bug crash<") :]
    crash = crash[: crash.index("</tr>")]
    assert "Staff replied" in crash and ">Confirmed<" in crash
    login = html[html.index(">Bug login<") :]
    assert "Staff replied" not in login[: login.index("</tr>")]


def test_filter_help_by_solved_unsolved_and_state(client, make_thread, member, staff, clock):
    solved = make_thread(member, title="Solved question")
    reply = post_create(thread=solved, author=staff, body="Do this.")
    answers.answer_accept(thread=solved, post=reply, actor=member)
    waiting_on_asker = make_thread(member, title="Waiting on the asker")
    post_create(thread=waiting_on_asker, author=staff, body="Which version?")
    make_thread(member, title="Nobody answered")
    assert titles(html_of(client.get("/b/help/?state=solved"))) == ["Solved question"]
    unsolved = titles(html_of(client.get("/b/help/?state=unsolved")))
    assert sorted(unsolved) == ["Nobody answered", "Waiting on the asker"]
    assert titles(html_of(client.get("/b/help/?state=awaiting_staff"))) == ["Nobody answered"]
    assert titles(html_of(client.get("/b/help/?state=awaiting_asker"))) == ["Waiting on the asker"]
    assert titles(html_of(client.get("/b/help/?staff_reply=no"))) == ["Nobody answered"]
    html = html_of(client.get("/b/help/"))
    row = html[html.index(">Solved question<") :]
    assert ">Solved<" in row[: row.index("</tr>")]


def test_filter_by_author_ignores_case_and_an_at_sign(client, bug_list):
    assert titles(html_of(client.get("/b/bugs/?author=PRIYA"))) == ["Bug login"]
    assert titles(html_of(client.get("/b/bugs/?author=%40priya"))) == ["Bug login"]
    html = html_of(client.get("/b/bugs/?author=nobody"))
    assert titles(html) == [] and "No threads match these filters" in html


def test_filter_by_recent_activity(client, bug_list, clock, other_member):
    clock.advance(days=10)
    post_create(thread=bug_list["login"], author=other_member, body="Still broken.")
    assert titles(html_of(client.get("/b/bugs/?active=7"))) == ["Bug login"]
    assert len(titles(html_of(client.get("/b/bugs/?active=30")))) == 4


def test_filter_by_start_date(client, make_thread, member, bugs, clock):
    make_thread(member, board=bugs, title="Old report")
    clock.advance(days=3)
    day = clock.now.date()
    make_thread(member, board=bugs, title="New report")
    assert titles(html_of(client.get(f"/b/bugs/?created_after={day}"))) == ["New report"]
    assert titles(html_of(client.get(f"/b/bugs/?created_before={day}"))) == ["Old report"]


def test_filter_by_at_least_votes_and_affected(client, bug_list, idea_list):
    assert titles(html_of(client.get("/b/ideas/?at_least=1"))) == ["Idea liked", "Idea popular"]
    assert titles(html_of(client.get("/b/bugs/?at_least=2"))) == ["Bug crash"]


def test_filters_combine(client, bug_list):
    html = html_of(client.get("/b/bugs/?status=new&author=jamie"))
    assert titles(html) == ["Bug typo"]
    assert titles(html_of(client.get("/b/bugs/?status=new&staff_reply=yes"))) == []


def test_filters_are_reflected_in_the_url_form_and_active_list(client, bug_list):
    html = html_of(client.get("/b/bugs/?status=new&author=jamie&sort=affected"))
    assert '<option value="new" selected>' in html
    assert 'name="author" value="jamie"' in html
    assert '<option value="affected" selected>' in html
    assert 'method="get" action="/b/bugs/"' in html
    active = html[html.index('class="board-filters__active"') :]
    active = active[: active.index("</p>")]
    assert "Status: New" in active and "Started by: jamie" in active
    assert "Sort by: Most affected" in active
    # Each chip removes its own filter and keeps the others.
    assert 'href="?author=jamie&amp;sort=affected"' in active
    assert 'href="?status=new&amp;sort=affected"' in active
    assert '<a href="/b/bugs/">Clear filters</a>' in active
    assert '<details class="board-filters__panel" open>' in html


@override_settings(FORUM_THREADS_PER_PAGE=2)
def test_pages_keep_the_filters(client, make_thread, member, bugs):
    for n in range(5):
        make_thread(member, board=bugs, title=f"Report {n}")
    html = html_of(client.get("/b/bugs/?status=new&author=jamie"))
    assert "Page 1 of 3" in html  # a real count of the filtered rows
    assert 'href="?status=new&amp;author=jamie&amp;page=2"' in html


def test_the_unfiltered_page_shows_no_active_filters_and_a_closed_panel(client, bug_list):
    html = html_of(client.get("/b/bugs/"))
    assert 'class="board-filters__active"' not in html
    assert '<details class="board-filters__panel">' in html
    assert "Clear filters" not in html


# --- Controls that fit the board -------------------------------------------------------------


def test_each_board_shows_only_its_controls(client, boards):
    bugs_html = html_of(client.get("/b/bugs/"))
    assert '<label for="id_status">Status</label>' in bugs_html
    assert 'value="wont_fix"' in bugs_html and 'value="planned"' not in bugs_html
    assert 'value="affected"' in bugs_html and 'value="votes"' not in bugs_html
    assert "Min. affected" in bugs_html and "Help state" not in bugs_html
    ideas_html = html_of(client.get("/b/ideas/"))
    assert 'value="planned"' in ideas_html and 'value="votes"' in ideas_html
    assert 'value="affected"' not in ideas_html and "Min. votes" in ideas_html
    help_html = html_of(client.get("/b/help/"))
    assert '<label for="id_state">Help state</label>' in help_html
    assert 'id="id_status"' not in help_html and 'id="id_at_least"' not in help_html
    for html in (bugs_html, ideas_html, help_html):
        for name in ("staff_reply", "active", "created_after", "created_before", "author", "sort"):
            assert f'<label for="id_{name}">' in html
        assert '<button type="submit" class="button">Filter</button>' in html


def test_rows_show_votes_on_ideas_and_affected_on_bugs(client, bug_list, idea_list):
    ideas_html = html_of(client.get("/b/ideas/"))
    assert '<th scope="col" class="num">Votes</th>' in ideas_html
    assert '<td class="num" data-label="Votes">3</td>' in ideas_html
    bugs_html = html_of(client.get("/b/bugs/"))
    assert '<td class="num" data-label="Affected">2</td>' in bugs_html


# --- Sorting ----------------------------------------------------------------------------------


def test_default_sort_is_latest_activity(client, bug_list, other_member, clock):
    clock.advance(minutes=5)
    post_create(thread=bug_list["typo"], author=other_member, body="bump")
    assert titles(html_of(client.get("/b/bugs/")))[0] == "Bug typo"


def test_sort_ideas_by_votes(client, idea_list):
    html = html_of(client.get("/b/ideas/?sort=votes"))
    assert titles(html) == ["Idea popular", "Idea liked", "Idea quiet"]


def test_sort_bugs_by_affected(client, bug_list):
    order = titles(html_of(client.get("/b/bugs/?sort=affected")))
    assert order[:2] == ["Bug crash", "Bug typo"]


def test_sort_by_newest_and_by_replies(client, bug_list, other_member):
    post_create(thread=bug_list["typo"], author=other_member, body="bump")
    newest = titles(html_of(client.get("/b/bugs/?sort=newest")))
    assert newest == ["Bug crash", "Bug login", "Bug export", "Bug typo"]
    by_replies = titles(html_of(client.get("/b/bugs/?sort=replies")))
    assert by_replies[0] in ("Bug crash", "Bug typo") and by_replies[1] in ("Bug crash", "Bug typo")


@pytest.mark.parametrize("sort", ["", "latest", "newest", "affected", "replies"])
def test_pinned_threads_stay_on_top_under_every_sort(client, bug_list, sort):
    thread_set_pinned(thread=bug_list["login"], pinned=True)
    order = titles(html_of(client.get(f"/b/bugs/?sort={sort}")))
    assert order[0] == "Bug login"
    filtered = titles(html_of(client.get(f"/b/bugs/?sort={sort}&status=new")))
    assert filtered[0] == "Bug login"


def test_pinned_ideas_stay_on_top_when_sorted_by_votes(client, idea_list):
    thread_set_pinned(thread=idea_list["quiet"], pinned=True)
    assert titles(html_of(client.get("/b/ideas/?sort=votes")))[0] == "Idea quiet"


# --- Values that make no sense -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=planned", "is not a status on this board"),
        ("status=bogus", "is not a status on this board"),
        ("sort=votes", "is not a way to sort on this board"),
        ("active=365", "is not a time span on this board"),
        ("staff_reply=maybe", "is not a staff-reply choice"),
        ("created_after=yesterday", "Enter a date like 2026-03-31."),
        ("created_after=2026-05-02&created_before=2026-05-01", "must be later than"),
        ("at_least=-1", "Enter 0 or more."),
        ("at_least=lots", "Enter a whole number, like 5."),
        ("author=" + "x" * 200, "at most 150 characters"),
    ],
)
def test_invalid_filter_values_get_a_message_not_an_error(client, bug_list, query, message):
    html = html_of(client.get(f"/b/bugs/?{query}"))
    assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert "Please fix the filter marked above" in html
    assert titles(html) == []  # an unfiltered list never passes for a filtered one
    assert '<details class="board-filters__panel" open>' in html


def test_an_invalid_value_keeps_what_was_typed(client, bug_list):
    html = html_of(client.get("/b/bugs/?author=jamie&created_after=31-12-2025"))
    assert 'name="author" value="jamie"' in html
    assert 'value="31-12-2025"' in html


def test_a_page_number_alone_is_not_a_filter(client, bug_list):
    html = html_of(client.get("/b/bugs/?page=1"))
    assert len(titles(html)) == 4 and 'class="board-filters__active"' not in html


# --- Costs --------------------------------------------------------------------------------------

BOARD_PAGE_QUERIES = 4  # board, lockdowns, notices, the page of threads (count from the board)


def count_queries(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        html_of(client.get(url))
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def test_filtered_board_page_queries_stay_flat_with_more_threads(
    client, make_thread, member, other_member, staff, bugs
):
    url = "/b/bugs/?status=new&staff_reply=yes&author=jamie&active=30&sort=affected&at_least=1"

    def add(n):
        for i in range(n):
            bug = make_thread(member, board=bugs, title=f"Bug {i}")
            thread_mark_affected(thread=bug, user=other_member, on=True)
            post_create(thread=bug, author=staff, body="Thanks.")

    add(2)
    few, _ = count_queries(client, url)
    add(20)
    many, sql = count_queries(client, url)
    assert few == many == BOARD_PAGE_QUERIES + 1  # a real COUNT of the filtered rows
    assert len(titles(html_of(client.get(url)))) == 22
    assert sum("COUNT(" in q.upper() for q in sql) == 1


def test_sorting_alone_needs_no_count(client, bug_list):
    queries, sql = count_queries(client, "/b/bugs/?sort=affected")
    assert queries == BOARD_PAGE_QUERIES
    assert not any("COUNT(" in q.upper() for q in sql)


def test_help_filters_stay_flat_too(client, make_thread, member, staff):
    def add(n):
        for i in range(n):
            question = make_thread(member, title=f"Question {i}")
            post_create(thread=question, author=staff, body="Try this.")

    add(2)
    few, _ = count_queries(client, "/b/help/?state=unsolved&staff_reply=yes")
    add(15)
    many, _ = count_queries(client, "/b/help/?state=unsolved&staff_reply=yes")
    assert few == many == BOARD_PAGE_QUERIES + 1
    assert len(titles(html_of(client.get("/b/help/?state=unsolved&staff_reply=yes")))) == 17


def test_activity_filter_uses_the_clock(client, bug_list, clock):
    clock.advance(days=31)
    assert titles(html_of(client.get("/b/bugs/?active=30"))) == []
    clock.advance(days=-31)
    assert len(titles(html_of(client.get("/b/bugs/?active=30")))) == 4
