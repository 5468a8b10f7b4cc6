"""Webhook deliveries: turning an event into one stored delivery per listening webhook,
and sending a delivery (signed, with retries, backoff and automatic disabling).

The task worker calls these through ``forum.tasks`` (``dispatch_webhook_event`` and
``deliver_webhook``); the tasks queue what these return, so this module never imports
the tasks.

Wire format (docs/api.md, "Webhooks"): a POST of the stored body with
``Content-Type: application/json``, ``User-Agent: Porchlight-Webhooks/1``,
``Porchlight-Event``, ``Porchlight-Delivery`` (the delivery's id: the same on every
retry and on a redelivery by hand) and ``Porchlight-Signature: t=<unix seconds>,v1=<hex
HMAC-SHA256(secret, "<t>.<body>")>``, t being the attempt's time.

Like the outbox (accounts.mail), the delivery row is locked while the receiver is talked
to, so two workers never send it at once, and an attempt runs only while the row is
queued, so a task run twice sends once. A receiver that answers 2xx has it; anything
else (another status, a redirect, a refused connection, a timeout) is a failed attempt,
retried after ``RETRY_DELAYS``. A webhook whose attempts fail
``WEBHOOK_DISABLE_AFTER`` times in a row is disabled and every site admin is emailed."""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext

from accounts.mail import email_enqueue
from accounts.models import User
from accounts.roles import Role
from forum import webhook_payloads
from forum.models import Webhook, WebhookAttempt, WebhookDelivery
from forum.webhook_transport import TargetRefused, describe_failure, post, signature

logger = logging.getLogger("porchlight.webhooks")

Status = WebhookDelivery.Status
USER_AGENT = "Porchlight-Webhooks/1"
# The wait after the 1st, 2nd, … failed attempt: six attempts over about ten and a half
# hours, so a receiver's deploy costs a minute and a day's outage gives up the same day.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
ERROR_MAX = 2000
# A queued delivery this late has lost its task; the sweeper queues it again.
OVERDUE_AFTER = timedelta(minutes=10)
# Thread and post events follow a webhook's choice of boards; notices and pings do not.
BOARD_FILTERED = frozenset(
    {
        Webhook.Event.THREAD_CREATED,
        Webhook.Event.POST_CREATED,
        Webhook.Event.STAFF_REPLY,
        Webhook.Event.STATUS_CHANGED,
        Webhook.Event.ANSWER_ACCEPTED,
        Webhook.Event.POST_FLAGGED,
        Webhook.Event.POST_HELD,
    }
)
PING = "ping"


# --- Making deliveries ------------------------------------------------------------


def _listening(event: str) -> list[Webhook]:
    hooks = Webhook.objects.filter(is_active=True).prefetch_related("boards")
    return [hook for hook in hooks if event in hook.events]


def _wants_board(hook: Webhook, event: str, board_slug: str | None) -> bool:
    slugs = {board.slug for board in hook.boards.all()}
    return event not in BOARD_FILTERED or not slugs or board_slug in slugs


def _body(hook: Webhook, *, delivery_id: uuid.UUID, event: str, created_at, data: dict) -> str:
    if hook.format == Webhook.Format.SLACK:
        return webhook_payloads.slack_body(event=event, data=data)
    return webhook_payloads.json_body(
        delivery_id=str(delivery_id), event=event, created_at=created_at, data=data
    )


def _create(hook: Webhook, *, event: str, subject: str, data: dict, created_at) -> int | None:
    """One delivery row, or None when this webhook already has this event about this
    subject (the event was raised twice): receivers hear of each once."""
    delivery_id = uuid.uuid4()
    body = _body(hook, delivery_id=delivery_id, event=event, created_at=created_at, data=data)
    try:
        with transaction.atomic():
            row = WebhookDelivery.objects.create(
                webhook=hook,
                delivery_id=delivery_id,
                event=event,
                subject=subject[:100],
                body=body,
                created_at=created_at,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return None
    return row.pk


def deliveries_create(
    *, event: str, subject: str, ids: dict, extra: dict | None = None, occurred_at: str = ""
) -> list[int]:
    """Store one delivery per active webhook that wants ``event`` (and, for thread and post
    events, the thread's board), each with its body built now from the database. Nothing
    when the subject is gone, or is held or hidden and the event would publish it.
    Returns the new deliveries' ids, for the caller to send."""
    created_at = parse_datetime(occurred_at) if occurred_at else None
    created_at = created_at or timezone.now()
    extra = extra or {}
    hooks = _listening(event)
    if not hooks:
        return []
    data = webhook_payloads.event_data(event=event, subject=ids, extra=extra)
    if data is None:
        return []
    board_slug = (data.get("thread") or {}).get("board", {}).get("slug")
    created = []
    with transaction.atomic():
        for hook in hooks:
            if not _wants_board(hook, event, board_slug):
                continue
            pk = _create(hook, event=event, subject=subject, data=data, created_at=created_at)
            if pk is not None:
                created.append(pk)
    return created


def ping_create(*, webhook: Webhook, actor: User) -> int:
    """A test delivery ("ping") to one webhook, active or not; returns its id."""
    now = timezone.now()
    data = {
        "message": gettext("Test delivery from %(site)s, sent by %(name)s.")
        % {"site": settings.SITE_NAME, "name": actor.public_name},
        "webhook": {"id": webhook.pk, "name": webhook.name},
    }
    pk = _create(webhook, event=PING, subject=f"ping:{uuid.uuid4()}", data=data, created_at=now)
    assert pk is not None  # a fresh subject never collides
    return pk


# --- Sending ------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What an attempt came to: "delivered", "retry" (at ``retry_at``), "failed",
    "skipped" (not queued any more: delivered, given up, gone) or "not_due"."""

    result: str
    retry_at: datetime | None = None


def delivery_attempt(*, delivery_id: int, by_hand: bool = False) -> Outcome:
    """Send one queued delivery and log the attempt. ``by_hand``: asked for by an admin
    (a redelivery or a test), so it goes now and even to a disabled webhook; a scheduled
    attempt finding its webhook disabled gives up without sending."""
    with transaction.atomic():
        row = (
            WebhookDelivery.objects.select_for_update()
            .select_related("webhook")
            .filter(pk=delivery_id)
            .first()
        )
        if row is None or row.status != Status.QUEUED:
            return Outcome("skipped")
        now = timezone.now()
        if not by_hand and row.next_attempt_at is not None and row.next_attempt_at > now:
            return Outcome("not_due")  # a duplicate task; the scheduled one follows
        hook = row.webhook
        if not hook.is_active and not by_hand:
            row.status = Status.FAILED
            row.next_attempt_at = None
            row.last_error = gettext("Not sent: the webhook is disabled.")
            row.save(update_fields=["status", "next_attempt_at", "last_error"])
            return Outcome("failed")
        return _send(row, hook, now=now, by_hand=by_hand)


def _send(row: WebhookDelivery, hook: Webhook, *, now, by_hand: bool) -> Outcome:
    body = row.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Porchlight-Event": row.event,
        "Porchlight-Delivery": str(row.delivery_id),
        "Porchlight-Signature": signature(
            secret=hook.secret, timestamp=int(now.timestamp()), body=body
        ),
    }
    status, excerpt, error, refused = None, "", "", False
    started = time.monotonic()
    try:
        status, excerpt = post(hook.url, body=body, headers=headers)
    except TargetRefused as exc:
        error, refused = str(exc), True
    except Exception as exc:  # noqa: BLE001 - refused, reset, timed out, TLS…: all logged
        error = describe_failure(exc)
    duration = int((time.monotonic() - started) * 1000)
    WebhookAttempt.objects.create(
        delivery=row,
        attempted_at=now,
        status_code=status,
        error=error,
        response_excerpt=excerpt,
        duration_ms=duration,
        by_hand=by_hand,
    )
    row.attempts += 1
    row.last_status_code = status
    fields = ["attempts", "last_status_code", "last_error", "status", "next_attempt_at"]
    if status is not None and 200 <= status < 300:
        row.status = Status.DELIVERED
        row.delivered_at = now
        row.next_attempt_at = None
        row.last_error = ""
        row.save(update_fields=[*fields, "delivered_at"])
        Webhook.objects.filter(pk=hook.pk, consecutive_failures__gt=0).update(
            consecutive_failures=0
        )
        return Outcome("delivered")
    if status is not None:
        error = gettext("The receiver answered %(status)s.") % {"status": status}
    row.last_error = error
    disabled = _count_failure(hook.pk, reason=error)
    if refused or disabled or row.attempts >= MAX_ATTEMPTS:
        row.status = Status.FAILED
        row.next_attempt_at = None
        row.save(update_fields=fields)
        logger.warning(
            "Webhook delivery %s (%s to webhook %s) failed after %d attempt(s): %s",
            row.delivery_id, row.event, hook.pk, row.attempts, error,
        )  # fmt: skip
        return Outcome("failed")
    row.next_attempt_at = now + RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1]
    row.save(update_fields=fields)
    return Outcome("retry", row.next_attempt_at)


def _count_failure(webhook_id: int, *, reason: str) -> bool:
    """One more failed attempt in a row; at WEBHOOK_DISABLE_AFTER the webhook is disabled
    and the site's admins are emailed (once: only the attempt that disables it does).
    Returns whether this attempt disabled it."""
    hook = Webhook.objects.select_for_update().get(pk=webhook_id)
    hook.consecutive_failures += 1
    fields = ["consecutive_failures"]
    disabling = hook.is_active and hook.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER
    if disabling:
        hook.is_active = False
        hook.disabled_at = timezone.now()
        hook.disabled_reason = (
            ngettext(
                "%(count)s failed attempt in a row; the last: %(reason)s",
                "%(count)s failed attempts in a row; the last: %(reason)s",
                hook.consecutive_failures,
            )
            % {"count": hook.consecutive_failures, "reason": reason}
        )[:300]
        fields += ["is_active", "disabled_at", "disabled_reason"]
    hook.save(update_fields=fields)
    if disabling:
        logger.error("Webhook %s (%s) disabled: %s", hook.pk, hook.url, hook.disabled_reason)
        _tell_admins_disabled(hook)
    return disabling


def _tell_admins_disabled(hook: Webhook) -> None:
    link = webhook_payloads.absolute(reverse("admin:forum_webhook_change", args=[hook.pk]))
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(email="")
    for admin_user in admins:
        with translation.override(getattr(admin_user, "language", "") or settings.LANGUAGE_CODE):
            subject = gettext("[%(site)s] Webhook “%(name)s” was disabled") % {
                "site": settings.SITE_NAME,
                "name": hook.name,
            }
            body = gettext(
                "The webhook “%(name)s” (%(url)s) was disabled after %(count)s failed "
                "delivery attempts in a row.\n\nLast problem: %(reason)s\n\nNothing more is "
                "sent to it until it is re-enabled. Fix the receiver, then re-enable it and "
                "redeliver what it missed:\n%(link)s"
            ) % {
                "name": hook.name,
                "url": hook.url,
                "count": hook.consecutive_failures,
                "reason": hook.disabled_reason,
                "link": link,
            }
        email_enqueue(
            message=EmailMessage(subject=subject, body=body, to=[admin_user.email]),
            kind="webhook_disabled",
        )


def deliveries_overdue() -> list[int]:
    """Queued deliveries whose attempt is more than OVERDUE_AFTER late (their task was
    lost), oldest first."""
    cutoff = timezone.now() - OVERDUE_AFTER
    return list(
        WebhookDelivery.objects.filter(status=Status.QUEUED, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
