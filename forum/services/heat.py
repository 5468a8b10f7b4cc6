"""Heating up: a board whose last hour was far busier than usual, or drew a burst of
flags, tells staff once per episode (forum.models.HeatAlert)."""

import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import staff_team_q
from forum import realtime
from forum.models import Board, BoardHour, HeatAlert, Notification
from forum.services.temperature import HOUR, hour_floor

# An hour is hot when it has at least HEAT_MIN_POSTS posts and more than HEAT_FACTOR times
# the board's median posts an hour over the BASELINE_HOURS before it (quiet hours count:
# the usual hour of a small board is zero); or at least HEAT_MIN_FLAGS flags and more than
# HEAT_FACTOR times its median flags.
HEAT_FACTOR = 3
HEAT_MIN_POSTS = 10
HEAT_MIN_FLAGS = 5
BASELINE_HOURS = 7 * 24
# An episode ends after this many hours without a hot hour; the next one tells staff again.
COOL_DOWN_HOURS = 6


def _is_hot(count: int, history: list[int], minimum: int) -> tuple[bool, float]:
    baseline = float(statistics.median(history)) if history else 0.0
    return count >= minimum and count > HEAT_FACTOR * baseline, baseline


def _notify_staff(alert: HeatAlert) -> list[Notification]:
    now = alert.created_at
    rows = [
        Notification(
            recipient=user,
            kind=Notification.Kind.HEATING_UP,
            text=alert.board.name[:300],
            created_at=now,
        )
        for user in User.objects.filter(staff_team_q(), is_active=True)
    ]
    created = Notification.objects.bulk_create(rows)
    realtime.unread_counts_changed(n.recipient_id for n in created)
    return created


@transaction.atomic
def heat_check(*, now: datetime | None = None) -> list[HeatAlert]:
    """Judge the last complete hour of every board against its usual hour. A board heating
    up with no open episode gets a new ``HeatAlert`` and every staff member (employees and
    site admins) one in-app notification; one already open is only kept open. Episodes
    with no hot hour for ``COOL_DOWN_HOURS`` are closed. Reads the hour rows only; safe to
    run twice (an open episode per board is unique). Returns the alerts opened."""
    now = now or timezone.now()
    hour = hour_floor(now) - HOUR
    since = hour - timedelta(hours=BASELINE_HOURS)
    posts: dict[int, dict[datetime, int]] = defaultdict(dict)
    flags: dict[int, dict[datetime, int]] = defaultdict(dict)
    rows = BoardHour.objects.filter(board__isnull=False, hour__gte=since, hour__lte=hour)
    for board_id, at, post_count, flag_count in rows.values_list(
        "board_id", "hour", "posts", "flags"
    ):
        posts[board_id][at] = post_count
        flags[board_id][at] = flag_count
    history_hours = [since + HOUR * i for i in range(BASELINE_HOURS)]
    hot: dict[int, tuple[str, int, int, float]] = {}
    for board_id in posts:
        post_hot, post_base = _is_hot(
            posts[board_id].get(hour, 0),
            [posts[board_id].get(at, 0) for at in history_hours],
            HEAT_MIN_POSTS,
        )
        flag_hot, _ = _is_hot(
            flags[board_id].get(hour, 0),
            [flags[board_id].get(at, 0) for at in history_hours],
            HEAT_MIN_FLAGS,
        )
        if post_hot or flag_hot:
            reason = HeatAlert.Reason.VOLUME if post_hot else HeatAlert.Reason.FLAGS
            hot[board_id] = (
                reason,
                posts[board_id].get(hour, 0),
                flags[board_id].get(hour, 0),
                post_base,
            )
    open_alerts = {
        alert.board_id: alert
        for alert in HeatAlert.objects.select_for_update().filter(ended_at__isnull=True)
    }
    for board_id, alert in open_alerts.items():
        if board_id in hot and alert.last_hot_hour < hour:
            alert.last_hot_hour = hour
            alert.save(update_fields=["last_hot_hour"])
        elif board_id not in hot and hour - alert.last_hot_hour >= HOUR * COOL_DOWN_HOURS:
            alert.ended_at = now
            alert.save(update_fields=["ended_at"])
    boards = Board.objects.in_bulk([pk for pk in hot if pk not in open_alerts])
    opened = []
    for board_id, board in boards.items():
        reason, post_count, flag_count, baseline = hot[board_id]
        alert = HeatAlert(
            board=board,
            reason=reason,
            hour=hour,
            posts=post_count,
            flags=flag_count,
            baseline=baseline,
            last_hot_hour=hour,
            created_at=now,
        )
        try:
            with transaction.atomic():
                alert.save(force_insert=True)
        except IntegrityError:
            continue  # a concurrent check opened this episode and told staff
        _notify_staff(alert)
        opened.append(alert)
    return opened
