"""Reading a board's threads through the API: the board page's rows (hidden threads in no
list), its filters with its own words for a wrong value, and cursor pages that neither
repeat nor skip a thread, even when threads move between two pages."""

import pytest

from forum import services
from forum.filters import ThreadFilter
from forum.services.boards import thread_set_pinned
from forum.services.statuses import thread_mark_affected, thread_set_status, thread_vote
from moderation.services.posts import post_hide
from tests.forum.api.read_helpers import bearer, walk

pytestmark = pytest.mark.django_db


def _ids(pages) -> list[int]:
    return [thread["id"] for page in pages for thread in page]


def test_the_board_list_and_one_board(client, boards):
    listed = client.get("/api/v1/boards").json()
    assert [board["slug"] for board in listed] == ["help", "bugs", "ideas"]
    one = client.get("/api/v1/boards/bugs").json()
    assert (one["slug"], one["kind"], one["url"]) == ("bugs", "bugs", "/b/bugs/")
    assert client.get("/api/v1/boards/nope").status_code == 404


def test_threads_are_listed_pinned_first_then_by_latest_activity(
    client, member, other_member, make_thread
):
    first = make_thread(member, title="First question")
    second = make_thread(member, title="Second question")
    third = make_thread(member, title="Third question")
    services.post_create(thread=first, author=other_member, body="Bumped by a reply.")
    thread_set_pinned(thread=third, pinned=True)

    body = client.get("/api/v1/boards/help/threads").json()

    assert [row["id"] for row in body["results"]] == [third.pk, first.pk, second.pk]
    assert body["next"] is None and body["previous"] is None
    row = body["results"][1]
    assert row["title"] == "First question"
    assert row["board"] == {"slug": "help", "name": "Help", "kind": "help"}
    assert row["author"]["username"] == "jamie"
    assert (row["reply_count"], row["state"], row["is_pinned"]) == (1, "awaiting_staff", False)
    assert body["results"][0]["is_pinned"] is True


def test_a_thread_moderators_hid_is_in_nobodys_list(
    client, member, moderator, guidelines, make_thread
):
    kept = make_thread(member, title="Kept question")
    spam = make_thread(member, title="Cheap watches here")
    post_hide(actor=moderator, post=spam.posts.get(position=1), rule_codes=["G1"])

    for headers in ({}, bearer(member), bearer(moderator)):
        body = client.get("/api/v1/boards/help/threads", **headers).json()
        assert _ids([body["results"]]) == [kept.pk]


def test_filters_and_sorts_mirror_the_board_page(client, member, other_member, staff, boards):
    bugs = boards["bugs"]
    crash = services.thread_create(board=bugs, author=member, title="Crash on save", body="x")
    typo = services.thread_create(board=bugs, author=member, title="Typo in menu", body="y")
    slow = services.thread_create(board=bugs, author=other_member, title="Slow export", body="z")
    thread_set_status(thread=crash, actor=staff, status="confirmed")
    thread_set_status(thread=slow, actor=staff, status="confirmed")
    thread_mark_affected(thread=slow, user=member, on=True)
    thread_mark_affected(thread=slow, user=staff, on=True)
    thread_mark_affected(thread=crash, user=other_member, on=True)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/boards/bugs/threads?{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids("status=confirmed") == [slow.pk, crash.pk]
    assert ids("status=new") == [typo.pk]
    assert ids("sort=affected") == [slow.pk, crash.pk, typo.pk]
    assert ids("at_least=2") == [slow.pk]
    assert ids("author=@priya") == [slow.pk]
    assert ids("status=confirmed&author=jamie") == [crash.pk]
    assert ids("sort=newest") == [slow.pk, typo.pk, crash.pk]

    ideas = boards["ideas"]
    liked = services.thread_create(board=ideas, author=member, title="Dark mode", body="x")
    services.thread_create(board=ideas, author=member, title="Bigger fonts", body="y")
    thread_vote(thread=liked, user=other_member, on=True)
    body = client.get("/api/v1/boards/ideas/threads?sort=votes&at_least=1").json()
    assert [(row["id"], row["vote_count"]) for row in body["results"]] == [(liked.pk, 1)]


@pytest.mark.parametrize(
    ("slug", "query", "field"),
    [
        ("bugs", {"status": "exploded"}, "status"),
        ("help", {"state": "bogus"}, "state"),
        ("ideas", {"sort": "affected"}, "sort"),
        ("bugs", {"at_least": "lots"}, "at_least"),
        ("help", {"created_after": "yesterday"}, "created_after"),
        ("help", {"created_after": "2026-03-31", "created_before": "2026-03-01"}, "created_before"),
    ],
)
def test_a_value_the_board_does_not_offer_is_refused_in_the_pages_words(
    client, boards, slug, query, field
):
    page_errors = ThreadFilter(query, board=boards[slug]).form.errors

    response = client.get(f"/api/v1/boards/{slug}/threads", query)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {field: list(page_errors[field])}


def test_pages_follow_each_other_without_repeats_or_gaps_both_ways(client, member, make_thread):
    threads = [make_thread(member, title=f"Question number {n}") for n in range(7)]
    expected = [thread.pk for thread in reversed(threads)]
    headers = bearer(member)

    forward = walk(client, "/api/v1/boards/help/threads", page_size=3, **headers)
    assert [len(page) for page in forward] == [3, 3, 1]
    assert _ids(forward) == expected

    last = client.get(
        "/api/v1/boards/help/threads", {"page_size": 3, "sort": "latest"}, **headers
    ).json()
    # Forward to the end, then back to the start by the "previous" links.
    while last["next"]:
        last = client.get(
            "/api/v1/boards/help/threads",
            {"page_size": 3, "sort": "latest", "cursor": last["next"]},
            **headers,
        ).json()
    pages = [last["results"]]
    cursor = last["previous"]
    while cursor:
        body = client.get(
            "/api/v1/boards/help/threads",
            {"page_size": 3, "sort": "latest", "cursor": cursor},
            **headers,
        ).json()
        pages.insert(0, body["results"])
        cursor = body["previous"]
    assert _ids(pages) == expected


def test_a_thread_bumped_between_two_pages_is_not_read_twice(
    client, member, other_member, make_thread
):
    threads = [make_thread(member, title=f"Question number {n}") for n in range(6)]
    first = client.get("/api/v1/boards/help/threads", {"page_size": 3}).json()
    seen = [row["id"] for row in first["results"]]
    assert seen == [thread.pk for thread in reversed(threads[3:])]

    # A reply lifts the oldest thread to the top while the client is between pages.
    services.post_create(thread=threads[0], author=other_member, body="Still broken here.")
    second = client.get(
        "/api/v1/boards/help/threads", {"page_size": 3, "cursor": first["next"]}
    ).json()

    rest = [row["id"] for row in second["results"]]
    assert rest == [threads[2].pk, threads[1].pk]
    assert not set(seen) & set(rest)


def test_a_cursor_is_refused_by_another_list_or_sort_and_when_altered(
    client, member, make_thread, boards
):
    for n in range(3):
        make_thread(member, title=f"Question number {n}")
    cursor = client.get("/api/v1/boards/help/threads", {"page_size": 1}).json()["next"]

    for path, query in (
        ("/api/v1/boards/help/threads", {"cursor": cursor[:-2] + "xx"}),
        ("/api/v1/boards/help/threads", {"cursor": "not-a-cursor"}),
        ("/api/v1/boards/help/threads", {"cursor": cursor, "sort": "newest"}),
        ("/api/v1/boards/bugs/threads", {"cursor": cursor}),
    ):
        response = client.get(path, query)
        assert response.status_code == 400, (path, query)
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert "cursor isn't valid" in error["message"]


@pytest.mark.parametrize("size", ["0", "101", "many"])
def test_a_page_size_out_of_range_is_refused(client, boards, size):
    response = client.get("/api/v1/boards/help/threads", {"page_size": size})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["page_size"]


@pytest.mark.parametrize("size", [2, 25])
def test_a_page_of_threads_costs_the_same_queries_whatever_its_size(
    client, member, other_member, make_thread, django_assert_num_queries, size
):
    for n in range(6):
        thread = make_thread(member if n % 2 else other_member, title=f"Question number {n}")
        services.post_create(thread=thread, author=other_member, body="Me too.")
    headers = bearer(member)
    client.get("/api/v1/boards/help/threads", **headers)  # marks the token used

    # The token, the board, the page of threads with their authors and last posters.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/boards/help/threads", {"page_size": size}, **headers)
    assert len(response.json()["results"]) == min(size, 6)


def test_pages_of_a_computed_sort_follow_it(client, member, other_member, make_thread):
    threads = [make_thread(member, title=f"Question number {n}") for n in range(5)]
    for thread, replies in zip(threads, (2, 0, 3, 0, 1), strict=True):
        for n in range(replies):
            services.post_create(thread=thread, author=other_member, body=f"Reply {n}")
    whole = client.get("/api/v1/boards/help/threads", {"sort": "replies"}).json()["results"]

    pages = walk(client, "/api/v1/boards/help/threads?sort=replies", page_size=2)

    assert _ids(pages) == [row["id"] for row in whole]
    assert [row["reply_count"] for row in whole] == [3, 2, 1, 0, 0]
    # Equal counts fall back to the latest activity, as on the page.
    assert _ids(pages)[3:] == [threads[3].pk, threads[1].pk]
