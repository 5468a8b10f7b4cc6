"""The notification pages, the bell, the email settings, one-click unsubscribe and the
watch controls."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from forum.models import Notification, Watch
from forum.selectors.notifications import unsubscribe_token
from forum.services import notifications, post_create
from forum.services.watching import watch_set
from moderation.services import post_hide

pytestmark = pytest.mark.django_db
Frequency = User.EmailFrequency


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


# --- Signed out --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/notifications/", "/notifications/settings/", "/notifications/1/read/"]
)
def test_visitors_are_sent_to_sign_in_and_brought_back(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert url.replace("/", "%2F") in response["Location"] or url in response["Location"]


def test_visitor_watch_post_goes_to_sign_in(client, thread):
    response = client.post(f"/t/{thread.pk}/watch/", {"level": "watching"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Watch.objects.exclude(user=thread.author).exists()


def test_visitors_see_no_bell(client, thread):
    html = text(client.get(thread.get_absolute_url()))
    assert "data-notification-bell" not in html
    assert "Sign in</a> to watch this thread" in html


# --- The list ------------------------------------------------------------------------------


def test_list_says_who_did_what_where_and_marks_unread(client, thread, member, other_member):
    post_create(thread=thread, author=other_member, body="Have you tried the CSV export?")
    client.force_login(member)
    html = text(client.get("/notifications/"))
    assert "Priya replied in “Export drops rows”" in html
    assert "Have you tried the CSV export?" in html
    assert "notification--unread" in html
    note = Notification.objects.get()
    assert f'href="/notifications/{note.pk}/read/"' in html
    assert "Mark all read" in html


def test_bell_shows_an_accessible_unread_count(client, thread, member, other_member):
    post_create(thread=thread, author=other_member, body="One")
    post_create(thread=thread, author=other_member, body="Two")
    post_create(thread=thread, author=other_member, body="Three")
    client.force_login(member)
    html = text(client.get("/"))
    # Named by its text, "Notifications 3 unread", which holds what it shows: an aria-label
    # that did not would differ from what speech-input users read on screen.
    assert '<span class="count" aria-hidden="true">3</span>' in html
    assert '<span class="visually-hidden" data-bell-unread>3 unread</span>' in html
    notifications.notifications_mark_all_read(user=member)
    html = text(client.get("/"))
    assert "3 unread" not in html and 'class="count"' not in html
    assert '<span class="bell__label">Notifications</span></a>' in html


def test_opening_a_notification_marks_it_read_and_goes_to_the_post(
    client, thread, member, other_member
):
    post = post_create(thread=thread, author=other_member, body="Reply")
    note = Notification.objects.get()
    client.force_login(member)
    response = client.get(f"/notifications/{note.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == f"/p/{post.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    # POST works too.
    assert client.post(f"/notifications/{note.pk}/read/").status_code == 302


def test_someone_elses_notification_is_not_found(client, thread, member, other_member):
    post_create(thread=thread, author=other_member, body="Reply")
    note = Notification.objects.get()
    client.force_login(other_member)
    assert client.get(f"/notifications/{note.pk}/read/").status_code == 404
    assert client.get("/notifications/999999/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_is_post_only(client, thread, member, other_member):
    post_create(thread=thread, author=other_member, body="Reply")
    client.force_login(member)
    assert client.get("/notifications/read-all/").status_code == 405
    response = client.post("/notifications/read-all/", follow=True)
    assert "Marked 1 notification as read." in text(response)
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "Everything was read already." in text(
        client.post("/notifications/read-all/", follow=True)
    )


def test_list_leaves_out_a_hidden_post_from_members(
    client, thread, member, other_member, moderator, guidelines
):
    # Left out, not shown as a placeholder: the summary of a hidden spam post would still
    # name the spammer (delete-as-spam leaves no trace on public surfaces).
    post = post_create(thread=thread, author=other_member, body="Something truly rude")
    post_create(thread=thread, author=other_member, body="@morgan please look")
    post_hide(actor=moderator, post=post, rule_codes=["G1"])
    client.force_login(member)
    html = text(client.get("/notifications/"))
    assert "Something truly rude" not in html
    assert html.count("Priya replied in") == 1


def test_list_is_paginated_with_fixed_queries(client, thread, member, make_user):
    authors = [make_user(f"a{i}") for i in range(3)]
    for i in range(30):
        post_create(thread=thread, author=authors[i % 3], body=f"Reply {i}")
    client.force_login(member)
    with CaptureQueriesContext(connection) as ctx:
        page_one = client.get("/notifications/")
    queries = len(ctx.captured_queries)
    assert "Page 1 of 2" in text(page_one)
    with CaptureQueriesContext(connection) as ctx:
        page_two = client.get("/notifications/?page=2")
    assert len(ctx.captured_queries) == queries
    assert text(page_two).count('<li class="notification') == 5


def test_empty_list_explains_itself(client, member):
    client.force_login(member)
    assert "No notifications yet." in text(client.get("/notifications/"))


# --- Email settings ------------------------------------------------------------------------------


def test_settings_page_has_labelled_radio_buttons(client, member):
    client.force_login(member)
    html = text(client.get("/notifications/settings/"))
    assert "<legend>Email me about notifications" in html
    for value in ("immediately", "daily", "never"):
        assert f'value="{value}"' in html
    assert re.search(r'value="immediately"[^>]*checked', html)


def test_settings_save_and_say_so(client, member):
    client.force_login(member)
    response = client.post("/notifications/settings/", {"email_frequency": "daily"}, follow=True)
    assert "Saved. Notification emails: Daily digest." in text(response)
    member.refresh_from_db()
    assert member.email_frequency == Frequency.DAILY


def test_settings_refuse_a_bad_choice_with_the_error_beside_it(client, member):
    client.force_login(member)
    response = client.post("/notifications/settings/", {"email_frequency": "hourly"})
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    member.refresh_from_db()
    assert member.email_frequency == Frequency.IMMEDIATELY


# --- Unsubscribe ---------------------------------------------------------------------------


def test_unsubscribe_link_works_signed_out_get_then_post(client, member):
    url = f"/unsubscribe/{unsubscribe_token(member)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop notification emails" in text(page)
    member.refresh_from_db()
    assert member.email_frequency == Frequency.IMMEDIATELY  # GET changes nothing
    done = client.post(url)
    assert done.status_code == 200
    assert "You're unsubscribed" in text(done)
    member.refresh_from_db()
    assert member.email_frequency == Frequency.NEVER


def test_one_click_unsubscribe_post_needs_no_csrf_token(member):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    url = f"/unsubscribe/{unsubscribe_token(member)}/"
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.email_frequency == Frequency.NEVER


@pytest.mark.parametrize("mangle", ["tamper", "truncate", "other_salt", "garbage"])
def test_bad_unsubscribe_token_is_refused_clearly(client, member, other_member, mangle):
    from django.core import signing

    token = unsubscribe_token(member)
    bad = {
        "tamper": token.replace(str(member.pk), str(other_member.pk), 1)
        if str(member.pk) in token
        else token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "truncate": token[: len(token) // 2],
        "other_salt": signing.dumps({"u": member.pk}, salt="something-else"),
        "garbage": "not-a-token",
    }[mangle]
    for method in (client.get, client.post):
        response = method(f"/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "This unsubscribe link doesn't work" in text(response)
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert member.email_frequency == other_member.email_frequency == Frequency.IMMEDIATELY


# --- Watch controls ------------------------------------------------------------------------------


def test_thread_watch_control_shows_and_sets_the_level(client, thread, other_member):
    client.force_login(other_member)
    html = text(client.get(thread.get_absolute_url()))
    assert "Notifications for this thread" in html
    assert re.search(r'value="normal"[^>]*aria-pressed="true"', html)
    response = client.post(
        f"/t/{thread.pk}/watch/", {"level": "muted", "next": thread.get_absolute_url()}
    )
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert Watch.objects.get(user=other_member, thread=thread).level == Watch.Level.MUTED
    html = text(client.get(thread.get_absolute_url()))
    assert re.search(r'value="muted"[^>]*aria-pressed="true"', html)
    assert "Thread muted" in html


def test_thread_watch_refuses_an_unknown_level(client, thread, other_member):
    client.force_login(other_member)
    response = client.post(f"/t/{thread.pk}/watch/", {"level": "loud"}, follow=True)
    assert "Choose Watching, Normal or Muted for this thread." in text(response)
    assert not Watch.objects.filter(user=other_member).exists()


def test_watch_redirect_ignores_other_sites(client, thread, other_member):
    client.force_login(other_member)
    response = client.post(
        f"/t/{thread.pk}/watch/", {"level": "watching", "next": "https://evil.example/"}
    )
    assert response["Location"] == thread.get_absolute_url()


def test_watch_is_post_only(client, thread, help_board, other_member):
    client.force_login(other_member)
    assert client.get(f"/t/{thread.pk}/watch/").status_code == 405
    assert client.get(f"/b/{help_board.slug}/watch/").status_code == 405


def test_watching_via_the_board_is_explained(client, thread, help_board, other_member):
    watch_set(user=other_member, level=Watch.Level.WATCHING, board=help_board)
    client.force_login(other_member)
    html = text(client.get(thread.get_absolute_url()))
    assert re.search(r'value="watching"[^>]*aria-pressed="true"', html)
    assert "because you watch the Help board" in html


def test_board_watch_control_sets_the_level(client, help_board, other_member):
    client.force_login(other_member)
    html = text(client.get(help_board.get_absolute_url()))
    assert "Notifications for the Help board" in html
    assert re.search(r'value="normal"[^>]*aria-pressed="true"', html)
    response = client.post(f"/b/{help_board.slug}/watch/", {"level": "watching"}, follow=True)
    assert "You're watching this board" in text(response)
    assert re.search(r'value="watching"[^>]*aria-pressed="true"', text(response))


def test_blocked_members_can_still_watch(client, thread, other_member, moderator, guidelines):
    from moderation.services import block_create

    block_create(
        actor=moderator, member=other_member, duration="1d", rule_codes=["G3"], reason="Insults."
    )
    client.force_login(other_member)
    client.post(f"/t/{thread.pk}/watch/", {"level": "watching"})
    assert Watch.objects.get(user=other_member, thread=thread).level == Watch.Level.WATCHING


# --- Costs -----------------------------------------------------------------------------------


def test_thread_page_adds_two_queries_for_members(client, thread, other_member):
    """The watch level (one query) and the bell's unread count (one query)."""
    client.force_login(other_member)
    client.get(thread.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        client.get(thread.get_absolute_url())
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len([q for q in sql if 'FROM "forum_watch"' in q]) == 1
    assert len([q for q in sql if 'FROM "forum_notification"' in q]) == 1


def test_visitors_pay_no_notification_queries(client, thread, help_board):
    for url in (thread.get_absolute_url(), help_board.get_absolute_url()):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "forum_watch" not in sql and "forum_notification" not in sql


def test_board_page_adds_one_watch_query_and_the_bell_for_members(client, help_board, other_member):
    client.force_login(other_member)
    client.get(help_board.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        client.get(help_board.get_absolute_url())
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len([q for q in sql if 'FROM "forum_watch"' in q]) == 1
    assert len([q for q in sql if 'FROM "forum_notification"' in q]) == 1


def test_bell_says_one_unread(client, thread, member, other_member):
    post_create(thread=thread, author=other_member, body="One")
    client.force_login(member)
    assert "data-bell-unread>1 unread</span>" in text(client.get("/"))


def test_archived_boards_offer_no_watch_control(client, thread, help_board, other_member):
    help_board.is_archived = True
    help_board.save(update_fields=["is_archived"])
    client.force_login(other_member)
    assert "Notifications for this thread" not in text(client.get(thread.get_absolute_url()))
    assert "Notifications for the Help board" not in text(client.get("/b/help/"))
