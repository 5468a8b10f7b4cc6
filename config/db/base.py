"""Django's PostgreSQL backend with one change: a request asking the connection pool for a
connection while the database is unreachable fails at once instead of waiting out the
pool's timeout.

The pool's timeout has two jobs. Under load it is how long a request may queue for a
connection, and that must stay generous (ten seconds), or a burst of traffic turns into
500s. During an outage it is how long every request hangs before its error page, and that
must be short. The pool cannot tell the two apart; a fresh connection can. So a request
waits briefly for a pooled connection; if none comes, one probe — a new connection, with
the two-second connect_timeout — says whether the server is there. If it is, the request
keeps waiting its turn; if not, it fails now, and so does every request in this process
for the next second without probing again.
"""

import threading
import time

import psycopg
from django.db.backends.postgresql import base
from psycopg_pool import PoolTimeout

# How long a request waits for a pooled connection before asking whether the server is
# there at all. A healthy pool hands one out in well under a millisecond.
FIRST_WAIT = 0.5
# How long one probe's answer holds for every request in the process.
PROBE_TTL = 1.0


class _Reachability:
    """The last probe's answer, shared by the request threads of one process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._error = ""

    def known_error(self) -> str:
        """The reason the server was unreachable at the last probe, if that was less than
        PROBE_TTL ago; "" otherwise."""
        if time.monotonic() - self._checked_at < PROBE_TTL:
            return self._error
        return ""

    def probe(self, pool) -> str:
        # One probe at a time: the others wait for its answer rather than open their own.
        with self._lock:
            if time.monotonic() - self._checked_at >= PROBE_TTL:
                try:
                    psycopg.connect(pool.conninfo, **pool.kwargs).close()
                except psycopg.Error as exc:
                    self._error = " ".join(str(exc).split()) or type(exc).__name__
                else:
                    self._error = ""
                self._checked_at = time.monotonic()
            return self._error


class FailFastPool:
    """The psycopg pool Django built, with a ``getconn`` that gives up early when the
    server is unreachable. Everything else is the pool's own."""

    def __init__(self, pool, reachability: _Reachability):
        self._pool = pool
        self._reachability = reachability

    def __getattr__(self, name):
        return getattr(self._pool, name)

    def getconn(self, timeout: float | None = None):
        pool = self._pool
        timeout = pool.timeout if timeout is None else timeout
        if reason := self._reachability.known_error():
            raise psycopg.OperationalError(f"database unreachable: {reason}")
        started = time.monotonic()
        try:
            return pool.getconn(timeout=min(FIRST_WAIT, timeout))
        except PoolTimeout:
            remaining = timeout - (time.monotonic() - started)
            if remaining <= 0:
                raise
        if reason := self._reachability.probe(pool):
            raise psycopg.OperationalError(f"database unreachable: {reason}")
        return pool.getconn(timeout=remaining)


class DatabaseWrapper(base.DatabaseWrapper):
    _reachability: dict[str, _Reachability] = {}

    @property
    def pool(self):
        pool = super().pool
        if pool is None:
            return None
        reachability = self._reachability.setdefault(self.alias, _Reachability())
        return FailFastPool(pool, reachability)
