"""No mail is lost when the mail server is down: every kind of email is written to the
outbox in the request (or task) that decides it, delivered by the task worker, retried
with backoff while a real SMTP server on 127.0.0.1 is down, delivered exactly once when
it is back, and — after the last attempt — dead, shown to admins and sent again on
request."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts import mail as outbox
from accounts.mail import MAX_ATTEMPTS, RETRY_DELAYS, deliver_email, email_enqueue
from accounts.models import OutboundEmail
from forum.models import Notification
from forum.services import emails, notifications, post_create
from tests.task_runner import run_worker
from tests.threads import run_together

Status = OutboundEmail.Status

# The worker reconnects to the database, so everything here commits for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSPHRASE = "a long enough passphrase"


# --- One way to cause each kind of mail; each returns (recipient, words in the subject) ---


def notification(request, client):
    thread, other_member = (
        request.getfixturevalue("thread"),
        request.getfixturevalue("other_member"),
    )
    client.force_login(other_member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "Me too", "submission_key": "k"})
    assert response.status_code == 302
    return thread.author.email, "Priya replied in"


def digest(request, client):
    thread, member = request.getfixturevalue("thread"), request.getfixturevalue("member")
    notifications.email_frequency_set(user=member, frequency="daily")
    post_create(thread=thread, author=request.getfixturevalue("other_member"), body="Me too")
    request.getfixturevalue("clock").advance(hours=1)
    call_command("send_digests", stdout=StringIO())
    return member.email, "1 new notification today"


def moderation_message(request, client):
    member = request.getfixturevalue("member")
    request.getfixturevalue("guidelines")
    client.force_login(request.getfixturevalue("moderator"))
    response = client.post(
        f"/moderation/members/{member.pk}/block/",
        {"duration": "3d", "rules": ["G3"], "reason": "You called another member an idiot."},
    )
    assert response.status_code == 302
    return member.email, "blocked"


def contact_message(request, client):
    staff = request.getfixturevalue("staff")
    response = client.post(
        "/help/",
        {
            "topic": "account",
            "name": "Vee",
            "email": "vee@example.org",
            "subject": "Locked out of my account",
            "body": "I changed phones and lost my codes. How do I get back in?",
            "website": "",
        },
    )
    assert response.status_code == 302
    return staff.email, "Locked out of my account"


def verification(request, client):
    request.getfixturevalue("db")
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "username": "newbie",
            "password1": PASSPHRASE,
            "password2": PASSPHRASE,
        },
    )
    assert response.status_code == 302
    return "new@example.com", "Please Confirm Your Email Address"


def password_reset(request, client):
    member = request.getfixturevalue("member")
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302  # never a 500 because the mail server is down
    return member.email, "Password Reset"


def email_change(request, client):
    client.force_login(request.getfixturevalue("member"))
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "jamie.new@example.com"}
    )
    assert response.status_code == 302
    return "jamie.new@example.com", "Please Confirm Your Email Address"


KINDS = [
    notification,
    digest,
    moderation_message,
    contact_message,
    verification,
    password_reset,
    email_change,
]


@pytest.mark.parametrize("cause", KINDS, ids=[k.__name__ for k in KINDS])
def test_mail_written_while_smtp_is_down_arrives_once_when_it_is_back(
    cause, request, client, smtp_server, clock
):
    recipient, subject = cause(request, client)  # the server is down: nothing listens
    run_worker()
    [row] = OutboundEmail.objects.filter(to=[recipient])
    assert (row.status, row.attempts) == (Status.QUEUED, 1)
    assert "Connection refused" in row.last_error
    assert row.next_attempt_at == clock.now + RETRY_DELAYS[0]
    # Recorded and rescheduled, not a failed task: the worker carries on.
    assert not DBTaskResult.objects.filter(status="FAILED").exists()

    smtp_server.start()
    run_worker()
    assert smtp_server.messages == []  # not before its backoff is over
    clock.advance(minutes=3)
    run_worker()
    [received] = smtp_server.to(recipient)
    assert subject in received.subject
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at) == (Status.SENT, 2, clock.now)

    # The delivery task run again (a retry that crossed, a sweep): nothing more is sent.
    deliver_email.enqueue(email_id=row.pk)
    run_worker()
    assert deliver_email.call(email_id=row.pk) == "skipped"
    assert len(smtp_server.to(recipient)) == 1


def test_the_request_itself_never_talks_to_the_mail_server(client, member, smtp_server):
    smtp_server.start()
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert smtp_server.messages == []
    assert OutboundEmail.objects.get().status == Status.QUEUED
    run_worker()
    [received] = smtp_server.to(member.email)
    assert "/accounts/password/reset/key/" in received.text()


def test_a_rolled_back_transaction_leaves_no_mail(db, smtp_server):
    smtp_server.start()
    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue(message=mail.EmailMessage("Hi", "Body", to=["a@example.com"]))
        raise RuntimeError("rolled back")
    assert not OutboundEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_message_is_kept_whole(db, smtp_server):
    """Everything a sender sets survives the outbox: addresses, Reply-To, the HTML part,
    headers; Message-ID and Date are fixed when it is queued, so a retry is the same mail."""
    smtp_server.start()
    message = mail.EmailMultiAlternatives(
        subject="Zoë’s “export” question",
        body="Plain text",
        from_email="Porchlight <noreply@example.org>",
        to=["to@example.com"],
        cc=["cc@example.com"],
        bcc=["bcc@example.com"],
        reply_to=["reply@example.com"],
        headers={"List-Unsubscribe": "<https://example.org/u/x/>", "Auto-Submitted": "auto"},
    )
    message.attach_alternative("<p>HTML <b>text</b></p>", "text/html")
    row = email_enqueue(message=message, kind="test")
    run_worker()
    [received] = smtp_server.messages
    assert sorted(received.rcpt_tos) == ["bcc@example.com", "cc@example.com", "to@example.com"]
    assert received.header("From") == "Porchlight <noreply@example.org>"
    assert received.header("Cc") == "cc@example.com"
    assert received.header("Bcc") == ""
    assert received.header("Reply-To") == "reply@example.com"
    assert received.subject == "Zoë’s “export” question"
    assert received.header("List-Unsubscribe") == "<https://example.org/u/x/>"
    assert received.header("Message-ID") == row.headers["Message-ID"]
    assert row.headers["Message-ID"].endswith("@127.0.0.1>")  # SITE_URL's host, no DNS
    assert received.header("Date") == row.headers["Date"]
    assert received.text().strip() == "Plain text"
    assert "<b>text</b>" in received.html()


# --- Dead letters -----------------------------------------------------------------------------


def _exhaust_retries(clock) -> None:
    run_worker()
    for delay in RETRY_DELAYS:
        clock.advance(seconds=delay.total_seconds())
        run_worker()


def test_after_the_last_attempt_the_mail_is_dead_shown_to_admins_and_resent(
    client, member, admin_user, smtp_server, clock, caplog
):
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    with caplog.at_level(logging.WARNING, logger="porchlight.mail"):
        _exhaust_retries(clock)
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts, row.next_attempt_at) == (Status.DEAD, MAX_ATTEMPTS, None)
    assert sum(RETRY_DELAYS, timedelta()) > timedelta(hours=20)  # about a day of trying
    errors = [r for r in caplog.records if r.name == "porchlight.mail" and r.levelname == "ERROR"]
    assert len(errors) == 1  # once per dead mail, not once per attempt
    assert member.email in errors[0].getMessage() and "Re-send" in errors[0].getMessage()
    # Nothing more happens by itself.
    clock.advance(days=2)
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    assert outbox.email_requeue_overdue() == 0

    client.force_login(admin_user)
    index = client.get("/admin/").content.decode()
    assert "1 email could not be delivered after every retry" in index
    changelist = reverse("admin:accounts_outboundemail_changelist")
    listing = client.get(changelist + "?status__exact=dead").content.decode()
    assert "Password Reset" in listing and member.email in listing
    assert "ConnectionRefusedError" in listing
    found = client.get(changelist + "?q=" + member.email).content.decode()
    assert "Password Reset" in found

    smtp_server.start()
    response = client.post(changelist, {"action": "resend", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.QUEUED, 0)
    run_worker()
    [received] = smtp_server.to(member.email)
    assert "Password Reset" in received.subject
    assert "could not be delivered" not in client.get("/admin/").content.decode()

    # Re-sending a mail that was sent does nothing: it is not dead.
    response = client.post(
        changelist, {"action": "resend", "_selected_action": [row.pk]}, follow=True
    )
    assert "were not dead" in response.content.decode()
    run_worker()
    assert len(smtp_server.to(member.email)) == 1


def test_a_recipient_refused_for_good_is_dead_at_once(client, member, smtp_server, caplog):
    smtp_server.start()
    smtp_server.refuse_recipient(member.email, "550 5.1.1 No such user here")
    client.post(reverse("account_reset_password"), {"email": member.email})
    run_worker()
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (Status.DEAD, 1)
    assert "No such user here" in row.last_error
    assert "is dead after 1 attempt" in caplog.text


def test_a_temporary_refusal_is_retried(client, member, smtp_server, clock):
    smtp_server.start()
    smtp_server.refuse("451 4.3.0 Queue full, try again later")
    client.post(reverse("account_reset_password"), {"email": member.email})
    run_worker()
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (Status.QUEUED, 1)
    assert "Queue full" in row.last_error
    smtp_server.refuse("")
    clock.advance(minutes=3)
    run_worker()
    assert len(smtp_server.to(member.email)) == 1


# --- A lost task ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["send_queued_email"], ["send_digests", "--retry-only"]], ids=" ".join
)
def test_queued_mail_whose_task_was_lost_is_swept_up(command, db, smtp_server, clock):
    smtp_server.start()
    email_enqueue(message=mail.EmailMessage("Hi", "Body", to=["a@example.com"]), kind="test")
    DBTaskResult.objects.all().delete()  # the task never reached the queue
    run_worker()
    assert smtp_server.messages == []

    call_command(*command, stdout=StringIO())
    assert not DBTaskResult.objects.exists()  # not overdue yet: the worker may be busy
    clock.advance(minutes=11)
    call_command(*command, stdout=StringIO())
    run_worker()
    assert len(smtp_server.to("a@example.com")) == 1
    call_command(*command, stdout=StringIO())  # sent: nothing to sweep
    run_worker()
    assert len(smtp_server.to("a@example.com")) == 1


# --- Two workers at once (row locks: PostgreSQL only) ----------------------------------------


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only real on PostgreSQL; SQLite serialises writers")


def test_two_workers_delivering_one_mail_send_it_once(postgresql_only, db, smtp_server):
    smtp_server.start()
    row = email_enqueue(message=mail.EmailMessage("Hi", "Body", to=["a@example.com"]))
    results, errors = run_together(
        lambda: deliver_email.call(email_id=row.pk), lambda: deliver_email.call(email_id=row.pk)
    )
    assert errors == [None, None]
    assert sorted(results) == ["sent", "skipped"]
    assert len(smtp_server.to("a@example.com")) == 1


def test_two_workers_emailing_one_notification_write_one_mail(
    postgresql_only, thread, member, other_member, smtp_server
):
    post_create(thread=thread, author=other_member, body="Me too")
    [note] = Notification.objects.filter(recipient=member)
    results, errors = run_together(
        lambda: emails.email_send_immediate(notification_ids=[note.pk]),
        lambda: emails.email_send_immediate(notification_ids=[note.pk]),
    )
    assert errors == [None, None]
    assert sorted(results) == [0, 1]
    assert OutboundEmail.objects.filter(to=[member.email]).count() == 1


def test_send_queued_email_now_skips_the_backoff_after_a_long_outage(db, smtp_server, clock):
    email_enqueue(message=mail.EmailMessage("Hi", "Body", to=["a@example.com"]), kind="test")
    run_worker()
    clock.advance(minutes=3)
    run_worker()
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (Status.QUEUED, 2)  # next try in 9 minutes
    smtp_server.start()
    call_command("send_queued_email", "--now", stdout=StringIO())
    run_worker()
    assert len(smtp_server.to("a@example.com")) == 1
    clock.advance(minutes=9)  # the retry that was scheduled finds it sent
    run_worker()
    assert len(smtp_server.to("a@example.com")) == 1


def test_sent_mail_is_pruned_after_two_weeks_dead_and_queued_mail_is_kept(db, smtp_server, clock):
    smtp_server.start()
    sent = email_enqueue(message=mail.EmailMessage("Sent", "Body", to=["a@example.com"]))
    run_worker()
    smtp_server.refuse_recipient("dead@example.com", "550 5.1.1 No such user")
    dead = email_enqueue(message=mail.EmailMessage("Dead", "Body", to=["dead@example.com"]))
    run_worker()
    smtp_server.stop()
    queued = email_enqueue(message=mail.EmailMessage("Queued", "Body", to=["q@example.com"]))
    clock.advance(days=13)
    call_command("send_queued_email", stdout=StringIO())
    assert OutboundEmail.objects.filter(pk=sent.pk).exists()
    clock.advance(days=2)
    call_command("send_queued_email", stdout=StringIO())
    assert set(OutboundEmail.objects.values_list("pk", "status")) == {
        (dead.pk, Status.DEAD),
        (queued.pk, Status.QUEUED),
    }
