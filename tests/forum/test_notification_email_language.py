"""Notification emails are written in the member's own language: the worker has no
browser to ask, so the member's Language setting decides, and the site's language
otherwise."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from accounts.services import profile_update
from forum.services import notifications, post_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def mail_to(user):
    return [
        m for m in mail.outbox if m.to == [user.email] and "List-Unsubscribe" in m.extra_headers
    ]


def speaks(user, language):
    profile_update(user=user, display_name=user.display_name, bio="", language=language)


def test_a_member_reading_in_french_gets_the_notification_email_in_french(
    thread, member, other_member
):
    speaks(member, "fr")
    mail.outbox.clear()
    post_create(thread=thread, author=other_member, body="Essayez de redémarrer.")
    run_worker()
    [message] = mail_to(member)
    assert message.subject == "[Porchlight] Priya a répondu dans « Export drops rows »"
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html


def test_the_daily_digest_is_in_the_member_language_and_english_stays_english(
    thread, member, other_member, staff, clock
):
    speaks(member, "fr")
    speaks(staff, "")
    notifications.email_frequency_set(user=member, frequency=User.EmailFrequency.DAILY)
    post_create(thread=thread, author=other_member, body="First reply")
    post_create(thread=thread, author=staff, body="Staff answer")
    run_worker()
    clock.advance(hours=3)
    mail.outbox.clear()
    call_command("send_digests", stdout=StringIO())
    run_worker()
    [digest] = mail_to(member)
    assert digest.subject == "[Porchlight] 2 nouvelles notifications aujourd’hui"
