"""Members' flags on posts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Flag(models.Model):
    class Reason(models.TextChoices):
        RULE = "rule", _("Breaks a guideline")
        SPAM = "spam", _("Spam")
        OTHER = "other", _("Something else")

    post = models.ForeignKey("forum.Post", on_delete=models.PROTECT, related_name="flags")
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags_raised"
    )
    reason = models.CharField(max_length=8, choices=Reason.choices)
    rule_code = models.CharField(max_length=8, blank=True)
    text = models.TextField(blank=True)
    review_item = models.ForeignKey("ReviewItem", on_delete=models.PROTECT, related_name="flags")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "flagger"], name="flag_once_per_member")
        ]

    def __str__(self) -> str:
        return f"Flag on post {self.post_id} by {self.flagger_id}"
