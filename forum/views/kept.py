"""Copies kept in the page cache that every reader reads alike, also held by the process.

A kept copy's key holds the versions of what it shows, so a key is never stored twice
with different contents: once read from the cache, it can be answered from memory until
the page cache's own timeout, sparing a round trip and the unpickling on every page. Only
for values no request changes (or that the caller copies before changing)."""

import threading
import time
from collections import OrderedDict

from forum import pagecache

_LIMIT = 512
_held: OrderedDict[str, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def kept(key: str, build):
    """The value under ``key``: from memory, else the page cache, else ``build()``
    (stored in both)."""
    now = time.monotonic()
    with _lock:
        found = _held.get(key)
        if found is not None and found[0] > now:
            _held.move_to_end(key)
            return found[1]
    value = pagecache.page_get(key)
    if value is None:
        value = build()
        if value is None:
            return None
        pagecache.page_set(key, value)
    with _lock:
        _held[key] = (now + pagecache.PAGE_TIMEOUT, value)
        _held.move_to_end(key)
        while len(_held) > _LIMIT:
            _held.popitem(last=False)
    return value
