"""The community's temperature: activity per board and hour, the hottest threads and the
"heating up" alerts, all written by the hourly aggregation (never by a page view)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models.boards import Board
from forum.models.threads import Thread


class BoardHour(models.Model):
    """One board's activity in one hour (UTC, the hour's start). The temperature page and
    the staff sparklines read these rows only, never the posts: a 30-day comparison is at
    most 1,440 rows per board. Rebuilt idempotently from the source rows for any range of
    hours (forum.services.temperature, moderation.services.temperature). ``board`` is
    empty for moderation actions that belong to no board (blocks of members)."""

    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    hour = models.DateTimeField()
    # Everything written, spam included: a spam wave is part of the temperature, and the
    # flags and moderation actions beside it say what became of it.
    threads = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    # Help questions started in this hour (not hidden), and how many of them are solved
    # now (refreshed for recent hours as questions get solved).
    questions = models.PositiveIntegerField(default=0)
    questions_solved = models.PositiveIntegerField(default=0)
    # First staff replies given in this hour: each one's wait in seconds since the thread
    # started, so medians and percentiles over any period are exact.
    first_reply_seconds = models.JSONField(default=list, blank=True)
    votes = models.PositiveIntegerField(default=0)
    affected = models.PositiveIntegerField(default=0)
    # Written by moderation.services.temperature.
    flags = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["hour"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "hour"],
                condition=models.Q(board__isnull=False),
                name="board_hour_once",
            ),
            models.UniqueConstraint(
                fields=["hour"], condition=models.Q(board__isnull=True), name="site_hour_once"
            ),
        ]
        indexes = [models.Index(fields=["hour"], name="board_hour_hour_idx")]

    def __str__(self) -> str:
        return f"{self.board_id or 'site'} at {self.hour:%Y-%m-%d %H:00}"


class HotThread(models.Model):
    """One place in a ranking of the hottest threads over the last ``period_hours``, as
    computed at ``computed_at``; ``board`` empty = the site-wide ranking."""

    period_hours = models.PositiveSmallIntegerField()
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    replies = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    affected = models.PositiveIntegerField(default=0)
    flags = models.PositiveIntegerField(default=0)
    score = models.FloatField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["period_hours", "board", "rank"]
        indexes = [
            models.Index(fields=["period_hours", "board", "rank"], name="hot_thread_rank_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.rank} over {self.period_hours} h: {self.thread_id}"

    @property
    def replies_per_day(self) -> float:
        """Reply velocity over the period."""
        return self.replies * 24 / self.period_hours


class HeatAlert(models.Model):
    """An episode of a board heating up: opened (and staff notified) once, kept open
    while the board stays hot, closed after it has cooled down for a while."""

    class Reason(models.TextChoices):
        VOLUME = "volume", _("Posts well above the usual")
        FLAGS = "flags", _("A burst of flags")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=8, choices=Reason.choices)
    # The hour that set it off, its posts and flags, and the board's usual posts an hour.
    hour = models.DateTimeField()
    posts = models.PositiveIntegerField(default=0)
    flags = models.PositiveIntegerField(default=0)
    baseline = models.FloatField(default=0)
    last_hot_hour = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["board"],
                condition=models.Q(ended_at__isnull=True),
                name="heat_alert_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.board_id} heating up at {self.hour:%Y-%m-%d %H:00}"
