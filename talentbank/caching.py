"""Cached fragments of the public pages. The spot list and the empty forms change only when staff edit spots
or fields, so they are rendered once per change instead of once per visitor: a version key in the shared
cache (Redis in production) is replaced on every save, and the fragments are keyed by it. A short timeout
bounds staleness where the cache is per process (local memory in development)."""

import uuid

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

TIMEOUT = 300


def _prefix() -> str:
    # Two databases sharing one Redis (CI passes, other test runs) must never see each other's pages.
    return f"talentbank:{connection.settings_dict.get('NAME')}"


def public_version() -> str:
    key = f"{_prefix()}:version"
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key) or "0"
    return version


def public_changed(**kwargs) -> None:
    """Signal receiver: a spot or field changed, every cached fragment is stale."""
    cache.set(f"{_prefix()}:version", uuid.uuid4().hex, None)


def fragment_key(*parts) -> str:
    return ":".join([_prefix(), public_version(), get_language() or "", *[str(p) for p in parts]])


def cached(key: str, build):
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
