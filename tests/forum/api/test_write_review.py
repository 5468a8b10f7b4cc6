"""The review queue through the API, for moderators with the moderate scope: the open
items as the queue page lists them, paged by cursor and filtered alike, and a decision
through the queue's check, form and service."""

import pytest
from django.test import Client

from accounts.roles import Role
from forum import services as forum_services
from forum.api import review as review_api
from forum.models import Post
from forum.views.screening import after_screening
from moderation.forms.queue import ReviewDecisionForm
from moderation.models import ModerationAction, ReviewItem
from moderation.services import flag_create, review_item_claim, review_item_decide
from moderation.spam.screening import screen_post
from tests.forum.api.write_helpers import bearer, error_of, send

pytestmark = pytest.mark.django_db

# A new account's post with a link is held for review by the default spam policy.
LINKED = "The export stops halfway; I followed https://docs.python.org/3/library/csv.html first."


@pytest.fixture
def queue(thread, member, other_member, make_user, guidelines):
    """Two flagged posts and a held reply, oldest first."""
    flagger = make_user("flagger")
    first = thread.posts.get()
    flag_create(flagger=other_member, post=first, reason="rule", rule_code="G3")
    flag_create(flagger=flagger, post=first, reason="rule", rule_code="G3")
    second = forum_services.post_create(thread=thread, author=other_member, body="Rude words.")
    flag_create(flagger=member, post=second, reason="spam")
    result = screen_post(author=flagger, title="", body=LINKED)
    screening = {"action": result.action, "score": result.score, "reasons": list(result.reasons)}
    assert screening["action"] == "hold"
    held = forum_services.post_create(
        thread=thread, author=flagger, body=LINKED, screening=screening
    )
    after_screening(held, screening)
    return list(ReviewItem.objects.order_by("created_at", "pk"))


def test_moderators_read_the_open_queue_oldest_first_page_by_page(client, moderator, queue):
    token = bearer(moderator, "moderate")
    response = send(client, "get", "/api/v1/review-items?page_size=2", **token)
    assert response.status_code == 200, response.content
    page = response.json()
    assert [item["id"] for item in page["results"]] == [queue[0].pk, queue[1].pk]
    first = page["results"][0]
    assert first["kind"] == "flagged_post" and first["status"] == "open"
    assert first["flag_count"] == 2 and first["flag_summary"] == ["G3 ×2"]
    assert first["post"]["id"] == queue[0].post_id
    assert first["member"]["username"] == "jamie"
    assert first["url"] == f"/moderation/queue/{queue[0].pk}/"
    following = send(
        client, "get", f"/api/v1/review-items?page_size=2&cursor={page['next']}", **token
    ).json()
    assert [item["id"] for item in following["results"]] == [queue[2].pk]
    assert following["next"] is None
    # Held posts are moderators' to read: the body is there.
    assert following["results"][0]["post"]["body"] == LINKED


def test_the_queue_filters_as_the_page_does(client, moderator, queue):
    token = bearer(moderator, "moderate")
    held = send(client, "get", "/api/v1/review-items?kind=held_post", **token).json()
    assert [item["id"] for item in held["results"]] == [queue[2].pk]
    review_item_claim(actor=moderator, item=queue[1])
    mine = send(client, "get", "/api/v1/review-items?held=me", **token).json()
    assert [item["id"] for item in mine["results"]] == [queue[1].pk]
    assert mine["results"][0]["claimed_by"]["username"] == "morgan"
    wrong = send(client, "get", "/api/v1/review-items?kind=nonsense", **token)
    assert wrong.status_code == 400
    assert list(error_of(wrong)["fields"]) == ["kind"]


def test_the_queue_reads_in_a_fixed_number_of_queries(
    client, moderator, queue, django_assert_num_queries
):
    token = bearer(moderator, "moderate")
    send(client, "get", "/api/v1/review-items", **token)
    # The token; the items with their posts, members and flag counts; the page's flags.
    with django_assert_num_queries(3):
        response = send(client, "get", "/api/v1/review-items", **token)
    assert len(response.json()["results"]) == 3


def test_only_moderators_with_the_moderate_scope_read_the_queue(client, member, moderator, queue):
    visitor = send(Client(), "get", "/api/v1/review-items")
    assert visitor.status_code == 401
    assert error_of(visitor)["message"] == "Please sign in first: moderation needs an account."
    write = send(client, "get", "/api/v1/review-items", **bearer(moderator, "write"))
    assert write.status_code == 403
    assert "scope" in error_of(write)["message"]
    session = Client()
    session.force_login(member)
    refused = send(session, "get", "/api/v1/review-items")
    assert refused.status_code == 403
    site = session.get("/moderation/queue/")
    assert site.status_code == 403
    assert error_of(refused)["message"] in site.content.decode()


def test_a_moderator_hides_a_flagged_post_once(client, moderator, queue, other_member):
    token = bearer(moderator, "moderate")
    item = queue[1]
    path = f"/api/v1/review-items/{item.pk}/decision"
    response = send(
        client,
        "post",
        path,
        {"decision": "hide", "rules": ["G3"], "note": "Keep it civil."},
        **token,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["item"]["status"] == "decided" and body["item"]["decision"] == "hide"
    action = ModerationAction.objects.get(pk=body["action_id"])
    assert action.actor == moderator and action.rules == ["G3"]
    assert Post.objects.get(pk=item.post_id).is_hidden
    # Decided: the check refuses a second decision, as the item's page does.
    again = send(client, "post", path, {"decision": "approve"}, **token)
    assert again.status_code == 403
    assert error_of(again)["message"] == "This item has already been decided."


def test_a_decision_without_its_rules_is_refused_in_the_forms_words(client, moderator, queue):
    item = queue[1]
    response = send(
        client,
        "post",
        f"/api/v1/review-items/{item.pk}/decision",
        {"decision": "hide"},
        **bearer(moderator, "moderate"),
    )
    assert response.status_code == 400
    form = ReviewDecisionForm({"decision": "hide"}, item=item)
    assert not form.is_valid()
    assert error_of(response)["fields"] == {"rules": form.errors["rules"]}
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN


def test_an_item_another_moderator_holds_is_theirs_to_decide(client, moderator, make_user, queue):
    other = make_user("riley", role=Role.MODERATOR, display_name="Riley")
    review_item_claim(actor=other, item=queue[0])
    response = send(
        client,
        "post",
        f"/api/v1/review-items/{queue[0].pk}/decision",
        {"decision": "approve"},
        **bearer(moderator, "moderate"),
    )
    assert response.status_code == 403
    assert error_of(response)["message"] == "Riley is handling this item."


def test_a_missing_item_and_a_non_moderator_say_nothing_about_items(client, member, queue):
    missing = send(
        client,
        "post",
        "/api/v1/review-items/987654/decision",
        {"decision": "approve"},
        **bearer(member, "write"),
    )
    session = Client()
    session.force_login(member)
    existing = send(
        session,
        "post",
        f"/api/v1/review-items/{queue[0].pk}/decision",
        {"decision": "approve"},
    )
    # A token without the scope is refused before any lookup; a member's session by the
    # moderators-only check, before the lookup too.
    assert missing.status_code == 403 and "scope" in error_of(missing)["message"]
    assert existing.status_code == 403
    assert error_of(existing)["message"] == "Only moderators can do this."


def test_an_item_decided_while_the_request_ran_is_a_conflict(
    client, moderator, make_user, queue, monkeypatch
):
    """Another moderator decides the item between this request's check and its service
    (the service's row lock is what settles it): 409 with the service's sentence."""
    other = make_user("riley", role=Role.MODERATOR, display_name="Riley")
    item = queue[0]
    checked = review_api.check_review_decision

    def check_then_lose_the_race(user, checked_item, decision, *, also_block=False):
        checked(user, checked_item, decision, also_block=also_block)
        fresh = ReviewItem.objects.get(pk=checked_item.pk)
        review_item_decide(actor=other, item=fresh, decision="approve")

    monkeypatch.setattr(review_api, "check_review_decision", check_then_lose_the_race)
    response = send(
        client,
        "post",
        f"/api/v1/review-items/{item.pk}/decision",
        {"decision": "hide", "rules": ["G3"]},
        **bearer(moderator, "moderate"),
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert error_of(response)["message"].startswith("This item was already decided by Riley")
    item.refresh_from_db()
    assert (item.decision, item.decided_by) == ("approve", other)
    assert not Post.objects.get(pk=item.post_id).is_hidden
