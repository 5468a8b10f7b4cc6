"""Versions of what pages show, and the stored copies of visitors' pages keyed by them.

Every page depends on a few *scopes*: the whole site (notices, names, board settings,
lockdowns, guidelines), the forum's content as a whole (any post or thread: the board
list, board pages, search, feeds) and one thread (its page). Each scope has a version in
the ``pages`` cache; a service that changes what a page shows replaces the versions of
the scopes it touched after its transaction commits, so the next visitor's key differs
and the old copy is never read again. Versions are random tokens, not counters: a version
lost to eviction or a Redis restart is replaced by a fresh token, never by one an old copy
was stored under.

The ``pages`` cache has no stand-in: while Redis is unreachable every call answers as an
empty cache would, so pages are rendered afresh and nothing is stored. A version change
that could not be written during an outage is remembered by the process and written as a
sitewide change as soon as Redis answers again, before this process reads any copy.

Every worker must see the same versions, so the cache is on by default only with Redis
(``PAGE_CACHE_ENABLED``); a single-process server may turn it on with the memory cache.
"""

import hashlib
import secrets
import threading
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import translation

from config.cache import cache_is_failing

SITE = "site"
CONTENT = "content"

# A stored page lives at most this long even if nothing changes: a backstop for changes
# that are due to time alone and that no page announced (see ``page_set``'s ``until``).
PAGE_TIMEOUT = 300

_state = threading.Lock()
_missed_change = False


def thread_scope(thread_id: int) -> str:
    return f"thread.{thread_id}"


def enabled() -> bool:
    return settings.PAGE_CACHE_ENABLED


def _cache():
    return caches["pages"]


def _version_key(scope: str) -> str:
    return f"v:{scope}"


def _fresh() -> str:
    return secrets.token_hex(8)


def _note_missed() -> None:
    global _missed_change
    with _state:
        _missed_change = True


def _catch_up() -> bool:
    """Write the sitewide change this process owes from an outage; False while the
    cache is still unreachable."""
    global _missed_change
    if not _missed_change:
        return True
    _cache().set(_version_key(SITE), _fresh(), timeout=None)
    if cache_is_failing():
        return False
    with _state:
        _missed_change = False
    return True


def versions(scopes: Iterable[str]) -> tuple[str, ...] | None:
    """The current version of each scope, or None when the cache can't be used (then
    the page is served without it). A scope without a version gets a fresh one, written
    before the page is rendered, so a change committed meanwhile replaces it."""
    if not enabled() or not _catch_up():
        return None
    keys = [_version_key(scope) for scope in scopes]
    cache = _cache()
    found = cache.get_many(keys)
    if cache_is_failing():
        return None
    missing = {key: _fresh() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        if cache_is_failing():
            return None
        found.update(missing)
    return tuple(found[key] for key in keys)


def scopes_changed(scopes: Iterable[str]) -> None:
    """Give these scopes new versions now (code already past its commit)."""
    if not enabled():
        return
    _cache().set_many({_version_key(scope): _fresh() for scope in scopes}, timeout=None)
    if cache_is_failing():
        _note_missed()


def scopes_changed_on_commit(scopes: Iterable[str]) -> None:
    """Give these scopes new versions once the current transaction commits."""
    scopes = tuple(scopes)
    transaction.on_commit(lambda: scopes_changed(scopes), robust=True)


def thread_changed_on_commit(thread_id: int) -> None:
    """A thread's page changed; so may the board list, its board's page, search, feeds."""
    scopes_changed_on_commit((thread_scope(thread_id), CONTENT))


def content_changed_on_commit() -> None:
    scopes_changed_on_commit((CONTENT,))


def site_changed_on_commit() -> None:
    """Something every page may show changed (notices, names, boards, lockdowns)."""
    scopes_changed_on_commit((SITE,))


def page_key(kind: str, path: str, versions: tuple[str, ...]) -> str:
    """The key of a stored copy. It carries the active language: the same page or
    fragment is a different copy in French and in English."""
    language = translation.get_language() or ""
    parts = (kind, path, language, *versions)
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def page_get(key: str):
    stored = _cache().get(key)
    if cache_is_failing():
        return None
    return stored


def page_set(key: str, value, *, timeout: float = PAGE_TIMEOUT) -> None:
    if timeout > 0:
        _cache().set(key, value, timeout=timeout)
