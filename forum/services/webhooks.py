"""Outbound webhooks: raising the forum's events, and what admins do with webhooks.

Services raise events with ``webhook_event_on_commit(event, subject=…, …ids)``. It costs a
write nothing: after commit (never for a rolled-back write) the list of active webhooks
is read from the cache (the database only when the cache lost it), and only when one
wants the event is the task ``dispatch_webhook_event`` queued; that task stores one
delivery per webhook and queues each one's sending (forum.services.webhook_delivery).

The cached list is forgotten whenever a webhook or its boards change (the receivers in
forum.receivers), so a new webhook hears the next event."""

import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum.models import Webhook, WebhookDelivery
from forum.models.webhooks import new_webhook_secret
from forum.services import webhook_delivery
from forum.tasks import deliver_webhook, dispatch_webhook_event

logger = logging.getLogger("porchlight.webhooks")

Event = Webhook.Event
# The key carries the shape's version: a deploy that changes the cached tuple reads a new
# key instead of the old shape.
ACTIVE_KEY = "webhooks:active:v1"
ACTIVE_SECONDS = 3600


def _active_webhooks() -> list[tuple[int, tuple[str, ...], tuple[int, ...]]]:
    """(id, events, board ids) of every active webhook: from the cache, else two queries."""
    found = cache.get(ACTIVE_KEY)
    if found is None:
        found = [
            (hook.pk, tuple(hook.events), tuple(board.pk for board in hook.boards.all()))
            for hook in Webhook.objects.filter(is_active=True).prefetch_related("boards")
        ]
        cache.set(ACTIVE_KEY, found, ACTIVE_SECONDS)
    return found


def webhooks_forget_cached() -> None:
    """Forget the cached list now and again after commit: a reader between the two could
    store the list as it was before the change."""
    cache.delete(ACTIVE_KEY)
    transaction.on_commit(lambda: cache.delete(ACTIVE_KEY), robust=True)


def someone_listens(event: str, *, board_id: int | None = None) -> bool:
    for _pk, events, board_ids in _active_webhooks():
        if event not in events:
            continue
        if (
            board_id is None
            or not board_ids
            or event not in webhook_delivery.BOARD_FILTERED
            or board_id in board_ids
        ):
            return True
    return False


def webhook_event_on_commit(
    event: str,
    *,
    subject: str,
    board_id: int | None = None,
    extra: dict | None = None,
    **ids: int,
) -> None:
    """Announce ``event`` about ``subject`` ("post:12"; with the event, it makes a
    receiver's delivery unique) once the transaction commits. ``ids`` (thread_id,
    post_id, notice_id, thread_event_id) say what the body describes; ``extra`` is a
    little JSON the body carries as given (a flag's reason). No query before the commit."""
    occurred_at = timezone.now().isoformat()

    def dispatch() -> None:
        if not someone_listens(event, board_id=board_id):
            return
        dispatch_webhook_event.enqueue(
            event=str(event), subject=subject, ids=ids, extra=extra or {}, occurred_at=occurred_at
        )

    # robust: the write has committed; a lost event is logged, never the writer's error.
    transaction.on_commit(dispatch, robust=True)


def post_published_on_commit(*, post, thread) -> None:
    """A post became public (written, or approved after being held): thread.created for an
    opening post, else post.created, plus post.staff_reply for a reply by an employee."""
    if post.position == 1:
        webhook_event_on_commit(
            Event.THREAD_CREATED,
            subject=f"thread:{thread.pk}",
            board_id=thread.board_id,
            thread_id=thread.pk,
            post_id=post.pk,
        )
        return
    subject = f"post:{post.pk}"
    webhook_event_on_commit(
        Event.POST_CREATED, subject=subject, board_id=thread.board_id, post_id=post.pk
    )
    if post.author.is_employee:
        webhook_event_on_commit(
            Event.STAFF_REPLY, subject=subject, board_id=thread.board_id, post_id=post.pk
        )


# --- What admins do ---------------------------------------------------------------


def _deliver_on_commit(delivery_id: int) -> None:
    transaction.on_commit(
        lambda: deliver_webhook.enqueue(delivery_id=delivery_id, by_hand=True), robust=True
    )


@transaction.atomic
def webhook_send_test(*, webhook: Webhook, actor: User) -> WebhookDelivery:
    """Queue a "ping" delivery to ``webhook`` (even a disabled one, to try a fixed
    receiver before re-enabling it). Its attempt is logged as by hand."""
    pk = webhook_delivery.ping_create(webhook=webhook, actor=actor)
    _deliver_on_commit(pk)
    return WebhookDelivery.objects.get(pk=pk)


@transaction.atomic
def webhook_delivery_redeliver(*, delivery: WebhookDelivery, actor: User) -> bool:
    """Send a delivery again, by hand: the same body and delivery id (so a receiver that
    had it recognises it), a new timestamp and signature. A delivery still waiting for
    its next scheduled attempt goes now; one that gave up gets a fresh set of retries.
    Returns False when it is being sent at this instant (try again in a moment)."""
    row = WebhookDelivery.objects.select_for_update(skip_locked=True).filter(pk=delivery.pk).first()
    if row is None:
        return False
    if row.status != WebhookDelivery.Status.QUEUED:
        row.attempts = 0
    row.status = WebhookDelivery.Status.QUEUED
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["status", "attempts", "next_attempt_at"])
    logger.info("Delivery %s redelivered by %s", row.delivery_id, actor.pk)
    _deliver_on_commit(row.pk)
    return True


@transaction.atomic
def webhook_reenable(*, webhook: Webhook, actor: User) -> bool:
    """Turn a disabled webhook back on with a clean failure count. Deliveries it missed
    are in its log, to redeliver by hand. False when it was active."""
    locked = Webhook.objects.select_for_update().get(pk=webhook.pk)
    if locked.is_active:
        return False
    locked.is_active = True
    locked.disabled_at = None
    locked.disabled_reason = ""
    locked.consecutive_failures = 0
    locked.save(
        update_fields=["is_active", "disabled_at", "disabled_reason", "consecutive_failures"]
    )
    webhooks_forget_cached()
    logger.info("Webhook %s re-enabled by %s", locked.pk, actor.pk)
    return True


@transaction.atomic
def webhook_secret_regenerate(*, webhook: Webhook, actor: User) -> str:
    """A new signing secret, from the next attempt on (deliveries already queued are
    signed with it too: the signature is made when sending). Returns it."""
    locked = Webhook.objects.select_for_update().get(pk=webhook.pk)
    locked.secret = new_webhook_secret()
    locked.save(update_fields=["secret"])
    webhook.secret = locked.secret
    logger.info("Webhook %s secret regenerated by %s", locked.pk, actor.pk)
    return locked.secret


def webhook_deliveries_requeue_overdue() -> int:
    """Queue again every queued delivery whose attempt is overdue (its task was lost,
    e.g. the worker's database went away between a commit and the enqueue). A duplicate
    task is harmless: sending locks the row and skips what is no longer queued."""
    ids = webhook_delivery.deliveries_overdue()
    for delivery_id in ids:
        deliver_webhook.enqueue(delivery_id=delivery_id)
    return len(ids)
