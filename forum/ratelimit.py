"""Fixed-window budgets — writes per member, contact messages per client — kept in the
cache (Redis in production; while Redis is unreachable, its database stand-in, see
config/cache.py). Rates look like "10/m", "100/h" or "500/d".

A budget is taken when the permission check allows the write, not counted after it:
reading the budget in the check and counting after commit let 30 simultaneous replies
all pass a check that saw the same "9 left". So inside a write (a view wrapped in
``spends_budget``) the check takes one use atomically — an increment that refuses past
the limit — and the write keeps it when it commits (``record_write`` / ``record_contact``
after commit). A write that fails — a form error, a ValidationError from the service, an
exception, a rollback — gives the use back when the view returns. Outside a write (pages,
``can_*`` for templates) the same checks only read, so showing a reply box costs nothing.
"""

import contextlib
import contextvars
import functools
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[-1]]


def _window(period: int) -> int:
    return int(time.time() // period)


def _reset_in(period: int) -> int:
    return int(period - time.time() % period) + 1


def _budget_left(name: str, rate: str) -> tuple[int, int]:
    """(uses left of ``rate`` for the counter ``name`` in this window, seconds to reset)."""
    limit, period = parse_rate(rate)
    used = cache.get(f"{name}:{_window(period)}", 0)
    return max(limit - used, 0), _reset_in(period)


def _increment(key: str, period: int) -> int:
    """Add one use to the window's counter atomically and return the new count."""
    for _ in range(3):
        cache.add(key, 0, timeout=period + 1)
        try:
            return cache.incr(key)
        except ValueError:  # the window's key expired between add and incr
            continue
    return cache.incr(key)


def _give_back(key: str) -> None:
    # When the window is over its counter is gone: there is nothing to give back.
    with contextlib.suppress(ValueError):
        cache.decr(key)


def _record(name: str, rate: str) -> None:
    _, period = parse_rate(rate)
    _increment(f"{name}:{_window(period)}", period)


# --- Reservations ---------------------------------------------------------------------


@dataclass
class _Reservation:
    key: str
    kept: bool = False


# The reservations taken by the write in progress, by counter name; None outside a write.
_held: contextvars.ContextVar[dict[str, _Reservation] | None] = contextvars.ContextVar(
    "porchlight_budget_reservations", default=None
)


@contextmanager
def spending():
    """The block is a write: budget checks inside it take what they allow, and whatever
    was taken but not kept by a committed write is given back when the block ends."""
    if _held.get() is not None:  # already inside a write: one scope, one reservation
        yield
        return
    held: dict[str, _Reservation] = {}
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        for reservation in held.values():
            if not reservation.kept:
                _give_back(reservation.key)


def spends_budget(view):
    """Wrap a write view (function or method): its permission check takes budget."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with spending():
            return view(*args, **kwargs)

    return wrapped


def _allows(name: str, rate: str) -> tuple[bool, int]:
    """(whether ``name``'s budget allows one more use, seconds until the window resets).
    Inside a write the use is taken — once per write, however often the check runs."""
    held = _held.get()
    if held is None:
        left, reset_in = _budget_left(name, rate)
        return left > 0, reset_in
    limit, period = parse_rate(rate)
    reset_in = _reset_in(period)
    if name in held:
        return True, reset_in
    key = f"{name}:{_window(period)}"
    if _increment(key, period) > limit:
        # Over the limit: this write never held a use, so the counter goes back at once.
        # Counting up first and refusing past the limit is what makes it exact: of any
        # number of simultaneous writes, exactly the uses left see a count within it.
        _give_back(key)
        return False, reset_in
    held[name] = _Reservation(key)
    return True, reset_in


def _spend(name: str, rate: str) -> None:
    """One write happened: keep this write's reservation, or count it now when no check
    reserved one (services called from scripts, the demo loader, tests)."""
    held = _held.get()
    reservation = held.get(name) if held is not None else None
    if reservation is not None and not reservation.kept:
        reservation.kept = True
        return
    _record(name, rate)


# --- Writes (threads, replies, edits, votes) --------------------------------------------


def write_budget_left(user_id: int) -> tuple[int, int]:
    """(writes left in this window, seconds until the window resets). Only reads."""
    return _budget_left(f"forum:writes:{user_id}", settings.FORUM_WRITE_RATE)


def write_budget_allows(user_id: int) -> tuple[bool, int]:
    """(may the member write now, seconds until the window resets); inside a write
    (``spending``) a yes takes one use of the budget."""
    return _allows(f"forum:writes:{user_id}", settings.FORUM_WRITE_RATE)


def record_write(user_id: int) -> None:
    """A write by the member committed (services call this after commit)."""
    _spend(f"forum:writes:{user_id}", settings.FORUM_WRITE_RATE)


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


def contact_budget_allows(client_key: str) -> tuple[bool, int]:
    """Like ``write_budget_allows``, for the client's contact budget."""
    return _allows(f"forum:contact:{client_key}", _contact_rate())


def record_contact(client_key: str) -> None:
    """One contact message was sent (or swallowed as a bot's) for this client."""
    _spend(f"forum:contact:{client_key}", _contact_rate())


# --- API requests -----------------------------------------------------------------------
# Every API request, read or write, spends its caller's request budget: a token's own,
# or the signed-in member's or the visitor's address. Writes spend the write budget too.


def api_request_allows(client_key: str, rate: str) -> tuple[bool, int, int, int]:
    """Count one request against ``client_key``'s budget: (allowed, limit, left, seconds
    until the window resets)."""
    limit, period = parse_rate(rate)
    used = _increment(f"api:requests:{client_key}:{_window(period)}", period)
    return used <= limit, limit, max(limit - used, 0), _reset_in(period)
