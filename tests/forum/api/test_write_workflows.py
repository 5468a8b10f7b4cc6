"""Bug and Idea statuses, accepted answers and flags through the API: each answers with
what changed, and a mistake is a 400 naming the field in the site's form's words."""

import pytest

from forum import services as forum_services
from forum.forms import ThreadStatusForm
from forum.models import Thread, ThreadEvent
from moderation.forms.flags import PostFlagForm
from moderation.models import Flag, ReviewItem
from tests.forum.api.write_helpers import bearer, error_of, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def bug(boards, member):
    return forum_services.thread_create(
        board=boards["bugs"], author=member, title="Crash on save", body="It crashes."
    )


def test_staff_set_a_bugs_status_and_the_thread_says_so(client, staff, bug):
    response = send(
        client,
        "put",
        f"/api/v1/threads/{bug.pk}/status",
        {"status": "confirmed", "reason": "Reproduced on 2.3."},
        **bearer(staff),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    assert response.json()["status_reason"] == "Reproduced on 2.3."
    bug.refresh_from_db()
    assert bug.status == Thread.Status.CONFIRMED
    event = ThreadEvent.objects.get(thread=bug, kind=ThreadEvent.Kind.STATUS)
    assert (event.from_value, event.to_value, event.actor) == ("new", "confirmed", staff)


def test_a_duplicate_names_its_bug_or_is_refused_beside_the_field(client, staff, bug, member):
    token = bearer(staff)
    original = forum_services.thread_create(
        board=bug.board, author=member, title="Crash when saving", body="Same."
    )
    missing = send(
        client,
        "put",
        f"/api/v1/threads/{bug.pk}/status",
        {"status": "duplicate", "duplicate_of": 987654},
        **token,
    )
    assert missing.status_code == 400
    assert list(error_of(missing)["fields"]) == ["duplicate_of"]
    assert "#987654" in error_of(missing)["fields"]["duplicate_of"][0]
    response = send(
        client,
        "put",
        f"/api/v1/threads/{bug.pk}/status",
        {"status": "duplicate", "duplicate_of": original.pk},
        **token,
    )
    assert response.status_code == 200, response.content
    bug.refresh_from_db()
    assert bug.duplicate_of == original


def test_a_status_the_board_lacks_is_refused_in_the_forms_words(client, staff, bug):
    response = send(
        client, "put", f"/api/v1/threads/{bug.pk}/status", {"status": "shipped"}, **bearer(staff)
    )
    assert response.status_code == 400
    form = ThreadStatusForm({"status": "shipped"}, thread=bug)
    assert not form.is_valid()
    assert error_of(response)["fields"] == {"status": form.errors["status"]}
    bug.refresh_from_db()
    assert bug.status == Thread.Status.NEW


def test_an_idea_needs_a_reason_said_by_the_service(client, staff, boards, member):
    idea = forum_services.thread_create(
        board=boards["ideas"], author=member, title="Dark mode for exports", body="Please."
    )
    response = send(
        client, "put", f"/api/v1/threads/{idea.pk}/status", {"status": "planned"}, **bearer(staff)
    )
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["reason"]
    idea.refresh_from_db()
    assert idea.status == ""


@pytest.fixture
def question(thread, other_member, staff):
    """The member's question with two replies."""
    first = forum_services.post_create(thread=thread, author=other_member, body="Try again.")
    second = forum_services.post_create(thread=thread, author=staff, body="Fixed in 2.3.")
    return thread, first, second


def test_the_asker_accepts_an_answer_and_clears_it(client, member, question):
    thread, first, second = question
    token = bearer(member)
    path = f"/api/v1/threads/{thread.pk}/answer"
    response = send(client, "put", path, {"post_id": second.pk}, **token)
    assert response.status_code == 200, response.content
    assert response.json()["accepted_post_id"] == second.pk
    assert response.json()["state"] == "solved"
    # Accepting another reply replaces the choice.
    response = send(client, "put", path, {"post_id": first.pk}, **token)
    assert response.json()["accepted_post_id"] == first.pk
    response = send(client, "delete", path, **token)
    assert response.status_code == 200
    assert response.json()["accepted_post_id"] is None
    thread.refresh_from_db()
    assert thread.accepted_post_id is None and thread.help_state != Thread.HelpState.SOLVED


def test_only_a_reply_of_the_same_thread_can_be_the_answer(client, member, question, make_thread):
    thread, _first, _second = question
    elsewhere = make_thread(member, title="Another question")
    reply = forum_services.post_create(thread=elsewhere, author=member, body="Hm.")
    token = bearer(member)
    path = f"/api/v1/threads/{thread.pk}/answer"
    assert send(client, "put", path, {"post_id": reply.pk}, **token).status_code == 404
    assert send(client, "put", path, {"post_id": 987654}, **token).status_code == 404
    opening = send(client, "put", path, {"post_id": thread.posts.get(position=1).pk}, **token)
    assert opening.status_code == 403
    assert error_of(opening)["message"] == "Choose one of the replies in this thread as the answer."


def test_a_member_flags_a_post_once(client, member, other_member, thread, guidelines):
    post = thread.posts.get()
    token = bearer(other_member)
    path = f"/api/v1/posts/{post.pk}/flags"
    response = send(client, "post", path, {"reason": "rule", "rule_code": "G3"}, **token)
    assert response.status_code == 201, response.content
    flag = Flag.objects.get(pk=response.json()["id"])
    assert (flag.flagger, flag.post, flag.rule_code) == (other_member, post, "G3")
    assert ReviewItem.objects.get(post=post).kind == ReviewItem.Kind.FLAGGED_POST
    again = send(client, "post", path, {"reason": "spam"}, **token)
    assert again.status_code == 400
    assert error_of(again)["message"] == (
        "You have already flagged this post; moderators will look at it."
    )
    assert Flag.objects.count() == 1


def test_a_flag_without_its_rule_or_words_is_refused_beside_the_field(
    client, other_member, thread, guidelines
):
    path = f"/api/v1/posts/{thread.posts.get().pk}/flags"
    token = bearer(other_member)
    response = send(client, "post", path, {"reason": "rule"}, **token)
    assert response.status_code == 400
    form = PostFlagForm({"reason": "rule"})
    assert not form.is_valid()
    assert error_of(response)["fields"] == {"rule_code": form.errors["rule_code"]}
    response = send(client, "post", path, {"reason": "other", "text": "bad"}, **token)
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["text"]
    assert not Flag.objects.exists()
