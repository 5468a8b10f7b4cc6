"""A member as moderators see them: their inbox and their case page."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from moderation.models import (
    Appeal,
    Block,
    Flag,
    MemberMessage,
    ModerationAction,
    ModeratorNote,
    ReviewItem,
)
from moderation.selectors.blocks import block_state, member_blocks
from moderation.selectors.log import actions


def member_get(*, member_id: int) -> User:
    return get_object_or_404(User, pk=member_id)


def unread_message_count(*, member) -> int:
    return MemberMessage.objects.filter(recipient=member, read_at__isnull=True).count()


def member_messages(*, member) -> QuerySet[MemberMessage]:
    return MemberMessage.objects.filter(recipient=member).select_related("action")


# Each source of the timeline is read once, newest first, up to this many rows; older
# history stays in the log (linked from the page).
CASE_SOURCE_LIMIT = 200


BLOCK_STATE_KINDS = frozenset(
    {
        ModerationAction.Kind.BLOCK,
        ModerationAction.Kind.BLOCK_EXTEND,
        ModerationAction.Kind.SPAM_DELETE,
    }
)


@dataclass
class Event:
    """One line of the case timeline. ``kind`` picks how the template shows it."""

    kind: str  # action, flag_raised, flag_received, held_post, note, message, appeal
    when: datetime
    obj: object
    extra: dict = field(default_factory=dict)


@dataclass
class MemberCase:
    member: object
    blocks: list
    current_block: Block | None
    events: list
    truncated: bool


def member_case(*, member, now: datetime | None = None) -> MemberCase:
    """Everything the case page shows, in a fixed number of queries (one per source),
    whatever the member's history holds. Messages, review items and block states are
    attached to the log action they belong to, so one act shows as one event."""
    now = now or timezone.now()
    limit = CASE_SOURCE_LIMIT
    blocks = member_blocks(member=member)
    for block in blocks:
        block.state = block_state(block, now)
    current = next((b for b in blocks if b.kind == Block.Kind.BAN and b.state == "active"), None)
    current = current or next((b for b in blocks if b.state == "active"), None)
    blocks_by_id = {block.pk: block for block in blocks}

    member_actions = list(
        actions()
        .filter(member=member)
        .select_related("lockdown", "appeal")
        .order_by("-created_at", "-pk")[:limit]
    )
    sent = list(member_messages(member=member).order_by("-created_at")[:limit])
    flags = list(
        Flag.objects.filter(Q(flagger=member) | Q(post__author=member))
        .select_related("flagger", "post__author", "post__thread", "review_item")
        .order_by("-created_at")[:limit]
    )
    items = list(
        ReviewItem.objects.filter(member=member)
        .select_related("post__thread", "decided_by")
        .order_by("-created_at")[:limit]
    )
    notes = list(
        ModeratorNote.objects.filter(member=member)
        .select_related("author")
        .order_by("-created_at")[:limit]
    )
    appeals = list(
        Appeal.objects.filter(member=member)
        .select_related("action", "review_item")
        .order_by("-created_at")[:limit]
    )
    truncated = any(
        len(rows) == limit for rows in (member_actions, sent, flags, items, notes, appeals)
    )

    by_action = {action.pk: Event("action", action.created_at, action) for action in member_actions}
    events: list[Event] = list(by_action.values())
    for action in member_actions:
        extra = by_action[action.pk].extra
        extra["messages"] = []
        if action.block_id in blocks_by_id and action.kind in BLOCK_STATE_KINDS:
            extra["block"] = blocks_by_id[action.block_id]
        if action.lockdown_id and action.kind in (
            ModerationAction.Kind.LOCK,
            ModerationAction.Kind.SLOW_MODE,
        ):
            extra["lockdown_active"] = action.lockdown.is_active_at(now)
    for message in sent:
        if message.action_id in by_action:
            by_action[message.action_id].extra["messages"].append(message)
        else:
            events.append(Event("message", message.created_at, message))
    for item in items:
        if item.action_id in by_action:
            by_action[item.action_id].extra["item"] = item
        elif item.kind == ReviewItem.Kind.HELD_POST:
            events.append(Event("held_post", item.created_at, item))
    for flag in flags:
        kind = "flag_raised" if flag.flagger_id == member.pk else "flag_received"
        events.append(Event(kind, flag.created_at, flag))
    events.extend(Event("note", note.created_at, note) for note in notes)
    events.extend(Event("appeal", appeal.created_at, appeal) for appeal in appeals)
    events.sort(key=lambda event: event.when, reverse=True)
    return MemberCase(member, blocks, current, events, truncated)
