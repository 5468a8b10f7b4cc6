from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
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
    # Kept by forum.services.visibility: the opening post is hidden by moderators (spam,
    # a rule), so the thread is in no public list, count, search, feed or notification.
    is_hidden = models.BooleanField(default=False)
    # Replies hidden by moderators. ``reply_count`` also numbers posts (positions), so
    # it keeps counting them; readers are shown ``shown_reply_count``.
    hidden_reply_count = models.PositiveIntegerField(default=0)

    # --- Help workflow (forum.services.answers) -------------------------------------
    class HelpState(models.TextChoices):
        NONE = "", "—"
        AWAITING_STAFF = "awaiting_staff", "Awaiting staff"
        AWAITING_ASKER = "awaiting_asker", "Awaiting the asker"
        SOLVED = "solved", "Solved"

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
        NONE = "", "—"
        # Bugs
        NEW = "new", "New"
        NEEDS_INFO = "needs_info", "Needs info"
        CONFIRMED = "confirmed", "Confirmed"
        IN_PROGRESS = "in_progress", "In progress"
        FIXED = "fixed", "Fixed"
        WONT_FIX = "wont_fix", "Won't fix"
        DUPLICATE = "duplicate", "Duplicate"
        # Ideas
        UNDER_REVIEW = "under_review", "Under review"
        PLANNED = "planned", "Planned"
        SHIPPED = "shipped", "Shipped"
        DECLINED = "declined", "Declined"

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

    class Meta:
        indexes = [
            models.Index(
                fields=["board", "-is_pinned", "-last_activity_at"], name="thread_board_order_idx"
            ),
            models.Index(fields=["board", "help_state"], name="thread_board_help_idx"),
            models.Index(fields=["board", "status"], name="thread_board_status_idx"),
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
    # Held for review when screening judged it likely spam: hidden (is_hidden) like a
    # moderated post, but shown to its author as "held" until a moderator decides.
    held_at = models.DateTimeField(null=True, blank=True)
    # The screening that held or flagged it: {"action", "score", "reasons", "on"} ("on" is
    # "create" or "edit"), for the review queue and the author's plain-words reason.
    screening = models.JSONField(default=dict, blank=True)
    # Posted by staff or a moderator while the thread or board was locked.
    posted_during_lock = models.BooleanField(default=False)
    # A per-form token: submitting the same form twice returns the first post.
    submission_key = models.CharField(max_length=64, blank=True, default="")
    # A staff reply marked as the official answer (forum.services.answers).
    is_official_answer = models.BooleanField(default=False)
    # PostgreSQL full-text vector (title of the thread for opening posts + body), kept by
    # forum.search on every write; unused on SQLite (FTS5 table instead).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

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
    def held_reason(self) -> str:
        reasons = (self.screening or {}).get("reasons") or []
        return reasons[0] if reasons else ""

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


class ThreadEvent(models.Model):
    """A small line in a thread between posts: a status change, an accepted answer, the
    asker's answer to the staff prompt. Appended by services, never edited."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status changed"
        ACCEPTED = "accepted", "Answer accepted"
        UNACCEPTED = "unaccepted", "Answer unaccepted"
        SOLVED = "solved", "Marked solved"
        NOT_YET = "not_yet", "Asker needs more help"
        OFFICIAL = "official", "Official answer marked"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_value = models.CharField(max_length=16, blank=True)
    to_value = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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


class ThreadVote(models.Model):
    """A member's vote on an idea, or "I'm affected too" on a bug: one of each per member
    per thread, removable."""

    class Kind(models.TextChoices):
        VOTE = "vote", "Vote"
        AFFECTED = "affected", "Affected too"

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
        WATCHING = "watching", "Watching"
        NORMAL = "normal", "Normal"
        MUTED = "muted", "Muted"

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


class Notification(models.Model):
    """One in-app notification. At most one per member per post and per thread event, so
    a member who is both watching and mentioned hears once."""

    class Kind(models.TextChoices):
        REPLY = "reply", "New reply"
        NEW_THREAD = "new_thread", "New thread"
        MENTION = "mention", "Mentioned you"
        STAFF_REPLY = "staff_reply", "Staff replied"
        ACCEPTED = "accepted", "Your answer was accepted"
        STATUS = "status", "Status changed"
        KEYWORD = "keyword", "Keyword watch"
        CONTACT = "contact", "Contact message"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        ThreadEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A short plain-text summary (e.g. the matched keyword, the contact topic).
    text = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by email (immediately or in a digest).
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The outbox row carrying it, so an email not delivered yet can be taken back when
    # moderators hide the post (a digest row carries several notifications).
    email = models.ForeignKey(
        "accounts.OutboundEmail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post"],
                condition=models.Q(post__isnull=False),
                name="notification_post_once",
            ),
            models.UniqueConstraint(
                fields=["recipient", "event"],
                condition=models.Q(event__isnull=False),
                name="notification_event_once",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


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


class ContactMessage(models.Model):
    """A private message to staff from the /help contact form (visitors included)."""

    class Topic(models.TextChoices):
        ACCOUNT = "account", "My account"
        BILLING = "billing", "Billing"
        BUG = "bug", "A bug I can't describe in public"
        OTHER = "other", "Something else"

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


class OutageCacheEntry(models.Model):
    """The table of the database cache that stands in for Redis while Redis is unreachable
    (config.cache.DatabaseFallbackCache), so rate-limit counters — write and contact
    budgets, allauth's sign-in and sign-up limits — keep holding across every worker
    process during an outage. Django's cache API reads and writes it; nothing else does.
    The columns are the ones Django's database cache expects."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "porchlight_outage_cache"

    def __str__(self) -> str:
        return self.cache_key
