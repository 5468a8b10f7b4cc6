"""The forum's side of the community's temperature: activity per board and hour
(``BoardHour``), rebuilt from the source rows.

Every function recomputes its hours from scratch, so running it twice, or over hours
already done, changes nothing. The hourly task (``moderation.tasks.aggregate_temperature``)
rebuilds the last few hours and refreshes how many recent questions got solved;
``manage.py aggregate_temperature --all`` rebuilds the whole history. The moderation app
writes its own columns (flags, actions) into the same rows through ``board_hours_write``.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncHour

from forum.models import Board, BoardHour, Post, Thread, ThreadVote

HOUR = timedelta(hours=1)
FORUM_COLUMNS = (
    "threads",
    "posts",
    "questions",
    "questions_solved",
    "first_reply_seconds",
    "votes",
    "affected",
)
QUESTION_COLUMNS = ("questions", "questions_solved")
MODERATION_COLUMNS = ("flags", "actions")
ALL_COLUMNS = FORUM_COLUMNS + MODERATION_COLUMNS

# (board id or None, the hour's start in UTC) -> {column: value}
HourValues = dict[tuple[int | None, datetime], dict[str, Any]]


def hour_floor(moment: datetime) -> datetime:
    """The start of the hour holding ``moment``, in UTC."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def hour_span(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """Whole hours covering [start, end): the first hour's start, the last one's end."""
    last = hour_floor(end)
    return hour_floor(start), last if last == end else last + HOUR


def truncated_hour(field: str) -> TruncHour:
    return TruncHour(field, tzinfo=UTC)


def _empty(column: str):
    return [] if column == "first_reply_seconds" else 0


def _is_empty(row: BoardHour) -> bool:
    return not any(getattr(row, column) for column in ALL_COLUMNS)


def _add(values: HourValues, key, column: str, amount: int) -> None:
    board_id, hour = key
    bucket = values[(board_id, hour.astimezone(UTC))]
    bucket[column] = bucket.get(column, 0) + amount


@transaction.atomic
def board_hours_write(
    *, start: datetime, end: datetime, columns: Iterable[str], values: HourValues
) -> int:
    """Set ``columns`` of every hour row in [start, end) to ``values`` (zero where a key
    is absent), creating the rows that get activity and deleting rows left with none;
    other columns are kept. Hours outside the range in ``values`` are ignored. Returns the
    number of rows created, changed or deleted."""
    columns = tuple(columns)
    existing = {
        (row.board_id, row.hour): row
        for row in BoardHour.objects.select_for_update().filter(hour__gte=start, hour__lt=end)
    }
    changed, created, emptied = [], [], []
    for key, row in existing.items():
        new = values.get(key, {})
        differs = False
        for column in columns:
            value = new.get(column, _empty(column))
            if getattr(row, column) != value:
                setattr(row, column, value)
                differs = True
        if _is_empty(row):
            emptied.append(row.pk)
        elif differs:
            changed.append(row)
    for (board_id, hour), new in values.items():
        if (board_id, hour) in existing or not start <= hour < end:
            continue
        row = BoardHour(
            board_id=board_id,
            hour=hour,
            **{column: new.get(column, _empty(column)) for column in columns},
        )
        if not _is_empty(row):
            created.append(row)
    if emptied:
        BoardHour.objects.filter(pk__in=emptied).delete()
    if changed:
        BoardHour.objects.bulk_update(changed, columns, batch_size=500)
    if created:
        # A concurrent rebuild may have just written the same hour from the same rows.
        BoardHour.objects.bulk_create(created, batch_size=500, ignore_conflicts=True)
    return len(changed) + len(created) + len(emptied)


def _question_values(start: datetime, end: datetime, values: HourValues) -> None:
    rows = (
        Thread.objects.filter(
            board__kind=Board.Kind.HELP, is_hidden=False, created_at__gte=start, created_at__lt=end
        )
        .annotate(at=truncated_hour("created_at"))
        .values("board_id", "at")
        .annotate(
            asked=Count("id"), solved=Count("id", filter=Q(help_state=Thread.HelpState.SOLVED))
        )
        .order_by()
    )
    for row in rows:
        key = (row["board_id"], row["at"])
        _add(values, key, "questions", row["asked"])
        _add(values, key, "questions_solved", row["solved"])


def _forum_values(start: datetime, end: datetime) -> HourValues:
    """Every forum column for the hours in [start, end): five grouped queries, whatever
    the number of hours."""
    values: HourValues = defaultdict(dict)
    threads = (
        Thread.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(at=truncated_hour("created_at"))
        .values("board_id", "at")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in threads:
        _add(values, (row["board_id"], row["at"]), "threads", row["n"])
    posts = (
        Post.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(at=truncated_hour("created_at"))
        .values("thread__board_id", "at")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in posts:
        _add(values, (row["thread__board_id"], row["at"]), "posts", row["n"])
    _question_values(start, end, values)
    replied = Thread.objects.filter(
        is_hidden=False, first_staff_reply_at__gte=start, first_staff_reply_at__lt=end
    ).values_list("board_id", "created_at", "first_staff_reply_at")
    for board_id, created_at, replied_at in replied:
        waits = values[(board_id, hour_floor(replied_at))].setdefault("first_reply_seconds", [])
        waits.append(max(int((replied_at - created_at).total_seconds()), 0))
    for bucket in values.values():
        bucket.get("first_reply_seconds", []).sort()
    votes = (
        ThreadVote.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(at=truncated_hour("created_at"))
        .values("thread__board_id", "at", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in votes:
        column = "votes" if row["kind"] == ThreadVote.Kind.VOTE else "affected"
        _add(values, (row["thread__board_id"], row["at"]), column, row["n"])
    return values


def board_hours_aggregate(*, start: datetime, end: datetime) -> int:
    """Recompute the forum's columns for every hour touching [start, end). Idempotent."""
    start, end = hour_span(start, end)
    return board_hours_write(
        start=start, end=end, columns=FORUM_COLUMNS, values=_forum_values(start, end)
    )


def board_hours_refresh_questions(*, start: datetime, end: datetime) -> int:
    """Recount the questions asked in [start, end) and how many of them are solved now:
    the only columns that change after their hour has passed (one grouped query)."""
    start, end = hour_span(start, end)
    values: HourValues = defaultdict(dict)
    _question_values(start, end, values)
    return board_hours_write(start=start, end=end, columns=QUESTION_COLUMNS, values=values)
