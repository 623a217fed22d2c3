import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Cached public pages are keyed on a data version kept in the cache, which a test's rollback does not
    # undo: every test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()
