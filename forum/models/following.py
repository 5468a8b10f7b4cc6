"""How members follow threads: votes and "affected too", watch levels, read markers
and staff keyword watches."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models.boards import Board
from forum.models.threads import Thread


class ThreadVote(models.Model):
    """A member's vote on an idea, or "I'm affected too" on a bug: one of each per member
    per thread, removable."""

    class Kind(models.TextChoices):
        VOTE = "vote", _("Vote")
        AFFECTED = "affected", _("Affected too")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user", "kind"], name="thread_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.thread_id}"


class Watch(models.Model):
    """How closely a member follows a thread or a board. No row = normal."""

    class Level(models.TextChoices):
        WATCHING = "watching", _("Watching")
        NORMAL = "normal", _("Normal")
        MUTED = "muted", _("Muted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.WATCHING)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=models.Q(thread__isnull=False),
                name="watch_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "board"],
                condition=models.Q(board__isnull=False),
                name="watch_board_once",
            ),
            models.CheckConstraint(
                condition=models.Q(thread__isnull=True, board__isnull=False)
                | models.Q(thread__isnull=False, board__isnull=True),
                name="watch_thread_or_board",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "level"], name="watch_thread_level_idx"),
            models.Index(fields=["board", "level"], name="watch_board_level_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.level} {self.thread_id or self.board_id}"


class ReadMarker(models.Model):
    """The highest post position a member has seen in a thread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="read_marker_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.position}"


class KeywordWatch(models.Model):
    """A staff member's saved search term; new posts matching it notify them."""

    TERM_MAX = 60

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="keyword_watches"
    )
    term = models.CharField(max_length=TERM_MAX)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["term"]
        constraints = [models.UniqueConstraint(fields=["user", "term"], name="keyword_watch_once")]

    def __str__(self) -> str:
        return self.term
