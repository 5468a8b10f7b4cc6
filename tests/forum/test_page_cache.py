"""Visitors' pages come from the page cache, and a visitor never sees a page older than the
last committed write: every service that changes what a page shows gives the page a new
version after its commit. Nothing of one visitor (CSRF token, session, CSP nonce) reaches
another, and a warm page costs no query."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import config.cache
from accounts.services import profile_update
from forum import pagecache
from forum.models import Board, Post
from forum.services import (
    answers,
    notice_create,
    notice_dismiss,
    notice_end,
    post_create,
    post_edit,
    thread_set_pinned,
)
from forum.services.statuses import thread_set_status, thread_vote
from moderation.models import Lockdown
from moderation.services import (
    lockdown_lift,
    lockdown_set,
    post_hide,
    post_restore,
    spam_delete,
)
from moderation.services.held import held_post_approve
from tests.config.test_redis_down import own_redis  # noqa: F401 - a fixture
from tests.moderation.test_held_posts import SPAM_BODY, post_reply


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def visit(url) -> str:
    """A new visitor, without cookies."""
    return html(Client(), url)


def committed(capture):
    return capture(execute=True)


def test_a_warm_visitor_page_costs_no_query_and_is_the_same_page(thread, django_assert_num_queries):
    for url in ("/", "/b/help/", f"/t/{thread.pk}/", "/search/?q=export", "/b/help/feed/rss/"):
        cold = visit(url)
        with django_assert_num_queries(0):
            warm = visit(url)
        # Only the CSP nonce differs between two responses.
        assert re.sub(r'nonce="[^"]+"', "", warm) == re.sub(r'nonce="[^"]+"', "", cold)


@pytest.mark.parametrize("url", ["/", "/b/help/", "/t/{thread}/", "/search/?q=export"])
def test_a_cold_visitor_page_costs_at_most_ten_queries(thread, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        visit(url.format(thread=thread.pk))


def test_each_response_carries_its_own_nonce_in_page_and_header(thread):
    url = f"/t/{thread.pk}/"
    nonces = []
    for _ in range(2):
        response = Client().get(url)
        header = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", header).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_no_cookie_csrf_token_or_session_passes_from_one_visitor_to_another(thread, member):
    url = f"/t/{thread.pk}/"
    first = Client()
    first.get("/accounts/login/")  # this visitor has a CSRF cookie and token now
    token = first.cookies["csrftoken"].value
    warm = first.get(url)
    second = Client().get(url)
    for response in (warm, second):
        assert not response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert token not in response.content.decode()
    assert not second.cookies


def test_signed_in_members_are_never_served_a_stored_page(thread, member):
    url = f"/t/{thread.pk}/"
    visit(url)
    assert 'name="body"' not in visit(url)
    signed_in = Client()
    signed_in.force_login(member)
    assert 'name="body"' in html(signed_in, url)  # the reply form, not the visitor's link


def test_two_visitors_share_one_page_and_a_members_dismissal_stays_theirs(
    thread, member, admin_user, django_capture_on_commit_callbacks
):
    with committed(django_capture_on_commit_callbacks):
        notice = notice_create(actor=admin_user, message="Tea in the lobby at four.", level="info")
    url = f"/t/{thread.pk}/"
    assert "Tea in the lobby" in visit(url)
    with committed(django_capture_on_commit_callbacks):
        notice_dismiss(notice=notice, user=member)
    assert "Tea in the lobby" in visit(url)
    assert "Tea in the lobby" in visit(url)
    reader = Client()
    reader.force_login(member)
    assert "Tea in the lobby" not in html(reader, url)


# --- Every write that changes a page is visible to the next visitor ----------------------


def warm(*urls):
    for url in urls:
        visit(url)


def test_a_reply_shows_on_the_thread_board_front_page_search_and_feeds(
    thread, other_member, django_capture_on_commit_callbacks
):
    urls = (
        f"/t/{thread.pk}/",
        "/b/help/",
        "/",
        "/search/?q=marmalade",
        f"/t/{thread.pk}/feed/rss/",
    )
    warm(*urls)
    before = {url: visit(url) for url in urls}
    with committed(django_capture_on_commit_callbacks):
        post_create(thread=thread, author=other_member, body="Orange marmalade fixed it.")
    assert "Orange marmalade" in visit(urls[0])
    assert "marmalade</mark>" in visit(urls[3])
    assert "Orange marmalade" in visit(urls[4])
    for url in urls[1:3]:
        assert visit(url) != before[url], url


def test_an_edit_shows(thread, member, django_capture_on_commit_callbacks):
    url = f"/t/{thread.pk}/"
    warm(url)
    with committed(django_capture_on_commit_callbacks):
        post_edit(post=thread.posts.get(), editor=member, body="Rewritten with lemon curd.")
    assert "lemon curd" in visit(url)


def test_hide_and_restore_show(thread, other_member, moderator, guidelines, capture_commits):
    reply = post_create(thread=thread, author=other_member, body="Rude words about badgers.")
    url = f"/t/{thread.pk}/"
    assert "badgers" in visit(url)
    with capture_commits():
        post_hide(actor=moderator, post=reply, rule_codes=["G1"])
    assert "badgers" not in visit(url)
    with capture_commits():
        post_restore(actor=moderator, post=reply)
    assert "badgers" in visit(url)


def test_lock_unlock_and_board_lockdown_show(thread, moderator, guidelines, capture_commits):
    url = f"/t/{thread.pk}/"
    warm(url, "/b/help/")
    with capture_commits():
        lockdown_set(
            actor=moderator, kind="lock", rule_codes=["G1"], reason="Cooling off.", thread=thread
        )
    assert "Cooling off." in visit(url)
    with capture_commits():
        lockdown_lift(actor=moderator, lockdown=Lockdown.objects.get(thread=thread))
    assert "Cooling off." not in visit(url)
    with capture_commits():
        lockdown_set(
            actor=moderator,
            kind="lock",
            rule_codes=["G1"],
            reason="Board-wide pause.",
            board=thread.board,
        )
    assert "Board-wide pause." in visit(url)
    assert "Board-wide pause." in visit("/b/help/")


def test_a_status_change_and_votes_show(
    make_thread, member, staff, other_member, boards, capture_commits
):
    idea = make_thread(member, board=boards["ideas"], title="Dark mode please")
    url = f"/t/{idea.pk}/"
    before = visit(url)
    with capture_commits():
        thread_vote(thread=idea, user=other_member, on=True)
    after_vote = visit(url)
    assert after_vote != before
    with capture_commits():
        thread_set_status(
            thread=idea, actor=staff, status="planned", reason="Next quarter, after the redesign."
        )
    assert visit(url) != after_vote
    assert "lanned" in visit(url)


def test_an_accepted_answer_shows(thread, member, other_member, capture_commits):
    reply = post_create(thread=thread, author=other_member, body="Try the nightly build.")
    url = f"/t/{thread.pk}/"
    before = visit(url)
    with capture_commits():
        answers.answer_accept(thread=thread, post=reply, actor=member)
    assert visit(url) != before
    assert "ccepted" in visit(url)


def test_a_notice_shows_everywhere_and_ends_everywhere(thread, admin_user, capture_commits):
    urls = ("/", "/b/help/", f"/t/{thread.pk}/")
    warm(*urls)
    with capture_commits():
        notice = notice_create(actor=admin_user, message="Maintenance at noon.", level="info")
    for url in urls:
        assert "Maintenance at noon." in visit(url), url
    with capture_commits():
        notice_end(notice=notice, actor=admin_user)
    for url in urls:
        assert "Maintenance at noon." not in visit(url), url


def test_a_new_display_name_shows_on_the_members_threads(thread, member, capture_commits):
    url = f"/t/{thread.pk}/"
    warm(url, "/b/help/")
    with capture_commits():
        profile_update(user=member, display_name="Captain Quill", bio="")
    assert "Captain Quill" in visit(url)
    assert "Captain Quill" in visit("/b/help/")


def test_board_settings_show(thread, capture_commits):
    warm("/", "/b/help/", f"/t/{thread.pk}/")
    board = Board.objects.get(slug="help")
    board.description = "Questions about kettles and teapots."
    with capture_commits():
        board.save()
    assert "kettles and teapots" in visit("/")
    assert "kettles and teapots" in visit("/b/help/")


def test_a_pin_shows_on_the_board(make_thread, member, capture_commits):
    old = make_thread(member, title="Older question")
    make_thread(member, title="Newer question")
    before = visit("/b/help/")
    assert before.index("Newer question") < before.index("Older question")
    with capture_commits():
        thread_set_pinned(thread=old, pinned=True)
    after = visit("/b/help/")
    assert after.index("Older question") < after.index("Newer question")


def test_a_spam_deletion_shows(thread, make_user, moderator, guidelines, capture_commits):
    spammer = make_user("spamface")
    post_create(thread=thread, author=spammer, body="Cheap sunglasses here.")
    url = f"/t/{thread.pk}/"
    assert "Cheap sunglasses" in visit(url)
    with capture_commits():
        spam_delete(actor=moderator, member=spammer)
    assert "Cheap sunglasses" not in visit(url)


def test_an_approved_held_reply_shows(client, thread, make_user, moderator, capture_commits):
    spammer = make_user("watchseller", display_name="Watch Seller")
    post_reply(client, spammer, thread, SPAM_BODY)
    reply = Post.objects.get(author=spammer)
    assert reply.held_at is not None
    url = f"/t/{thread.pk}/"
    assert "watch-deals" not in visit(url)
    with capture_commits():
        held_post_approve(actor=moderator, post=reply, note="Fine after all.")
    assert "watch-deals" in visit(url)


def test_a_write_that_rolls_back_keeps_the_stored_page(thread, member):
    url = f"/t/{thread.pk}/"
    warm(url)
    versions = pagecache.versions([pagecache.thread_scope(thread.pk)])
    # Without a commit (no callbacks run) the version stays: nothing was published.
    post_create(thread=thread, author=member, body="Never committed.")
    assert pagecache.versions([pagecache.thread_scope(thread.pk)]) == versions


# --- Outages ----------------------------------------------------------------------------


def test_while_the_cache_is_unreachable_pages_are_served_fresh_and_nothing_is_stored(
    thread, other_member, settings, monkeypatch, capture_commits
):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": CLOSED_PORT},
    }
    monkeypatch.setattr(config.cache, "_failing", False)
    monkeypatch.setattr(config.cache, "_skip_until", 0.0)
    monkeypatch.setattr(config.cache.ResilientRedisCache, "retry_interval", 0)
    url = f"/t/{thread.pk}/"
    visit(url)
    assert pagecache.versions([pagecache.SITE]) is None
    with capture_commits():
        post_create(thread=thread, author=other_member, body="Posted during the outage.")
    assert "Posted during the outage." in visit(url)
    assert pagecache._missed_change
    config.cache._failing = False
    monkeypatch.setattr(pagecache, "_missed_change", False)


CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def capture_commits(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_pages_cache_has_no_database_stand_in(db, settings):
    assert "FALLBACK" not in settings.CACHES["pages"] or not settings.CACHES["pages"]["FALLBACK"]
    assert caches["pages"] is not caches["default"]
    with CaptureQueriesContext(connection) as captured:
        pagecache.versions([pagecache.SITE])
    assert not captured.captured_queries


# --- Signed in -----------------------------------------------------------------------

SIGNED_IN_THREAD_QUERIES = 3


def test_a_signed_in_thread_page_with_nothing_new_writes_nothing_and_costs_flat_queries(
    thread, member, other_member
):
    reader = Client()
    reader.force_login(member)
    url = f"/t/{thread.pk}/?page=1"
    counts = []
    for replies in (2, 12):
        while thread.posts.count() < replies + 1:
            post_create(thread=thread, author=other_member, body="Another reply.")
        html(reader, url)  # marks everything read
        with CaptureQueriesContext(connection) as captured:
            html(reader, url)
        statements = [query["sql"].lstrip().split()[0].upper() for query in captured]
        assert not {"INSERT", "UPDATE", "DELETE"} & set(statements), captured.captured_queries
        counts.append(len(captured))
    assert counts == [SIGNED_IN_THREAD_QUERIES] * 2


def test_a_feed_stored_for_one_host_is_not_served_for_another(thread, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    url = f"/t/{thread.pk}/feed/rss/"
    first = Client().get(url, HTTP_HOST="a.example").content.decode()
    second = Client().get(url, HTTP_HOST="b.example").content.decode()
    assert "a.example" in first and "b.example" not in first
    assert "b.example" in second and "a.example" not in second


def test_a_change_missed_in_an_outage_retires_the_pages_redis_kept(
    thread,
    other_member,
    settings,
    monkeypatch,
    own_redis,  # noqa: F811 - the fixture imported above
    capture_commits,
):
    url, _client, _stop = own_redis
    reachable = {**settings.CACHES, "pages": {"BACKEND": REDIS_BACKEND, "LOCATION": url}}
    unreachable = {**settings.CACHES, "pages": {"BACKEND": REDIS_BACKEND, "LOCATION": CLOSED_PORT}}
    monkeypatch.setattr(config.cache, "_failing", False)
    monkeypatch.setattr(config.cache, "_skip_until", 0.0)
    monkeypatch.setattr(config.cache.ResilientRedisCache, "retry_interval", 0)
    monkeypatch.setattr(pagecache, "_missed_change", False)
    page = f"/t/{thread.pk}/"
    settings.CACHES = reachable
    warm(page)
    assert caches["pages"].get_many([f"v:{pagecache.SITE}"])  # stored in that Redis
    # Redis can't be reached while the reply commits, and is back, with the old page,
    # right after.
    settings.CACHES = unreachable
    with capture_commits():
        post_create(thread=thread, author=other_member, body="Written while Redis was away.")
    settings.CACHES = reachable
    assert "Written while Redis was away." in visit(page)
    assert not pagecache._missed_change
    config.cache._failing = False


REDIS_BACKEND = "config.cache.ResilientRedisCache"
