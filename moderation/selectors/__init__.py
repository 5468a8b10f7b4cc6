"""Every moderation read, one module per subject (CONVENTIONS rule 2)."""

from moderation.selectors.blocks import (
    active_block,
    block_get,
    block_state,
    blocks_in_last_six_months,
    member_blocks,
    spam_deletion_of_ban,
    suggested_block_duration,
)
from moderation.selectors.guidelines import (
    guideline_code_history,
    guidelines_current,
    guidelines_version,
    guidelines_versions,
)
from moderation.selectors.lockdowns import active_lockdowns, last_post_time, lockdown_get
from moderation.selectors.log import (
    action_actors,
    action_get,
    action_get_for_member,
    actions,
    member_recent_actions,
    transparency_counts,
)
from moderation.selectors.members import (
    BLOCK_STATE_KINDS,
    CASE_SOURCE_LIMIT,
    Event,
    MemberCase,
    member_case,
    member_get,
    member_messages,
    unread_message_count,
)
from moderation.selectors.queue import (
    boards_for_filter,
    item_flags,
    open_item_count,
    queue_counts,
    review_item_get,
    review_items,
    review_items_with_flags,
)

__all__ = [
    "action_get_for_member",
    "item_flags",
    "member_recent_actions",
    "queue_counts",
    "review_items_with_flags",
    "BLOCK_STATE_KINDS",
    "CASE_SOURCE_LIMIT",
    "Event",
    "MemberCase",
    "action_actors",
    "action_get",
    "actions",
    "active_block",
    "active_lockdowns",
    "block_get",
    "block_state",
    "blocks_in_last_six_months",
    "boards_for_filter",
    "guideline_code_history",
    "guidelines_current",
    "guidelines_version",
    "guidelines_versions",
    "last_post_time",
    "lockdown_get",
    "member_blocks",
    "member_case",
    "member_get",
    "member_messages",
    "open_item_count",
    "review_item_get",
    "review_items",
    "spam_deletion_of_ban",
    "suggested_block_duration",
    "transparency_counts",
    "unread_message_count",
]
