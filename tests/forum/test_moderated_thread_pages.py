"""What readers see of moderation on thread and board pages: hidden posts, lock and
slow-mode banners, who may still reply, and reopening at the set time without a job."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from forum import services as forum_services
from forum.models import Post
from moderation import services as moderation_services
from moderation.formatting import format_when

RUDE = "Honestly only an idiot would export to CSV, read the docs"
REASON = "Tempers ran high; a short break for everyone."
WHERE = "Follow the fix on the status page /status/ meanwhile."
REPLY = "Any news on the export fix? I have a deadline."


def _text(response) -> str:
    """The page as a reader reads it: tags removed, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace(" .", ".")


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _freeze(monkeypatch, when):
    monkeypatch.setattr(timezone, "now", lambda: when)


# --- Hidden posts ------------------------------------------------------------------------


@pytest.fixture
def rude_post(thread, other_member):
    return forum_services.post_create(thread=thread, author=other_member, body=RUDE)


@pytest.fixture
def hidden(rude_post, moderator, guidelines):
    moderation_services.post_hide(
        actor=moderator, post=rude_post, rule_codes=["G3"], note="Keep it civil."
    )
    rude_post.refresh_from_db()
    return rude_post


@pytest.mark.parametrize("reader", [None, "member", "staff"])
def test_a_hidden_post_is_replaced_for_readers(client, request, thread, hidden, reader):
    user = request.getfixturevalue(reader) if reader else None
    response = _as(client, user).get(thread.get_absolute_url() + "?page=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hidden by moderators under G3." in _text(response)
    assert 'href="/guidelines/#G3"' in html
    assert "idiot" not in html and hidden.body_html not in html
    assert "It fails" in html  # the rest of the thread is untouched


def test_the_author_still_sees_their_hidden_post(client, thread, hidden, other_member):
    response = _as(client, other_member).get(thread.get_absolute_url())
    text = _text(response)
    assert RUDE in text
    assert "Hidden from readers by moderators under G3. Only you and moderators can see it." in text
    assert f'href="/p/{hidden.pk}/edit/"' not in response.content.decode()


def test_moderators_still_see_the_hidden_post_and_can_restore_it(client, thread, hidden, moderator):
    response = _as(client, moderator).get(thread.get_absolute_url())
    text = _text(response)
    assert RUDE in text
    assert "Only you, the author and moderators can see it." in text
    assert f'href="/p/{hidden.pk}/restore/"' in response.content.decode()


def test_restore_brings_it_back_unchanged_for_everyone(client, thread, hidden, moderator):
    html_before = hidden.body_html
    moderation_services.post_restore(actor=moderator, post=hidden)
    response = _as(client, None).get(thread.get_absolute_url())
    html = response.content.decode()
    assert html_before in html
    assert "Hidden by moderators" not in _text(response)
    assert Post.objects.get(pk=hidden.pk).body_html == html_before


# --- Locks --------------------------------------------------------------------------------


@pytest.fixture
def reopen_at():
    return (timezone.now() + timedelta(hours=3)).replace(microsecond=0)


@pytest.fixture
def locked(thread, moderator, guidelines, reopen_at):
    return moderation_services.lockdown_set(
        actor=moderator,
        kind="lock",
        rule_codes=["G3"],
        reason=REASON,
        thread=thread,
        ends_at=reopen_at,
        go_instead=WHERE,
    ).lockdown


@pytest.mark.parametrize("reader", [None, "other_member"])
def test_lock_banner_tells_readers_what_why_until_when_and_where(
    client, request, thread, locked, reopen_at, reader
):
    user = request.getfixturevalue(reader) if reader else None
    if user is not None:
        user.time_zone = "America/New_York"
        user.save(update_fields=["time_zone"])
    response = _as(client, user).get(thread.get_absolute_url())
    text = _text(response)
    assert "Locked by moderators." in text
    assert "Moderators locked this thread: reading continues, new posts are paused" in text
    assert "under rule G3 (Argue with ideas, not with people)" in text
    assert f"until {format_when(reopen_at, user)}" in text
    if user is not None:
        assert "(America/New_York)" in text
    assert f"Why: {REASON}" in text
    assert "Meanwhile: Follow the fix on the status page /status/ meanwhile." in text
    assert 'href="/status/"' in response.content.decode()
    assert "Morgan" not in text  # the moderator is not named to the public


@pytest.mark.parametrize("reader", ["staff", "moderator", "admin_user"])
def test_staff_and_moderators_see_who_locked_it(client, request, thread, locked, reader):
    response = _as(client, request.getfixturevalue(reader)).get(thread.get_absolute_url())
    assert "Set by Morgan (visible to staff only)" in _text(response)


def test_members_get_the_reason_instead_of_a_reply_form(client, thread, locked, other_member):
    response = _as(client, other_member).get(thread.get_absolute_url())
    html = response.content.decode()
    assert f'action="/t/{thread.pk}/reply/"' not in html
    assert "Post reply" not in html
    banner, reply_section = _text(response).split("Reply", 1)
    assert "Moderators locked this thread" in banner
    # The reply box points at the banner instead of repeating it.
    assert "Replies are paused while moderators have this thread locked" in reply_section
    assert "Moderators locked this thread" not in reply_section


def test_a_direct_post_into_a_locked_thread_is_refused_with_the_text_kept(
    client, thread, locked, other_member
):
    before = Post.objects.count()
    response = _as(client, other_member).post(
        f"/t/{thread.pk}/reply/", {"body": REPLY, "submission_key": "k1"}
    )
    assert response.status_code == 403
    assert REPLY in response.content.decode()
    assert "Moderators locked this thread" in _text(response)
    assert Post.objects.count() == before


@pytest.mark.parametrize("writer", ["staff", "moderator"])
def test_staff_and_moderators_can_still_reply_marked_as_such(
    client, request, thread, locked, writer
):
    author = request.getfixturevalue(writer)
    page = _as(client, author).get(thread.get_absolute_url()).content.decode()
    assert "Post reply" in page
    response = client.post(f"/t/{thread.pk}/reply/", {"body": REPLY, "submission_key": "k2"})
    assert response.status_code == 302
    post = Post.objects.get(author=author)
    assert post.posted_during_lock
    reader_page = _as(client, None).get(thread.get_absolute_url())
    assert "Posted during lock" in _text(reader_page)


def test_a_lifted_lock_shows_nothing(client, thread, locked, moderator, other_member):
    moderation_services.lockdown_lift(actor=moderator, lockdown=locked)
    response = _as(client, other_member).get(thread.get_absolute_url())
    assert "Locked by moderators" not in _text(response)
    assert "Post reply" in response.content.decode()


def test_the_lock_reopens_at_the_set_time_without_a_job(
    client, monkeypatch, thread, locked, reopen_at, other_member
):
    _as(client, other_member)
    _freeze(monkeypatch, reopen_at - timedelta(seconds=1))
    assert "Locked by moderators" in _text(client.get(thread.get_absolute_url()))
    refused = client.post(f"/t/{thread.pk}/reply/", {"body": REPLY, "submission_key": "k3"})
    assert refused.status_code == 403

    _freeze(monkeypatch, reopen_at)
    response = client.get(thread.get_absolute_url())
    assert "Locked by moderators" not in _text(response)
    assert "Post reply" in response.content.decode()
    accepted = client.post(f"/t/{thread.pk}/reply/", {"body": REPLY, "submission_key": "k4"})
    assert accepted.status_code == 302
    post = Post.objects.get(author=other_member)
    assert not post.posted_during_lock and post.created_at == reopen_at


# --- Board lockdowns ----------------------------------------------------------------------


@pytest.fixture
def board_locked(help_board, moderator, guidelines):
    return moderation_services.lockdown_set(
        actor=moderator,
        kind="lock",
        rule_codes=["G2"],
        reason=REASON,
        board=help_board,
        go_instead=WHERE,
    ).lockdown


def test_board_lock_banner_on_the_board_page(client, help_board, board_locked, other_member):
    response = _as(client, other_member).get(help_board.get_absolute_url())
    text = _text(response)
    assert "Moderators locked this board: reading continues, new posts are paused" in text
    assert "under rule G2 (Stay on topic)" in text and f"Why: {REASON}" in text
    assert "Meanwhile: Follow the fix" in text
    assert "Morgan" not in text
    assert 'href="/b/help/new/"' not in response.content.decode()


def test_board_lock_banner_on_its_threads(client, thread, board_locked, other_member, staff):
    response = _as(client, other_member).get(thread.get_absolute_url())
    text = _text(response)
    assert "Moderators locked this board" in text and "Morgan" not in text
    assert "Post reply" not in response.content.decode()
    refused = client.post(f"/t/{thread.pk}/reply/", {"body": REPLY, "submission_key": "k5"})
    assert refused.status_code == 403
    assert REPLY in refused.content.decode()
    staff_view = _as(client, staff).get(thread.get_absolute_url())
    assert "Set by Morgan (visible to staff only)" in _text(staff_view)


def test_a_board_lock_stops_new_threads_from_members(client, help_board, board_locked, member):
    response = _as(client, member).post(
        "/b/help/new/", {"title": "Another question here", "body": REPLY, "submission_key": "k"}
    )
    assert response.status_code == 403
    assert "Moderators locked this board" in _text(response)
    assert REPLY in response.content.decode()


# --- Slow mode ----------------------------------------------------------------------------


def test_slow_mode_refuses_a_second_post_and_says_when(
    client, monkeypatch, thread, moderator, guidelines, other_member
):
    moderation_services.lockdown_set(
        actor=moderator,
        kind="slow",
        rule_codes=["G1"],
        reason=REASON,
        thread=thread,
        slow_minutes=10,
    )
    other_member.time_zone = "Europe/Paris"
    other_member.save(update_fields=["time_zone"])
    _as(client, other_member)
    page = _text(client.get(thread.get_absolute_url()))
    assert "Slow mode." in page and "one post per member every 10 minutes" in page

    first = client.post(f"/t/{thread.pk}/reply/", {"body": "First.", "submission_key": "s1"})
    assert first.status_code == 302
    posted_at = Post.objects.get(author=other_member).created_at
    next_allowed = posted_at + timedelta(minutes=10)

    second = client.post(f"/t/{thread.pk}/reply/", {"body": REPLY, "submission_key": "s2"})
    assert second.status_code == 403
    text = _text(second)
    assert f"You can post again at {format_when(next_allowed, other_member)}" in text
    assert "(Europe/Paris)" in text
    assert REPLY in second.content.decode()
    assert Post.objects.filter(author=other_member).count() == 1
    # The thread page says so too, instead of offering a form that would be refused.
    assert "You can post again at" in _text(client.get(thread.get_absolute_url()))

    _freeze(monkeypatch, next_allowed)
    third = client.post(f"/t/{thread.pk}/reply/", {"body": REPLY, "submission_key": "s3"})
    assert third.status_code == 302
    assert Post.objects.filter(author=other_member).count() == 2
