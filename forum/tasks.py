"""Background tasks (django-tasks, database backend; run by ``manage.py db_worker``).

Tasks take ids, never model instances, and re-read everything when they run: a task may
run seconds or hours after it was queued. The work lives in ``forum.services.emails``;
these are the doors the worker goes through. They write the emails to the outbox
(``accounts.mail``), whose own task delivers them with retries, so a mail server outage
never fails these. A task that never ran (its notifications keep ``emailed_at`` empty) is
queued again by ``send_digests --retry-only``.

``forum.services.notifications`` queues ``send_notification_emails``; this module imports
only the email services, never the notification decisions, so the two never import each
other. Likewise ``forum.services.webhooks`` queues ``dispatch_webhook_event``, and the work
of the two webhook tasks lives in ``forum.services.webhook_delivery``, which queues nothing:
the tasks queue what it returns (each delivery's sending, a retry at its backoff time).
"""

from django_tasks import task

from forum.services import attachments, emails, webhook_delivery


@task()
def send_notification_emails(*, notification_ids: list[int]) -> int:
    """Email these notifications to members who want them immediately."""
    return emails.email_send_immediate(notification_ids=notification_ids)


@task()
def send_daily_digest(*, user_id: int) -> int:
    """Email one member their daily digest."""
    return emails.email_send_digest(user_id=user_id)


@task()
def delete_orphan_attachments() -> int:
    """Delete uploads no post named in time (files included)."""
    return attachments.attachments_delete_orphans()


@task()
def dispatch_webhook_event(
    *, event: str, subject: str, ids: dict, extra: dict, occurred_at: str
) -> int:
    """Store one delivery per webhook that wants this event and queue each one's sending."""
    created = webhook_delivery.deliveries_create(
        event=event, subject=subject, ids=ids, extra=extra, occurred_at=occurred_at
    )
    for delivery_id in created:
        deliver_webhook.enqueue(delivery_id=delivery_id)
    return len(created)


@task()
def deliver_webhook(*, delivery_id: int, by_hand: bool = False) -> str:
    """Send one delivery; after a failed attempt, queue the next one at its backoff time."""
    outcome = webhook_delivery.delivery_attempt(delivery_id=delivery_id, by_hand=by_hand)
    if outcome.retry_at is not None:
        deliver_webhook.using(run_after=outcome.retry_at).enqueue(delivery_id=delivery_id)
    return outcome.result
