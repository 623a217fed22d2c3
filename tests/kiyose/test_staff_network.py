"""ADMIN_ALLOWED_NETWORKS: the admin (login included) answers only the city's networks; public pages anyone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CITY = ["10.20.0.0/16", "2001:db8:20::/48"]


@pytest.fixture
def city_only(settings):
    settings.ADMIN_ALLOWED_NETWORKS = CITY
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/login/",
        "/admin/mfa/verify/",
        "/admin/mfa/passkey/jsi18n/",
        "/admin/talentbank/person/",
        "/admin/staff-factors/",
    ],
)
def test_outside_the_city_every_admin_url_is_refused_in_japanese(client, city_only, path):
    response = client.get(path, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    html = response.content.decode()
    assert "この場所からは管理画面を利用できません" in html
    assert "市役所のネットワークからのみ利用できます" in html
    assert client.post(path, REMOTE_ADDR="203.0.113.9").status_code == 403


@pytest.mark.django_db
def test_a_verified_staff_session_is_refused_outside_the_city_too(client, city_only, make_staff):
    client.force_login(make_staff("市民協働課"))
    assert client.get("/admin/talentbank/person/", REMOTE_ADDR="203.0.113.9").status_code == 403
    assert client.get("/admin/talentbank/person/", REMOTE_ADDR="10.20.3.4").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["10.20.3.4", "2001:db8:20::7", "::ffff:10.20.3.4"])
def test_inside_the_city_the_login_page_answers(client, city_only, address):
    response = client.get("/admin/login/", REMOTE_ADDR=address)
    assert response.status_code == 200
    assert "ログイン" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/inspections/", "/inspections/request/", "/sdgs/", "/talentbank/", "/livez"])
def test_public_pages_answer_from_anywhere(client, city_only, path):
    assert client.get(path, REMOTE_ADDR="203.0.113.9").status_code == 200


@pytest.mark.django_db
def test_an_empty_list_means_anywhere(client, settings):
    settings.ADMIN_ALLOWED_NETWORKS = []
    assert client.get("/admin/login/", REMOTE_ADDR="203.0.113.9").status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_for_from_a_stranger_is_ignored(client, city_only):
    # No trusted proxy: the header is the client's own word and proves nothing.
    response = client.get("/admin/login/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.20.3.4")
    assert response.status_code == 403


@pytest.mark.django_db
def test_behind_our_proxy_the_rightmost_untrusted_hop_decides(client, city_only):
    city_only.TRUSTED_PROXIES = ["127.0.0.1"]
    # A visitor outside forges a city address in front of their own; the proxy appended the real one.
    forged = client.get("/admin/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.3.4, 203.0.113.9")
    assert forged.status_code == 403
    inside = client.get("/admin/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.3.4")
    assert inside.status_code == 200
    # The proxy's own address is not the client's: a request from outside through it stays outside.
    assert client.get("/admin/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403


def test_a_malformed_network_stops_start_up_naming_the_setting():
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_CURRENT_TEST", "DJANGO_SETTINGS_MODULE"}}
    env.update(DEBUG="true", ADMIN_ALLOWED_NETWORKS="10.20.0.0/16,10.300.0.0/16")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ADMIN_ALLOWED_NETWORKS" in result.stderr and "10.300.0.0/16" in result.stderr
