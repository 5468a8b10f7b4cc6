"""A member's board page shares its rendered thread list with every reader under the
content's version and adds each member's own unread marks and watch level around it: a
warm page reads no thread, costs a fixed number of queries whatever the board holds, and
no member sees another's marks."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.services import post_create, thread_create
from forum.services.reading import mark_read
from forum.services.watching import watch_set

# User (the session comes from the cache), the board with the member's watch level, the
# page of threads with the member's unread counts (cold) or the member's unread counts
# alone (warm), the board's lockdowns, the member's block with their unread moderation
# messages, the bell. The notices in force are kept under the site's version. Whatever
# the board holds, cold or warm.
MEMBER_BOARD_PAGE_QUERIES = 6
# Without the page cache the notices in force are read on every page.
UNCACHED_NOTICES = 1
# A filtered list counts its threads (one query more, cold only: the count is stored).
FILTERED_EXTRA = 1


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def reader(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, url="/b/help/") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        page(client, url)
    return [query["sql"] for query in ctx.captured_queries]


def keep_notices():
    """The notices not ended are kept under the site's version by whichever page reads
    them first; a visitor's front page does that here, so that what a board page costs
    is counted alone."""
    assert Client().get("/").status_code == 200


def reads_threads(sqls) -> bool:
    return any('FROM "forum_thread"' in sql for sql in sqls)


def fill_board(board, author, n):
    for i in range(n):
        thread_create(board=board, author=author, title=f"Thread {i:04}", body="Body")


def unread_marks(html) -> dict[str, str]:
    """Thread title → its "N new" mark on the board page."""
    return dict(
        re.findall(
            r'class="thread-row__title" href="[^"]+">([^<]+)</a> '
            r'<a class="tag tag--unread"[^>]*>(\d+) new</a>',
            html,
        )
    )


@pytest.mark.parametrize("threads", [3, 30])
@pytest.mark.parametrize("url", ["/b/help/", "/b/help/?page=2", "/b/help/?sort=newest"])
def test_a_member_board_page_costs_flat_queries_cold_and_warm(
    page_cache, help_board, member, other_member, threads, url
):
    fill_board(help_board, other_member, threads)
    client = reader(member)
    keep_notices()
    cold = queries(client, url)
    warm = queries(client, url)
    assert len(cold) == len(warm) == MEMBER_BOARD_PAGE_QUERIES
    assert reads_threads(cold)
    assert not reads_threads(warm)
    assert not [sql for sql in warm if sql.lstrip().upper().startswith(("INSERT", "UPDATE"))]


@pytest.mark.parametrize("threads", [3, 30])
def test_a_filtered_member_board_page_stays_within_ten_queries(
    page_cache, help_board, member, other_member, threads
):
    fill_board(help_board, other_member, threads)
    client = reader(member)
    url = "/b/help/?state=unsolved&staff_reply=no"
    keep_notices()
    cold, warm = len(queries(client, url)), len(queries(client, url))
    assert cold == warm + FILTERED_EXTRA <= MEMBER_BOARD_PAGE_QUERIES + FILTERED_EXTRA


@pytest.mark.parametrize("threads", [3, 30])
def test_without_the_page_cache_a_member_board_page_costs_the_same(
    help_board, member, other_member, threads
):
    fill_board(help_board, other_member, threads)
    client = reader(member)
    for url in ("/b/help/", "/b/help/?page=2"):
        assert len(queries(client, url)) == MEMBER_BOARD_PAGE_QUERIES + UNCACHED_NOTICES


def test_each_member_sees_only_their_own_unread_marks_on_a_shared_list(
    page_cache, help_board, member, other_member, make_user, committed
):
    author = make_user()
    with committed():
        opened = thread_create(board=help_board, author=author, title="Opened", body="Body")
        thread_create(board=help_board, author=author, title="Never opened", body="Body")
    mark_read(user=member, thread=opened, position=1)
    with committed():
        post_create(thread=opened, author=author, body="One")
        post_create(thread=opened, author=author, body="Two")
    # The member who read it first warms the shared list; the other reads it warm.
    assert unread_marks(page(reader(member))) == {"Opened": "2"}
    assert unread_marks(page(reader(other_member))) == {}
    mark_read(user=other_member, thread=opened, position=2)
    assert unread_marks(page(reader(other_member))) == {"Opened": "1"}
    assert unread_marks(page(reader(member))) == {"Opened": "2"}


def test_a_reply_and_a_new_thread_show_on_a_members_warm_board_page(
    page_cache, help_board, thread, member, make_user, committed
):
    client = reader(member)
    page(client)
    replier = make_user("sasha", display_name="Sasha Replies")
    with committed():
        post_create(thread=thread, author=replier, body="Same here.")
    assert "Sasha Replies" in page(client)
    with committed():
        thread_create(board=help_board, author=replier, title="Printer on fire", body="Help")
    assert "Printer on fire" in page(client)


def test_the_watch_control_shows_the_members_level_read_with_the_board(
    page_cache, help_board, member, other_member
):
    watch_set(user=member, board=help_board, level="watching")
    watching = page(reader(member))
    normal = page(reader(other_member))
    pressed = r'value="{}"[^>]*aria-pressed="true"'
    assert re.search(pressed.format("watching"), watching)
    assert re.search(pressed.format("normal"), normal)
    assert not re.search(pressed.format("watching"), normal)


def test_visitors_and_members_share_the_same_rows(page_cache, help_board, member, thread):
    member_page = page(reader(member))
    visitor_page = page(Client())
    row = re.compile(r'<tr class="thread-row.*?</tr>', re.S)
    assert row.findall(member_page) == row.findall(visitor_page) != []


def test_the_filter_panel_is_shared_but_an_active_filters_count_follows_the_threads(
    page_cache, help_board, member, other_member, committed
):
    with committed():
        thread_create(board=help_board, author=other_member, title="First", body="Body")
    client = reader(member)
    plain = page(client)
    assert "board-filters" in plain
    assert "Showing 1 thread" in page(client, "/b/help/?state=unsolved")
    with committed():
        thread_create(board=help_board, author=other_member, title="Second", body="Body")
    assert "Showing 2 threads" in page(client, "/b/help/?state=unsolved")
    panel = re.compile(r'<div class="board-filters" id="board-filters">.*?</form>', re.S)
    assert panel.search(plain).group(0) == panel.search(page(Client())).group(0)
