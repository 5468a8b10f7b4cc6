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


def _window(period: int) -> int:
    return int(time.time() // period)


def _budget_left(name: str, rate: str) -> tuple[int, int]:
    """(uses left of ``rate`` for the counter ``name`` in this window, seconds to reset)."""
    limit, period = parse_rate(rate)
    used = cache.get(f"{name}:{_window(period)}", 0)
    reset_in = int(period - time.time() % period) + 1
    return max(limit - used, 0), reset_in


def _record(name: str, rate: str) -> None:
    _, period = parse_rate(rate)
    key = f"{name}:{_window(period)}"
    if cache.add(key, 1, timeout=period + 1):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period + 1)


def write_budget_left(user_id: int) -> tuple[int, int]:
    """(writes left in this window, seconds until the window resets)."""
    return _budget_left(f"forum:writes:{user_id}", settings.FORUM_WRITE_RATE)


def record_write(user_id: int) -> None:
    _record(f"forum:writes:{user_id}", settings.FORUM_WRITE_RATE)


# --- Contact form (/help) ---------------------------------------------------------------
# Visitors may write too, so the budget is per client: "user:<pk>" for members (wherever
# they are), "ip:<address>" for visitors. REMOTE_ADDR is the client's address because
# uvicorn runs with --proxy-headers behind the proxy.


def contact_client_key(*, user, remote_addr: str | None) -> str:
    """Whose budget a contact message spends: the member's, or the visitor's address."""
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{remote_addr or 'unknown'}"


def _contact_rate() -> str:
    return getattr(settings, "FORUM_CONTACT_RATE", "5/h")


def contact_budget_left(client_key: str) -> tuple[int, int]:
    """(contact messages left for this client in this window, seconds until it resets)."""
    return _budget_left(f"forum:contact:{client_key}", _contact_rate())


def record_contact(client_key: str) -> None:
    """Count one contact message against the client's budget (called after commit)."""
    _record(f"forum:contact:{client_key}", _contact_rate())
