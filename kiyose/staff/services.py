"""Staff security writes and side effects: sessions, second-factor verification, enrolment, resets."""

import logging
import secrets
import time
from binascii import unhexlify
from dataclasses import dataclass, field

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from kiyose.clientip import client_ip
from kiyose.mail import mail_queue
from kiyose.staff.models import SecurityStamp

log = logging.getLogger("kiyose.staff")

SESSION_STAMP = "_kiyose_staff_stamp"
SESSION_AUTH_AT = "_kiyose_staff_auth_at"
SESSION_SEEN_AT = "_kiyose_staff_seen_at"

RECOVERY_DEVICE_NAME = "リカバリーコード"
TOTP_DEVICE_NAME = "認証アプリ"


# --- Security stamp and the session ---------------------------------------------------------------------


def stamp_current(user_id) -> str:
    return SecurityStamp.objects.filter(user_id=user_id).values_list("value", flat=True).first() or ""


def stamp_renew(*, user_id) -> str:
    value = secrets.token_hex(16)
    SecurityStamp.objects.update_or_create(user_id=user_id, defaults={"value": value})
    return value


def session_adopt_stamp(request) -> None:
    """After a factor change made in this session, keep this session and end only the others."""
    request.session[SESSION_STAMP] = stamp_current(request.user.pk)


def session_start(request, user) -> None:
    """Called on every login (user_logged_in): the clocks of the session policy start here."""
    now = int(time.time())
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now
    request.session[SESSION_STAMP] = stamp_current(user.pk)
    if not settings.STAFF_MFA_REQUIRED:
        _lockout_reset(request, user)


def session_end(request, *, reason: str) -> None:
    user = request.user
    log.info("staff session ended (%s): user=%s ip=%s", reason, user.get_username(), client_ip(request))
    logout(request)


# --- Factors --------------------------------------------------------------------------------------------


@dataclass
class Factors:
    passkeys: list = field(default_factory=list)
    totp: list = field(default_factory=list)
    recovery: list = field(default_factory=list)

    @property
    def primary(self) -> list:
        return [*self.passkeys, *self.totp]

    @property
    def recovery_left(self) -> int:
        return sum(device.token_set.count() for device in self.recovery)

    @property
    def any(self) -> bool:
        return bool(self.primary or self.recovery)


def factors_of(user) -> Factors:
    return Factors(
        passkeys=list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")),
        totp=list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id")),
        recovery=list(StaticDevice.objects.filter(user=user, confirmed=True).order_by("id")),
    )


def totp_key_new() -> str:
    return TOTPDevice._meta.get_field("key").default()


def totp_code_matches(key: str, code: str) -> int | None:
    """The time step a code for `key` belongs to (±1 step of clock drift), or None."""
    totp = TOTP(unhexlify(key.encode()))
    totp.time = time.time()
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


@transaction.atomic
def totp_enrol(*, user, key: str, code: str) -> TOTPDevice | None:
    """Register an authenticator app once it has produced a valid code; replaces the previous one."""
    step = totp_code_matches(key, code)
    if step is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=step)
    device.full_clean()
    device.save()
    log.info("authenticator app registered: user=%s", user.get_username())
    return device


@transaction.atomic
def recovery_codes_issue(*, user) -> tuple[StaticDevice, list[str]]:
    """A fresh set of one-time recovery codes; the previous set stops working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    device.full_clean()
    device.save()
    codes = []
    while len(codes) < settings.STAFF_RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    log.info("recovery codes issued: user=%s", user.get_username())
    return device, codes


@transaction.atomic
def factor_remove(*, user, persistent_id: str) -> bool:
    """Remove one of the user's own passkeys or authenticator apps, never the last one."""
    factors = factors_of(user)
    device = next((d for d in factors.primary if d.persistent_id == persistent_id), None)
    if device is None or len(factors.primary) < 2:
        return False
    device.delete()
    log.info("factor removed: user=%s device=%s", user.get_username(), persistent_id)
    return True


@transaction.atomic
def factors_reset(*, user, by, ip: str) -> bool:
    """Remove every factor of `user` (a superuser's act): they enrol again at their next login, and every
    session of theirs ends. Logged in the admin log and mailed to them. True when the mail was queued."""
    counts = {
        "passkeys": WebAuthnCredential.objects.filter(user=user).count(),
        "totp": TOTPDevice.objects.filter(user=user).count(),
        "recovery": StaticDevice.objects.filter(user=user).count(),
    }
    for model in (WebAuthnCredential, TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            device.delete()
    stamp_renew(user_id=user.pk)
    message = (
        _(
            "2段階認証の認証手段をリセットしました（パスキー %(passkeys)d件、認証アプリ %(totp)d件、"
            "リカバリーコード %(recovery)d組）。"
        )
        % counts
    )
    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[user], action_flag=CHANGE, change_message=message, single_object=True
    )
    log.warning(
        "staff factors reset: user=%s by=%s ip=%s passkeys=%d totp=%d recovery=%d",
        user.get_username(),
        by.get_username(),
        ip,
        counts["passkeys"],
        counts["totp"],
        counts["recovery"],
    )
    if not user.email:
        return False
    context = {
        "user": user,
        "by": by,
        "PORTAL_NAME": settings.PORTAL_NAME,
        "admin_url": settings.PORTAL_BASE_URL.rstrip("/") + "/admin/",
    }
    mail_queue(
        to=user.email,
        subject=render_to_string("staff/mail/factors_reset_subject.txt", context).strip(),
        body=render_to_string("staff/mail/factors_reset.txt", context),
    )
    return True


# --- Verification and the lock-out ----------------------------------------------------------------------


def _credentials(user) -> dict:
    return {getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"): user.get_username()}


def is_locked(request) -> bool:
    return AxesProxyHandler.is_locked(request, credentials=_credentials(request.user))


def _lockout_reset(request, user) -> None:
    ip = client_ip(request)
    # axes deletes every attempt when both filters are empty: never call it without both.
    if ip and user.get_username():
        AxesProxyHandler.reset_attempts(ip_address=ip, username=user.get_username())


def verification_complete(*, request, device) -> None:
    """The second factor is proved: mark the session, renew its key, clear the failures counted so far."""
    otp_login(request, device)
    request.session.cycle_key()
    session_adopt_stamp(request)
    _lockout_reset(request, request.user)
    log.info(
        "second factor verified: user=%s method=%s ip=%s",
        request.user.get_username(),
        device.__class__.__name__,
        client_ip(request),
    )


def verification_fail(*, request, method: str) -> bool:
    """Count a wrong code or passkey as a failed login (django-axes); True when this locks the account+address,
    in which case the session has been ended."""
    user = request.user
    log.warning("second factor failed: user=%s method=%s ip=%s", user.get_username(), method, client_ip(request))
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if getattr(request, "axes_locked_out", False) or is_locked(request):
        session_end(request, reason="locked out")
        return True
    return False


@dataclass
class CodeCheck:
    device: object | None = None
    wait_seconds: int = 0


def code_check(*, user, model, code: str) -> CodeCheck:
    """Check a TOTP or recovery code against the user's devices of `model`, honouring django-otp's throttle."""
    with transaction.atomic():
        devices = list(model.objects.filter(user=user, confirmed=True).select_for_update())
        for device in devices:
            allowed, _data = device.verify_is_allowed()
            if not allowed:
                return CodeCheck(wait_seconds=_throttle_wait(device))
        for device in devices:
            if device.verify_token(code):
                return CodeCheck(device=device)
    return CodeCheck()


def _throttle_wait(device) -> int:
    delay = device.get_throttle_factor() * (2 ** (device.throttling_failure_count - 1))
    if device.throttling_failure_timestamp is None:
        return 1
    elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    return max(1, int(delay - elapsed + 0.999))


def session_device_is(request, model) -> bool:
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY, "")
    return persistent_id.startswith(model.model_label() + "/")
