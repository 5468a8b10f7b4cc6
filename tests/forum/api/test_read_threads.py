"""Reading a thread and its posts through the API: its workflow (Help state and accepted
answer, Bug and Idea status, votes, affected), the same 404 for a hidden thread as for a
missing one, a merged thread's redirect, hidden and held posts as the thread page shows
them to each reader, ETags that change with every reply, and constant query counts."""

import pytest

from forum import services
from forum.services.answers import answer_accept
from forum.services.merging import thread_merge
from forum.services.statuses import thread_mark_affected, thread_set_status, thread_vote
from moderation.services.posts import post_hide
from tests.forum.api.read_helpers import bearer, walk

pytestmark = pytest.mark.django_db

HOLD = {"action": "hold", "score": 0.9, "reasons": ["Links from a new account."]}


def test_a_solved_help_thread_carries_its_accepted_answer(client, member, staff, thread):
    answer = services.post_create(thread=thread, author=staff, body="Use the **CSV** export.")
    answer_accept(thread=thread, post=answer, actor=member)

    body = client.get(f"/api/v1/threads/{thread.pk}", **bearer(member)).json()

    assert (body["id"], body["title"], body["state"]) == (thread.pk, thread.title, "solved")
    assert body["accepted_post_id"] == answer.pk
    assert body["solved_at"] is not None
    assert body["reply_count"] == 1
    assert body["accepted_answer"] == {
        "id": answer.pk,
        "author": {
            "username": "sam",
            "name": "Sam",
            "badges": [{"kind": "staff", "label": "Staff", "title": "Support Engineer"}],
            "is_staff": True,
            "url": "/u/sam/",
        },
        "body_html": "<p>Use the <strong>CSV</strong> export.</p>",
        "url": answer.get_absolute_url(),
    }


def test_bug_status_affected_and_idea_votes(client, member, other_member, staff, boards):
    bug = services.thread_create(board=boards["bugs"], author=member, title="Crash", body="x")
    thread_set_status(thread=bug, actor=staff, status="confirmed", reason="Seen it here too.")
    thread_mark_affected(thread=bug, user=other_member, on=True)
    idea = services.thread_create(board=boards["ideas"], author=member, title="Dark", body="y")
    thread_set_status(thread=idea, actor=staff, status="planned", reason="Next quarter.")
    thread_vote(thread=idea, user=other_member, on=True)
    thread_vote(thread=idea, user=staff, on=True)

    bug_body = client.get(f"/api/v1/threads/{bug.pk}").json()
    idea_body = client.get(f"/api/v1/threads/{idea.pk}").json()

    assert (bug_body["status"], bug_body["status_reason"]) == ("confirmed", "Seen it here too.")
    assert (bug_body["affected_count"], bug_body["state"]) == (1, "")
    assert bug_body["accepted_answer"] is None and bug_body["status_changed_at"]
    assert (idea_body["status"], idea_body["vote_count"]) == ("planned", 2)
    assert idea_body["board"] == {"slug": "ideas", "name": "Ideas", "kind": "ideas"}


def test_a_hidden_thread_is_the_same_404_as_a_missing_one_but_for_its_author_and_moderators(
    client, member, other_member, moderator, guidelines, thread
):
    post_hide(actor=moderator, post=thread.posts.get(position=1), rule_codes=["G1"])
    missing = client.get("/api/v1/threads/999999")
    assert missing.status_code == 404

    for headers in ({}, bearer(other_member)):
        for path in (f"/api/v1/threads/{thread.pk}", f"/api/v1/threads/{thread.pk}/posts"):
            response = client.get(path, **headers)
            assert response.status_code == 404
            assert response.json() == missing.json()
    for reader in (member, moderator):
        body = client.get(f"/api/v1/threads/{thread.pk}", **bearer(reader)).json()
        assert body["is_hidden"] is True


def test_a_merged_thread_redirects_to_the_thread_it_joined(client, member, staff, make_thread):
    kept = make_thread(member, title="Export drops rows")
    duplicate = make_thread(member, title="Export loses rows")
    thread_merge(source=duplicate, target=kept, actor=staff)

    response = client.get(f"/api/v1/threads/{duplicate.pk}")
    posts = client.get(f"/api/v1/threads/{duplicate.pk}/posts")

    assert response.status_code == 302
    assert response["Location"] == f"/api/v1/threads/{kept.pk}"
    assert posts.status_code == 302
    assert posts["Location"] == f"/api/v1/threads/{kept.pk}/posts"
    followed = client.get(f"/api/v1/threads/{duplicate.pk}", follow=True)
    assert followed.json()["id"] == kept.pk


@pytest.fixture
def moderated_thread(member, other_member, moderator, guidelines, thread):
    """Jamie's thread: Priya's visible reply, Priya's reply hidden under G3, Priya's reply
    held for review, then Jamie's own visible reply."""
    services.post_create(thread=thread, author=other_member, body="Try the *beta*.")
    rude = services.post_create(thread=thread, author=other_member, body="Read the manual!")
    post_hide(actor=moderator, post=rude, rule_codes=["G3"])
    services.post_create(thread=thread, author=other_member, body="Buy here", screening=HOLD)
    services.post_create(thread=thread, author=member, body="That worked, thanks.")
    return thread


def _posts(client, thread, **headers) -> list[dict]:
    response = client.get(f"/api/v1/threads/{thread.pk}/posts", **headers)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_visitor_sees_hidden_posts_as_placeholders_and_held_ones_not_at_all(
    client, moderated_thread
):
    posts = _posts(client, moderated_thread)

    assert [post["position"] for post in posts] == [1, 2, 3, 5]
    opening, visible, hidden, own = posts
    assert opening["body"] == "It fails **every** time."
    assert opening["body_html"] == "<p>It fails <strong>every</strong> time.</p>"
    assert visible["body_html"] == "<p>Try the <em>beta</em>.</p>"
    assert (hidden["is_hidden"], hidden["hidden_rule"]) == (True, "G3")
    assert (hidden["body"], hidden["body_html"]) == (None, None)
    assert own["body"] == "That worked, thanks."


def test_another_member_sees_what_a_visitor_sees(client, moderated_thread, make_user):
    reader = make_user("lee")
    assert _posts(client, moderated_thread, **bearer(reader)) == _posts(client, moderated_thread)


def test_the_author_of_hidden_and_held_posts_reads_them_in_full(
    client, moderated_thread, other_member
):
    posts = _posts(client, moderated_thread, **bearer(other_member))

    assert [post["position"] for post in posts] == [1, 2, 3, 4, 5]
    hidden, held = posts[2], posts[3]
    assert (hidden["body"], hidden["is_hidden"], hidden["hidden_rule"]) == (
        "Read the manual!",
        True,
        "G3",
    )
    assert (held["body"], held["is_held"], held["hidden_rule"]) == ("Buy here", True, "")


def test_a_moderator_reads_every_post(client, moderated_thread, moderator):
    posts = _posts(client, moderated_thread, **bearer(moderator))

    assert [post["body"] for post in posts] == [
        "It fails **every** time.",
        "Try the *beta*.",
        "Read the manual!",
        "Buy here",
        "That worked, thanks.",
    ]


def test_a_single_post_follows_the_same_rules(client, moderated_thread, other_member):
    held = moderated_thread.posts.get(position=4)
    hidden = moderated_thread.posts.get(position=3)

    assert client.get(f"/api/v1/posts/{held.pk}").status_code == 404
    assert client.get(f"/api/v1/posts/{held.pk}", **bearer(other_member)).json()["is_held"]
    placeholder = client.get(f"/api/v1/posts/{hidden.pk}").json()
    assert (placeholder["body"], placeholder["hidden_rule"]) == (None, "G3")
    assert client.get("/api/v1/posts/999999").status_code == 404


def test_posts_are_paged_in_order_without_repeats_or_gaps(client, member, other_member, thread):
    for n in range(2, 9):
        services.post_create(thread=thread, author=other_member, body=f"Reply {n}")

    pages = walk(client, f"/api/v1/threads/{thread.pk}/posts", page_size=3, **bearer(member))

    assert [[post["position"] for post in page] for page in pages] == [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8],
    ]


def test_the_etag_answers_304_until_a_reply_changes_it(client, member, other_member, thread):
    headers = bearer(member)
    for path in (f"/api/v1/threads/{thread.pk}", f"/api/v1/threads/{thread.pk}/posts"):
        first = client.get(path, **headers)
        etag = first["ETag"]
        assert first["Cache-Control"] == "private, no-cache"

        unchanged = client.get(path, HTTP_IF_NONE_MATCH=etag, **headers)
        assert unchanged.status_code == 304
        assert unchanged.content == b""

        services.post_create(thread=thread, author=other_member, body=f"New reply to {path}")
        fresh = client.get(path, HTTP_IF_NONE_MATCH=etag, **headers)
        assert fresh.status_code == 200
        assert fresh["ETag"] != etag
        assert fresh.json() != first.json()


def test_a_thread_costs_a_few_queries(client, member, staff, thread, django_assert_num_queries):
    answer = services.post_create(thread=thread, author=staff, body="Use the export.")
    answer_accept(thread=thread, post=answer, actor=member)
    headers = bearer(member)
    client.get("/api/v1/me", **headers)  # marks the token used

    # The token; the thread with its board and the reader's own-post annotations; its
    # author; the accepted answer with its author.
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/threads/{thread.pk}", **headers)
    assert response.json()["accepted_answer"]["id"] == answer.pk


@pytest.mark.parametrize("size", [2, 25])
def test_a_page_of_posts_costs_the_same_queries_whatever_its_size(
    client, member, other_member, staff, thread, django_assert_num_queries, size
):
    for n in range(8):
        services.post_create(thread=thread, author=(other_member, staff)[n % 2], body=f"R{n}")
    headers = bearer(member)
    client.get("/api/v1/me", **headers)  # marks the token used

    # The token; the thread (as for the page); the page of posts with their authors.
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/threads/{thread.pk}/posts?page_size={size}", **headers)
    assert len(response.json()["results"]) == min(size, 9)
