import pytest

from sdgs import seed, sources


@pytest.fixture
def seeded(db):
    seed.load()


@pytest.fixture
def no_live_sources(monkeypatch):
    """Other apps register their live figures at start-up; tests that pin numbers run without them."""
    monkeypatch.setattr(sources, "_REGISTRY", {})
    return sources._REGISTRY


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages are rendered afresh in tests (the page cache has its own tests in test_cache.py)."""
    settings.SDGS_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def mirai(client, seeded, make_staff, no_live_sources):
    """A 未来創造課 member, logged in."""
    user = make_staff("未来創造課")
    client.force_login(user)
    return user
