"""Threads, their workflow states (Help, Bugs, Ideas) and the event lines between their posts."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forum.models.boards import Board

TITLE_MIN = 3
TITLE_MAX = 150


class Thread(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(
        max_length=TITLE_MAX,
        validators=[MinLengthValidator(TITLE_MIN), MaxLengthValidator(TITLE_MAX)],
    )
    created_at = models.DateTimeField()
    is_pinned = models.BooleanField(default=False)
    # Denormalised by forum.services when posts are written.
    reply_count = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_activity_at = models.DateTimeField()
    # Kept by forum.services.visibility: the opening post is hidden by moderators (spam,
    # a rule), so the thread is in no public list, count, search, feed or notification.
    is_hidden = models.BooleanField(default=False)
    # Replies hidden by moderators. ``reply_count`` also numbers posts (positions), so
    # it keeps counting them; readers are shown ``shown_reply_count``.
    hidden_reply_count = models.PositiveIntegerField(default=0)

    # --- Help workflow (forum.services.answers) -------------------------------------
    class HelpState(models.TextChoices):
        NONE = "", _("—")
        AWAITING_STAFF = "awaiting_staff", _("Awaiting staff")
        AWAITING_ASKER = "awaiting_asker", _("Awaiting the asker")
        SOLVED = "solved", _("Solved")

    help_state = models.CharField(
        max_length=16, choices=HelpState.choices, blank=True, default=HelpState.NONE
    )
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    solved_at = models.DateTimeField(null=True, blank=True)
    # Set by the first reply from an employee; null = no staff reply yet.
    first_staff_reply_at = models.DateTimeField(null=True, blank=True)
    # Set when the asker answers the staff prompt with "Not yet" (back in the staff
    # queue); cleared by the next staff reply.
    reopened_at = models.DateTimeField(null=True, blank=True)

    # --- Bug and Idea workflow (forum.services.statuses) ----------------------------
    class Status(models.TextChoices):
        NONE = "", _("—")
        # Bugs
        NEW = "new", _("New")
        NEEDS_INFO = "needs_info", _("Needs info")
        CONFIRMED = "confirmed", _("Confirmed")
        IN_PROGRESS = "in_progress", _("In progress")
        FIXED = "fixed", _("Fixed")
        WONT_FIX = "wont_fix", _("Won't fix")
        DUPLICATE = "duplicate", _("Duplicate")
        # Ideas
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        SHIPPED = "shipped", _("Shipped")
        DECLINED = "declined", _("Declined")

    BUG_STATUSES = (
        Status.NEW,
        Status.NEEDS_INFO,
        Status.CONFIRMED,
        Status.IN_PROGRESS,
        Status.FIXED,
        Status.WONT_FIX,
        Status.DUPLICATE,
    )
    IDEA_STATUSES = (Status.UNDER_REVIEW, Status.PLANNED, Status.SHIPPED, Status.DECLINED)
    STATUS_REASON_MAX = 1000

    status = models.CharField(max_length=16, choices=Status.choices, blank=True, default="")
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # Denormalised by forum.services.statuses (ThreadVote rows are the truth).
    vote_count = models.PositiveIntegerField(default=0)
    affected_count = models.PositiveIntegerField(default=0)
    # Who on the staff is looking after the thread; shown to staff only.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_threads",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when this thread was merged into another; its address then leads there.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_threads"
    )

    class Meta:
        indexes = [
            # A board's public list in its order, the key included, so a page's keys
            # (forum.selectors.pagination.DeferredJoinPaginator) come from the index alone.
            models.Index(
                fields=["board", "-is_pinned", "-last_activity_at", "-id"],
                condition=models.Q(is_hidden=False),
                name="thread_board_list_idx",
            ),
            models.Index(fields=["board", "help_state"], name="thread_board_help_idx"),
            models.Index(fields=["board", "status"], name="thread_board_status_idx"),
            models.Index(
                fields=["assignee", "-last_activity_at"],
                condition=models.Q(assignee__isnull=False),
                name="thread_assignee_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread-detail", kwargs={"thread_id": self.pk})

    @property
    def post_total(self) -> int:
        return self.reply_count + 1

    @property
    def shown_reply_count(self) -> int:
        """The replies readers can see (hidden ones are placeholders at most)."""
        return max(self.reply_count - self.hidden_reply_count, 0)


class ThreadEvent(models.Model):
    """A small line in a thread between posts: a status change, an accepted answer, the
    asker's answer to the staff prompt. Appended by services, never edited."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status changed")
        ACCEPTED = "accepted", _("Answer accepted")
        UNACCEPTED = "unaccepted", _("Answer unaccepted")
        SOLVED = "solved", _("Marked solved")
        NOT_YET = "not_yet", _("Asker needs more help")
        OFFICIAL = "official", _("Official answer marked")
        MOVED = "moved", _("Moved")
        MERGED = "merged", _("Merged")
        UNMERGED = "unmerged", _("Split back out")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_value = models.CharField(max_length=16, blank=True)
    to_value = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Shown after the post at this position (the thread's last post when it happened).
    after_position = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "after_position"], name="event_thread_pos_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.thread_id}"
