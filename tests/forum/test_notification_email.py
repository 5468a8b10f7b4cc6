"""Notification emails leave after commit through the task queue, honour each member's
preference, carry a one-click unsubscribe, never leak hidden posts, and survive a mail
server outage."""

from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from forum.models import ContactMessage, Notification
from forum.services import notifications, post_create
from forum.tasks import send_notification_emails
from moderation.services import post_hide

Frequency = User.EmailFrequency

# Every test commits for real: "after commit" means a real commit, and the worker
# reconnects to the database (close_old_connections), which on PostgreSQL would drop a
# test's surrounding transaction. Serialized rollback restores the migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def notification_mail(to):
    """Messages in the outbox to ``to`` that are notification emails (moderation and
    account emails go to the same outbox)."""
    return [m for m in mail.outbox if m.to == [to.email] and "List-Unsubscribe" in m.extra_headers]


def set_frequency(user, frequency):
    notifications.email_frequency_set(user=user, frequency=frequency)


@pytest.fixture
def reply(thread, other_member):
    """A reply (committed) that notifies the asker, jamie."""

    def make(body="It works for me after the update."):
        return post_create(thread=thread, author=other_member, body=body)

    return make


# --- After commit, never on rollback ------------------------------------------------------


def test_email_goes_out_through_the_worker_after_commit(thread, member, other_member):
    mail.outbox.clear()
    post_create(thread=thread, author=other_member, body="Try turning it off and on")
    # Committed: one queued task, nothing sent from the request itself.
    assert DBTaskResult.objects.count() == 1
    assert notification_mail(member) == []
    run_worker()
    [message] = notification_mail(member)
    assert message.subject == "[Porchlight] Priya replied in “Export drops rows”"
    assert "Try turning it off and on" in message.body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Notification.objects.get(recipient=member).emailed_at is not None


def test_a_rolled_back_reply_queues_and_sends_nothing(thread, member, other_member):
    mail.outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        post_create(thread=thread, author=other_member, body="Never happened")
        raise RuntimeError("rolled back")
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert notification_mail(member) == []


def test_nothing_is_queued_before_commit(thread, other_member):
    with transaction.atomic():
        post_create(thread=thread, author=other_member, body="Reply")
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.count() == 1


# --- The email itself -----------------------------------------------------------------------


def test_email_has_text_html_links_and_one_click_unsubscribe(reply, member, settings):
    settings.SITE_URL = "https://forum.example.org"
    post = reply()
    run_worker()
    [message] = notification_mail(member)
    token = notifications.unsubscribe_token(member)
    unsubscribe = f"https://forum.example.org/unsubscribe/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert f"https://forum.example.org/p/{post.pk}/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert unsubscribe in html and f"https://forum.example.org/p/{post.pk}/" in html
    assert "It works for me after the update." in html


def test_html_email_escapes_post_text(reply, member):
    reply(body="<script>alert(1)</script> & more")
    run_worker()
    [message] = notification_mail(member)
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script> & more" in message.body  # plain text stays plain


def test_one_email_per_notification_and_never_twice(reply, member):
    reply()
    run_worker()
    assert len(notification_mail(member)) == 1
    # The same notification queued again (a retry) is not sent again.
    send_notification_emails.enqueue(
        notification_ids=list(Notification.objects.values_list("pk", flat=True))
    )
    run_worker()
    assert len(notification_mail(member)) == 1


# --- Re-checked when the task runs ------------------------------------------------------------


def test_post_hidden_before_the_task_runs_is_not_emailed(reply, member, moderator, guidelines):
    post = reply(body="Something rude")
    post_hide(actor=moderator, post=post, rule_codes=["G1"])
    run_worker()
    assert notification_mail(member) == []
    assert Notification.objects.get(recipient=member).emailed_at is None


def test_notification_read_before_the_task_runs_is_not_emailed(reply, member):
    reply()
    notifications.notifications_mark_all_read(user=member)
    run_worker()
    assert notification_mail(member) == []


def test_member_who_switched_to_never_before_the_task_runs_gets_nothing(reply, member):
    reply()
    set_frequency(member, Frequency.NEVER)
    run_worker()
    assert notification_mail(member) == []


# --- Preferences ------------------------------------------------------------------------------


def test_never_means_no_task_and_no_digest(reply, member, clock):
    set_frequency(member, Frequency.NEVER)
    reply()
    assert not DBTaskResult.objects.exists()
    clock.advance(hours=2)
    call_command("send_digests", stdout=StringIO())
    run_worker()
    assert notification_mail(member) == []
    assert Notification.objects.filter(recipient=member).count() == 1  # in-app still


def test_daily_means_no_immediate_mail_and_one_digest(reply, thread, member, staff, clock):
    set_frequency(member, Frequency.DAILY)
    reply(body="First reply")
    post_create(thread=thread, author=staff, body="Staff answer")
    run_worker()
    assert notification_mail(member) == []
    clock.advance(hours=3)
    call_command("send_digests", stdout=StringIO())
    run_worker()
    [digest] = notification_mail(member)
    assert digest.subject == "[Porchlight] 2 new notifications today"
    assert digest.body.count("First reply") == 1
    assert digest.body.count("Staff answer") == 1
    assert "Sam from staff replied to your question “Export drops rows”" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    assert notifications.unsubscribe_token(member) in digest.alternatives[0][0]
    # Run again: nothing new, nothing sent.
    call_command("send_digests", stdout=StringIO())
    run_worker()
    assert len(notification_mail(member)) == 1
    assert not Notification.objects.filter(recipient=member, emailed_at__isnull=True).exists()


def test_digest_leaves_out_hidden_read_and_old_notifications(
    reply, member, moderator, guidelines, clock
):
    set_frequency(member, Frequency.DAILY)
    old = reply(body="Old news")
    clock.advance(days=2)
    hidden = reply(body="Rude words")
    read = reply(body="Already seen")
    reply(body="Fresh news")
    post_hide(actor=moderator, post=hidden, rule_codes=["G1"])
    notifications.notification_mark_read(
        notification=Notification.objects.get(post=read), user=member
    )
    call_command("send_digests", stdout=StringIO())
    run_worker()
    [digest] = notification_mail(member)
    assert "Fresh news" in digest.body
    for absent in ("Old news", "Rude words", "Already seen"):
        assert absent not in digest.body
        assert absent not in digest.alternatives[0][0]
    assert old.pk  # created outside the window


def test_immediate_members_get_no_digest(reply, member, clock):
    reply()
    run_worker()
    call_command("send_digests", stdout=StringIO())
    run_worker()
    assert len(notification_mail(member)) == 1


# --- A mail server outage loses nothing ------------------------------------------------------


def test_smtp_failure_marks_the_task_failed_and_a_retry_sends_it(
    reply, member, monkeypatch, clock, caplog
):
    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailBackend, "send_messages", refuse)
        reply()
        run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"
    note = Notification.objects.get(recipient=member)
    assert note.emailed_at is None  # kept for the retry
    assert "will retry" in caplog.text
    assert notification_mail(member) == []

    # Too early to call it failed: a retry does not queue it yet.
    call_command("send_digests", "--retry-only", stdout=StringIO())
    assert DBTaskResult.objects.count() == 1
    clock.advance(minutes=11)
    call_command("send_digests", "--retry-only", stdout=StringIO())
    run_worker()
    assert len(notification_mail(member)) == 1
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_one_failing_recipient_does_not_stop_the_others(
    thread, member, other_member, make_user, monkeypatch
):
    third = make_user("kai")
    post_create(thread=thread, author=other_member, body="Watching now")
    run_worker()  # jamie hears of that reply; priya now watches the thread
    DBTaskResult.objects.all().delete()
    original = EmailBackend.send_messages

    def refuse_jamie(self, messages):
        if messages[0].to == [member.email]:
            raise OSError("mailbox unavailable")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_jamie)
    post_create(thread=thread, author=third, body="Hello both")
    mail.outbox.clear()
    run_worker()
    assert len(notification_mail(other_member)) == 1
    assert Notification.objects.get(recipient=member, post__body="Hello both").emailed_at is None
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1


def test_members_without_an_email_address_are_skipped(reply, member):
    User.objects.filter(pk=member.pk).update(email="")
    member.refresh_from_db()
    reply()
    run_worker()
    assert not [m for m in mail.outbox if "List-Unsubscribe" in m.extra_headers]


def test_contact_notifications_are_in_app_only(staff):
    """The contact service emails staff itself; this queue must not send a second copy."""
    message = ContactMessage.objects.create(
        topic="other", email="v@example.com", subject="Hi", body="…", created_at=timezone.now()
    )
    created = notifications.contact_message_received(message=message)
    assert [n.recipient for n in created] == [staff]
    assert not DBTaskResult.objects.filter(task_path__contains="send_notification_emails").exists()
