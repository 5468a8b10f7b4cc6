"""The community guidelines, one kept version after another."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class GuidelineVersion(models.Model):
    """One published edition of the community guidelines. Versions are never edited or
    deleted: a change is a new version, and old ones stay readable at their own URL."""

    number = models.PositiveIntegerField(unique=True)
    intro = models.TextField(blank=True)
    intro_html = models.TextField(blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Guidelines v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("moderation:guidelines-version", kwargs={"number": self.number})


class GuidelineRule(models.Model):
    """A numbered rule. ``code`` (G1, G2…) is stable across versions so actions can cite it."""

    version = models.ForeignKey(GuidelineVersion, on_delete=models.PROTECT, related_name="rules")
    code = models.CharField(max_length=8)
    title = models.CharField(max_length=120)
    body = models.TextField()
    body_html = models.TextField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="rule_code_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"
