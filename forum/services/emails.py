"""Notification emails, written to the outbox (``accounts.mail``): one email per
notification for members who want them immediately, a daily digest for the others, and
taking back the ones not delivered yet when moderators hide what they tell about.

The tasks in ``forum.tasks`` run these after commit (so a rolled-back post queues nothing,
and what changed meanwhile — read, hidden, unsubscribed — is respected). Each locks its
notifications and sets ``emailed_at`` in the same transaction as it writes the outbox: a
notification is emailed once, even if its task runs twice. The outbox delivers with
retries and dead letters, so a mail server outage blocks no page and loses nothing. A task
that never ran leaves ``emailed_at`` empty for ``send_digests --retry-only``. Every email
carries a one-click unsubscribe link."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import ngettext

from accounts.languages import in_language_of
from accounts.mail import email_enqueue, email_withdraw
from accounts.models import OutboundEmail, User
from forum.models import Notification
from forum.selectors.notifications import (
    DIGEST_WINDOW,
    Frequency,
    absolute,
    deliverable_notifications,
    excerpt,
    summary,
    target_path,
    unsubscribe_token,
)


def unsubscribe_url(user: User) -> str:
    return absolute(reverse("forum:unsubscribe", kwargs={"token": unsubscribe_token(user)}))


def _message(*, user: User, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(user)
    context = {
        **context,
        "user": user,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL.rstrip("/"),
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute(reverse("forum:notification-settings")),
        "notifications_url": absolute(reverse("forum:notifications")),
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string(f"forum/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"forum/email/{template}.html", context), "text/html"
    )
    return message


def _email_item(notification: Notification) -> dict:
    return {
        "summary": summary(notification),
        "excerpt": excerpt(notification),
        "url": absolute(target_path(notification)),
        "created_at": notification.created_at,
    }


@transaction.atomic
def email_send_immediate(*, notification_ids: list[int]) -> int:
    """Queue in the outbox one email per notification, if it is still worth it now: not
    yet emailed or read, its post not hidden since, and the member still wants immediate
    emails. The notifications are locked and ``emailed_at`` is set in the same
    transaction, so running this twice emails each once. Delivery and its retries belong
    to the outbox. Returns how many were queued."""
    locked = _lock_unemailed(Notification.objects.filter(pk__in=notification_ids))
    pending = deliverable_notifications(Notification.objects.filter(pk__in=locked)).filter(
        recipient__email_frequency=Frequency.IMMEDIATELY
    )
    queued = 0
    now = timezone.now()
    for notification in pending.order_by("pk"):
        with in_language_of(notification.recipient):
            item = _email_item(notification)
            message = _message(
                user=notification.recipient,
                subject=Truncator(item["summary"]).chars(150),
                template="notification",
                context={"item": item, "notification": notification},
            )
        row = email_enqueue(message=message, kind="notification")
        Notification.objects.filter(pk=notification.pk).update(emailed_at=now, email=row)
        queued += 1
    return queued


@transaction.atomic
def email_send_digest(*, user_id: int) -> int:
    """Queue in the outbox one email listing the member's unread notifications of the last
    day that no email has carried yet (hidden posts left out), if they still want a daily
    digest; marks them emailed in the same transaction (locked, so a second run finds
    nothing). Returns how many it listed (0: nothing queued)."""
    user = User.objects.filter(pk=user_id, email_frequency=Frequency.DAILY).first()
    if user is None:
        return 0
    since = timezone.now() - DIGEST_WINDOW
    locked = _lock_unemailed(Notification.objects.filter(recipient=user, created_at__gte=since))
    notifications = list(
        deliverable_notifications(Notification.objects.filter(pk__in=locked)).order_by(
            "created_at", "pk"
        )
    )
    if not notifications:
        return 0
    count = len(notifications)
    with in_language_of(user):
        message = _message(
            user=user,
            subject=ngettext(
                "%(count)s new notification today", "%(count)s new notifications today", count
            )
            % {"count": count},
            template="digest",
            context={"items": [_email_item(n) for n in notifications], "count": count},
        )
    row = email_enqueue(message=message, kind="digest")
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now(), email=row
    )
    return count


@transaction.atomic
def emails_withdraw_for_hidden(*, post_ids, thread_ids) -> int:
    """Take back the emails not delivered yet that tell about these posts, or anything in
    these threads, now hidden by moderators (spam): a notification email queued during a
    mail server outage, or a digest listing one. Their notifications become unemailed
    again, so a restore sends them as if new (``send_digests --retry-only``) and a
    digest's other notifications go out at once in a fresh digest without the hidden one.
    Returns how many emails were taken back."""
    unsent = [OutboundEmail.Status.QUEUED, OutboundEmail.Status.DEAD]
    email_ids = set(
        Notification.objects.filter(
            Q(post_id__in=list(post_ids)) | Q(thread_id__in=list(thread_ids)),
            email__status__in=unsent,
        ).values_list("email_id", flat=True)
    )
    if not email_ids:
        return 0
    # Read before the rows go: deleting an email empties its notifications' link.
    carried = list(
        Notification.objects.filter(email_id__in=email_ids).values_list(
            "pk", "email_id", "recipient__email_frequency", "recipient_id"
        )
    )
    withdrawn = set(email_withdraw(email_ids=email_ids))
    carried = [row for row in carried if row[1] in withdrawn]
    Notification.objects.filter(pk__in=[row[0] for row in carried]).update(
        emailed_at=None, email=None
    )
    digest_users = {row[3] for row in carried if row[2] == Frequency.DAILY}
    for user_id in sorted(digest_users):
        email_send_digest(user_id=user_id)
    return len(withdrawn)


def _lock_unemailed(queryset) -> list[int]:
    """Lock the notifications not yet emailed (a concurrent run of the same task waits,
    then finds them emailed) and return their ids. Locks only the notification rows."""
    return list(
        queryset.select_for_update()
        .filter(emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
