"""Reads are cheap: a fixed number of queries whatever the page holds, no writes and no
session cookie for visitors, and no Markdown rendering on read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import markup
from forum.services import post_create

# Every page also reads the sitewide notices in force (one query).
BOARD_PAGE_MAX_QUERIES = 4  # board, its lockdowns, page of threads (count from the board row)
# thread+board, lockdowns, page of posts with authors, the page's event lines (status
# changes, accepted answers)
THREAD_PAGE_MAX_QUERIES = 5
# user (the session comes from the cache); the member's read marker, watch levels and
# bell in one query; their block with their unread moderation messages; the marker raised
# when the page shows new posts, with the notifications about those posts
SIGNED_IN_EXTRA = 5


def count_queries(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def fill_board(make_thread, users, n):
    for i in range(n):
        make_thread(users[i % len(users)], title=f"Thread {i:04}")


def fill_thread(thread, users, n):
    for i in range(n):
        post_create(thread=thread, author=users[i % len(users)], body=f"Reply **{i}**")


def test_board_page_queries_do_not_grow_with_threads(client, make_thread, make_user):
    users = [make_user() for _ in range(5)]
    fill_board(make_thread, users, 3)
    few, _ = count_queries(client, "/b/help/")
    fill_board(make_thread, users, 30)
    many, _ = count_queries(client, "/b/help/")
    assert few == many <= BOARD_PAGE_MAX_QUERIES


def test_thread_page_queries_do_not_grow_with_posts(client, thread, make_user):
    users = [make_user() for _ in range(6)]
    fill_thread(thread, users, 2)
    few, _ = count_queries(client, thread.get_absolute_url())
    fill_thread(thread, users, 25)
    many, _ = count_queries(client, thread.get_absolute_url())
    last_page, _ = count_queries(client, thread.get_absolute_url() + "?page=2")
    assert few == many == last_page <= THREAD_PAGE_MAX_QUERIES


def test_signed_in_thread_page_adds_only_session_and_user(client, thread, make_user, member):
    users = [make_user() for _ in range(4)]
    fill_thread(thread, users, 12)
    client.force_login(member)
    # ?page=1: without it a member with unread posts is sent to the first of them.
    queries, _ = count_queries(client, thread.get_absolute_url() + "?page=1")
    assert queries <= THREAD_PAGE_MAX_QUERIES + SIGNED_IN_EXTRA <= 10


def test_board_index_is_two_queries(client, thread):
    queries, _ = count_queries(client, "/")
    assert queries == 2  # boards with their last posts, notices


@pytest.mark.parametrize(
    # /help/ is not here: its contact form carries a CSRF token, which sets the cookie.
    "path",
    ["/", "/b/help/", "THREAD", "/guidelines/", "/u/jamie/", "PERMALINK"],
)
def test_anonymous_reads_write_nothing_and_set_no_cookie(client, thread, path):
    path = {"THREAD": thread.get_absolute_url(), "PERMALINK": f"/p/{thread.last_post_id}/"}.get(
        path, path
    )
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code in (200, 302)
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert response.cookies == {} or all(not c.value for c in response.cookies.values())
    assert "Set-Cookie" not in response.headers


def test_reads_never_render_markdown(client, thread, other_member, monkeypatch):
    post_create(thread=thread, author=other_member, body="**stored once**")

    def forbidden(_source):
        raise AssertionError("Markdown was rendered during a read")

    monkeypatch.setattr(markup, "render_markdown", forbidden)
    monkeypatch.setattr("forum.services.validation.render_markdown", forbidden)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>stored once</strong>" in html
