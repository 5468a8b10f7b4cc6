"""A Redis cache that keeps the site up when Redis is not — and keeps its rate limits.

The cache holds the write and contact budgets (forum.ratelimit) and allauth's rate-limit
counters (sign-in failures, sign-ups, password resets), plus a few short-lived copies.
While Redis is unreachable, every call is answered by a stand-in: Django's database cache
(``DatabaseFallbackCache``, the ``fallback`` alias), whose table every worker process
shares. So the limits keep holding during an outage instead of vanishing, and a member
can't multiply a budget by the number of worker processes, as a per-process memory
fallback would allow. Counters start afresh in the stand-in when Redis goes away and in
Redis when it comes back, so a window that spans a switch can allow up to twice its
budget — once per store — and never more. The outage is logged once per process, and
once more when Redis answers again (like forum.realtime does for the channel layer).

While Redis is down, calls do not even try to reach it for ``retry_interval`` seconds
after each failure, so a Redis host that has vanished from the network (where connecting
waits for its timeout instead of being refused) costs at most one short stall per
interval and process, not one per cache call. If the database is unreachable too, calls
answer as an empty cache would: pages need the database anyway, and the cache never
raises.
"""

import base64
import functools
import logging
import pickle
import threading
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections, models, router, transaction
from django.utils.timezone import now as tz_now
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
            "working without it, and rate limits are counted in the database meanwhile; "
            "this is logged once and again when Redis answers.",
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


def _degrades_to(empty_answer):
    """Run the cache call; if Redis can't be reached, the stand-in cache answers it (or,
    without one, ``empty_answer(*args, **kwargs)``)."""

    def decorate(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            if _failing and time.monotonic() < _skip_until:
                return self._without_redis(method.__name__, empty_answer, args, kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                _went_down(exc, self.retry_interval)
                return self._without_redis(method.__name__, empty_answer, args, kwargs)
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
    """Django's Redis cache; while Redis is unreachable the cache named by ``FALLBACK``
    (beside ``LOCATION`` in the CACHES entry) answers every call instead.

    With no stand-in (or the database down too) it answers like an empty cache. Then
    ``add`` reports success: callers use it as a lock (allauth's rate limiter spins for a
    second waiting for ``add`` to succeed, then refuses the request with a 429), so
    "stored" is the answer that lets the request through.
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
        self.fallback_alias = params.get("FALLBACK") or None

    def _without_redis(self, name, empty_answer, args, kwargs):
        if self.fallback_alias:
            try:
                return getattr(caches[self.fallback_alias], name)(*args, **kwargs)
            except DatabaseError:
                pass  # the database is unreachable too: pages fail anyway, the cache won't
        return empty_answer(*args, **kwargs)

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


class DatabaseFallbackCache(DatabaseCache):
    """Django's database cache, with ``add`` and ``incr`` made atomic across processes:
    rate limiters use ``add`` as a lock (allauth) and ``incr`` as a counter that refuses
    past a limit (forum.ratelimit), which Django's versions are not (``incr`` is a read
    then a write; two ``add`` calls over an expired row can both succeed). The table is
    created by a migration (forum.OutageCacheEntry), so there is no ``createcachetable``
    step to forget. Row locks need PostgreSQL; SQLite serialises writers instead."""

    def _table_and_connection(self):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        return db, connection, connection.ops.quote_name(self._table)

    def _expiry(self, timeout, connection):
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max
        else:
            tz = UTC if settings.USE_TZ else None
            expires = datetime.fromtimestamp(timeout, tz=tz)
        return connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))

    @staticmethod
    def _expired(expires, connection) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires < tz_now()

    def _encode(self, value) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _names(self):
        # Only the quoted table and column names are formatted into the SQL; every value
        # goes as a parameter.
        db, connection, table = self._table_and_connection()
        quote = connection.ops.quote_name
        return db, connection, table, quote("cache_key"), quote("value"), quote("expires")

    # Expired rows are swept (never live ones: they are rate-limit counters) once every
    # this many writes per process, instead of Django's count-then-cull on every write.
    sweep_every = 200

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Store ``value``: one upsert, where Django's version counts the table and reads
        the row first. allauth's limiter writes under its lock, so every statement saved
        here shortens the queue of simultaneous sign-ins waiting for it."""
        key = self.make_and_validate_key(key, version=version)
        db, connection, table, k, v, e = self._names()
        upsert = (
            f"INSERT INTO {table} ({k}, {v}, {e}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({k}) DO UPDATE SET {v} = EXCLUDED.{v}, {e} = EXCLUDED.{e}"
        )
        with connection.cursor() as cursor:
            cursor.execute(upsert, [key, self._encode(value), self._expiry(timeout, connection)])
            self._writes = getattr(self, "_writes", 0) + 1
            if self._writes % self.sweep_every == 0:
                now = connection.ops.adapt_datetimefield_value(tz_now())
                cursor.execute(f"DELETE FROM {table} WHERE {e} < %s", [now])  # noqa: S608

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Store only if absent (or expired); True when this call stored it. One
        statement, so a caller spinning on a held lock costs one round trip per try: the
        insert relies on the primary key, and on a conflict it only replaces an expired
        row. Of two callers racing, the second waits for the first's row and gets none."""
        key = self.make_and_validate_key(key, version=version)
        db, connection, table, k, v, e = self._names()
        now = connection.ops.adapt_datetimefield_value(tz_now())
        expires = self._expiry(timeout, connection)
        upsert = (
            f"INSERT INTO {table} ({k}, {v}, {e}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({k}) DO UPDATE SET {v} = EXCLUDED.{v}, {e} = EXCLUDED.{e} "
            f"WHERE {table}.{e} < %s RETURNING {k}"
        )
        with connection.cursor() as cursor:
            cursor.execute(upsert, [key, self._encode(value), expires, now])
            return cursor.fetchone() is not None

    def incr(self, key, delta=1, version=None):
        """Add ``delta`` under a row lock and return the new value; ValueError when the
        key is absent or expired (as every Django cache does)."""
        key = self.make_and_validate_key(key, version=version)
        db, connection, table, k, v, e = self._names()
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        select = f"SELECT {v}, {e} FROM {table} WHERE {k} = %s{lock}"  # noqa: S608
        update = f"UPDATE {table} SET {v} = %s WHERE {k} = %s"  # noqa: S608
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(select, [key])
            row = cursor.fetchone()
            if row is None or self._expired(row[1], connection):
                raise ValueError(f"Key '{key}' not found.")
            # Pickled by this cache, as Django's database cache does with every value.
            stored = base64.b64decode(connection.ops.process_clob(row[0]).encode())
            value = pickle.loads(stored) + delta  # noqa: S301
            cursor.execute(update, [self._encode(value), key])
        return value
