"""Blocks and spam bans on a member."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.models.base import InForceMixin


class Block(InForceMixin):
    """A temporary block (or, for spammers only, a ban). Active while not lifted and not
    past ``ends_at``: expiry needs no job."""

    class Kind(models.TextChoices):
        BLOCK = "block", _("Block")
        BAN = "ban", _("Ban")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="blocks"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.BLOCK)
    reason = models.TextField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: until lifted."))

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["member", "lifted_at"], name="block_member_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.member_id}"
