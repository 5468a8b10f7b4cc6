"""Self-serve account deletion: the confirmation, the grace period that signing in
cancels, what completion erases and keeps, and where a deleted member's name shows."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from accounts.deletion import (
    account_deletion_complete,
    account_deletion_request,
    account_deletions_complete_due,
)
from accounts.models import User
from forum import services as forum_services
from forum.mentions import mentioned_users
from forum.models import Post, PostRevision, Watch
from forum.services.watching import watch_set
from moderation.models import ModerationAction
from moderation.services import post_hide
from tests.conftest import PASSWORD
from tests.task_runner import run_ready_tasks

pytestmark = pytest.mark.django_db


def _delete_via_page(client, user, **data):
    client.force_login(user)
    return client.post(reverse("accounts:delete"), {"password": PASSWORD, **data})


def test_the_confirmation_page_says_exactly_what_happens(client, member, settings):
    settings.ACCOUNT_DELETION_GRACE_DAYS = 7
    client.force_login(member)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert "For 7 days nothing else changes" in page
    assert "If you sign in during that time, the deletion is cancelled" in page
    assert "deleted member" in page
    assert "Moderation records about your account" in page
    assert 'name="password"' in page and 'name="erase_posts"' in page


def test_a_wrong_password_is_refused_beside_the_field(client, member):
    response = _delete_via_page(client, member, password="not it", erase_posts="on")
    assert response.status_code == 400
    assert b"That is not your password" in response.content
    assert b'name="erase_posts" checked' in response.content or b"checked" in response.content
    member.refresh_from_db()
    assert member.deletion_requested_at is None


def test_asking_signs_out_and_starts_the_grace_period(client, member):
    response = _delete_via_page(client, member)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.deletion_requested_at is not None and member.is_active
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert b"your account will be deleted on" in page.content


def test_an_account_without_a_password_needs_a_recent_sign_in(client, member, clock):
    member.set_unusable_password()
    member.last_login = clock.now - timedelta(hours=2)
    member.save()
    client.force_login(member)
    member.last_login = clock.now - timedelta(hours=2)
    member.save(update_fields=["last_login"])
    refused = client.post(reverse("accounts:delete"), {})
    assert refused.status_code == 400
    assert b"sign out and sign in again" in refused.content
    member.last_login = clock.now - timedelta(minutes=5)
    member.save(update_fields=["last_login"])
    assert client.post(reverse("accounts:delete"), {}).status_code == 302


def test_signing_in_during_the_grace_period_cancels_and_says_so(client, member):
    _delete_via_page(client, member)
    response = client.post(
        reverse("account_login"), {"login": "jamie", "password": PASSWORD}, follow=True
    )
    member.refresh_from_db()
    assert member.deletion_requested_at is None
    assert b"your account will not be deleted" in response.content
    assert account_deletions_complete_due(now=member.date_joined + timedelta(days=30)) == 0


def test_nothing_happens_before_the_grace_period_ends(member, clock, settings):
    settings.ACCOUNT_DELETION_GRACE_DAYS = 7
    account_deletion_request(user=member)
    clock.advance(days=6, hours=23)
    assert account_deletions_complete_due() == 0
    clock.advance(hours=1, seconds=1)
    assert account_deletions_complete_due() == 1


def test_completion_erases_personal_data_and_keeps_the_row(member, thread, clock):
    member.bio = "I live in Lyon."
    member.save()
    watch_set(user=member, level="watching", thread=thread)
    account_deletion_request(user=member)
    clock.advance(days=8)
    assert account_deletion_complete(user_id=member.pk) is True
    member = User.objects.get(pk=member.pk)
    assert member.username == f"deleted-{member.pk}"
    assert (member.email, member.display_name, member.bio) == ("", "", "")
    assert not member.is_active and not member.has_usable_password()
    assert member.deleted_at == clock.now
    assert member.public_name == "deleted member"
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not Watch.objects.filter(user=member).exists()
    # Posts stay, with their text, under the anonymous account.
    assert Post.objects.get(thread=thread, position=1).body == "It fails **every** time."
    assert account_deletion_complete(user_id=member.pk) is False


def test_posts_show_deleted_member_on_thread_list_search_and_feeds(
    client, member, other_member, thread, clock
):
    forum_services.post_create(thread=thread, author=other_member, body="Did you try again?")
    account_deletion_request(user=member)
    clock.advance(days=8)
    account_deletions_complete_due()
    thread_page = client.get(thread.get_absolute_url()).content.decode()
    assert "deleted member" in thread_page and "Jamie" not in thread_page
    assert "Priya" in thread_page
    board_page = client.get(thread.board.get_absolute_url()).content.decode()
    assert "by deleted member" in board_page
    feed = client.get(reverse("forum:board-feed-rss", kwargs={"board_slug": "help"}))
    assert b"deleted member" in feed.content and b"Jamie" not in feed.content
    search = client.get(reverse("forum:search"), {"q": "fails"}).content.decode()
    assert "deleted member" in search and "Jamie" not in search
    # The name is no link: the profile is gone.
    assert f'href="/u/deleted-{member.pk}/"' not in thread_page
    assert client.get("/u/jamie/").status_code == 404
    assert client.get(f"/u/deleted-{member.pk}/").status_code == 404


def test_mentions_no_longer_resolve_to_a_deleted_member(member, clock):
    account_deletion_request(user=member)
    clock.advance(days=8)
    account_deletions_complete_due()
    assert mentioned_users("Thanks @jamie") == []
    assert mentioned_users(f"Thanks @deleted-{member.pk}") == []


def test_the_moderation_log_keeps_pointing_at_the_same_account(
    guidelines, moderator, member, thread, clock
):
    action = post_hide(actor=moderator, post=thread.posts.get(), rule_codes=["G3"])
    account_deletion_request(user=member)
    clock.advance(days=8)
    account_deletions_complete_due()
    action = ModerationAction.objects.get(pk=action.pk)
    assert action.member_id == member.pk and action.rules == ["G3"]
    assert action.member.public_name == "deleted member"


def test_a_deleted_moderator_reads_as_deleted_member_in_the_log(
    client, guidelines, moderator, admin_user, member, thread, clock
):
    post_hide(actor=moderator, post=thread.posts.get(), rule_codes=["G3"])
    account_deletion_request(user=moderator)
    clock.advance(days=8)
    account_deletions_complete_due()
    client.force_login(admin_user)
    log = client.get(reverse("moderation:log")).content.decode()
    assert "Morgan" not in log and "deleted member" in log


def test_erasing_posts_replaces_text_and_every_revision(member, other_member, thread, clock):
    opening = thread.posts.get()
    forum_services.post_edit(post=opening, editor=member, body="My secret server name is zeta.")
    reply = forum_services.post_create(thread=thread, author=other_member, body="Try restarting.")
    account_deletion_request(user=member, erase_posts=True)
    clock.advance(days=8)
    account_deletions_complete_due()
    opening.refresh_from_db()
    assert "erased at its author's request" in opening.body
    assert "zeta" not in opening.body_html
    assert not PostRevision.objects.filter(post=opening, body__contains="zeta").exists()
    assert not PostRevision.objects.filter(post=opening, body__contains="fails").exists()
    reply.refresh_from_db()
    assert reply.body == "Try restarting."
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_erased_words_leave_search(client, member, thread, clock):
    def hits() -> int:
        return (
            client.get(reverse("forum:search"), {"q": "fails"})
            .content.decode()
            .count('search-hit__meta"')
        )

    assert hits() == 1
    account_deletion_request(user=member, erase_posts=True)
    clock.advance(days=8)
    account_deletions_complete_due()
    assert hits() == 0


def test_erasing_is_ignored_when_the_site_does_not_allow_it(client, member, thread, settings):
    settings.ACCOUNT_DELETION_ALLOW_ERASE_POSTS = False
    client.force_login(member)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert 'name="erase_posts"' not in page
    account_deletion_request(user=member, erase_posts=True)
    member.refresh_from_db()
    assert member.deletion_erase_posts is False


def test_admins_see_pending_deletions(client, admin_user, member, other_member):
    account_deletion_request(user=member)
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_user_changelist"), {"deletion": "pending"})
    content = page.content.decode()
    assert page.status_code == 200
    assert "jamie" in content and "priya" not in content


def test_the_management_command_completes_due_deletions(member, capsys, clock):
    account_deletion_request(user=member)
    clock.advance(days=8)
    call_command("complete_account_deletions")
    assert "1 account(s) deleted" in capsys.readouterr().out
    member.refresh_from_db()
    assert member.deleted_at is not None


def test_a_blocked_member_can_still_ask_for_deletion(client, guidelines, moderator, member):
    from moderation.services import block_create

    block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="Insults."
    )
    assert _delete_via_page(client, member).status_code == 302
    member.refresh_from_db()
    assert member.deletion_requested_at is not None


def test_wrong_passwords_are_limited_so_an_open_session_cannot_guess(client, member):
    for _ in range(5):
        response = _delete_via_page(client, member, password="guess")
        assert b"That is not your password" in response.content
    refused = _delete_via_page(client, member)  # even the right one, for an hour
    assert refused.status_code == 400
    assert b"Too many wrong passwords" in refused.content
    member.refresh_from_db()
    assert member.deletion_requested_at is None


def test_the_periodic_task_completes_deletions_queued_from_the_command(member, clock):
    account_deletion_request(user=member)
    clock.advance(days=8)
    call_command("complete_account_deletions", "--queue")
    member.refresh_from_db()
    assert member.deleted_at is None
    assert run_ready_tasks() == 1
    member.refresh_from_db()
    assert member.deleted_at is not None


def test_an_accepted_answer_by_a_deleted_member_names_them_without_a_link(
    client, member, other_member, make_thread, clock
):
    from forum.services.answers import answer_accept

    question = make_thread(other_member, title="Sync stops at midnight")
    answer = forum_services.post_create(thread=question, author=member, body="Set the zone.")
    answer_accept(thread=question, post=answer, actor=other_member)
    account_deletion_request(user=member)
    clock.advance(days=8)
    account_deletions_complete_due()
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'class="accepted-answer__author">deleted member<' in page
    assert f'href="/u/deleted-{member.pk}/"' not in page
