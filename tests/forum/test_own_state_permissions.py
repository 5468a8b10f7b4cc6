"""A member's writes to their own state have their one check too: dismissing a notice,
reading notifications, the email setting, marking a thread read. Visitors and closed
accounts are refused with a reason; members are allowed; the views refuse through the
check."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts.models import User
from forum.models import Notification, ReadMarker
from forum.permissions import (
    check_change_notification_settings,
    check_dismiss_notice,
    check_mark_thread_read,
    check_read_notifications,
)
from forum.services import post_create

OWN_STATE_CHECKS = {
    "dismiss a notice": (check_dismiss_notice, lambda thread: ()),
    "read notifications": (check_read_notifications, lambda thread: ()),
    "notification settings": (check_change_notification_settings, lambda thread: ()),
    "mark a thread read": (check_mark_thread_read, lambda thread: (thread,)),
}


def reason(check, *args) -> str:
    with pytest.raises(PermissionDenied) as exc:
        check(*args)
    return str(exc.value)


@pytest.mark.parametrize("action", OWN_STATE_CHECKS)
def test_visitors_are_asked_to_sign_in(action, thread):
    check, extra = OWN_STATE_CHECKS[action]
    assert "Please sign in first" in reason(check, AnonymousUser(), *extra(thread))


@pytest.mark.parametrize("action", OWN_STATE_CHECKS)
def test_closed_accounts_are_refused(action, member, thread):
    check, extra = OWN_STATE_CHECKS[action]
    member.is_active = False
    assert "closed" in reason(check, member, *extra(thread))


@pytest.mark.parametrize("action", OWN_STATE_CHECKS)
def test_members_are_allowed(action, member, other_member, thread):
    check, extra = OWN_STATE_CHECKS[action]
    check(other_member, *extra(thread))


def test_a_visitor_marking_a_thread_read_gets_the_checks_reason(client, thread):
    markers = list(ReadMarker.objects.values_list("user_id", "position"))
    response = client.post(f"/t/{thread.pk}/read/", {"position": "1"})
    assert response.status_code == 403
    assert "keeping your place needs an account" in response.content.decode()
    assert list(ReadMarker.objects.values_list("user_id", "position")) == markers


def test_a_member_marking_a_thread_read_is_allowed(client, thread, other_member):
    client.force_login(other_member)
    response = client.post(f"/t/{thread.pk}/read/", {"position": "1"})
    assert response.status_code == 204
    assert ReadMarker.objects.get(user=other_member, thread=thread).position == 1


def test_a_closed_account_changes_none_of_its_own_state(client, thread, member, other_member):
    post_create(thread=thread, author=other_member, body="A reply for the notification.")
    note = Notification.objects.get(recipient=member)
    client.force_login(member)
    User.objects.filter(pk=member.pk).update(is_active=False)
    answers = [
        client.post(f"/t/{thread.pk}/read/", {"position": "2"}),
        client.post(f"/notifications/{note.pk}/read/"),
        client.post("/notifications/read-all/"),
        client.post("/notifications/settings/", {"email_frequency": "never"}),
    ]
    assert [response.status_code for response in answers] == [403, 302, 302, 302]
    assert all(r["Location"].startswith("/accounts/login/") for r in answers[1:])
    note.refresh_from_db()
    member.refresh_from_db()
    assert note.read_at is None
    assert member.email_frequency != User.EmailFrequency.NEVER
    # The thread's author read their own opening post; the reply stays unread.
    assert ReadMarker.objects.get(user=member, thread=thread).position == 1


def test_a_member_changes_their_own_notification_emails(client, member):
    client.force_login(member)
    response = client.post("/notifications/settings/", {"email_frequency": "never"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email_frequency == User.EmailFrequency.NEVER
