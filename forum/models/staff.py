"""What staff keep beside the public threads: private notes, saved replies, and the
record of threads moved between boards or merged into another."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models.boards import Board
from forum.models.threads import Thread

NOTE_MAX = 10_000
SAVED_REPLY_TITLE_MAX = 80
SAVED_REPLY_BODY_MAX = 10_000


class StaffNote(models.Model):
    """A note on a thread that only staff and moderators ever see: never in feeds,
    search, email or a member's live updates."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=NOTE_MAX)
    body_html = models.TextField()
    # Shown after the post at this position (the thread's last post when it was written).
    after_position = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="staffnote_thread_idx")]

    def __str__(self) -> str:
        return f"Staff note on {self.thread_id}"


class SavedReply(models.Model):
    """A reply staff insert and edit before posting. No owner: the whole team's."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_replies",
    )
    title = models.CharField(_("title"), max_length=SAVED_REPLY_TITLE_MAX)
    body = models.TextField(_("reply"), max_length=SAVED_REPLY_BODY_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    use_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["owner", "title"], name="savedreply_owner_idx")]

    def __str__(self) -> str:
        return self.title


class ThreadMove(models.Model):
    """A thread moved from one board to another (a Help question that is really a bug
    becomes a Bug with status New); reversed by moving it back with the states it had."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="moves")
    from_board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    to_board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    # The workflow states before the move, restored when it is reversed.
    from_status = models.CharField(max_length=16, blank=True)
    from_help_state = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.from_board_id} -> {self.to_board_id}"


class ThreadMerge(models.Model):
    """A duplicate thread merged into another: its posts moved there in order. The
    original positions are kept so the merge can be split back exactly."""

    source = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="merges_in")
    # [[post_id, position in the source thread], ...]
    moved_posts = models.JSONField(default=list)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source_id} -> {self.target_id}"
