import pytest
from django.conf import settings


@pytest.mark.django_db
def test_admin_login_is_in_japanese(client):
    html = client.get("/admin/login/").content.decode()
    assert "清瀬市ポータル 管理画面" in html
    assert "ログイン" in html


@pytest.mark.django_db
def test_admin_login_locks_after_repeated_failures(client, make_staff):
    make_staff("議会事務局", username="clerk")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": "wrong-password"})
    response = client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": "correct-horse-battery-42"})
    assert response.status_code == 429
    assert "ログインが一時的に停止されています" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("mfa_required", [False, True])
def test_admin_login_succeeds_with_the_right_password(client, make_staff, settings, mfa_required):
    settings.STAFF_MFA_REQUIRED = mfa_required
    make_staff("議会事務局", username="clerk")
    response = client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": "correct-horse-battery-42"})
    assert response.status_code == 302
    if mfa_required:
        # Password accepted; the second factor comes next (its enrolment here: the clerk has none yet).
        assert client.get("/admin/")["Location"].startswith("/admin/mfa/?next=")
    else:
        assert client.get("/admin/").status_code == 200
