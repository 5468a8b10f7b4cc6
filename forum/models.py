from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.urls import reverse

TITLE_MIN = 3
TITLE_MAX = 150
BODY_MIN = 1
BODY_MAX = 50_000


class Board(models.Model):
    class Kind(models.TextChoices):
        HELP = "help", "Help"
        BUGS = "bugs", "Bugs"
        IDEAS = "ideas", "Ideas"
        DISCUSSION = "discussion", "Discussion"

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DISCUSSION)
    position = models.PositiveSmallIntegerField(default=0)
    is_archived = models.BooleanField(
        default=False, help_text="Archived boards stay readable but take no new threads."
    )
    # Denormalised by forum.services so the board index needs no aggregates.
    thread_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:board-detail", kwargs={"board_slug": self.slug})


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

    class Meta:
        indexes = [
            models.Index(
                fields=["board", "-is_pinned", "-last_activity_at"], name="thread_board_order_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread-detail", kwargs={"thread_id": self.pk})

    @property
    def post_total(self) -> int:
        return self.reply_count + 1


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    # 1 for the opening post, then 2, 3… in the order replies were written; gives each
    # post its page without counting rows.
    position = models.PositiveIntegerField()
    body = models.TextField(validators=[MaxLengthValidator(BODY_MAX)])
    body_html = models.TextField()
    body_html_version = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    revision_count = models.PositiveIntegerField(default=1)
    # Set by moderation (moderation.services.post_hide); the content is kept and restorable.
    is_hidden = models.BooleanField(default=False)
    hidden_rule_code = models.CharField(max_length=8, blank=True)
    # Posted by staff or a moderator while the thread or board was locked.
    posted_during_lock = models.BooleanField(default=False)
    # A per-form token: submitting the same form twice returns the first post.
    submission_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "position"], name="post_position_unique"),
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="post_submission_once",
            ),
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="post_author_recent_idx")]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post-permalink", kwargs={"post_id": self.pk})

    @property
    def is_opening_post(self) -> bool:
        return self.position == 1


class PostRevision(models.Model):
    """Every version of a post, the first one included. Never edited or deleted."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body = models.TextField()
    body_html = models.TextField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of post {self.post_id}"


class Notice(models.Model):
    """A sitewide notice: shown at the top of the pages its audience covers while
    ``starts_at <= now < ends_at`` (or no end). Being in force is a time comparison, so a
    scheduled notice needs no job to appear or disappear."""

    class Level(models.TextChoices):
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        OUTAGE = "outage", "Outage"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        MEMBERS = "members", "Signed-in members"
        STAFF = "staff", "Staff and moderators"
        BOARD = "board", "The pages of one board"

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
