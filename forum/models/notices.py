"""Sitewide notices and members' dismissals of them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models.boards import Board
from forum.models.threads import Thread


class Notice(models.Model):
    """A sitewide notice: shown at the top of the pages its audience covers while
    ``starts_at <= now < ends_at`` (or no end). Being in force is a time comparison, so a
    scheduled notice needs no job to appear or disappear."""

    class Level(models.TextChoices):
        INFO = "info", _("Info")
        WARNING = "warning", _("Warning")
        OUTAGE = "outage", _("Outage")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        MEMBERS = "members", _("Signed-in members")
        STAFF = "staff", _("Staff and moderators")
        BOARD = "board", _("The pages of one board")

    SEVERITY = {Level.OUTAGE: 3, Level.WARNING: 2, Level.INFO: 1}
    MESSAGE_MAX = 1000

    message = models.TextField()
    message_html = models.TextField()
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.INFO)
    severity = models.PositiveSmallIntegerField(default=1)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.EVERYONE)
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-severity", "-starts_at", "-pk"]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="notice_window_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.message[:40]}"

    def is_active_at(self, when) -> bool:
        return self.starts_at <= when and (self.ends_at is None or when < self.ends_at)

    @property
    def dismissible(self) -> bool:
        return self.level == self.Level.INFO


class NoticeDismissal(models.Model):
    """A member dismissed an info notice (visitors' dismissals stay in their browser)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="dismissals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_dismissed_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} dismissed {self.notice_id}"
