"""Notification emails leave after commit through the task queue, honour each member's
preference, carry a one-click unsubscribe, never leak hidden posts, and survive a mail
server outage."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.mail import deliver_email
from accounts.models import OutboundEmail, User
from forum.models import ContactMessage, Notification
from forum.selectors.notifications import unsubscribe_token, user_for_unsubscribe_token
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
    # The notification task wrote the email to the outbox; its delivery task sent it.
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("accounts.mail.deliver_email", "SUCCESSFUL"),
        ("forum.tasks.send_notification_emails", "SUCCESSFUL"),
    ]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
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
    # The token is signed with a timestamp, so read it from the header rather than
    # signing again (a second may have passed).
    header = message.extra_headers["List-Unsubscribe"]
    token = header.removeprefix("<https://forum.example.org/unsubscribe/").removesuffix("/>")
    assert user_for_unsubscribe_token(token) == member
    unsubscribe = f"https://forum.example.org/unsubscribe/{token}/"
    assert header == f"<{unsubscribe}>"
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
    assert unsubscribe_token(member) in digest.alternatives[0][0]
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


# --- A mail server outage loses nothing (a real SMTP server on 127.0.0.1) -------------------


def test_smtp_outage_keeps_the_email_queued_and_it_goes_out_once_when_back(
    reply, member, smtp_server, clock
):
    reply()  # the mail server is down: nothing listens on its port
    run_worker()
    note = Notification.objects.get(recipient=member)
    assert note.emailed_at is not None  # handed to the outbox, never to be queued twice
    row = OutboundEmail.objects.get()
    assert (row.kind, row.status, row.attempts) == ("notification", "queued", 1)
    assert "Connection refused" in row.last_error
    # The outage fails no task: the delivery task recorded it and queued its retry.
    assert not DBTaskResult.objects.filter(status="FAILED").exists()

    smtp_server.start()
    run_worker()
    assert smtp_server.to(member.email) == []  # the retry waits for its backoff
    clock.advance(minutes=3)
    run_worker()
    [received] = smtp_server.to(member.email)
    assert received.subject == "[Porchlight] Priya replied in “Export drops rows”"
    unsubscribe = received.header("List-Unsubscribe")
    token = unsubscribe.removeprefix("<http://127.0.0.1:8000/unsubscribe/").removesuffix("/>")
    assert user_for_unsubscribe_token(token) == member
    assert received.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert "It works for me after the update." in received.html()

    # The notification queued again, and the delivery task run again: still one email.
    send_notification_emails.enqueue(notification_ids=[note.pk])
    deliver_email.enqueue(email_id=row.pk)
    run_worker()
    assert len(smtp_server.to(member.email)) == 1
    assert OutboundEmail.objects.count() == 1


def test_a_refused_recipient_does_not_hold_up_the_others(
    thread, member, other_member, make_user, smtp_server, clock
):
    smtp_server.start()
    third = make_user("kai")
    post_create(thread=thread, author=other_member, body="Watching now")
    run_worker()  # jamie hears of that reply; priya now watches the thread
    smtp_server.refuse_recipient(member.email, "450 4.2.1 Mailbox busy")
    post_create(thread=thread, author=third, body="Hello both")
    run_worker()
    assert ["Hello both" in m.text() for m in smtp_server.to(other_member.email)] == [True]
    jamie = OutboundEmail.objects.get(to=[member.email], body__contains="Hello both")
    assert (jamie.status, jamie.attempts) == ("queued", 1)
    assert "450" in jamie.last_error
    smtp_server.accept_recipient(member.email)
    clock.advance(minutes=3)
    run_worker()
    assert ["Hello both" in m.text() for m in smtp_server.to(member.email)] == [False, True]


def test_smtp_outage_holds_the_daily_digest_until_the_server_is_back(
    reply, thread, member, staff, smtp_server, clock
):
    set_frequency(member, Frequency.DAILY)
    reply(body="First reply")
    post_create(thread=thread, author=staff, body="Staff answer")
    clock.advance(hours=3)
    call_command("send_digests", stdout=StringIO())
    run_worker()
    digest = OutboundEmail.objects.get(kind="digest")
    assert (digest.status, digest.attempts) == ("queued", 1)
    assert not Notification.objects.filter(recipient=member, emailed_at__isnull=True).exists()
    # The digest command run again meanwhile does not write a second digest.
    call_command("send_digests", stdout=StringIO())
    run_worker()
    assert OutboundEmail.objects.filter(kind="digest").count() == 1

    smtp_server.start()
    clock.advance(minutes=3)
    run_worker()
    deliver_email.call(email_id=digest.pk)  # a duplicate run sends nothing more
    [received] = smtp_server.to(member.email)
    assert received.subject == "[Porchlight] 2 new notifications today"
    assert "First reply" in received.text() and "Staff answer" in received.text()
    assert received.header("List-Unsubscribe").startswith("<http://127.0.0.1:8000/unsubscribe/")


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
