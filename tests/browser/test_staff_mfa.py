"""The staff login with its second factor in real Chromium: a passkey on a CDP virtual authenticator, and an
authenticator app (TOTP codes computed here); enrolment after the password, then verification next time."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_site(settings, live_server, make_staff):
    settings.STAFF_MFA_REQUIRED = True
    # Passkeys belong to a host name: the live server's.
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    make_staff(username="clerk", superuser=True)
    return live_server.url


def _password_step(page):
    page.goto(page.base_url + "/admin/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "correct-horse-battery-42")
    page.get_by_role("button", name="ログイン").click()


def _log_out(page):
    page.get_by_role("button", name="ログアウト").first.click()
    page.wait_for_url(re.compile(r"/admin/logout/"))


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_a_passkey_is_registered_after_the_password_and_verifies_the_next_login(page, staff_site, assert_accessible):
    _virtual_authenticator(page)
    _password_step(page)
    page.wait_for_url(re.compile(r"/admin/mfa/\?next="))
    expect(page.get_by_text("管理画面を使うには2段階認証の設定が必要です")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="パスキーを登録する").click()
    page.wait_for_selector("text=登録済み", state="attached")
    expect(page.get_by_role("cell", name=re.compile(r"パスキー（令和\d+年\d+月\d+日登録）"))).to_be_visible()
    page.get_by_role("button", name="リカバリーコードを発行する").click()
    codes = page.locator(".kiyose-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    assert_accessible(page)
    page.get_by_role("link", name="控えました（設定に戻る）").click()
    page.get_by_role("link", name="管理画面へ進む").click()
    expect(page.get_by_role("heading", name="業務メニュー")).to_be_visible()

    _log_out(page)
    _password_step(page)
    page.wait_for_url(re.compile(r"/admin/mfa/verify/\?next="))
    expect(page.get_by_role("heading", name="本人確認（2段階認証）")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="パスキーで確認する").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="業務メニュー")).to_be_visible()


def test_an_authenticator_app_is_set_up_and_a_wrong_code_is_refused_in_japanese(page, staff_site, assert_accessible):
    _password_step(page)
    page.wait_for_url(re.compile(r"/admin/mfa/\?next="))
    page.get_by_role("link", name="認証アプリを設定する").click()
    expect(page.locator(".kiyose-qr svg")).to_be_visible()
    assert_accessible(page)
    secret = "".join(page.locator(".kiyose-secret span").all_inner_texts())
    app = TOTP(b32decode(secret))

    page.fill("#id_totp-code", "000000" if app.token() != 0 else "111111")
    page.get_by_role("button", name="登録する").click()
    expect(page.get_by_text("確認コードが一致しません")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_totp-code", f"{app.token():06d}")
    page.get_by_role("button", name="登録する").click()
    expect(page.get_by_text("認証アプリを登録しました。")).to_be_visible()
    page.get_by_role("link", name="管理画面へ進む").click()
    expect(page.get_by_role("heading", name="業務メニュー")).to_be_visible()

    _log_out(page)
    _password_step(page)
    page.wait_for_url(re.compile(r"/admin/mfa/verify/\?next="))
    page.fill("#id_totp-code", "１２３４５")  # full width, five digits
    page.get_by_role("button", name="確認する", exact=True).click()
    expect(page.get_by_text("確認コードは6桁の数字で入力してください。")).to_be_visible()
    # The code of the step just used is spent: the app's next one (drift of one step is accepted).
    app.drift = 1
    page.fill("#id_totp-code", f"{app.token():06d}")
    page.get_by_role("button", name="確認する", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="業務メニュー")).to_be_visible()
