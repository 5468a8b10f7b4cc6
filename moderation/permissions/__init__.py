"""One check per moderation action (CONVENTIONS rule 3), one module per subject, and the
block and lockdown refusals that the forum's checks consult so every path refuses with
the same words."""

from moderation.permissions.appeals import check_appeal
from moderation.permissions.blocks import (
    active_block_for,
    block_message,
    check_block_member,
    check_lift_block,
    require_not_blocked,
    unread_messages_for,
)
from moderation.permissions.flags import check_flag_post
from moderation.permissions.guidelines import check_edit_guidelines
from moderation.permissions.lockdowns import (
    check_lockdown,
    is_exempt_from_lockdowns,
    lockdown_message,
    lockdowns_for,
    remember_lockdowns,
    require_lockdowns_allow_post,
)
from moderation.permissions.log import check_reverse_action
from moderation.permissions.members import check_view_case
from moderation.permissions.moderators import check_moderate
from moderation.permissions.posts import check_hide_post
from moderation.permissions.queue import check_claim_item, check_decide_item, check_review_decision
from moderation.permissions.spam import check_delete_spam

__all__ = [
    "active_block_for",
    "block_message",
    "check_appeal",
    "check_block_member",
    "check_claim_item",
    "check_decide_item",
    "check_delete_spam",
    "check_edit_guidelines",
    "check_flag_post",
    "check_hide_post",
    "check_lift_block",
    "check_lockdown",
    "check_moderate",
    "check_reverse_action",
    "check_review_decision",
    "check_view_case",
    "is_exempt_from_lockdowns",
    "lockdown_message",
    "lockdowns_for",
    "remember_lockdowns",
    "require_lockdowns_allow_post",
    "require_not_blocked",
    "unread_messages_for",
]
