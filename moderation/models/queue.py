"""The review queue's items."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from moderation.models.base import RuleCodesMixin


class ReviewItem(RuleCodesMixin):
    """One thing for moderators to decide: a flagged post (all its flags), a held post, or
    an appeal. Decided at most once; the row lock in the deciding service guarantees it."""

    class Kind(models.TextChoices):
        FLAGGED_POST = "flagged_post", _("Flagged post")
        HELD_POST = "held_post", _("Held post")
        APPEAL = "appeal", _("Appeal")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ESCALATED = "escalated", _("Escalated to admins")
        DECIDED = "decided", _("Decided")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approved / dismissed")
        HIDE = "hide", _("Post hidden")
        BLOCK = "block", _("Author blocked")
        SPAM = "spam", _("Deleted as spam")
        UPHOLD = "uphold", _("Appeal: action upheld")
        REVERSE = "reverse", _("Appeal: action reversed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    post = models.ForeignKey(
        "forum.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="review_items"
    )
    appeal = models.OneToOneField(
        "Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="review_item"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_items",
        help_text=_("The member whose post or appeal this is."),
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
    note = models.TextField(blank=True, help_text=_("The note sent to the member."))
    action = models.ForeignKey(
        "ModerationAction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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
