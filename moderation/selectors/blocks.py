"""Blocks in force, a member's blocks, and the suggested length of the next one."""

from datetime import datetime

from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from moderation.models import Appeal, Block, ModerationAction
from moderation.rules import BLOCK_DURATIONS, SUGGESTION_LADDER, SUGGESTION_WINDOW


def active_block(member_id: int, *, now: datetime | None = None) -> Block | None:
    """The block in force for a member now, if any. Expiry is a comparison with ``now``,
    so no job is needed for a block to end."""
    now = now or timezone.now()
    candidates = (
        Block.objects.filter(member_id=member_id, lifted_at__isnull=True, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        # A ban outranks a block (spelt out: "-kind" would sort "block" before "ban").
        .annotate(
            is_ban=Case(
                When(kind=Block.Kind.BAN, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-is_ban", "-starts_at", "-pk")
    )
    return candidates.first()


def block_get(*, block_id: int) -> Block:
    return get_object_or_404(Block.objects.select_related("member", "created_by"), pk=block_id)


def spam_deletion_of_ban(block: Block) -> ModerationAction | None:
    """The unreversed spam deletion that made a ban (its reversal is how a ban is lifted)."""
    return ModerationAction.objects.filter(
        block=block, kind=ModerationAction.Kind.SPAM_DELETE, reversed_by__isnull=True
    ).first()


def member_blocks(*, member) -> list[Block]:
    return list(Block.objects.filter(member=member).select_related("created_by", "lifted_by"))


def blocks_in_last_six_months(*, member, now: datetime | None = None) -> int:
    """Blocks (not spam bans) that started in the last six months. A block reversed on
    appeal was a mistake, so it does not count against the member."""
    now = now or timezone.now()
    return (
        Block.objects.filter(
            member=member,
            kind=Block.Kind.BLOCK,
            starts_at__gt=now - SUGGESTION_WINDOW,
            starts_at__lte=now,
        )
        .exclude(
            moderationaction__kind=ModerationAction.Kind.BLOCK,
            moderationaction__appeal__status=Appeal.Status.REVERSED,
        )
        .count()
    )


_TIMES = {1: "once", 2: "twice"}


def suggested_block_duration(*, member, now: datetime | None = None) -> tuple[str, str]:
    """The duration key the block form should suggest, and why, in words a moderator can
    check: it steps up the ladder with each block in the last six months and back down as
    old blocks leave that window."""
    count = blocks_in_last_six_months(member=member, now=now)
    key = SUGGESTION_LADDER[min(count, len(SUGGESTION_LADDER) - 1)]
    label = BLOCK_DURATIONS[key][0]
    name = member.public_name
    if count == 0:
        why = f"{name} has not been blocked in the last six months."
    else:
        times = _TIMES.get(count, f"{count} times")
        why = f"{name} was blocked {times} in the last six months."
    return key, f"Suggested {label}: {why}"


def block_state(block: Block, now: datetime) -> str:
    if block.lifted_at is not None:
        return "lifted"
    if block.is_active_at(now):
        return "active"
    return "ended" if block.starts_at <= now else "scheduled"
