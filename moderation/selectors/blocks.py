"""Blocks in force, a member's blocks, and the suggested length of the next one."""

from datetime import UTC, datetime

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.compiled import CompiledQuery
from moderation.models import Appeal, Block, MemberMessage, ModerationAction
from moderation.rules import BLOCK_DURATIONS, SUGGESTION_LADDER, SUGGESTION_WINDOW


def _active_blocks(member_id, now: datetime):
    return (
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


def active_block(member_id: int, *, now: datetime | None = None) -> Block | None:
    """The block in force for a member now, if any. Expiry is a comparison with ``now``,
    so no job is needed for a block to end."""
    return _active_blocks(member_id, now or timezone.now()).first()


def _block_and_unread_query(member_id: int, now: datetime):
    unread = (
        MemberMessage.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        User.objects.filter(pk=member_id)
        .annotate(
            block_id=Subquery(_active_blocks(OuterRef("pk"), now).values("pk")[:1]),
            unread_messages=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
        )
        .values_list("block_id", "unread_messages")
        .order_by()[:1]
    )


# Every signed-in page runs it: built once per process (building costs more than running).
_BLOCK_AND_UNREAD = CompiledQuery(
    _block_and_unread_query,
    member_id=-7_000_000_011,
    now=datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC),
)


def active_block_and_unread_messages(member_id: int) -> tuple[Block | None, int]:
    """``active_block`` and the member's unread moderation messages, which every signed-in
    page shows: one query (on the member's own row), a second only while a block is in
    force."""
    row = _BLOCK_AND_UNREAD.fetchone(member_id=member_id, now=timezone.now())
    block_id, unread_messages = row or (None, 0)
    block = Block.objects.filter(pk=block_id).first() if block_id is not None else None
    return block, unread_messages


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


def suggested_block_duration(*, member, now: datetime | None = None) -> tuple[str, str]:
    """The duration key the block form should suggest, and why, in words a moderator can
    check: it steps up the ladder with each block in the last six months and back down as
    old blocks leave that window."""
    count = blocks_in_last_six_months(member=member, now=now)
    key = SUGGESTION_LADDER[min(count, len(SUGGESTION_LADDER) - 1)]
    label = BLOCK_DURATIONS[key][0]
    name = member.public_name
    if count == 0:
        why = _("%(name)s has not been blocked in the last six months.") % {"name": name}
    elif count == 1:
        why = _("%(name)s was blocked once in the last six months.") % {"name": name}
    elif count == 2:
        why = _("%(name)s was blocked twice in the last six months.") % {"name": name}
    else:
        why = _("%(name)s was blocked %(count)s times in the last six months.") % {
            "name": name,
            "count": count,
        }
    return key, _("Suggested %(duration)s: %(why)s") % {"duration": label, "why": why}


def block_state(block: Block, now: datetime) -> str:
    if block.lifted_at is not None:
        return "lifted"
    if block.is_active_at(now):
        return "active"
    return "ended" if block.starts_at <= now else "scheduled"
