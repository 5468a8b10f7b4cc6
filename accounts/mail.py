"""The outbox: the one door every email leaves by.

``email_enqueue(message=…)`` stores the whole message as an ``OutboundEmail`` row in the
caller's transaction and, once that commits, queues ``deliver_email`` in the task worker.
Nothing talks to a mail server inside a request, a rolled-back write mails nothing, and a
mail server outage delays mail without losing any:

* ``deliver_email`` locks the row, does nothing if it is no longer queued (so running it
  twice sends once), sends with the configured ``EMAIL_BACKEND`` and marks it sent;
* a failure is recorded on the row (``attempts``, ``last_error``) and the task queues
  itself again with exponential backoff (``RETRY_DELAYS``: minutes at first, hours later,
  about a day in all); after ``MAX_ATTEMPTS`` the row is ``dead`` and logged at ERROR,
  once. A recipient the server refuses for good (5xx) is dead at once;
* dead mail is listed in Django admin (Outbound emails, "Dead" filter) and sent again
  with ``email_resend`` (the admin action "Re-send");
* ``email_requeue_overdue`` (``manage.py send_queued_email``, and the hourly
  ``send_digests --retry-only``) queues again any queued row whose task was lost, e.g.
  the worker's database went away between the commit and the enqueue;
  ``send_queued_email --now`` sends every queued row at once (after a long outage), and
  ``send_queued_email`` prunes sent mail after ``KEEP_SENT``.

The row lock is held while the server is talked to, so two workers never send the same
row; the price is that a worker killed mid-send leaves the row queued and it is sent
again by the sweeper (at least once — the Message-ID stays the same, so mail clients
show it once).
"""

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.message import DNS_NAME
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from accounts.models import OutboundEmail

logger = logging.getLogger("porchlight.mail")

Status = OutboundEmail.Status

# The wait after the 1st, 2nd, … failed attempt. Eight attempts over about 22 hours:
# a short blip costs minutes, an outage of a working day still delivers everything.
RETRY_DELAYS = (
    timedelta(minutes=3),
    timedelta(minutes=9),
    timedelta(minutes=27),
    timedelta(minutes=81),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A queued row whose attempt is this much overdue has lost its task; the sweeper queues
# it again. Generous, so a worker that is merely busy is not handed duplicates.
OVERDUE_AFTER = timedelta(minutes=10)
ERROR_MAX = 2000
# Sent mail is kept this long (to answer "did it go out?"), then pruned.
KEEP_SENT = timedelta(days=14)


def email_enqueue(*, message: EmailMessage, kind: str = "") -> OutboundEmail:
    """Store ``message`` for delivery and queue its delivery once the current transaction
    commits (at once when there is none). Returns the row. Attachments are not supported
    (nothing sends any); a message with them is refused rather than sent without them."""
    if message.attachments:
        raise ValueError("The outbox does not store attachments.")
    headers = dict(message.extra_headers)
    lowered = {name.lower() for name in headers}
    # Fixed now, so every retry is the same message: receivers de-duplicate on Message-ID,
    # and the Date is when it was written, not when the server came back.
    if "message-id" not in lowered:
        headers["Message-ID"] = make_msgid(domain=_message_id_domain())
    if "date" not in lowered:
        headers["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
    now = timezone.now()
    row = OutboundEmail.objects.create(
        kind=kind[:100],
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        subject=str(message.subject),
        body=str(message.body),
        content_subtype=message.content_subtype,
        alternatives=[
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        headers=headers,
        created_at=now,
        next_attempt_at=now,
    )
    _deliver_on_commit(row.pk)
    return row


def _message_id_domain() -> str:
    """The site's own host name, so queueing a mail in a request never waits for the
    reverse-DNS lookup Django's default (the machine's FQDN) may need."""
    return urlsplit(settings.SITE_URL).hostname or str(DNS_NAME)


def _deliver_on_commit(email_id: int, *, run_after=None) -> None:
    def enqueue():
        runner = deliver_email.using(run_after=run_after) if run_after else deliver_email
        runner.enqueue(email_id=email_id)

    # robust: a failed enqueue (database gone at that instant) must not break the caller,
    # whose write already committed; the sweeper finds the row.
    transaction.on_commit(enqueue, robust=True)


def _as_message(row: OutboundEmail) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
        alternatives=[(content, mimetype) for content, mimetype in row.alternatives],
    )
    message.content_subtype = row.content_subtype
    return message


def _refused_for_good(exc: Exception) -> bool:
    """Every recipient refused with a permanent (5xx) reply: retrying cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return all(code >= 500 for code, _ in exc.recipients.values())
    return False


@task()
def deliver_email(*, email_id: int) -> str:
    """Send one queued email. Returns what happened: "sent", "retry", "dead", or
    "skipped" (already sent, dead, or gone — e.g. the task ran twice)."""
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if row is None or row.status != Status.QUEUED:
            return "skipped"
        now = timezone.now()
        try:
            sent = get_connection().send_messages([_as_message(row)])
            if not sent and row.to + row.cc + row.bcc:
                raise smtplib.SMTPException("The mail backend reported nothing sent.")
        except Exception as exc:  # refusals, timeouts, DNS, TLS…: recorded and retried
            return _record_failure(row, exc, now=now)
        row.status = Status.SENT
        row.attempts += 1
        row.sent_at = now
        row.next_attempt_at = None
        row.save(update_fields=["status", "attempts", "sent_at", "next_attempt_at"])
        return "sent"


def _record_failure(row: OutboundEmail, exc: Exception, *, now) -> str:
    row.attempts += 1
    row.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    fields = ["attempts", "last_error", "next_attempt_at", "status", "dead_at"]
    if row.attempts >= MAX_ATTEMPTS or _refused_for_good(exc):
        row.status = Status.DEAD
        row.dead_at = now
        row.next_attempt_at = None
        row.save(update_fields=fields)
        # The one ERROR per email: it needs a person (see docs/operations.md, "Mail").
        logger.error(
            "Email %s (%s) to %s is dead after %d attempt(s): %s. Re-send it from the admin "
            "(Outbound emails) once the cause is fixed.",
            row.pk,
            row.kind or "mail",
            ", ".join(row.to + row.cc + row.bcc),
            row.attempts,
            row.last_error,
        )
        return "dead"
    delay = RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1]
    row.next_attempt_at = now + delay
    row.save(update_fields=fields)
    logger.warning(
        "Email %s attempt %d failed (%s); next attempt at %s.",
        row.pk,
        row.attempts,
        row.last_error,
        row.next_attempt_at.isoformat(timespec="seconds"),
    )
    _deliver_on_commit(row.pk, run_after=row.next_attempt_at)
    return "retry"


@transaction.atomic
def email_resend(*, emails: Iterable[OutboundEmail] | QuerySet) -> int:
    """Queue dead emails again with a fresh set of attempts (the last error is kept until
    the next attempt replaces it). Sent and still-queued emails are left alone, so nothing
    is sent twice. Returns how many were queued."""
    ids = [e.pk for e in emails]
    now = timezone.now()
    rows = list(OutboundEmail.objects.select_for_update().filter(pk__in=ids, status=Status.DEAD))
    for row in rows:
        row.status = Status.QUEUED
        row.attempts = 0
        row.dead_at = None
        row.next_attempt_at = now
        row.save(update_fields=["status", "attempts", "dead_at", "next_attempt_at"])
        _deliver_on_commit(row.pk)
    return len(rows)


@transaction.atomic
def email_withdraw(*, email_ids: Iterable[int]) -> list[int]:
    """Take back emails not sent yet (what they say is no longer true, e.g. the post they
    quote was deleted as spam): queued or dead rows are deleted, so their pending delivery
    finds nothing. A row being sent at this instant is left to go (it is locked; waiting
    for the mail server inside the caller's transaction would hold its locks). Returns
    the ids taken back."""
    rows = (
        OutboundEmail.objects.select_for_update(skip_locked=True)
        .filter(pk__in=list(email_ids), status__in=[Status.QUEUED, Status.DEAD])
        .order_by("pk")
    )
    withdrawn = list(rows.values_list("pk", flat=True))
    OutboundEmail.objects.filter(pk__in=withdrawn).delete()
    return withdrawn


def email_requeue_overdue() -> int:
    """Queue again every queued email whose attempt is more than ``OVERDUE_AFTER`` late
    (its task was lost). A duplicate task is harmless: delivery locks the row and skips
    what is no longer queued. Returns how many were queued."""
    cutoff = timezone.now() - OVERDUE_AFTER
    ids = list(
        OutboundEmail.objects.filter(status=Status.QUEUED, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )
    for email_id in ids:
        deliver_email.enqueue(email_id=email_id)
    return len(ids)


def email_retry_now() -> int:
    """Queue delivery of every queued email now, without waiting for its backoff: for an
    operator whose mail server is back after a long outage. The retries already scheduled
    find them sent and skip. Returns how many were queued."""
    ids = list(
        OutboundEmail.objects.filter(status=Status.QUEUED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    for email_id in ids:
        deliver_email.enqueue(email_id=email_id)
    return len(ids)


@transaction.atomic
def email_prune_sent(*, older_than: timedelta = KEEP_SENT) -> int:
    """Delete sent emails older than ``older_than``: they carry links (password resets,
    sign-in confirmations) that should not sit in the database for good. Dead and queued
    mail is kept until it is sent. Returns how many were deleted."""
    cutoff = timezone.now() - older_than
    deleted, _ = OutboundEmail.objects.filter(status=Status.SENT, sent_at__lt=cutoff).delete()
    return deleted


def dead_email_count() -> int:
    return OutboundEmail.objects.filter(status=Status.DEAD).count()
