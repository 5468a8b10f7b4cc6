"""Posts and every revision of them."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from forum.models.threads import TITLE_MAX, Thread

BODY_MIN = 1
BODY_MAX = 50_000


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
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_recent_idx"),
            # Search's candidates (the newest matches, within any date range) and the
            # search feeds walk this until they have enough, instead of reading every match.
            models.Index(fields=["-created_at", "-id"], name="post_newest_idx"),
        ]

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
