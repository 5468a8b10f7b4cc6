"""Searching and reading notices through the API: the search page's results, filters and
refusals, posts moderators hid found by moderators alone, cursor pages over the ranked
matches; and the notices in force for each caller, with their discussion threads."""

import pytest

from forum import services
from forum.forms import SearchForm
from forum.services.notices import notice_create, notice_dismiss
from moderation.services.posts import post_hide
from tests.forum.api.read_helpers import bearer, walk

pytestmark = pytest.mark.django_db


def _post_ids(pages) -> list[int]:
    return [hit["post_id"] for page in pages for hit in page]


def test_search_finds_posts_with_their_thread_and_a_marked_snippet(client, member, make_thread):
    thread = make_thread(member, title="Printing labels", body="The barcode printer jams.")
    make_thread(member, title="Unrelated", body="Nothing to see.")

    body = client.get("/api/v1/search", {"q": "barcode"}).json()

    assert body["next"] is None
    [hit] = body["results"]
    assert hit["post_id"] == thread.last_post_id
    assert hit["thread"] == {
        "id": thread.pk,
        "title": "Printing labels",
        "board": {"slug": "help", "name": "Help", "kind": "help"},
        "url": f"/t/{thread.pk}/",
    }
    assert hit["author"]["username"] == "jamie"
    assert "<mark>barcode</mark>" in hit["snippet_html"]
    assert hit["url"] == f"/p/{thread.last_post_id}/"


def test_search_filters_as_the_page_does(client, member, other_member, boards, make_thread):
    on_help = make_thread(member, title="Help with barcode", body="barcode help")
    on_bugs = make_thread(
        other_member, board=boards["bugs"], title="Barcode bug", body="barcode bug"
    )

    def ids(**query) -> list[int]:
        response = client.get("/api/v1/search", {"q": "barcode", **query})
        assert response.status_code == 200, response.content
        return [hit["thread"]["id"] for hit in response.json()["results"]]

    assert ids(board="bugs") == [on_bugs.pk]
    assert ids(author="jamie") == [on_help.pk]
    assert ids(status="new") == [on_bugs.pk]
    assert sorted(ids()) == sorted([on_help.pk, on_bugs.pk])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": "?!"}, "q"),
        ({"q": "barcode", "status": "exploded"}, "status"),
        ({"q": "barcode", "board": "nope"}, "board"),
        ({"q": "barcode", "date_from": "2026-03-31", "date_to": "2026-03-01"}, "date_to"),
    ],
)
def test_a_search_the_page_refuses_is_refused_in_its_words(client, boards, query, field):
    form = SearchForm(query)
    assert not form.is_valid()

    response = client.get("/api/v1/search", query)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: list(form.errors[field])}


def test_posts_moderators_hid_are_found_by_moderators_alone(
    client, member, other_member, moderator, guidelines, make_thread
):
    thread = make_thread(member, title="Export question", body="How do I export?")
    rude = services.post_create(thread=thread, author=other_member, body="Export yourself")
    post_hide(actor=moderator, post=rude, rule_codes=["G3"])

    def found(**headers) -> set[int]:
        return {
            hit["post_id"]
            for hit in client.get("/api/v1/search?q=export", **headers).json()["results"]
        }

    assert rude.pk not in found()
    assert rude.pk not in found(**bearer(other_member))
    assert rude.pk in found(**bearer(moderator))


def test_search_pages_cover_every_match_once(client, member, other_member, make_thread):
    thread = make_thread(member, title="Sync fails", body="sync fails on start")
    replies = [
        services.post_create(thread=thread, author=other_member, body=f"sync fails for me {n}")
        for n in range(6)
    ]

    pages = walk(client, "/api/v1/search?q=sync", page_size=3, **bearer(member))

    assert [len(page) for page in pages] == [3, 3, 1]
    ids = _post_ids(pages)
    assert len(ids) == len(set(ids)) == 7
    assert set(ids) == {thread.posts.get(position=1).pk, *(reply.pk for reply in replies)}


def test_search_pages_lead_back_by_their_previous_links(client, member, make_thread):
    for n in range(5):
        make_thread(member, title=f"Sync question {n}", body="sync export")
    forward = walk(client, "/api/v1/search?q=sync", page_size=2)
    last = client.get("/api/v1/search", {"q": "sync", "page_size": 2}).json()
    while last["next"]:
        last = client.get(
            "/api/v1/search", {"q": "sync", "page_size": 2, "cursor": last["next"]}
        ).json()

    back = [last["results"]]
    cursor = last["previous"]
    while cursor:
        body = client.get("/api/v1/search", {"q": "sync", "page_size": 2, "cursor": cursor}).json()
        back.insert(0, body["results"])
        cursor = body["previous"]

    assert _post_ids(back) == _post_ids(forward)
    assert len(set(_post_ids(forward))) == 5


def test_a_search_cursor_belongs_to_its_words(client, member, make_thread):
    for n in range(3):
        make_thread(member, title=f"Sync question {n}", body="sync export")
    cursor = client.get("/api/v1/search", {"q": "sync", "page_size": 1}).json()["next"]

    assert client.get("/api/v1/search", {"q": "sync", "cursor": cursor}).status_code == 200
    refused = client.get("/api/v1/search", {"q": "export", "cursor": cursor})
    assert refused.status_code == 400
    assert "cursor isn't valid" in refused.json()["error"]["message"]


@pytest.mark.parametrize("size", [2, 25])
def test_a_page_of_hits_costs_the_same_queries_whatever_its_size(
    client, member, other_member, make_thread, django_assert_num_queries, size
):
    thread = make_thread(member, title="Sync fails", body="sync fails")
    for n in range(5):
        services.post_create(thread=thread, author=other_member, body=f"sync broke {n}")
    headers = bearer(member)
    client.get("/api/v1/me", **headers)  # marks the token used

    # The token, the boards for the form's choice, the ranked matches, the page's rows.
    with django_assert_num_queries(4):
        response = client.get("/api/v1/search", {"q": "sync", "page_size": size}, **headers)
    assert len(response.json()["results"]) == min(size, 6)


# --- Notices ---------------------------------------------------------------------------


def test_notices_in_force_most_severe_first_with_their_threads(
    client, member, admin_user, make_thread
):
    thread = make_thread(member, title="Logins are slow")
    services.post_create(thread=thread, author=admin_user, body="We are on it.")
    info = notice_create(actor=admin_user, message="New **editor** today.", level="info")
    outage = notice_create(actor=admin_user, message="Logins fail.", level="outage", thread=thread)

    body = client.get("/api/v1/notices").json()

    assert [notice["id"] for notice in body] == [outage.pk, info.pk]
    assert body[0]["level"] == "outage"
    assert body[0]["dismissible"] is False
    assert body[0]["thread"] == {
        "id": thread.pk,
        "title": "Logins are slow",
        "reply_count": 1,
        "url": f"/t/{thread.pk}/",
    }
    assert body[1]["message"] == "New **editor** today."
    assert "<strong>editor</strong>" in body[1]["message_html"]
    assert (body[1]["thread"], body[1]["dismissible"]) == (None, True)


def test_each_caller_gets_the_notices_aimed_at_them(
    client, member, staff, admin_user, boards, thread
):
    everyone = notice_create(actor=admin_user, message="For all.", level="warning", thread=thread)
    members = notice_create(
        actor=admin_user, message="Members only.", level="info", audience="members"
    )
    team = notice_create(actor=admin_user, message="Staff only.", level="info", audience="staff")
    bugs = notice_create(
        actor=admin_user,
        message="Bug board moving.",
        level="info",
        audience="board",
        board=boards["bugs"],
    )

    def ids(query="", **headers) -> set[int]:
        return {notice["id"] for notice in client.get(f"/api/v1/notices{query}", **headers).json()}

    assert ids() == {everyone.pk}
    assert ids(**bearer(member)) == {everyone.pk, members.pk}
    assert ids(**bearer(staff)) == {everyone.pk, members.pk, team.pk}
    assert ids("?board=bugs") == {everyone.pk, bugs.pk}
    assert client.get("/api/v1/notices?board=nope").status_code == 404

    notice_dismiss(notice=members, user=member)
    assert ids(**bearer(member)) == {everyone.pk}
