"""Moderators' notes on members and the messages members receive."""

from django.conf import settings
from django.db import models


class ModeratorNote(models.Model):
    """Private notes between moderators about a member."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderator_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note on {self.member_id}"


class MemberMessage(models.Model):
    """What moderation tells a member: shown in their inbox and also sent by email."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_messages"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    action = models.ForeignKey(
        "ModerationAction", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
