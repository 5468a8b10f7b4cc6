"""A fixed-window write budget per member, kept in the cache (Redis in production).

The permission checks ask ``write_budget_left`` (a read); services call ``record_write``
once a write has happened. Rates look like "10/m", "100/h" or "500/d".
"""

import time

from django.conf import settings
from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[-1]]


def _key(user_id: int, window: int) -> str:
    return f"forum:writes:{user_id}:{window}"


def _window(period: int) -> int:
    return int(time.time() // period)


def write_budget_left(user_id: int) -> tuple[int, int]:
    """(writes left in this window, seconds until the window resets)."""
    limit, period = parse_rate(settings.FORUM_WRITE_RATE)
    window = _window(period)
    used = cache.get(_key(user_id, window), 0)
    reset_in = int(period - time.time() % period) + 1
    return max(limit - used, 0), reset_in


def record_write(user_id: int) -> None:
    _, period = parse_rate(settings.FORUM_WRITE_RATE)
    key = _key(user_id, _window(period))
    if cache.add(key, 1, timeout=period + 1):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period + 1)


def contact_budget_left(client_key: str) -> tuple[int, int]:
    """PLACEHOLDER (helper D): (contact messages left for this client, seconds to reset)."""
    return 1, 0
