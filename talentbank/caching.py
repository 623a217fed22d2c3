"""Cached fragments of the public pages. The spot list and the empty forms change only when staff edit spots
or fields, so they are rendered once per change instead of once per visitor: a version key in the shared
cache (Redis in production) is replaced on every save, and the fragments are keyed by it. A short timeout
bounds staleness where the cache is per process (local memory in development)."""

from django.core.cache import caches
from django.utils.translation import get_language

from kiyose.pagecache import PageCache

TIMEOUT = 300

# Only spots and fields show on public pages; a person's registration must not flush them.
page_cache = PageCache("talentbank", watch=["talentbank.Spot", "talentbank.Field"], per_day=True)
public_version = page_cache.version
public_changed = page_cache.bump


def fragment_key(*parts) -> str:
    return ":".join([page_cache.version_key, public_version(), get_language() or "", *[str(p) for p in parts]])


def cached(key: str, build):
    # In process: the key carries the shared version, and a local hit needs no round trip to Redis.
    value = caches["fragments"].get(key)
    if value is None:
        value = build()
        caches["fragments"].set(key, value, TIMEOUT)
    return value
