"""Every actor reads through the API what the site lets them read: each token scope reads
alike, a blocked member still reads (a block stops writing, not reading), a thread held
for review is its author's and the moderators' alone, and a revoked token reads nothing."""

import pytest

from accounts.access_tokens import access_token_create, access_token_revoke
from forum import services
from moderation.services import block_create
from tests.forum.api.read_helpers import bearer

pytestmark = pytest.mark.django_db

HOLD = {"action": "hold", "score": 0.9, "reasons": ["Links from a new account."]}

READS = [
    "/api/v1/boards",
    "/api/v1/boards/help/threads",
    "/api/v1/threads/{thread}",
    "/api/v1/threads/{thread}/posts",
    "/api/v1/posts/{post}",
    "/api/v1/members/jamie",
    "/api/v1/search?q=export",
    "/api/v1/notices",
]


def _bodies(client, thread, **headers) -> dict[str, object]:
    bodies = {}
    for path in READS:
        response = client.get(path.format(thread=thread.pk, post=thread.last_post_id), **headers)
        assert response.status_code == 200, (path, response.content)
        bodies[path] = response.json()
    return bodies


def test_every_scope_reads_what_its_owner_reads(client, moderator, thread):
    visitor = _bodies(client, thread)
    for scope in ("read", "write", "moderate"):
        # Nothing on these pages is for moderators' eyes alone.
        assert _bodies(client, thread, **bearer(moderator, scope)) == visitor


def test_a_blocked_member_still_reads(client, member, other_member, moderator, guidelines, thread):
    block_create(
        actor=moderator, member=other_member, duration="1d", rule_codes=["G3"], reason="Insults."
    )
    assert _bodies(client, thread, **bearer(other_member)) == _bodies(client, thread)


def test_a_thread_held_for_review_is_read_by_its_author_and_moderators_alone(
    client, member, other_member, moderator, help_board
):
    held = services.thread_create(
        board=help_board, author=other_member, title="Cheap watches", body="Buy", screening=HOLD
    )
    path = f"/api/v1/threads/{held.pk}"

    assert client.get(path).status_code == 404
    assert client.get(path, **bearer(member)).status_code == 404
    assert client.get(f"/api/v1/posts/{held.last_post_id}", **bearer(member)).status_code == 404
    for reader in (other_member, moderator):
        body = client.get(path, **bearer(reader)).json()
        # Never published: it waits on no one, so it has no Help state yet.
        assert (body["is_hidden"], body["state"]) == (True, "")
        [post] = client.get(f"{path}/posts", **bearer(reader)).json()["results"]
        assert (post["is_held"], post["body"]) == (True, "Buy")
    listed = client.get("/api/v1/boards/help/threads", **bearer(moderator)).json()["results"]
    assert held.pk not in [row["id"] for row in listed]


def test_a_revoked_token_reads_nothing(client, member, thread):
    created = access_token_create(user=member, name="old script", scope="read")
    access_token_revoke(token=created.token)

    response = client.get("/api/v1/boards", HTTP_AUTHORIZATION=f"Bearer {created.raw}")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_one_post_and_the_notices_cost_a_few_queries(
    client, member, thread, django_assert_num_queries
):
    headers = bearer(member)
    client.get("/api/v1/me", **headers)  # marks the token used

    # The token; the post with its thread, board and author.
    with django_assert_num_queries(2):
        client.get(f"/api/v1/posts/{thread.last_post_id}", **headers)
    # The token; the notices in force without those the member dismissed.
    with django_assert_num_queries(2):
        client.get("/api/v1/notices", **headers)
