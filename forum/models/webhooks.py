"""Outbound webhooks: where admins send the forum's events (a help desk, a CRM, a Slack
channel), and the log of every delivery and each attempt at it."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models.boards import Board


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """One receiver. Deliveries are signed with ``secret`` (HMAC-SHA256 over the
    timestamp and the raw body); after too many failures in a row the webhook disables
    itself and admins are emailed."""

    class Event(models.TextChoices):
        THREAD_CREATED = "thread.created", _("A thread is started")
        POST_CREATED = "post.created", _("A reply is posted")
        STAFF_REPLY = "post.staff_reply", _("Staff reply in a thread")
        STATUS_CHANGED = "thread.status_changed", _("A bug or idea changes status")
        ANSWER_ACCEPTED = "thread.answer_accepted", _("An answer is accepted")
        POST_FLAGGED = "post.flagged", _("A post is flagged")
        POST_HELD = "post.held", _("A post is held for review")
        NOTICE_PUBLISHED = "notice.published", _("A sitewide notice is published")

    class Format(models.TextChoices):
        JSON = "json", _("JSON event (signed)")
        SLACK = "slack", _("Slack-compatible message")

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128, default=new_webhook_secret)
    events = models.JSONField(default=list)
    # Thread and reply events only from these boards; none chosen means every board.
    boards = models.ManyToManyField(Board, blank=True, related_name="+")
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.JSON)
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event on its way to one webhook. ``delivery_id`` stays the same through every
    retry and a redelivery by hand, so a receiver can act on each delivery once; the
    body is stored as sent, so every attempt carries the same bytes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=40)
    # What the event is about ("post:123"): with the event, it makes one delivery per
    # webhook however often the event is raised.
    subject = models.CharField(max_length=100)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event", "subject"], name="webhook_delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One try at a delivery: what the receiver answered, or why nothing arrived."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    response_excerpt = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # Sent again by an admin, rather than by the schedule.
    by_hand = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"HTTP {self.status_code}" if self.status_code else self.error[:60]
