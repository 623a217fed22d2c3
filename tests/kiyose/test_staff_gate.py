"""With production settings a password-only session reaches no admin URL; a verified one does."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin

from tests.kiyose.staff_support import password_login, recovery_device, urls_under

ROOT = Path(__file__).resolve().parents[2]
OPEN = ("/admin/login/", "/admin/logout/", "/admin/mfa/")


def _admin_urls() -> list[str]:
    paths = set(urls_under("/admin/"))
    # The app index pattern is one regex for every app: request each app's page too.
    paths |= {f"/admin/{model._meta.app_label}/" for model in admin.site._registry}
    return sorted(p for p in paths if not p.startswith(OPEN))


def test_the_url_walk_finds_the_admin_and_every_apps_custom_views():
    urls = _admin_urls()
    assert len(urls) > 150
    for expected in (
        "/admin/",
        "/admin/talentbank/person/",
        "/admin/staff-factors/",
        "/admin/inspections/",
        "/admin/auth/user/1/password/",
        "/admin/no-such-page/",
    ):
        assert expected in urls


@pytest.mark.django_db
@pytest.mark.parametrize("has_factor", [False, True])
def test_a_password_only_session_reaches_no_admin_url(client, make_staff, settings, has_factor):
    settings.STAFF_MFA_REQUIRED = True  # the production value (DEBUG off)
    boss = make_staff(username="boss", superuser=True)
    if has_factor:
        recovery_device(boss)
    password_login(client, "boss")
    target = "/admin/mfa/verify/" if has_factor else "/admin/mfa/"
    for path in _admin_urls():
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, (method.__name__, path, response.status_code)
            assert response["Location"].startswith(target + "?next="), (path, response["Location"])


@pytest.mark.django_db
def test_the_same_urls_answer_a_verified_session(client, make_staff, settings):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(make_staff(username="boss", superuser=True))  # password and second factor
    client.raise_request_exception = False
    answered = 0
    for path in _admin_urls():
        response = client.get(path)
        assert not response.get("Location", "").startswith("/admin/mfa/"), path
        answered += response.status_code == 200
    assert answered > 50


@pytest.mark.django_db
def test_the_login_page_and_factor_screens_stay_reachable_for_the_password_step(client, make_staff, settings):
    settings.STAFF_MFA_REQUIRED = True
    make_staff("議会事務局", username="clerk")
    assert client.get("/admin/login/").status_code == 200
    password_login(client, "clerk")
    page = client.get("/admin/mfa/?next=/admin/inspections/request/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "管理画面を使うには2段階認証の設定が必要です" in html
    # No app list, no user links to admin pages before the factor.
    assert "行政視察" not in html and 'id="user-tools"' not in html


@pytest.mark.django_db
def test_without_the_requirement_the_password_alone_opens_the_admin(client, make_staff, settings):
    settings.STAFF_MFA_REQUIRED = False  # `make run`
    make_staff("議会事務局", username="clerk")
    password_login(client, "clerk")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_public_pages_do_not_ask_for_a_factor(client, make_staff, settings):
    settings.STAFF_MFA_REQUIRED = True
    make_staff("議会事務局", username="clerk")
    password_login(client, "clerk")
    assert client.get("/").status_code == 200
    assert client.get("/inspections/").status_code == 200


def _setting(name: str, **env) -> str:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "PYTEST_CURRENT_TEST", "DJANGO_SETTINGS_MODULE", "STAFF_MFA_REQUIRED"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="kiyose.settings")
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_factor_is_required_by_default_when_debug_is_off_and_not_in_make_run():
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "PORTAL_BASE_URL": "https://portal.example.jp"}
    assert _setting("STAFF_MFA_REQUIRED", **production) == "True"
    assert _setting("STAFF_MFA_REQUIRED", DEBUG="true") == "False"
    assert _setting("STAFF_MFA_REQUIRED", DEBUG="true", STAFF_MFA_REQUIRED="true") == "True"
