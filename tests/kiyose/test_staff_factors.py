"""Second factors: verification by TOTP and recovery codes, enrolment, faults (wrong code, replay, expired
passkey challenge) with Japanese messages, failures counting toward the django-axes lock-out, resets."""

import json
import logging
import re
from pathlib import Path

import django_otp_webauthn
import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.admin.models import LogEntry
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiyose.models import OutboundMail
from kiyose.staff import webauthn
from tests.kiyose.staff_support import password_login, recovery_device, totp_code, totp_device


@pytest.fixture(autouse=True)
def _production(settings):
    settings.STAFF_MFA_REQUIRED = True
    settings.AXES_FAILURE_LIMIT = 5


def _verified(client) -> bool:
    return client.get("/admin/").status_code == 200


def _post_code(client, method, code, next_url="/admin/"):
    return client.post("/admin/mfa/verify/", {"method": method, f"{method}-code": code, "next": next_url})


# --- TOTP -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_right_totp_code_verifies_the_session_and_follows_next(client, make_staff):
    clerk = make_staff("議会事務局", username="clerk")
    device = totp_device(clerk)
    password_login(client, "clerk")
    assert client.get("/admin/inspections/")["Location"] == "/admin/mfa/verify/?next=%2Fadmin%2Finspections%2F"
    key_before = client.session.session_key
    response = _post_code(client, "totp", totp_code(device.key), "/admin/inspections/")
    assert response.status_code == 302 and response["Location"] == "/admin/inspections/"
    assert client.session.session_key != key_before  # renewed once the factor is proved
    assert _verified(client)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["123456", "000000"])
def test_a_wrong_totp_code_is_refused_in_japanese_without_a_session(client, make_staff, code):
    clerk = make_staff("議会事務局", username="clerk")
    device = totp_device(clerk)
    password_login(client, "clerk")
    if code == totp_code(device.key):
        code = "999999"
    html = _post_code(client, "totp", code).content.decode()
    assert "確認コードが正しくありません" in html
    assert not _verified(client)


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "message"), [("12345", "6桁の数字"), ("abcdef", "6桁の数字"), ("", "必須")])
def test_a_malformed_code_gets_a_field_message_and_counts_nothing(client, make_staff, typed, message):
    totp_device(make_staff("議会事務局", username="clerk"))
    password_login(client, "clerk")
    response = _post_code(client, "totp", typed)
    assert response.status_code == 200 and message in response.content.decode()
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_full_width_digits_from_a_japanese_input_method_are_accepted(client, make_staff):
    device = totp_device(make_staff("議会事務局", username="clerk"))
    password_login(client, "clerk")
    code = totp_code(device.key).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert _post_code(client, "totp", code).status_code == 302
    assert _verified(client)


@pytest.mark.django_db
def test_a_totp_code_works_once(make_staff):
    clerk = make_staff("議会事務局", username="clerk")
    device = totp_device(clerk)
    code = totp_code(device.key)
    first, second = Client(), Client()
    password_login(first, "clerk")
    password_login(second, "clerk")
    assert _post_code(first, "totp", code).status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    html = _post_code(second, "totp", code).content.decode()
    assert "確認コードが正しくありません" in html
    assert not _verified(second)


# --- Recovery codes -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_recovery_code_verifies_once_and_a_replay_is_refused(make_staff):
    clerk = make_staff("議会事務局", username="clerk")
    recovery_device(clerk, codes=("abcdefgh", "ijklmnop"))
    first, second = Client(), Client()
    password_login(first, "clerk")
    # Typed with a space and in capitals, as read from paper.
    assert _post_code(first, "recovery", "ABCD EFGH").status_code == 302
    assert _verified(first)
    password_login(second, "clerk")
    html = _post_code(second, "recovery", "abcdefgh").content.decode()
    assert "リカバリーコードが正しくないか、すでに使用済みです" in html
    assert not _verified(second)
    StaticDevice.objects.filter(user=clerk).update(throttling_failure_count=0)
    assert _post_code(second, "recovery", "ijklmnop").status_code == 302


# --- The lock-out ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_codes_lock_the_account_and_address_like_wrong_passwords(client, make_staff, settings):
    clerk = make_staff("議会事務局", username="clerk")
    device = totp_device(clerk)
    password_login(client, "clerk")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        assert "確認コードが正しくありません" in _post_code(client, "totp", "000001").content.decode(), attempt
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    locked = _post_code(client, "totp", "000001")
    assert locked.status_code == 429
    assert "ログインが一時的に停止されています" in locked.content.decode()
    # The session is gone, and the password alone no longer opens one from this address.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    again = client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": "correct-horse-battery-42"})
    assert again.status_code == 429
    # Another address is not locked (lock-out per account and address).
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    password_login(elsewhere, "clerk")
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    assert _post_code(elsewhere, "totp", totp_code(device.key, steps_ahead=1)).status_code == 302


@pytest.mark.django_db
def test_a_correct_password_does_not_wipe_the_failures_before_the_factor(client, make_staff, settings):
    clerk = make_staff("議会事務局", username="clerk")
    device = totp_device(clerk)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": "wrong-password"})
    password_login(client, "clerk")
    assert _post_code(client, "totp", "000001").status_code == 429
    assert TOTPDevice.objects.get(pk=device.pk).user == clerk


@pytest.mark.django_db
def test_a_completed_login_clears_the_failures(client, make_staff, settings):
    device = totp_device(make_staff("議会事務局", username="clerk"))
    password_login(client, "clerk")
    _post_code(client, "totp", "000001")
    assert AccessAttempt.objects.get().failures_since_start == 1
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    assert _post_code(client, "totp", totp_code(device.key)).status_code == 302
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_rapid_guesses_are_throttled_by_django_otp_as_well(client, make_staff):
    device = totp_device(make_staff("議会事務局", username="clerk"))
    password_login(client, "clerk")
    _post_code(client, "totp", "000001")
    html = _post_code(client, "totp", totp_code(device.key)).content.decode()
    assert "秒ほど待ってから入力してください" in html
    assert not _verified(client)


# --- Passkeys -------------------------------------------------------------------------------------------


def _passkey(client, step: str, body=None, **extra):
    return client.post(
        f"/admin/mfa/passkey/authentication/{step}/",
        data=json.dumps(body or {}),
        content_type="application/json",
        **extra,
    )


@pytest.mark.django_db
def test_an_expired_passkey_challenge_is_refused_in_japanese_and_counted(client, make_staff, monkeypatch):
    recovery_device(make_staff("議会事務局", username="clerk"))
    password_login(client, "clerk")
    assert _passkey(client, "begin").status_code == 200
    later = webauthn.time.time() + django_settings.OTP_WEBAUTHN_TIMEOUT_SECONDS + 1
    monkeypatch.setattr(webauthn.time, "time", lambda: later)
    response = _passkey(client, "complete", {"id": "x", "rawId": "x", "type": "public-key", "response": {}})
    assert response.status_code == 400
    assert response.json()["detail"] == "パスキーの確認の有効期限が切れました。もう一度お試しください。"
    assert not _verified(client)
    assert AccessAttempt.objects.get().failures_since_start == 1


@pytest.mark.django_db
def test_a_replayed_or_unstarted_passkey_response_is_refused(client, make_staff):
    recovery_device(make_staff("議会事務局", username="clerk"))
    password_login(client, "clerk")
    response = _passkey(client, "complete", {"id": "x"})
    assert response.status_code == 400
    assert "最初からやり直してください" in response.json()["detail"]
    assert not _verified(client)


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"not json", b'{"id": 5, "response": "x"}', b"[]"])
def test_garbage_passkey_responses_get_a_refusal_not_a_server_error(client, make_staff, body):
    recovery_device(make_staff("議会事務局", username="clerk"))
    password_login(client, "clerk")
    _passkey(client, "begin")
    response = client.post("/admin/mfa/passkey/authentication/complete/", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert re.search(r"[ぁ-んァ-ン]", response.json()["detail"])
    assert not _verified(client)


@pytest.mark.django_db
def test_passkey_failures_lock_out_with_a_japanese_answer(client, make_staff, settings):
    recovery_device(make_staff("議会事務局", username="clerk"))
    password_login(client, "clerk")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _passkey(client, "complete", {"id": "x"}).status_code == 400
    locked = _passkey(client, "complete", {"id": "x"})
    assert locked.status_code == 429
    assert "ログインを一時的に停止しました" in locked.json()["detail"]
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_passkeys_are_a_second_factor_not_a_password_replacement(client):
    assert _passkey(client, "begin").status_code == 403


def test_every_message_of_the_passkey_script_has_a_japanese_text():
    static = Path(django_otp_webauthn.__file__).parent / "static" / "django_otp_webauthn"
    asked = set()
    for script in static.glob("*.js"):
        asked |= set(re.findall(r'gettext\("([^"]+)"\)', script.read_text(encoding="utf-8")))
    assert asked, "the library's script changed shape: check the passkey screens"
    assert asked <= set(webauthn.JS_MESSAGES), sorted(asked - set(webauthn.JS_MESSAGES))


@pytest.mark.django_db
def test_the_passkey_script_catalogue_is_japanese(client):
    body = client.get("/admin/mfa/passkey/jsi18n/").content.decode()
    # The catalogue is JSON with \u escapes.
    assert json.dumps("Verify with Passkey") + ": " + json.dumps("パスキーで確認する") in body


# --- Enrolment ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_staff_member_without_a_factor_enrols_an_authenticator_app(client, make_staff):
    make_staff("議会事務局", username="clerk")
    password_login(client, "clerk")
    assert client.get("/admin/")["Location"] == "/admin/mfa/?next=%2Fadmin%2F"
    page = client.get("/admin/mfa/totp/?next=/admin/")
    html = page.content.decode()
    assert "<svg" in html and "認証アプリの設定" in html
    key = client.session["_kiyose_staff_totp_key"]
    wrong = client.post(
        "/admin/mfa/totp/?next=/admin/",
        {"totp-code": "000000" if totp_code(key) != "000000" else "111111", "next": "/admin/"},
    )
    assert "確認コードが一致しません" in wrong.content.decode()
    assert client.session["_kiyose_staff_totp_key"] == key  # the same QR code stays valid
    done = client.post("/admin/mfa/totp/", {"totp-code": totp_code(key), "next": "/admin/"})
    assert done.status_code == 302
    assert TOTPDevice.objects.get().key == key
    assert _verified(client)
    # Then recovery codes, shown once.
    codes = client.post("/admin/mfa/recovery/", {"next": "/admin/"})
    shown = re.findall(r"<code>([a-z2-7]{8})</code>", codes.content.decode())
    assert len(shown) == django_settings.STAFF_RECOVERY_CODES
    assert codes["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_factors_cannot_be_added_before_the_existing_one_is_proved(client, make_staff):
    totp_device(make_staff("議会事務局", username="clerk"))
    password_login(client, "clerk")
    assert client.get("/admin/mfa/totp/")["Location"].startswith("/admin/mfa/verify/")
    assert client.post("/admin/mfa/recovery/")["Location"].startswith("/admin/mfa/verify/")
    response = client.post("/admin/mfa/passkey/registration/begin/")
    assert response.status_code == 403
    assert "先に登録済みの認証手段で本人確認" in response.json()["detail"]


@pytest.mark.django_db
def test_the_last_passkey_or_app_cannot_be_removed(client, make_staff):
    clerk = make_staff("議会事務局", username="clerk")
    device = totp_device(clerk)
    client.force_login(clerk)
    client.post("/admin/mfa/remove/", {"device": device.persistent_id})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# --- Reset by a superuser -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_superuser_resets_a_colleagues_factors_logged_and_mailed(client, make_staff, caplog):
    boss = make_staff(username="boss", superuser=True)
    clerk = make_staff("議会事務局", username="clerk")
    clerk.email = "clerk@city.kiyose.lg.jp"
    clerk.save()
    totp_device(clerk)
    clerks_browser = Client()
    clerks_browser.force_login(clerk)
    client.force_login(boss)

    listing = client.get("/admin/staff-factors/").content.decode()
    assert "clerk" in listing and f"/admin/staff-factors/{clerk.pk}/reset/" in listing
    confirm = client.get(f"/admin/staff-factors/{clerk.pk}/reset/")
    assert "すべて削除します" in confirm.content.decode()
    with caplog.at_level(logging.WARNING, logger="kiyose.staff"):
        response = client.post(f"/admin/staff-factors/{clerk.pk}/reset/")
    assert response.status_code == 302

    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not StaticDevice.objects.filter(user=clerk).exists()
    entry = LogEntry.objects.get(object_id=str(clerk.pk))
    assert entry.user == boss and "認証手段をリセットしました" in entry.change_message
    assert any("factors reset: user=clerk by=boss" in r.getMessage() for r in caplog.records)
    mail = OutboundMail.objects.get()
    assert mail.to == ["clerk@city.kiyose.lg.jp"]
    assert "2段階認証の認証手段がリセットされました" in mail.subject
    assert "管理者（boss）によってリセットされました" in mail.body
    # The colleague's open session ends; at the next login they enrol again.
    assert clerks_browser.get("/admin/")["Location"].startswith("/admin/login/")
    password_login(clerks_browser, "clerk")
    assert clerks_browser.get("/admin/")["Location"].startswith("/admin/mfa/?next=")


@pytest.mark.django_db
def test_only_superusers_reset_factors(client, make_staff):
    clerk = make_staff("議会事務局", username="clerk")
    totp_device(clerk)
    client.force_login(make_staff("未来創造課", username="other"))
    assert client.get("/admin/staff-factors/").status_code == 403
    assert client.post(f"/admin/staff-factors/{clerk.pk}/reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=clerk).exists()


@pytest.mark.django_db
def test_the_user_page_offers_the_reset_to_superusers(client, make_staff):
    clerk = make_staff("議会事務局", username="clerk")
    client.force_login(make_staff(username="boss", superuser=True))
    html = client.get(f"/admin/auth/user/{clerk.pk}/change/").content.decode()
    assert f"/admin/staff-factors/{clerk.pk}/reset/" in html
