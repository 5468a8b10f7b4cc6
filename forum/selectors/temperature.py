"""Reads for the temperature page and the staff sparklines (CONVENTIONS rule 2).

Everything comes from the hour rows the hourly task writes (forum.models.BoardHour) and
its rankings (HotThread): a 30-day comparison reads at most 1,440 rows per board and
never a post. Only the unanswered questions are read live, from the Help queue's own
rows (waiting threads, not posts), because they are a state, not a flow."""

import math
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDay
from django.utils import timezone

from forum.models import Board, BoardHour, HeatAlert, HotThread, Thread
from forum.selectors.answers import unanswered_threads
from forum.services.temperature import HOUR, hour_floor

# The periods, each compared with the one just before it: (key, hours, chart buckets).
PERIODS = {"24h": (24, 24), "7d": (7 * 24, 28), "30d": (30 * 24, 30)}
DEFAULT_PERIOD = "7d"
COLUMNS = ("threads", "posts", "questions", "questions_solved", "votes", "affected")
MODERATION = ("flags", "actions")
# How long unanswered questions have been waiting: upper bounds of each group.
AGE_BUCKETS = (
    ("under_1h", timedelta(hours=1)),
    ("under_4h", timedelta(hours=4)),
    ("under_24h", timedelta(hours=24)),
    ("under_3d", timedelta(days=3)),
)
OPEN_HELP_STATES = (Thread.HelpState.AWAITING_STAFF, Thread.HelpState.AWAITING_ASKER)
SPARK_HOURS = 7 * 24
SPARK_BUCKETS = 28


@dataclass
class Figures:
    """One period's totals for the boards looked at."""

    threads: int = 0
    posts: int = 0
    questions: int = 0
    questions_solved: int = 0
    votes: int = 0
    affected: int = 0
    flags: int = 0
    actions: int = 0
    waits: list[int] = field(default_factory=list)
    # First replies on boards with a target, and how many came within it.
    targeted: int = 0
    within_target: int = 0

    @property
    def median_wait(self) -> timedelta | None:
        return timedelta(seconds=statistics.median(self.waits)) if self.waits else None

    @property
    def p90_wait(self) -> timedelta | None:
        if not self.waits:
            return None
        ordered = sorted(self.waits)
        # Nearest rank: the smallest wait at least 90% of first replies were within.
        return timedelta(seconds=ordered[math.ceil(0.9 * len(ordered)) - 1])

    @property
    def share_solved(self) -> float | None:
        return self.questions_solved / self.questions if self.questions else None

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.targeted if self.targeted else None


@dataclass
class Temperature:
    period: str
    hours: int
    start: datetime
    end: datetime
    board: Board | None
    boards: list[Board]
    current: Figures
    previous: Figures
    # (bucket start, posts now, posts in the same bucket of the previous period)
    series: list[tuple[datetime, int, int]]
    # (board, posts now, posts in the previous period) for the site-wide view
    by_board: list[tuple[Board, int, int]]
    hot_threads: list[HotThread]
    alerts: list[HeatAlert]
    unanswered: dict | None


def _add(figures: Figures, row: dict) -> None:
    for column in COLUMNS + MODERATION:
        setattr(figures, column, getattr(figures, column) + row[column])


def _add_waits(figures: Figures, waits: list[int], target: timedelta | None) -> None:
    figures.waits.extend(waits)
    if target is not None:
        limit = target.total_seconds()
        figures.targeted += len(waits)
        figures.within_target += sum(1 for wait in waits if wait <= limit)


def _hour_rows(*, start: datetime, end: datetime, board: Board | None) -> QuerySet:
    rows = BoardHour.objects.filter(hour__gte=start, hour__lt=end)
    return rows if board is None else rows.filter(board=board)


def board_sums(*, start: datetime, end: datetime, board: Board | None, by_day: bool) -> QuerySet:
    """The counts of each board (``at``: the hour, or with ``by_day`` the day, summed in
    the database so a 60-day read is 60 rows a board, not 1,440)."""
    rows = _hour_rows(start=start, end=end, board=board)
    if not by_day:
        return rows.annotate(at=F("hour")).values("board_id", "at", *COLUMNS, *MODERATION)
    return (
        rows.annotate(at=TruncDay("hour", tzinfo=UTC))
        .values("board_id", "at")
        .annotate(**{column: Sum(column) for column in COLUMNS + MODERATION})
        .order_by()
    )


def board_waits(*, start: datetime, end: datetime, board: Board | None) -> QuerySet:
    """The hours that had first staff replies, with each reply's wait."""
    rows = _hour_rows(start=start, end=end, board=board).exclude(first_reply_seconds=[])
    return rows.values_list("board_id", "hour", "first_reply_seconds")


def unanswered_ages(*, board: Board | None, now: datetime) -> dict:
    """How many Help questions wait for staff now, grouped by how long, and the oldest
    wait: one aggregate over the waiting threads."""
    # Naming the open states (a Help question always has one) lets the board and state
    # index find them instead of reading every thread.
    waiting = unanswered_threads().order_by().filter(help_state__in=OPEN_HELP_STATES)
    if board is not None:
        waiting = waiting.filter(board=board)
    groups, lower = {}, None
    for name, upper in AGE_BUCKETS:
        condition = Q(waiting_since__gt=now - upper)
        if lower is not None:
            condition &= Q(waiting_since__lte=now - lower)
        groups[name] = Count("id", filter=condition)
        lower = upper
    groups["older"] = Count("id", filter=Q(waiting_since__lte=now - lower))
    result = waiting.aggregate(total=Count("id"), oldest=Min("waiting_since"), **groups)
    result["oldest_age"] = now - result["oldest"] if result["oldest"] else None
    return result


def temperature(
    *, period: str, board: Board | None, boards: list[Board], end: datetime | None = None
) -> Temperature:
    """The temperature of one board (or the whole site, ``board=None``) over ``period``
    ending at ``end`` (now by default, to the hour), compared with the period before.
    Queries: the sums of both periods, their first staff replies, the ranking, the open
    alerts, and the unanswered questions when ``end`` is now (site-wide or a Help board).
    The 30-day view goes by whole days, today included."""
    now = timezone.now()
    live = end is None
    end = hour_floor(end or now) + HOUR
    hours, buckets = PERIODS[period]
    step = timedelta(hours=hours) / buckets
    by_day = step == timedelta(days=1)
    if by_day:
        # Whole days (UTC): today so far and the days before it.
        end = end - timedelta(hours=end.hour) + (timedelta(days=1) if end.hour else timedelta())
    start = end - timedelta(hours=hours)
    before = start - timedelta(hours=hours)
    targets = {b.pk: b.first_reply_target for b in boards}
    current, previous = Figures(), Figures()
    series_now, series_before = [0] * buckets, [0] * buckets
    posts_now: dict[int, int] = {}
    posts_before: dict[int, int] = {}
    for row in board_sums(start=before, end=end, board=board, by_day=by_day):
        is_now = row["at"] >= start
        _add(current if is_now else previous, row)
        offset = row["at"] - (start if is_now else before)
        (series_now if is_now else series_before)[int(offset / step)] += row["posts"]
        if row["board_id"] is not None:
            totals = posts_now if is_now else posts_before
            totals[row["board_id"]] = totals.get(row["board_id"], 0) + row["posts"]
    for board_id, hour, waits in board_waits(start=before, end=end, board=board):
        _add_waits(current if hour >= start else previous, waits, targets.get(board_id))
    ranking = HotThread.objects.filter(period_hours=hours, board=board).select_related(
        "thread__board"
    )
    alerts = HeatAlert.objects.filter(ended_at__isnull=True).select_related("board")
    if board is not None:
        alerts = alerts.filter(board=board)
    return Temperature(
        period=period,
        hours=hours,
        start=start,
        end=end,
        board=board,
        boards=boards,
        current=current,
        previous=previous,
        series=[(start + step * i, series_now[i], series_before[i]) for i in range(buckets)],
        by_board=[(b, posts_now.get(b.pk, 0), posts_before.get(b.pk, 0)) for b in boards]
        if board is None
        else [],
        hot_threads=list(ranking.order_by("rank")),
        alerts=list(alerts),
        unanswered=unanswered_ages(board=board, now=now)
        if live and (board is None or board.kind == Board.Kind.HELP)
        else None,
    )


def temperature_boards() -> list[Board]:
    """Every board, in the board index's order (archived ones too: they have a past)."""
    return list(Board.objects.order_by("position", "name"))


def board_sparklines(*, now: datetime | None = None) -> list[tuple[Board, list[int]]]:
    """Posts per board over the last seven days in six-hour steps, oldest first, for the
    boards that had any, in the board index's order: one query over the hour rows."""
    end = hour_floor(now or timezone.now()) + HOUR
    start = end - timedelta(hours=SPARK_HOURS)
    step = SPARK_HOURS // SPARK_BUCKETS
    boards: dict[int, Board] = {}
    lines: dict[int, list[int]] = {}
    rows = BoardHour.objects.filter(hour__gte=start, hour__lt=end, board__isnull=False, posts__gt=0)
    for row in rows.select_related("board").only("hour", "posts", "board"):
        boards.setdefault(row.board_id, row.board)
        line = lines.setdefault(row.board_id, [0] * SPARK_BUCKETS)
        line[int((row.hour - start) / HOUR) // step] += row.posts
    order = sorted(boards.values(), key=lambda b: (b.position, b.name))
    return [(board, lines[board.pk]) for board in order]
