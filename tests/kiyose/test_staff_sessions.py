"""Staff sessions: idle and absolute timeouts, other sessions ended on a password or factor change; visitors'
form sessions untouched."""

import time

import pytest
from django.test import Client

from kiyose.staff import services
from tests.kiyose.staff_support import PASSWORD, recovery_device


def _age(client, *, seen: int = 0, auth: int = 0):
    session = client.session
    session[services.SESSION_SEEN_AT] -= seen
    session[services.SESSION_AUTH_AT] -= auth
    session.save()


@pytest.mark.django_db
def test_an_idle_staff_session_ends_after_the_idle_minutes(client, make_staff, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client.force_login(make_staff("議会事務局"))
    _age(client, seen=29 * 60)
    assert client.get("/admin/").status_code == 200
    _age(client, seen=31 * 60)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    login = client.get(response["Location"]).content.decode()
    assert "30分間操作がなかったため、ログアウトしました" in login


@pytest.mark.django_db
def test_activity_keeps_the_session_alive(client, make_staff):
    client.force_login(make_staff("議会事務局"))
    _age(client, seen=25 * 60)
    assert client.get("/admin/").status_code == 200
    assert time.time() - client.session[services.SESSION_SEEN_AT] < 5
    _age(client, seen=25 * 60)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_busy_session_still_ends_after_the_absolute_hours(client, make_staff, settings):
    settings.STAFF_SESSION_MAX_HOURS = 8
    client.force_login(make_staff("議会事務局"))
    _age(client, auth=8 * 3600 - 60)
    assert client.get("/admin/").status_code == 200
    _age(client, auth=120)
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/login/")
    assert "ログインから8時間が経過したため" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_visitors_form_session_is_not_subject_to_the_staff_timeout(client):
    session = client.session
    session["draft"] = {"name": "清瀬 花子"}
    session.save()
    # An anonymous visitor's session carries no staff clock and is never ended by the policy.
    client.get("/inspections/request/")
    assert client.session.get("draft") == {"name": "清瀬 花子"}


@pytest.mark.django_db
def test_a_session_without_the_policys_clock_is_ended(client, make_staff):
    client.force_login(make_staff("議会事務局"))
    session = client.session
    del session[services.SESSION_AUTH_AT]
    session.save()
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(make_staff):
    clerk = make_staff("議会事務局", username="clerk")
    here, elsewhere = Client(), Client()
    here.force_login(clerk)
    elsewhere.force_login(clerk)
    new = "kiyose-sakura-river-2026"
    response = here.post(
        "/admin/password_change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_a_factor_change_ends_the_other_sessions_and_keeps_this_one(make_staff):
    clerk = make_staff("議会事務局", username="clerk")
    here, elsewhere = Client(), Client()
    here.force_login(clerk)
    elsewhere.force_login(clerk)
    # New recovery codes from this session: a factor change.
    assert here.post("/admin/mfa/recovery/").status_code == 200
    assert here.get("/admin/").status_code == 200
    response = elsewhere.get("/admin/")
    assert response["Location"].startswith("/admin/login/")
    assert "認証手段が変更されたため" in elsewhere.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_factor_added_anywhere_ends_every_open_session(client, make_staff):
    clerk = make_staff("議会事務局", username="clerk")
    client.force_login(clerk)
    recovery_device(clerk)  # e.g. from the shell, or a reset: no session of this user made it
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
