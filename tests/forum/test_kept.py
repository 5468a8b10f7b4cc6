"""Kept copies held by the process: read from the page cache once per key, and a new
version (a new key) is read afresh."""

from django.core.cache import caches

from forum import pagecache
from forum.views.kept import kept


def test_a_key_read_once_is_answered_from_memory_and_a_new_version_reads_again():
    built = []

    def build():
        built.append(len(built) + 1)
        return [f"copy {len(built)}"]

    old = pagecache.page_key("test-kept", "1", ("v1",))
    assert kept(old, build) == ["copy 1"]
    caches["pages"].delete(old)  # gone from the cache, still held
    assert kept(old, build) == ["copy 1"]
    assert built == [1]
    new = pagecache.page_key("test-kept", "1", ("v2",))
    assert kept(new, build) == ["copy 2"]
    assert caches["pages"].get(new) == ["copy 2"]


def test_nothing_is_kept_for_a_missing_value():
    key = pagecache.page_key("test-kept", "missing", ("v1",))
    assert kept(key, lambda: None) is None
    assert kept(key, lambda: ["found later"]) == ["found later"]
