"""Undoing an action through its own reversal path."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import Post
from moderation.models import Appeal, ModerationAction
from moderation.services.blocks import block_extend_reverse, block_lift
from moderation.services.held import held_approve_reverse
from moderation.services.lockdowns import lockdown_lift
from moderation.services.posts import post_restore
from moderation.services.spam import spam_restore

Kind = ModerationAction.Kind


@transaction.atomic
def action_reverse(
    *, actor, action: ModerationAction, note: str = "", appeal: Appeal | None = None
) -> ModerationAction | bool:
    """Undo an action through its normal reversal path; the one new log row points at it
    (``reverses``). Returns False when there is nothing left to undo (already reversed,
    or the block or lockdown has already ended)."""
    action = ModerationAction.objects.select_for_update().get(pk=action.pk)
    if hasattr(action, "reversed_by"):
        return False
    note = (note or "").strip()
    if action.kind == Kind.POST_HIDE:
        post = Post.objects.get(pk=action.post_id)
        return post_restore(actor=actor, post=post, note=note, reverses=action, appeal=appeal)
    if action.kind == Kind.BLOCK:
        return block_lift(
            actor=actor, block=action.block, note=note, reverses=action, appeal=appeal
        )
    if action.kind == Kind.BLOCK_EXTEND:
        return block_extend_reverse(actor=actor, action=action, note=note, appeal=appeal)
    if action.kind in (Kind.LOCK, Kind.SLOW_MODE):
        return lockdown_lift(
            actor=actor, lockdown=action.lockdown, note=note, reverses=action, appeal=appeal
        )
    if action.kind == Kind.SPAM_DELETE:
        return spam_restore(actor=actor, action=action, note=note, appeal=appeal)
    if action.kind == Kind.HELD_APPROVE:
        return held_approve_reverse(actor=actor, action=action, note=note)
    raise ValidationError(
        _("“%(kind)s” has no reversal of its own.") % {"kind": action.get_kind_display()}
    )
