"""Private messages to staff from the contact form."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactMessage(models.Model):
    """A private message to staff from the /help contact form (visitors included)."""

    class Topic(models.TextChoices):
        ACCOUNT = "account", _("My account")
        BILLING = "billing", _("Billing")
        BUG = "bug", _("A bug I can't describe in public")
        OTHER = "other", _("Something else")

    SUBJECT_MAX = 150
    BODY_MAX = 5000

    topic = models.CharField(max_length=8, choices=Topic.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField()
    subject = models.CharField(max_length=SUBJECT_MAX)
    body = models.TextField()
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["handled_at", "-created_at"], name="contact_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.subject}"
