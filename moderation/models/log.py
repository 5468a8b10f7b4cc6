"""The moderation log."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from moderation.models.base import RuleCodesMixin


class ModerationAction(RuleCodesMixin):
    """The moderation log: one row per action and per reversal. Rows are only ever
    added; a reversal is a new row that points at what it reverses."""

    class Kind(models.TextChoices):
        POST_HIDE = "post_hide", _("Hid a post")
        POST_RESTORE = "post_restore", _("Restored a post")
        BLOCK = "block", _("Blocked a member")
        BLOCK_EXTEND = "block_extend", _("Extended a block")
        BLOCK_LIFT = "block_lift", _("Lifted a block")
        LOCK = "lock", _("Locked")
        SLOW_MODE = "slow_mode", _("Set slow mode")
        UNLOCK = "unlock", _("Lifted a lockdown")
        SPAM_DELETE = "spam_delete", _("Deleted as spam")
        SPAM_RESTORE = "spam_restore", _("Reversed a spam deletion")
        ITEM_DISMISS = "item_dismiss", _("Dismissed flags")
        HELD_APPROVE = "held_approve", _("Approved a held post")
        HELD_UNAPPROVE = "held_unapprove", _("Held a post again")
        ITEM_ESCALATE = "item_escalate", _("Escalated to admins")
        APPEAL_UPHOLD = "appeal_uphold", _("Upheld on appeal")
        APPEAL_REVERSE = "appeal_reverse", _("Reversed on appeal")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
        help_text=_("The member the action affects."),
    )
    post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.PROTECT)
    thread = models.ForeignKey("forum.Thread", null=True, blank=True, on_delete=models.PROTECT)
    board = models.ForeignKey("forum.Board", null=True, blank=True, on_delete=models.PROTECT)
    block = models.ForeignKey("Block", null=True, blank=True, on_delete=models.PROTECT)
    lockdown = models.ForeignKey("Lockdown", null=True, blank=True, on_delete=models.PROTECT)
    note = models.TextField(blank=True, help_text=_("Shown to the member."))
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


Kind = ModerationAction.Kind
# The kinds that have a reversal of their own (the rest are reversals, or decisions
# without state to put back). The reversal check and the reversal dispatch both read it.
REVERSIBLE = (
    Kind.POST_HIDE,
    Kind.BLOCK,
    Kind.BLOCK_EXTEND,
    Kind.LOCK,
    Kind.SLOW_MODE,
    Kind.SPAM_DELETE,
    Kind.HELD_APPROVE,
)
# An approval is in the author's favour: there is nothing for them to appeal.
APPEALABLE = tuple(kind for kind in REVERSIBLE if kind != Kind.HELD_APPROVE)
