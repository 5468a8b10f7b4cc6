"""The fragments the page script fetches to keep an open thread current: the posts it
missed (/t/<id>/live/posts/?after=<position>) and the banners and reply box after a lock
(/t/<id>/live/banners/). Rendered for the reader asking — a hidden post's content never
reaches a visitor or a member — cheap, and silent for visitors (no writes, no cookie)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services as forum_services
from forum.views.live import CATCH_UP_LIMIT
from moderation import services as moderation_services

RUDE = "Honestly only an idiot would export to CSV"
REASON = "Tempers ran high; a short break for everyone."

# Visitors: the thread with its board, then the posts with their authors.
POSTS_AFTER_MAX_QUERIES = 2
# Visitors: the thread with its board, then its lockdowns (the check stops at sign-in).
BANNERS_MAX_QUERIES = 2
# Each banner names its rules in words: the current guidelines and their rules.
PER_LOCKDOWN_BANNER = 2
SIGNED_IN_EXTRA = 2  # user, the reader's active block (the session comes from the cache)


def posts_url(thread, after) -> str:
    url = reverse("forum:thread-live-posts", kwargs={"thread_id": thread.pk})
    return f"{url}?after={after}"


def banners_url(thread) -> str:
    return reverse("forum:thread-live-banners", kwargs={"thread_id": thread.pk})


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _positions(response) -> list[int]:
    return [int(p) for p in re.findall(r'data-position="(\d+)"', response.content.decode())]


@pytest.fixture
def repliers(make_user):
    return [make_user() for _ in range(3)]


def _reply(thread, users, n, *, start=0):
    return [
        forum_services.post_create(
            thread=thread, author=users[i % len(users)], body=f"Reply number {start + i}"
        )
        for i in range(n)
    ]


# --- Catch-up: the posts after a position ------------------------------------------------


def test_catch_up_sends_the_posts_after_the_position_oldest_first(client, thread, repliers):
    replies = _reply(thread, repliers, 3)

    response = client.get(posts_url(thread, 2))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert _positions(response) == [3, 4]
    html = response.content.decode()
    for reply in replies[1:]:
        assert f'<article class="post" id="post-{reply.pk}"' in html
        assert f'data-live-post="{reply.pk}"' in html
    assert replies[0].body not in html
    assert "It fails" not in html  # the opening post is before the position
    assert response["X-Last-Position"] == "4"
    assert response["X-More-Posts"] == "0"
    assert response["X-Reply-Count"] == "3"


def test_catch_up_with_nothing_newer_is_empty_and_keeps_the_position(client, thread, repliers):
    _reply(thread, repliers, 2)

    response = client.get(posts_url(thread, 3))

    assert response.status_code == 200
    assert _positions(response) == []
    assert "<article" not in response.content.decode()
    assert response["X-Last-Position"] == "3"
    assert response["X-More-Posts"] == "0"


def test_catch_up_sends_at_most_fifty_and_says_more_follow(client, thread, repliers):
    _reply(thread, repliers, CATCH_UP_LIMIT + 5)

    first = client.get(posts_url(thread, 0))
    assert _positions(first) == list(range(1, CATCH_UP_LIMIT + 1))
    assert first["X-Last-Position"] == str(CATCH_UP_LIMIT)
    assert first["X-More-Posts"] == "1"

    rest = client.get(posts_url(thread, first["X-Last-Position"]))
    assert _positions(rest) == list(range(CATCH_UP_LIMIT + 1, CATCH_UP_LIMIT + 7))
    assert rest["X-More-Posts"] == "0"
    assert rest["X-Reply-Count"] == str(CATCH_UP_LIMIT + 5)


def test_catch_up_renders_each_post_for_the_reader_asking(client, thread, member, other_member):
    own = forum_services.post_create(thread=thread, author=member, body="My own reply")
    theirs = forum_services.post_create(thread=thread, author=other_member, body="Theirs")
    edit_own = reverse("forum:post-edit", kwargs={"post_id": own.pk})
    edit_theirs = reverse("forum:post-edit", kwargs={"post_id": theirs.pk})

    html = _as(client, member).get(posts_url(thread, 1)).content.decode()
    assert edit_own in html
    assert edit_theirs not in html

    html = _as(client, None).get(posts_url(thread, 1)).content.decode()
    assert edit_own not in html
    assert "Flag" not in html  # visitors get no actions at all


@pytest.mark.parametrize("reader", ["visitor", "other_member", "moderator", "author"])
def test_hidden_post_content_reaches_only_moderators_and_its_author(
    client, thread, member, other_member, moderator, guidelines, reader
):
    rude = forum_services.post_create(thread=thread, author=member, body=RUDE)
    moderation_services.post_hide(actor=moderator, post=rude, rule_codes=["G3"])
    who = {"visitor": None, "other_member": other_member, "moderator": moderator}
    user = who.get(reader, member)

    response = _as(client, user).get(posts_url(thread, 1))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="post-{rude.pk}"' in html
    if reader in ("moderator", "author"):
        assert RUDE in html
        assert "Hidden from readers by moderators" in html
    else:
        assert RUDE not in html
        assert "Hidden by moderators under" in html


@pytest.mark.parametrize(
    "after", ["", "abc", "-1", "1.5", " 3", "3 ", "²", "0x10", "99999999999"], ids=repr
)
def test_catch_up_refuses_a_bad_position_with_a_clear_reason(client, thread, after):
    response = client.get(posts_url(thread, after))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "?after=" in text
    assert "whole number" in text


def test_catch_up_without_a_position_is_refused(client, thread):
    url = reverse("forum:thread-live-posts", kwargs={"thread_id": thread.pk})
    assert client.get(url).status_code == 400


@pytest.mark.parametrize("endpoint", ["posts", "banners"])
def test_missing_thread_is_the_ordinary_404(client, db, endpoint):
    name = "forum:thread-live-posts" if endpoint == "posts" else "forum:thread-live-banners"
    url = reverse(name, kwargs={"thread_id": 987654}) + "?after=0"

    response = client.get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", ["posts", "banners"])
def test_fragments_are_read_only(client, thread, endpoint):
    url = posts_url(thread, 0) if endpoint == "posts" else banners_url(thread)
    assert client.post(url).status_code == 405


# --- Banners and the reply box -----------------------------------------------------------


def _lock(thread, moderator):
    moderation_services.lockdown_set(
        actor=moderator, kind="lock", rule_codes=["G3"], reason=REASON, thread=thread
    )


def _reply_state(response) -> str:
    match = re.search(r'id="reply"[^>]*data-reply-state="([^"]+)"', response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def test_banners_for_an_open_thread_hold_no_banner_and_the_reply_form(client, thread, member):
    response = _as(client, member).get(banners_url(thread))

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<div id="thread-banners">\s*</div>', html)
    assert _reply_state(response) == "form"
    assert 'name="body"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert reverse("forum:thread-reply", kwargs={"thread_id": thread.pk}) in html
    assert response["X-Reply-Count"] == "0"


def test_banners_after_a_lock_tell_each_reader_what_they_can_do(
    client, thread, member, staff, moderator, guidelines
):
    _lock(thread, moderator)

    visitor = _as(client, None).get(banners_url(thread))
    assert "Locked by moderators" in visitor.content.decode()
    assert REASON in visitor.content.decode()
    assert _reply_state(visitor) == "sign-in"
    # The sign-in link brings the reader back to the thread, not to this fragment.
    assert f'?next={thread.get_absolute_url()}"' in visitor.content.decode()
    assert "Morgan" not in visitor.content.decode()

    paused = _as(client, member).get(banners_url(thread))
    assert "Locked by moderators" in paused.content.decode()
    assert _reply_state(paused) == "paused-by-lock"
    assert 'name="body"' not in paused.content.decode()

    during_lock = _as(client, staff).get(banners_url(thread))
    assert _reply_state(during_lock) == "form-during-lock"
    assert "Posted during lock" in during_lock.content.decode()
    assert 'name="body"' in during_lock.content.decode()
    # Staff and moderators see who set it.
    assert "Set by Morgan" in during_lock.content.decode()


def test_banners_for_a_blocked_member_give_the_block_reason(
    client, thread, other_member, moderator, guidelines
):
    moderation_services.block_create(
        actor=moderator, member=other_member, duration="1d", rule_codes=["G3"], reason=REASON
    )

    response = _as(client, other_member).get(banners_url(thread))

    assert _reply_state(response) == "refused"
    assert "blocked from posting" in response.content.decode()


def test_the_thread_page_and_the_fragment_show_the_same_reply_box(client, thread, member):
    page = _as(client, member).get(thread.get_absolute_url()).content.decode()
    fragment = client.get(banners_url(thread)).content.decode()

    def box(html):
        section = re.search(r'<section class="reply".*?</section>', html, flags=re.S).group(0)
        section = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", section)
        return re.sub(r'name="submission_key" value="[^"]+"', "", section)

    assert box(page) == box(fragment)


# --- What the page script reads from the thread page ---------------------------------------


def test_thread_page_carries_what_the_live_script_needs(client, thread, repliers, settings):
    settings.FORUM_POSTS_PER_PAGE = 2
    _reply(thread, repliers, 2)  # positions 1–3: two pages

    first = client.get(thread.get_absolute_url()).content.decode()
    last = client.get(thread.get_absolute_url() + "?page=2").content.decode()

    assert re.search(r'<script src="/static/js/live.js" nonce="[^"]+" defer></script>', first)
    assert 'data-live-url="/ws/live/"' in first
    assert 'data-notices-url="/notices/live/"' in first
    assert 'data-board="help"' in first
    for html, is_last, first_position in ((first, "false", 1), (last, "true", 3)):
        assert f'data-thread-id="{thread.pk}"' in html
        assert 'data-last-position="3"' in html
        assert f'data-first-position="{first_position}"' in html
        assert f'data-last-page="{is_last}"' in html
        assert f'data-posts-url="/t/{thread.pk}/live/posts/"' in html
        assert f'data-banners-url="/t/{thread.pk}/live/banners/"' in html
        assert '<div id="thread-banners">' in html
        assert "<span data-reply-count>2 replies</span>" in html
    assert 'id="reply"' in first


def test_moderators_queue_link_is_marked_for_live_counts(client, thread, moderator, member):
    assert "data-queue-badge" in _as(client, moderator).get("/").content.decode()
    assert "data-queue-badge" not in _as(client, member).get("/").content.decode()


# --- Cost and silence ------------------------------------------------------------------------


def _measure(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("endpoint", ["posts", "banners"])
def test_visitor_fragments_write_nothing_and_set_no_cookie(client, thread, repliers, endpoint):
    _reply(thread, repliers, 3)
    url = posts_url(thread, 0) if endpoint == "posts" else banners_url(thread)

    response, queries = _measure(client, url)

    assert not [q for q in queries if not q.lstrip().upper().startswith("SELECT")]
    assert not response.cookies
    assert "Set-Cookie" not in response
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_catch_up_queries_do_not_grow_with_posts(client, thread, repliers, member):
    _reply(thread, repliers, 2)
    _, few = _measure(client, posts_url(thread, 0))
    _reply(thread, repliers, 30, start=2)
    _, many = _measure(client, posts_url(thread, 0))
    assert len(few) == len(many) == POSTS_AFTER_MAX_QUERIES

    client.force_login(member)
    _, signed_in = _measure(client, posts_url(thread, 0))
    assert len(signed_in) == POSTS_AFTER_MAX_QUERIES + SIGNED_IN_EXTRA


def test_banners_queries_are_fixed(client, thread, member, moderator, guidelines):
    _, visitor = _measure(client, banners_url(thread))
    assert len(visitor) == BANNERS_MAX_QUERIES

    _lock(thread, moderator)
    _, visitor = _measure(client, banners_url(thread))
    assert len(visitor) == BANNERS_MAX_QUERIES + PER_LOCKDOWN_BANNER

    # A member is also told why the reply box is closed, in the same words (and queries)
    # as the banner: moderation.formatting.rule_phrase reads the guidelines each time.
    client.force_login(member)
    _, signed_in = _measure(client, banners_url(thread))
    assert len(signed_in) == BANNERS_MAX_QUERIES + 2 * PER_LOCKDOWN_BANNER + SIGNED_IN_EXTRA


def test_banners_fragment_carries_the_status_and_help_state(
    client, boards, make_thread, member, staff
):
    """Open pages swap #thread-status and #help-state from this fragment when a
    thread_changed event arrives, so a status change shows without a reload."""
    from forum.services import answers, statuses

    bug = make_thread(member, board=boards["bugs"], title="Export crashes")
    statuses.thread_set_status(thread=bug, actor=staff, status="confirmed")
    html = client.get(banners_url(bug)).content.decode()
    assert 'id="thread-status"' in html
    assert "Confirmed" in html

    question = make_thread(member, board=boards["help"], title="How do I export?")
    reply = forum_services.post_create(thread=question, author=staff, body="Use the menu.")
    answers.answer_accept(thread=question, post=reply, actor=member)
    html = client.get(banners_url(question)).content.decode()
    assert 'id="help-state"' in html
    assert "Solved" in html
