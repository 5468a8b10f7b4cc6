"""The community's temperature, as the hourly task computes it: the forum's activity per
board and hour with the flags and moderation actions beside it, the hottest threads, and
the heating-up check. The forum cannot read flags or the moderation log (its core does
not know this app), so this module writes those columns and runs the whole refresh.

Everything is recomputed from the source rows: running a step twice changes nothing."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.models import HotThread, Post, ThreadVote
from forum.services.heat import heat_check
from forum.services.temperature import (
    HOUR,
    MODERATION_COLUMNS,
    HourValues,
    board_hours_aggregate,
    board_hours_refresh_questions,
    board_hours_write,
    hour_floor,
    hour_span,
    truncated_hour,
)
from moderation.models import Flag, ModerationAction

# The periods the temperature page compares (each against the one before it).
PERIOD_HOURS = (24, 7 * 24, 30 * 24)
# Questions asked this long ago can still get solved and change the share solved of the
# longest period and the one before it.
QUESTIONS_REFRESH = timedelta(hours=2 * max(PERIOD_HOURS) + 24)
SITE_HOT_THREADS = 10
BOARD_HOT_THREADS = 5
# A rebuild of the whole history goes a month at a time, so memory stays bounded.
REBUILD_CHUNK = timedelta(days=30)


def _moderation_values(start: datetime, end: datetime) -> HourValues:
    values: HourValues = defaultdict(dict)
    flags = (
        Flag.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(at=truncated_hour("created_at"))
        .values("post__thread__board_id", "at")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in flags:
        values[(row["post__thread__board_id"], row["at"])]["flags"] = row["n"]
    actions = (
        ModerationAction.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(
            at=truncated_hour("created_at"),
            where=Coalesce("board_id", "thread__board_id", "post__thread__board_id"),
        )
        .values("where", "at")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in actions:
        values[(row["where"], row["at"])]["actions"] = row["n"]
    return values


def board_hours_aggregate_moderation(*, start: datetime, end: datetime) -> int:
    """Recompute the flags and moderation actions of every hour touching [start, end):
    a flag counts for its post's board, an action for its board, thread's or post's board,
    else for no board (a member's block). Two grouped queries."""
    start, end = hour_span(start, end)
    return board_hours_write(
        start=start, end=end, columns=MODERATION_COLUMNS, values=_moderation_values(start, end)
    )


def temperature_rebuild(*, start: datetime, end: datetime) -> int:
    """Rebuild every column of every hour touching [start, end), a month at a time (each
    month its own transaction). Returns the number of rows written."""
    start, end = hour_span(start, end)
    written = 0
    while start < end:
        stop = min(start + REBUILD_CHUNK, end)
        with transaction.atomic():
            written += board_hours_aggregate(start=start, end=stop)
            written += board_hours_aggregate_moderation(start=start, end=stop)
        start = stop
    return written


def temperature_history_start() -> datetime | None:
    """The first hour anything was written, or None on an empty site."""
    first = Post.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return hour_floor(first) if first else None


def _score(row: dict, hours: int) -> float:
    # Replies count per day, so a long period does not drown out a thread hot today.
    per_day = row["replies"] * 24 / hours
    return per_day + 2 * row["participants"] + row["votes"] + row["affected"] + 3 * row["flags"]


def _activity(since: datetime, until: datetime) -> dict[int, dict]:
    """Per thread (not hidden) active in the window: replies, distinct participants,
    votes and affected-too gained, flags. Three grouped queries."""
    found: dict[int, dict] = defaultdict(
        lambda: {"replies": 0, "participants": 0, "votes": 0, "affected": 0, "flags": 0}
    )
    posts = (
        Post.objects.filter(
            created_at__gte=since, created_at__lt=until, is_hidden=False, thread__is_hidden=False
        )
        .values("thread_id", "thread__board_id")
        .annotate(
            replies=Count("id", filter=Q(position__gt=1)), people=Count("author", distinct=True)
        )
        .order_by()
    )
    for row in posts:
        entry = found[row["thread_id"]]
        entry.update(board_id=row["thread__board_id"], replies=row["replies"])
        entry["participants"] = row["people"]
    votes = (
        ThreadVote.objects.filter(
            created_at__gte=since, created_at__lt=until, thread__is_hidden=False
        )
        .values("thread_id", "thread__board_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in votes:
        entry = found[row["thread_id"]]
        entry["board_id"] = row["thread__board_id"]
        entry["votes" if row["kind"] == ThreadVote.Kind.VOTE else "affected"] = row["n"]
    flags = (
        Flag.objects.filter(
            created_at__gte=since, created_at__lt=until, post__thread__is_hidden=False
        )
        .values(thread_id=F("post__thread_id"), board_id=F("post__thread__board_id"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in flags:
        entry = found[row["thread_id"]]
        entry["board_id"] = row["board_id"]
        entry["flags"] = row["n"]
    return found


@transaction.atomic
def hot_threads_rank(*, now: datetime | None = None) -> int:
    """Replace the rankings of the hottest threads over each period ending now: the top
    ``SITE_HOT_THREADS`` site-wide and the top ``BOARD_HOT_THREADS`` of each board, by
    replies a day, distinct participants, votes and affected-too gained and flags.
    Returns the number of ranked rows."""
    now = now or timezone.now()
    rows = []
    for hours in PERIOD_HOURS:
        found = _activity(now - timedelta(hours=hours), now)
        ranked = sorted(found.items(), key=lambda item: (-_score(item[1], hours), -item[0]))
        per_board: dict[int, int] = defaultdict(int)
        for position, (thread_id, entry) in enumerate(ranked):
            board_id = entry["board_id"]
            places = []
            if position < SITE_HOT_THREADS:
                places.append((None, position + 1))
            if per_board[board_id] < BOARD_HOT_THREADS:
                per_board[board_id] += 1
                places.append((board_id, per_board[board_id]))
            for board, rank in places:
                rows.append(
                    HotThread(
                        period_hours=hours,
                        board_id=board,
                        rank=rank,
                        thread_id=thread_id,
                        replies=entry["replies"],
                        participants=entry["participants"],
                        votes=entry["votes"],
                        affected=entry["affected"],
                        flags=entry["flags"],
                        score=round(_score(entry, hours), 2),
                        computed_at=now,
                    )
                )
    HotThread.objects.all().delete()
    HotThread.objects.bulk_create(rows)
    return len(rows)


def temperature_refresh(*, now: datetime | None = None, hours: int = 3) -> dict[str, int]:
    """The hourly work: rebuild the last ``hours`` hours (the current one included),
    recount recent questions solved, rank the hottest threads and check for boards heating
    up (which tells staff once per episode). Safe to run at any time and more than once."""
    now = now or timezone.now()
    current = hour_floor(now)
    written = temperature_rebuild(start=current - HOUR * (hours - 1), end=current + HOUR)
    with transaction.atomic():
        refreshed = board_hours_refresh_questions(start=now - QUESTIONS_REFRESH, end=now)
    ranked = hot_threads_rank(now=now)
    opened = heat_check(now=now)
    return {"rows": written + refreshed, "hot_threads": ranked, "alerts": len(opened)}
