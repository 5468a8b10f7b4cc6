"""A new thread held for review, as its author sees it: not live, so no Help status
("Awaiting staff") and no reply box — the held-for-review note instead, and a direct
reply is refused with the text kept. Everyone else gets 404. Once approved it is an
ordinary Help thread."""

import pytest

from forum.services import thread_create
from moderation import services as moderation
from moderation.models import ReviewItem

pytestmark = pytest.mark.django_db

HOLD = {"action": "hold", "score": 0.93, "reasons": ["It links to a shop."]}
HELD_NOTE = "Your thread is held for review — a moderator will look at it soon."


@pytest.fixture
def held_thread(help_board, member):
    thread = thread_create(
        board=help_board,
        author=member,
        title="Export drops rows",
        body="It fails every time, see [my shop](https://example.com)",
        screening=HOLD,
    )
    moderation.review_item_open_for_screening(post=thread.last_post, screening=HOLD)
    return thread


def page(client, user, thread):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(f"/t/{thread.pk}/")


def test_its_author_sees_no_help_status_and_no_reply_form(client, held_thread, member):
    response = page(client, member, held_thread)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Held for review — a moderator will look at it soon." in html
    assert "Awaiting staff" not in html and 'id="help-state"' not in html
    assert f'action="/t/{held_thread.pk}/reply/"' not in html
    assert HELD_NOTE in html
    assert 'data-reply-state="held"' in html


def test_the_live_state_fragment_agrees(client, held_thread, member):
    client.force_login(member)
    html = client.get(f"/t/{held_thread.pk}/live/banners/").content.decode()
    assert "Awaiting staff" not in html and HELD_NOTE in html
    assert f'action="/t/{held_thread.pk}/reply/"' not in html


def test_a_direct_reply_is_refused_with_the_text_kept(client, held_thread, member):
    client.force_login(member)
    assert client.get(f"/t/{held_thread.pk}/reply/").status_code == 403
    response = client.post(f"/t/{held_thread.pk}/reply/", {"body": "Any news on this?"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "held for review" in html and "Any news on this?" in html
    assert held_thread.posts.count() == 1


def test_moderators_see_it_without_a_help_status_or_reply_form(client, held_thread, moderator):
    html = page(client, moderator, held_thread).content.decode()
    assert "Awaiting staff" not in html
    assert f'action="/t/{held_thread.pk}/reply/"' not in html
    assert "review queue" in html


@pytest.mark.parametrize("reader", [None, "other_member", "staff"])
def test_everyone_else_gets_404(client, request, held_thread, reader):
    user = request.getfixturevalue(reader) if reader else None
    assert page(client, user, held_thread).status_code == 404
    if user is not None:
        response = client.post(f"/t/{held_thread.pk}/reply/", {"body": "Hello"})
        assert response.status_code == 404


def test_it_is_nowhere_on_the_staff_unanswered_list(client, held_thread, staff):
    client.force_login(staff)
    assert held_thread.title not in client.get("/staff/unanswered/").content.decode()


def test_once_approved_it_is_an_ordinary_help_thread(client, held_thread, member, moderator, staff):
    item = ReviewItem.objects.get(post=held_thread.last_post)
    moderation.review_item_decide(actor=moderator, item=item, decision=ReviewItem.Decision.APPROVE)
    html = page(client, member, held_thread).content.decode()
    assert "Awaiting staff" in html and HELD_NOTE not in html
    assert f'action="/t/{held_thread.pk}/reply/"' in html
    client.force_login(staff)
    assert held_thread.title in client.get("/staff/unanswered/").content.decode()
