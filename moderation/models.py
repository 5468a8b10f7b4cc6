from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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


def rule_codes_field(**kwargs):
    """Cited rule codes, stored as ",G1,G3," so a rule can be matched with ``__contains``
    on every database."""
    return models.CharField(max_length=200, blank=True, default="", **kwargs)


class RuleCodesMixin(models.Model):
    rule_codes = rule_codes_field()

    class Meta:
        abstract = True

    @property
    def rules(self) -> list[str]:
        return [code for code in self.rule_codes.split(",") if code]


class ModerationAction(RuleCodesMixin):
    """The moderation log: one row per action and per reversal. Rows are only ever
    added; a reversal is a new row that points at what it reverses."""

    class Kind(models.TextChoices):
        POST_HIDE = "post_hide", "Hid a post"
        POST_RESTORE = "post_restore", "Restored a post"
        BLOCK = "block", "Blocked a member"
        BLOCK_EXTEND = "block_extend", "Extended a block"
        BLOCK_LIFT = "block_lift", "Lifted a block"
        LOCK = "lock", "Locked"
        SLOW_MODE = "slow_mode", "Set slow mode"
        UNLOCK = "unlock", "Lifted a lockdown"
        SPAM_DELETE = "spam_delete", "Deleted as spam"
        SPAM_RESTORE = "spam_restore", "Reversed a spam deletion"
        ITEM_DISMISS = "item_dismiss", "Dismissed flags"
        HELD_APPROVE = "held_approve", "Approved a held post"
        HELD_UNAPPROVE = "held_unapprove", "Held a post again"
        ITEM_ESCALATE = "item_escalate", "Escalated to admins"
        APPEAL_UPHOLD = "appeal_uphold", "Upheld on appeal"
        APPEAL_REVERSE = "appeal_reverse", "Reversed on appeal"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
        help_text="The member the action affects.",
    )
    post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.PROTECT)
    thread = models.ForeignKey("forum.Thread", null=True, blank=True, on_delete=models.PROTECT)
    board = models.ForeignKey("forum.Board", null=True, blank=True, on_delete=models.PROTECT)
    block = models.ForeignKey("Block", null=True, blank=True, on_delete=models.PROTECT)
    lockdown = models.ForeignKey("Lockdown", null=True, blank=True, on_delete=models.PROTECT)
    note = models.TextField(blank=True, help_text="Shown to the member.")
    # What a reversal needs to put things back exactly (previous block end, the lockdown
    # this one replaced, the posts a spam deletion hid).
    details = models.JSONField(default=dict, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "-created_at"], name="action_member_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("moderation:log") + f"?action={self.pk}#action-{self.pk}"


class InForceMixin(RuleCodesMixin):
    """Something moderators set for a while: in force from ``starts_at`` until ``ends_at``
    (or until lifted). Being in force is a comparison with the time, so nothing has to run
    at the instant it ends."""

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_note = models.TextField(blank=True)

    class Meta:
        abstract = True

    def is_active_at(self, when) -> bool:
        return (
            self.lifted_at is None
            and self.starts_at <= when
            and (self.ends_at is None or when < self.ends_at)
        )


class Block(InForceMixin):
    """A temporary block (or, for spammers only, a ban). Active while not lifted and not
    past ``ends_at``: expiry needs no job."""

    class Kind(models.TextChoices):
        BLOCK = "block", "Block"
        BAN = "ban", "Ban"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="blocks"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.BLOCK)
    reason = models.TextField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until lifted.")

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["member", "lifted_at"], name="block_member_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.member_id}"


class Lockdown(InForceMixin):
    """Slow mode or a lock on one thread or a whole board. Active while not lifted and not
    past ``ends_at`` (the automatic reopen time): reopening needs no job."""

    class Kind(models.TextChoices):
        SLOW = "slow", "Slow mode"
        LOCK = "lock", "Locked"

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
        max_length=300, blank=True, help_text="Where people can go meanwhile."
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


class Flag(models.Model):
    class Reason(models.TextChoices):
        RULE = "rule", "Breaks a guideline"
        SPAM = "spam", "Spam"
        OTHER = "other", "Something else"

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


class Appeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        UPHELD = "upheld", "Upheld"
        REVERSED = "reversed", "Reversed"

    action = models.OneToOneField(ModerationAction, on_delete=models.PROTECT, related_name="appeal")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    text = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Appeal against action {self.action_id}"


class ReviewItem(RuleCodesMixin):
    """One thing for moderators to decide: a flagged post (all its flags), a held post, or
    an appeal. Decided at most once; the row lock in the deciding service guarantees it."""

    class Kind(models.TextChoices):
        FLAGGED_POST = "flagged_post", "Flagged post"
        HELD_POST = "held_post", "Held post"
        APPEAL = "appeal", "Appeal"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ESCALATED = "escalated", "Escalated to admins"
        DECIDED = "decided", "Decided"

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approved / dismissed"
        HIDE = "hide", "Post hidden"
        BLOCK = "block", "Author blocked"
        SPAM = "spam", "Deleted as spam"
        UPHOLD = "uphold", "Appeal: action upheld"
        REVERSE = "reverse", "Appeal: action reversed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    post = models.ForeignKey(
        "forum.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="review_items"
    )
    appeal = models.OneToOneField(
        Appeal, null=True, blank=True, on_delete=models.PROTECT, related_name="review_item"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_items",
        help_text="The member whose post or appeal this is.",
    )
    created_at = models.DateTimeField(db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="The note sent to the member.")
    action = models.ForeignKey(
        ModerationAction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(kind="flagged_post") & ~models.Q(status="decided"),
                name="one_open_flag_item_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("moderation:queue-item", kwargs={"item_id": self.pk})


class ModeratorNote(models.Model):
    """Private notes between moderators about a member."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderator_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note on {self.member_id}"


class MemberMessage(models.Model):
    """What moderation tells a member: shown in their inbox and also sent by email."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_messages"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    action = models.ForeignKey(
        ModerationAction, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class SpamTokenCount(models.Model):
    """How many moderator-decided posts contained a token, as spam and as ham: what the
    spam filter learned on this site, added to the starter model's counts. The row whose
    token is ``SpamTokenCount.MESSAGES`` counts the decided posts themselves (a token the
    tokeniser never produces). Counts only grow, by single UPDATE statements, so
    concurrent decisions never lose one another's counts."""

    MESSAGES = "#messages"

    token = models.CharField(max_length=100, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.token}: {self.spam} spam, {self.ham} ham"


class BlockedDomain(models.Model):
    """A domain admins know is spam: a post linking to it, or to any of its subdomains,
    scores as spam whatever else it says."""

    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text="For example cheap-pills.biz (subdomains are included). No http:// or path.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why it is blocked.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class SpamPolicy(models.Model):
    """What admins chose for accounts the forum does not trust yet: one row (pk 1),
    edited in Django admin. An account is trusted once it is ``trusted_after_days`` old
    OR has ``trusted_after_posts`` published posts, whichever comes first; until then
    the new-account policy and the link limit apply to its posts. Staff, moderators and
    admins are never held, whatever is set here."""

    class NewAccounts(models.TextChoices):
        NONE = "none", "No extra checks (the spam filter still holds spam)"
        LINKS = "links", "Hold their posts that contain links"
        FIRST_POSTS = "first_posts", "Hold their first posts for approval"

    SINGLETON_PK = 1

    new_accounts = models.CharField(
        "posts by new accounts",
        max_length=16,
        choices=NewAccounts.choices,
        default=NewAccounts.LINKS,
    )
    first_posts = models.PositiveSmallIntegerField(
        "how many first posts to hold",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Used when new accounts' first posts are held.",
    )
    trusted_after_days = models.PositiveSmallIntegerField(
        "trusted after (days)",
        default=3,
        validators=[MaxValueValidator(3650)],
        help_text="An account this many days old is trusted (0: age alone never trusts).",
    )
    trusted_after_posts = models.PositiveSmallIntegerField(
        "trusted after (published posts)",
        default=3,
        validators=[MaxValueValidator(1000)],
        help_text="An account with this many published posts is trusted (0: posts alone "
        "never trust). Either this or the age is enough.",
    )
    link_limit = models.PositiveSmallIntegerField(
        "link limit for new accounts",
        null=True,
        blank=True,
        default=2,
        validators=[MaxValueValidator(1000)],
        help_text="A new account's post with more links than this is held. Empty: no limit.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "spam policy"
        verbose_name_plural = "spam policy"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="spampolicy_singleton"),
        ]

    def __str__(self) -> str:
        return "Spam policy for new accounts"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    def is_trusted(self, *, age_days: int, posts: int) -> bool:
        by_age = self.trusted_after_days > 0 and age_days >= self.trusted_after_days
        by_posts = self.trusted_after_posts > 0 and posts >= self.trusted_after_posts
        return by_age or by_posts


class WatchedWord(models.Model):
    """A word or phrase admins watch for in members' posts. Phrases are literal text,
    never patterns: matching ignores case and accents, and ``whole_word`` stops "ass"
    matching "class"."""

    class Action(models.TextChoices):
        BLOCK = "block", "Block: refuse the post, saying which phrase to change"
        HOLD = "hold", "Hold the post for a moderator"
        FLAG = "flag", "Publish, and flag it for a moderator to look at"

    MAX_LENGTH = 100

    phrase = models.CharField(max_length=MAX_LENGTH, unique=True)
    whole_word = models.BooleanField(
        default=True,
        help_text="Match whole words only (“loan” does not match “loaned”). Untick to match "
        "inside words too.",
    )
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.HOLD)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase


def _forget_spam_settings(sender, **kwargs):
    # The policy and the watched words are read from the shared cache on every post; a
    # change clears that copy now (this process sees it at once) and again after commit
    # (another process may have cached the old rows in between).
    from django.core.cache import cache
    from django.db import transaction

    from moderation.spam import policy, watched

    key = policy.CACHE_KEY if sender is SpamPolicy else watched.CACHE_KEY
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


models.signals.post_save.connect(_forget_spam_settings, sender=SpamPolicy)
models.signals.post_delete.connect(_forget_spam_settings, sender=SpamPolicy)
models.signals.post_save.connect(_forget_spam_settings, sender=WatchedWord)
models.signals.post_delete.connect(_forget_spam_settings, sender=WatchedWord)
