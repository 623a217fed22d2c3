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

    from kiyose.pagecache import forget_local_versions

    for alias in ("default", "fragments"):
        caches[alias].clear()
    # A version read in the previous test (kept for LOCAL_SECONDS) must not outlive the cache it came from.
    forget_local_versions()
    yield
    for alias in ("default", "fragments"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _force_login_is_a_complete_login(monkeypatch):
    """client.force_login(user) stands for a staff member who has completed the whole login, second factor
    included (the suite runs with STAFF_MFA_REQUIRED on, as production does). Tests of the password step
    itself post the login form instead (tests/kiyose/test_staff_*.py)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        # The device first: creating it renews the security stamp, which the login then records.
        device, _ = StaticDevice.objects.get_or_create(user=user, name="テスト用", defaults={"confirmed": True})
        original(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def make_staff(db):
    """make_staff("議会事務局") → an active staff user in that group (groups come from the post-migrate sync)."""

    def _make(*roles: str, username: str | None = None, superuser: bool = False):
        User = get_user_model()
        name = username or ("staff-" + "-".join(roles) if roles else "staff")
        user = User.objects.create_user(
            username=name, password="correct-horse-battery-42", is_staff=True, is_superuser=superuser
        )
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
