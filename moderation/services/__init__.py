"""Every moderation write, one module per subject (CONVENTIONS rules 1 and 5).

Each verb takes ``actor``, cites guideline rules, is atomic, returns ``False`` when nothing
changed, writes exactly one ``ModerationAction`` row and has a reversal (dispatched by
``reversal.action_reverse``). Members affected are told through ``log.tell`` (an inbox
message now, an email after commit). Services assume the caller asked the matching check
in ``moderation.permissions``."""

from moderation.models import APPEALABLE, REVERSIBLE
from moderation.services.appeals import appeal_create
from moderation.services.blocks import block_create, block_lift
from moderation.services.flags import flag_create
from moderation.services.guidelines import RULE_CODE, RuleDraft, guidelines_publish
from moderation.services.lockdowns import lockdown_lift, lockdown_set
from moderation.services.members import member_messages_mark_read, moderator_note_add
from moderation.services.posts import post_hide, post_restore
from moderation.services.queue import (
    review_item_claim,
    review_item_decide,
    review_item_escalate,
    review_item_open_for_screening,
    review_item_release,
)
from moderation.services.reversal import action_reverse
from moderation.services.spam import spam_delete, spam_restore

__all__ = [
    "APPEALABLE",
    "REVERSIBLE",
    "RULE_CODE",
    "RuleDraft",
    "action_reverse",
    "appeal_create",
    "block_create",
    "block_lift",
    "flag_create",
    "guidelines_publish",
    "lockdown_lift",
    "lockdown_set",
    "member_messages_mark_read",
    "moderator_note_add",
    "post_hide",
    "post_restore",
    "review_item_claim",
    "review_item_decide",
    "review_item_escalate",
    "review_item_open_for_screening",
    "review_item_release",
    "spam_delete",
    "spam_restore",
]
