"""Passkeys through django-otp-webauthn: its ceremonies and its browser script, with our rules on top —
challenges expire, failures count toward the lock-out, a verified session renews its key, every message is
Japanese. Mounted under the `otp_webauthn` namespace so the library's template tags find these views."""

import logging
import time

from django.conf import settings
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as upstream
from django_otp_webauthn.helpers import WebAuthnHelper

from kiyose.staff import services
from kiyose.wareki import wareki

log = logging.getLogger("kiyose.staff")


class ChallengeExpired(exceptions.OTPWebAuthnApiError):
    status_code = 400
    default_code = "challenge_expired"


class LockedOut(exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_code = "locked_out"


# What the browser shows for each error the passkey endpoints return (by the library's error code).
ERROR_MESSAGES = {
    "challenge_expired": _("パスキーの確認の有効期限が切れました。もう一度お試しください。"),
    "invalid_state": _("パスキーの確認をもう一度最初からやり直してください。"),
    "locked_out": _(
        "確認に続けて失敗したため、ログインを一時的に停止しました。しばらく時間をおいてから再度お試しください。"
    ),
    "credential_not_found": _("このパスキーは登録されていません。登録済みのパスキーを使ってください。"),
    "credential_user_mismatch": _("このパスキーはログイン中の職員のものではありません。"),
    "credential_disabled": _("このパスキーは使用できません。"),
    "user_disabled": _("このアカウントは使用できません。"),
    "not_authenticated": _("先にIDとパスワードでログインしてください。"),
    "passwordless_login_disabled": _("先にIDとパスワードでログインしてください。"),
    "user_not_verified": _("パスキーを追加するには、先に登録済みの認証手段で本人確認をしてください。"),
    "malformed_request": _("パスキーの応答を読み取れませんでした。もう一度お試しください。"),
    "error": _("パスキーを確認できませんでした。もう一度お試しください。"),
}

# The library's browser script asks gettext() for these; the test suite fails when an upgrade adds one.
JS_MESSAGES = {
    "An error occurred during verification.": _("確認中にエラーが発生しました。"),
    "Finishing verification...": _("確認しています…"),
    "Verification aborted.": _("確認を中止しました。"),
    "Verification canceled or not allowed.": _("確認が取り消されたか、許可されませんでした。"),
    "Verification failed. A server error occurred.": _("確認できませんでした（サーバーのエラー）。"),
    "Verification failed. An unknown error occurred.": _("確認できませんでした（不明なエラー）。"),
    "Verification failed. An unknown server error occurred.": _("確認できませんでした（サーバーの不明なエラー）。"),
    "Verification failed. Could not retrieve parameters from the server.": _(
        "確認できませんでした。サーバーから確認の情報を受け取れませんでした。"
    ),
    "Verification successful!": _("確認できました。"),
    "Verify with Passkey": _("パスキーで確認する"),
    "Verifying...": _("確認しています…"),
    "An error occurred during registration.": _("登録中にエラーが発生しました。"),
    "Finishing registration...": _("登録しています…"),
    "Register a Passkey": _("パスキーを登録する"),
    "Registering...": _("登録しています…"),
    "Registration aborted or not allowed.": _("登録が中止されたか、許可されませんでした。"),
    "Registration aborted.": _("登録を中止しました。"),
    "Registration failed. A server error occurred.": _("登録できませんでした（サーバーのエラー）。"),
    "Registration failed. A technical problem occurred that prevents you from registering a Passkey for this site.": _(
        "登録できませんでした。このサイトにパスキーを登録できない技術的な問題があります。"
    ),
    "Registration failed. An unknown error occurred.": _("登録できませんでした（不明なエラー）。"),
    "Registration failed. The server was unable to verify this passkey.": _(
        "登録できませんでした。サーバーでこのパスキーを確認できませんでした。"
    ),
    "Registration failed. Unable to fetch registration options from server.": _(
        "登録できませんでした。サーバーから登録の情報を受け取れませんでした。"
    ),
    "Registration failed. You most likely already have a Passkey registered for this site.": _(
        "登録できませんでした。この認証器のパスキーはすでに登録されている可能性があります。"
    ),
    "Registration successful!": _("登録しました。"),
}


def _check_fresh(state: dict) -> None:
    # The library keeps a challenge in the session until it is used; an old one must not be accepted.
    issued_at = state.get("issued_at")
    if not isinstance(issued_at, int | float) or time.time() - issued_at > settings.OTP_WEBAUTHN_TIMEOUT_SECONDS:
        raise ChallengeExpired()


class PortalWebAuthnHelper(WebAuthnHelper):
    def get_registration_state(self, creation_options: dict) -> dict:
        return {**super().get_registration_state(creation_options), "issued_at": time.time()}

    def get_authentication_state(self, options: dict) -> dict:
        return {**super().get_authentication_state(options), "issued_at": time.time()}

    def register_complete(self, user, state: dict, data: dict):
        _check_fresh(state)
        return super().register_complete(user, state, data)

    def authenticate_complete(self, user, state: dict, data: dict):
        _check_fresh(state)
        return super().authenticate_complete(user, state, data)

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        device.name = str(_("パスキー（%(date)s登録）") % {"date": wareki(timezone.localdate())})
        return device


class JapaneseErrorsMixin:
    def handle_exception(self, exc):
        if not isinstance(exc, exceptions.OTPWebAuthnApiError):
            # A payload the library did not foresee: a refusal, never a server error.
            log.exception("passkey request refused")
            exc = exceptions.UnprocessableEntity()
        message = ERROR_MESSAGES.get(exc.code, ERROR_MESSAGES["error"])
        return JsonResponse({"detail": str(message), "code": exc.code}, status=exc.status_code)


class BeginRegistration(JapaneseErrorsMixin, upstream.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(JapaneseErrorsMixin, upstream.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        was_verified = self.request.user.is_verified()
        response = super().post(*args, **kwargs)
        if was_verified:
            services.session_adopt_stamp(self.request)
        else:
            # The first factor of a staff member: registering it is the verification of this session.
            services.verification_complete(request=self.request, device=self.request.user.otp_device)
        return response


class BeginAuthentication(JapaneseErrorsMixin, upstream.BeginCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        if self.request.user.is_authenticated and services.is_locked(self.request):
            services.session_end(self.request, reason="locked out")
            raise LockedOut()
        return super().post(*args, **kwargs)


class CompleteAuthentication(JapaneseErrorsMixin, upstream.CompleteCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        if self.request.user.is_authenticated and services.is_locked(self.request):
            services.session_end(self.request, reason="locked out")
            raise LockedOut()
        try:
            return super().post(*args, **kwargs)
        except Exception:
            if self.request.user.is_authenticated and services.verification_fail(
                request=self.request, method="passkey"
            ):
                # Answer the script in JSON with our message; axes would replace it with its HTML page.
                self.request.axes_locked_out = False
                raise LockedOut() from None
            raise

    def complete_auth(self, device):
        services.verification_complete(request=self.request, device=device)

    def get_success_url(self):
        return self.get_redirect_url() or reverse("admin:index")


class PasskeyCatalog(JavaScriptCatalog):
    packages = ["kiyose.staff"]

    def get_catalog(self):
        return {msgid: str(text) for msgid, text in JS_MESSAGES.items()}


def safe_next(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("admin:index")


urlpatterns = [
    path("registration/begin/", BeginRegistration.as_view(), name="credential-registration-begin"),
    path("registration/complete/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", BeginAuthentication.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", CompleteAuthentication.as_view(), name="credential-authentication-complete"),
    path("jsi18n/", PasskeyCatalog.as_view(), name="js-i18n-catalog"),
]
