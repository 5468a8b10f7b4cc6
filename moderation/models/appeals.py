"""Appeals against moderation actions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Appeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        UPHELD = "upheld", _("Upheld")
        REVERSED = "reversed", _("Reversed")

    action = models.OneToOneField(
        "ModerationAction", on_delete=models.PROTECT, related_name="appeal"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    text = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Appeal against action {self.action_id}"
