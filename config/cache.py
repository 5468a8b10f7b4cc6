"""A Redis cache that keeps the site up when Redis is not.

The cache holds nothing the site cannot do without — write budgets (forum.ratelimit) and
allauth's rate-limit counters — so when Redis is unreachable every call answers as if
the cache were empty and the request carries on. The outage is logged once per process,
and once more when Redis answers again (like forum.realtime does for the channel layer).

While Redis is down, calls do not even try to reach it for ``retry_interval`` seconds
after each failure, so a Redis host that has vanished from the network (where connecting
waits for its timeout instead of being refused) costs at most one short stall per
interval and process, not one per cache call.
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger("porchlight.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

_state = threading.Lock()
_failing = False
_skip_until = 0.0  # time.monotonic(): while Redis is down, don't try again before this


def _went_down(exc: Exception, retry_interval: float) -> None:
    global _failing, _skip_until
    with _state:
        first = not _failing
        _failing = True
        _skip_until = time.monotonic() + retry_interval
    if first:
        logger.warning(
            "Cache unavailable: Redis is unreachable (%s). Pages, posting and sign-in keep "
            "working without it (rate limits are not enforced meanwhile); this is logged "
            "once and again when Redis answers.",
            exc,
        )


def _came_back() -> None:
    global _failing
    with _state:
        recovered = _failing
        _failing = False
    if recovered:
        logger.warning("Cache resumed: Redis is reachable again.")


def cache_is_failing() -> bool:
    return _failing


def _degrades_to(fallback):
    """Run the cache call; if Redis can't be reached, answer ``fallback(*args, **kwargs)``."""

    def decorate(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            if _failing and time.monotonic() < _skip_until:
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                _went_down(exc, self.retry_interval)
                return fallback(*args, **kwargs)
            if _failing:
                _came_back()
            return result

        return guarded

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _incr(key, delta=1, *args, **kwargs):
    return delta


def _keys_of(data, *args, **kwargs):
    return list(data)


def _true(*args, **kwargs):
    return True


def _false(*args, **kwargs):
    return False


def _none(*args, **kwargs):
    return None


def _empty(*args, **kwargs):
    return {}


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering like an empty cache while Redis is unreachable.

    ``add`` reports success when Redis is down: callers use it as a lock (allauth's rate
    limiter spins for a second waiting for ``add`` to succeed, then refuses the request
    with a 429), so "stored" is the answer that lets the request through.
    """

    # Seconds to answer from the fallbacks, without trying Redis, after a failure.
    retry_interval = 1.0

    def __init__(self, server, params):
        params = dict(params)
        # Half a second to connect or answer, then the fallback. A dropped connection is
        # retried once on a fresh one, so a pooled connection that Redis closed (a restart,
        # an idle timeout) doesn't fail the call; a timeout is not retried.
        params["OPTIONS"] = {
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, params)

    get = _degrades_to(_default)(RedisCache.get)
    get_many = _degrades_to(_empty)(RedisCache.get_many)
    has_key = _degrades_to(_false)(RedisCache.has_key)
    add = _degrades_to(_true)(RedisCache.add)
    set = _degrades_to(_none)(RedisCache.set)
    set_many = _degrades_to(_keys_of)(RedisCache.set_many)
    touch = _degrades_to(_false)(RedisCache.touch)
    incr = _degrades_to(_incr)(RedisCache.incr)
    delete = _degrades_to(_false)(RedisCache.delete)
    delete_many = _degrades_to(_none)(RedisCache.delete_many)
    clear = _degrades_to(_false)(RedisCache.clear)
