"""Locks and slow mode on a thread or board."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.models.base import InForceMixin


class Lockdown(InForceMixin):
    """Slow mode or a lock on one thread or a whole board. Active while not lifted and not
    past ``ends_at`` (the automatic reopen time): reopening needs no job."""

    class Kind(models.TextChoices):
        SLOW = "slow", _("Slow mode")
        LOCK = "lock", _("Locked")

    thread = models.ForeignKey(
        "forum.Thread", null=True, blank=True, on_delete=models.PROTECT, related_name="lockdowns"
    )
    board = models.ForeignKey(
        "forum.Board", null=True, blank=True, on_delete=models.PROTECT, related_name="lockdowns"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    slow_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField()
    go_instead = models.CharField(
        max_length=300, blank=True, help_text=_("Where people can go meanwhile.")
    )

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(thread__isnull=False, board__isnull=True)
                | models.Q(thread__isnull=True, board__isnull=False),
                name="lockdown_one_target",
            )
        ]

    def __str__(self) -> str:
        target = f"thread {self.thread_id}" if self.thread_id else f"board {self.board_id}"
        return f"{self.get_kind_display()} on {target}"
