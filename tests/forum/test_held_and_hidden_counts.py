"""Pages and "new" counts count what the reader can see. Replies hidden by moderators
(shown at most as placeholders) and replies held for review (absent for all but their
author) never make a thread page a reader is sent to, never make a board row say "3 new"
and never shift which page a post is on. Moderators, who see everything, count
everything."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Post, ReadMarker, ThreadEvent
from forum.services import post_create
from forum.services.answers import answer_accept
from forum.services.visibility import posts_set_hidden
from forum.views.reading import annotate_unread

pytestmark = pytest.mark.django_db

PER_PAGE = settings.FORUM_POSTS_PER_PAGE
HOLD = {"action": "hold", "score": 0.95, "reasons": ["It looks like spam."]}
DIVIDER = "New since your last visit"


def replies(thread, author, n, **kwargs) -> list[Post]:
    return [
        post_create(thread=thread, author=author, body=f"Reply {i}", **kwargs) for i in range(n)
    ]


def hide(posts) -> None:
    posts_set_hidden(post_ids=[post.pk for post in posts], hidden=True, rule_code="G4")


def get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def pages_of(response) -> int:
    found = re.search(r"Page \d+ of (\d+)", response.content.decode())
    return int(found.group(1)) if found else 1


def marker(user, thread) -> int | None:
    row = ReadMarker.objects.filter(user=user, thread=thread).first()
    return row.position if row else None


@pytest.fixture
def full_page(thread, other_member):
    """A thread that exactly fills its first page."""
    replies(thread, other_member, PER_PAGE - 1)
    thread.refresh_from_db()
    return thread


@pytest.fixture
def spammer(make_user):
    return make_user("spammer")


# --- Thread pages ----------------------------------------------------------------------


@pytest.mark.parametrize("reader", [None, "member", "staff"])
def test_hidden_replies_past_the_last_page_make_no_page_for_readers(
    client, request, full_page, other_member, reader
):
    hide(replies(full_page, other_member, 3))
    user = request.getfixturevalue(reader) if reader else None
    response = get(client, user, full_page.get_absolute_url() + "?page=1")
    assert pages_of(response) == 1
    # An old link to the page that held only hidden replies shows the last real page.
    response = get(client, user, full_page.get_absolute_url() + "?page=2")
    assert response.status_code == 200
    last = Post.objects.get(thread=full_page, position=PER_PAGE)
    assert f'id="post-{last.pk}"' in response.content.decode()


def test_moderators_still_get_the_page_of_hidden_replies(
    client, full_page, other_member, moderator
):
    hidden = replies(full_page, other_member, 3)
    hide(hidden)
    response = get(client, moderator, full_page.get_absolute_url() + "?page=2")
    assert pages_of(response) == 2
    assert f'id="post-{hidden[0].pk}"' in response.content.decode()


@pytest.mark.parametrize("reader", [None, "member"])
def test_held_replies_past_the_last_page_make_no_page_for_readers(
    client, request, full_page, spammer, reader
):
    replies(full_page, spammer, 2, screening=HOLD)
    user = request.getfixturevalue(reader) if reader else None
    assert pages_of(get(client, user, full_page.get_absolute_url() + "?page=1")) == 1


def test_the_author_of_a_held_reply_gets_the_page_it_is_on(client, full_page, spammer):
    held = replies(full_page, spammer, 1, screening=HOLD)[0]
    response = get(client, spammer, f"/p/{held.pk}/")
    assert response["Location"] == f"{full_page.get_absolute_url()}?page=2#post-{held.pk}"
    page = client.get(response["Location"])
    assert pages_of(page) == 2
    assert f'id="post-{held.pk}"' in page.content.decode()


def test_a_held_reply_does_not_shift_later_posts_to_another_page(
    client, thread, other_member, spammer
):
    replies(thread, other_member, 2)
    replies(thread, spammer, 1, screening=HOLD)
    later = replies(thread, other_member, PER_PAGE)  # positions 5 to PER_PAGE + 4
    on_page_2 = [post for post in later if post.position > PER_PAGE]
    for user in (None, other_member):
        response = get(client, user, f"/p/{on_page_2[0].pk}/")
        assert response["Location"].endswith(f"?page=2#post-{on_page_2[0].pk}")
        html = client.get(response["Location"]).content.decode()
        assert all(f'id="post-{post.pk}"' in html for post in on_page_2)
        first = client.get(thread.get_absolute_url() + "?page=1").content.decode()
        assert not any(f'id="post-{post.pk}"' in first for post in on_page_2)


def test_hidden_replies_cost_the_thread_page_no_query(
    client, full_page, other_member, django_assert_num_queries
):
    url = full_page.get_absolute_url() + "?page=1"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    hide(replies(full_page, other_member, 3))
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


# --- "N new" on board lists ------------------------------------------------------------


def test_hidden_replies_are_not_new_on_the_board_list(client, thread, member, other_member):
    client.force_login(member)
    client.get(thread.get_absolute_url() + "?page=1")
    hide(replies(thread, other_member, 3))
    html = client.get(thread.board.get_absolute_url()).content.decode()
    assert "new</a>" not in html
    replies(thread, other_member, 1)
    html = client.get(thread.board.get_absolute_url()).content.decode()
    assert "1 new</a>" in html


def test_held_replies_are_not_new_on_the_board_list(client, thread, member, spammer):
    client.force_login(member)
    client.get(thread.get_absolute_url() + "?page=1")
    replies(thread, spammer, 3, screening=HOLD)
    assert "new</a>" not in client.get(thread.board.get_absolute_url()).content.decode()


def test_unread_counts_skip_hidden_posts_in_one_query(
    rf, thread, member, other_member, moderator, django_assert_num_queries
):
    for user in (member, moderator):
        ReadMarker.objects.update_or_create(
            user=user, thread=thread, defaults={"position": 1, "updated_at": thread.created_at}
        )
    shown, hidden = replies(thread, other_member, 2)
    hide([hidden])
    thread.refresh_from_db()
    request = rf.get("/b/help/")
    for user, expected in ((member, 1), (moderator, 2)):
        request.user = user
        with django_assert_num_queries(1):
            annotate_unread(request, [thread])
        assert thread.unread_count == expected
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        annotate_unread(request, [thread])
    assert thread.unread_count is None


# --- Landing on the first unread post -------------------------------------------------


def test_nothing_new_but_hidden_replies_lands_nowhere(client, full_page, member, other_member):
    client.force_login(member)
    client.get(full_page.get_absolute_url() + "?page=1")
    assert marker(member, full_page) == PER_PAGE
    hide(replies(full_page, other_member, 3))
    response = client.get(full_page.get_absolute_url())
    assert response.status_code == 200
    assert DIVIDER not in response.content.decode()


def test_landing_skips_hidden_and_held_replies_to_the_first_visible_one(
    client, full_page, member, other_member, spammer
):
    client.force_login(member)
    client.get(full_page.get_absolute_url() + "?page=1")
    hide(replies(full_page, other_member, 1))
    replies(full_page, spammer, 1, screening=HOLD)
    visible = replies(full_page, other_member, 1)[0]
    client.force_login(member)
    response = client.get(full_page.get_absolute_url())
    assert response["Location"] == f"{full_page.get_absolute_url()}?page=2#post-{visible.pk}"
    html = client.get(response["Location"]).content.decode()
    assert html.count(DIVIDER) == 1
    assert re.search(rf'{DIVIDER}</span></p>\s*<article[^>]*id="post-{visible.pk}"', html)


def test_the_divider_sits_above_the_first_visible_new_post(client, thread, member, other_member):
    client.force_login(member)
    client.get(thread.get_absolute_url() + "?page=1")
    hidden, visible = replies(thread, other_member, 2)
    hide([hidden])
    html = client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert html.count(DIVIDER) == 1
    assert re.search(rf'{DIVIDER}</span></p>\s*<article[^>]*id="post-{visible.pk}"', html)


# --- Thread events after hidden or held replies ----------------------------------------


@pytest.mark.parametrize("reader", [None, "other_member"])
def test_an_event_after_a_held_last_reply_still_shows_on_the_last_page(
    client, request, thread, member, staff, spammer, reader
):
    answer = post_create(thread=thread, author=staff, body="Update the driver.")
    replies(thread, spammer, 1, screening=HOLD)
    answer_accept(thread=thread, post=answer, actor=member)
    event = ThreadEvent.objects.get(thread=thread)
    assert event.after_position == 3
    user = request.getfixturevalue(reader) if reader else None
    html = get(client, user, thread.get_absolute_url() + "?page=1").content.decode()
    assert f'id="event-{event.pk}"' in html


def test_an_event_after_hidden_replies_past_the_last_page_shows_on_the_last_page(
    client, full_page, member, staff, other_member
):
    answer = Post.objects.get(thread=full_page, position=2)
    hide(replies(full_page, other_member, 2))
    answer_accept(thread=full_page, post=answer, actor=member)
    event = ThreadEvent.objects.get(thread=full_page)
    assert event.after_position == PER_PAGE + 2
    html = get(client, None, full_page.get_absolute_url() + "?page=1").content.decode()
    assert f'id="event-{event.pk}"' in html
