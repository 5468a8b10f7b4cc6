"""Reads for moderation: guidelines, blocks, lockdowns, the queue, the log, case pages."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from forum.models import Post
from moderation.models import (
    Appeal,
    Block,
    Flag,
    GuidelineRule,
    GuidelineVersion,
    Lockdown,
    MemberMessage,
    ModerationAction,
    ModeratorNote,
    ReviewItem,
)
from moderation.rules import BLOCK_DURATIONS, SUGGESTION_LADDER, SUGGESTION_WINDOW


def guidelines_current() -> GuidelineVersion | None:
    return GuidelineVersion.objects.prefetch_related("rules").order_by("-number").first()


def guidelines_version(*, number: int) -> GuidelineVersion:
    return get_object_or_404(GuidelineVersion.objects.prefetch_related("rules"), number=number)


def guidelines_versions() -> list[GuidelineVersion]:
    return list(GuidelineVersion.objects.order_by("-number").only("number", "published_at"))


def guideline_code_history() -> dict[str, tuple[int, str]]:
    """Every code any version has used → (the last version that had it, its title there).
    One query."""
    rows = GuidelineRule.objects.order_by("version__number").values_list(
        "code", "version__number", "title"
    )
    return {code: (number, title) for code, number, title in rows}


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


def active_lockdowns(*, thread=None, board=None, now: datetime | None = None) -> list[Lockdown]:
    """Lockdowns in force on a thread and its board (or on a board), thread ones first."""
    now = now or timezone.now()
    condition = Q()
    if thread is not None:
        condition |= Q(thread_id=thread.pk)
        board_id = board.pk if board is not None else thread.board_id
    else:
        board_id = board.pk
    condition |= Q(board_id=board_id)
    rows = (
        Lockdown.objects.filter(condition, lifted_at__isnull=True, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("created_by")
        .order_by("board_id", "-starts_at")  # NULL board (thread lockdowns) first on every DB
    )
    return sorted(rows, key=lambda row: row.thread_id is None)


def open_item_count() -> int:
    return ReviewItem.objects.exclude(status=ReviewItem.Status.DECIDED).count()


def review_items(filterset_qs: QuerySet | None = None) -> QuerySet[ReviewItem]:
    qs = filterset_qs if filterset_qs is not None else ReviewItem.objects.all()
    return qs.select_related(
        "post__thread__board",
        "post__author",
        "member",
        "claimed_by",
        "decided_by",
        "appeal__action__actor",
    ).annotate(flag_count=Count("flags"))


def review_item_get(*, item_id: int) -> ReviewItem:
    return get_object_or_404(
        ReviewItem.objects.select_related(
            "post__thread__board",
            "post__author",
            "member",
            "claimed_by",
            "decided_by",
            "appeal__action__actor",
            "appeal__action__post",
            "action",
        ),
        pk=item_id,
    )


def actions() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.select_related(
        "actor", "member", "post__thread", "thread", "board", "reverses", "reversed_by"
    )


def action_get(*, action_id: int) -> ModerationAction:
    return get_object_or_404(actions(), pk=action_id)


def lockdown_get(*, lockdown_id: int) -> Lockdown:
    return get_object_or_404(
        Lockdown.objects.select_related("thread__board", "board", "created_by"), pk=lockdown_id
    )


def member_get(*, member_id: int) -> User:
    return get_object_or_404(User, pk=member_id)


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


def unread_message_count(*, member) -> int:
    return MemberMessage.objects.filter(recipient=member, read_at__isnull=True).count()


def member_messages(*, member) -> QuerySet[MemberMessage]:
    return MemberMessage.objects.filter(recipient=member).select_related("action")


def transparency_counts() -> list[dict]:
    """Actions per rule per month, counted without any personal data."""
    rows = (
        ModerationAction.objects.exclude(rule_codes="")
        .annotate(month=TruncMonth("created_at"))
        .values("month", "kind", "rule_codes")
        .annotate(n=Count("pk"))
        .order_by("-month")
    )
    totals: dict[tuple, int] = {}
    for row in rows:
        for code in [c for c in row["rule_codes"].split(",") if c]:
            key = (row["month"], code, row["kind"])
            totals[key] = totals.get(key, 0) + row["n"]
    labels = dict(ModerationAction.Kind.choices)
    return [
        {"month": month, "rule": code, "kind": labels.get(kind, kind), "count": count}
        for (month, code, kind), count in sorted(
            totals.items(), key=lambda item: (item[0][0], item[0][1], item[0][2]), reverse=True
        )
    ]


def last_post_time(*, user, thread_id: int | None, board_id: int | None):
    """When the member last posted in a thread or board (for slow mode)."""
    posts = Post.objects.filter(author_id=user.pk)
    posts = (
        posts.filter(thread_id=thread_id) if thread_id else posts.filter(thread__board_id=board_id)
    )
    return posts.order_by("-created_at").values_list("created_at", flat=True).first()


# --- The case page ---------------------------------------------------------------------

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


def block_state(block: Block, now: datetime) -> str:
    if block.lifted_at is not None:
        return "lifted"
    if block.is_active_at(now):
        return "active"
    return "ended" if block.starts_at <= now else "scheduled"


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
