"""Every moderation model, one module per subject."""

from moderation.models.appeals import Appeal
from moderation.models.base import InForceMixin, RuleCodesMixin, rule_codes_field
from moderation.models.blocks import Block
from moderation.models.flags import Flag
from moderation.models.guidelines import GuidelineRule, GuidelineVersion
from moderation.models.lockdowns import Lockdown
from moderation.models.log import APPEALABLE, REVERSIBLE, ModerationAction
from moderation.models.members import MemberMessage, ModeratorNote
from moderation.models.queue import ReviewItem
from moderation.models.spam import BlockedDomain, SpamPolicy, SpamTokenCount, WatchedWord

__all__ = [
    "APPEALABLE",
    "Appeal",
    "Block",
    "BlockedDomain",
    "Flag",
    "GuidelineRule",
    "GuidelineVersion",
    "InForceMixin",
    "Lockdown",
    "MemberMessage",
    "ModerationAction",
    "ModeratorNote",
    "REVERSIBLE",
    "ReviewItem",
    "RuleCodesMixin",
    "SpamPolicy",
    "SpamTokenCount",
    "WatchedWord",
    "rule_codes_field",
]
