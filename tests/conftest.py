"""Shared fixtures. Each app's tests live in tests/<app>/; real-browser tests in tests/browser/."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tests must not depend on the developer's .env: quiet, plain storage, no HTTPS redirect.
    settings.SECURE_SSL_REDIRECT = False
    settings.RATELIMIT_ENABLE = False
    settings.AXES_ENABLED = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and axes state live in the cache (Redis in CI): a test must not inherit them.
    from django.core.cache import caches

    for alias in ("default", "fragments"):
        caches[alias].clear()
    yield
    for alias in ("default", "fragments"):
        caches[alias].clear()


@pytest.fixture
def make_staff(db):
    """make_staff("議会事務局") → an active staff user in that group (groups come from the post-migrate sync)."""

    def _make(*roles: str, username: str | None = None, superuser: bool = False):
        User = get_user_model()
        name = username or ("staff-" + "-".join(roles) if roles else "staff")
        user = User.objects.create_user(username=name, password="correct-horse-battery-42", is_staff=True,
                                        is_superuser=superuser)
        for role in roles:
            user.groups.add(Group.objects.get(name=role))
        return user

    return _make


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent writers are tested on PostgreSQL"
)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(*values) -> bool:
    """True when any value holds a control character the portal refuses with 400 (kiyose.middleware)."""
    return any(_CONTROL.search(str(v)) for v in values)
