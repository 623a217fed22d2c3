"""The page cache's two levels: a worker trusts its own reading of the version for LOCAL_SECONDS exactly, and
rendered fragments are kept per name, parts and data version."""

import pytest
from django.core.cache import cache, caches

from kiyose import pagecache
from kiyose.pagecache import LOCAL_SECONDS, PageCache


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now[0])
    return now


def test_a_worker_rereads_the_shared_version_once_its_reading_is_local_seconds_old(clock):
    page_cache = PageCache("rules-version", watch=["auth.Group"])
    first = page_cache.version()
    cache.set(page_cache.version_key, "written-by-another-worker", None)
    clock[0] += LOCAL_SECONDS - 0.01
    assert page_cache.version() == first
    clock[0] += 0.01
    assert page_cache.version() == "written-by-another-worker"


@pytest.mark.django_db
def test_fragments_are_built_once_per_name_and_parts_until_the_data_changes():
    page_cache = PageCache("rules-fragment", watch=["auth.Group"])
    builds = []

    def build(text):
        def render():
            builds.append(text)
            return text

        return render

    assert page_cache.fragment("list", 1, build=build("a")) == "a"
    assert page_cache.fragment("list", 1, build=build("b")) == "a"
    assert page_cache.fragment("list", 2, build=build("c")) == "c"
    assert page_cache.fragment("form", 1, build=build("d")) == "d"
    page_cache.bump()
    assert page_cache.fragment("list", 1, build=build("e")) == "e"
    assert builds == ["a", "c", "d", "e"]
    # Kept in the worker's own "fragments" cache: emptying it is what makes the next call build again.
    caches["fragments"].clear()
    assert page_cache.fragment("list", 1, build=build("f")) == "f"
    assert builds == ["a", "c", "d", "e", "f"]
