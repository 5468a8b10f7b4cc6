"""Claiming and deciding review items, and the check of each action a decision takes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from moderation.models import ModerationAction, ReviewItem
from moderation.permissions.blocks import check_block_member
from moderation.permissions.moderators import check_moderate
from moderation.permissions.spam import check_delete_spam


def check_claim_item(user, item: ReviewItem) -> None:
    check_moderate(user)
    if item.status == ReviewItem.Status.DECIDED:
        raise PermissionDenied(_("This item has already been decided."))
    if item.status == ReviewItem.Status.ESCALATED and not user.is_site_admin:
        raise PermissionDenied(_("This item was escalated: only admins can take it now."))
    if item.kind == ReviewItem.Kind.APPEAL:
        appealed = item.appeal.action
        # Refused at the claim already, so the moderator who acted can't sit on it either.
        if appealed.actor_id == user.pk:
            raise PermissionDenied(
                _(
                    "You took the action being appealed, so another moderator must decide "
                    "the appeal."
                )
            )
        if appealed.kind == ModerationAction.Kind.SPAM_DELETE and not user.is_site_admin:
            raise PermissionDenied(
                _(
                    "Only an admin can decide an appeal against a spam deletion, because only "
                    "admins can reverse one."
                )
            )


def check_decide_item(user, item: ReviewItem) -> None:
    check_claim_item(user, item)
    if item.claimed_by_id and item.claimed_by_id != user.pk:
        raise PermissionDenied(
            _("%(name)s is handling this item.") % {"name": item.claimed_by.public_name}
        )


def check_review_decision(
    user, item: ReviewItem, decision: str, *, also_block: bool = False
) -> None:
    """Deciding an item, and the check of each action the decision takes: a decision that
    reaches past the item to the author (blocking them, deleting them as spam) is refused
    exactly as on the member's case page, so a moderator's post can't be "decided" into a
    block."""
    check_decide_item(user, item)
    if item.kind == ReviewItem.Kind.APPEAL or item.post is None:
        return
    if decision == ReviewItem.Decision.BLOCK or (
        decision == ReviewItem.Decision.HIDE and also_block
    ):
        check_block_member(user, item.post.author)
    elif decision == ReviewItem.Decision.SPAM:
        check_delete_spam(user, item.post.author)
