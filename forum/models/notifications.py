"""In-app notifications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models.posts import Post
from forum.models.threads import Thread, ThreadEvent


class Notification(models.Model):
    """One in-app notification. At most one per member per post and per thread event, so
    a member who is both watching and mentioned hears once."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("New reply")
        NEW_THREAD = "new_thread", _("New thread")
        MENTION = "mention", _("Mentioned you")
        STAFF_REPLY = "staff_reply", _("Staff replied")
        ACCEPTED = "accepted", _("Your answer was accepted")
        STATUS = "status", _("Status changed")
        KEYWORD = "keyword", _("Keyword watch")
        CONTACT = "contact", _("Contact message")
        ASSIGNED = "assigned", _("Assigned to you")
        HEATING_UP = "heating_up", _("Heating up")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        ThreadEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A short plain-text summary (e.g. the matched keyword, the contact topic).
    text = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by email (immediately or in a digest).
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The outbox row carrying it, so an email not delivered yet can be taken back when
    # moderators hide the post (a digest row carries several notifications).
    email = models.ForeignKey(
        "accounts.OutboundEmail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post"],
                condition=models.Q(post__isnull=False),
                name="notification_post_once",
            ),
            models.UniqueConstraint(
                fields=["recipient", "event"],
                condition=models.Q(event__isnull=False),
                name="notification_event_once",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
