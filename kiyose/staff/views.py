"""The second-factor screens (styled like the admin): verification, enrolment, recovery codes, and the
superusers' list of staff factors with the reset."""

from base64 import b32encode
from binascii import unhexlify
from functools import wraps
from urllib.parse import urlencode

import segno
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from kiyose.accesslog import AccessAction, access_record
from kiyose.clientip import client_ip
from kiyose.staff import services
from kiyose.staff.forms import RecoveryCodeForm, TotpCodeForm
from kiyose.staff.webauthn import safe_next

SESSION_TOTP_KEY = "_kiyose_staff_totp_key"


def _render(request, template: str, context: dict):
    verified = request.user.is_authenticated and request.user.is_verified()
    base = {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "site_url": admin.site.site_url,
        # The admin's user links only once the session may use them.
        "has_permission": verified and request.user.is_active and request.user.is_staff,
        "is_nav_sidebar_enabled": False,
        "verified": verified,
        "mfa_required": settings.STAFF_MFA_REQUIRED,
    }
    return render(request, template, {**base, **context})


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + "?" + urlencode({"next": next_url})


def factor_session(view):
    """A logged-in session that may change factors: verified, or enrolling its very first factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not request.user.is_verified() and services.factors_of(request.user).any:
            return redirect(_with_next("kiyose_staff:verify", safe_next(request)))
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def verified_session(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not request.user.is_verified():
            return redirect(_with_next("kiyose_staff:verify", safe_next(request)))
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


@factor_session
def setup(request):
    factors = services.factors_of(request.user)
    return _render(
        request,
        "staff/setup.html",
        {
            "title": _("2段階認証の設定"),
            "factors": factors,
            "next": safe_next(request),
            "recovery_left": factors.recovery_left,
        },
    )


@never_cache
def verify(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    next_url = safe_next(request)
    if request.user.is_verified():
        return redirect(next_url)
    factors = services.factors_of(request.user)
    if not factors.any:
        return redirect(_with_next("kiyose_staff:setup", next_url))
    totp_form = TotpCodeForm(prefix="totp")
    recovery_form = RecoveryCodeForm(prefix="recovery")
    method = request.POST.get("method") if request.method == "POST" else None
    if method in {"totp", "recovery"}:
        if services.is_locked(request):
            return _locked(request)
        form = (
            TotpCodeForm(request.POST, prefix="totp")
            if method == "totp"
            else RecoveryCodeForm(request.POST, prefix="recovery")
        )
        if method == "totp":
            totp_form = form
        else:
            recovery_form = form
        if form.is_valid():
            model = TOTPDevice if method == "totp" else StaticDevice
            check = services.code_check(user=request.user, model=model, code=form.cleaned_data["code"])
            if check.device is not None:
                services.verification_complete(request=request, device=check.device)
                return redirect(next_url)
            if check.wait_seconds:
                form.add_error(
                    "code",
                    _("入力の失敗が続いたため、%(s)d秒ほど待ってから入力してください。") % {"s": check.wait_seconds},
                )
            else:
                if services.verification_fail(request=request, method=method):
                    return _locked(request)
                form.add_error(
                    "code",
                    _("確認コードが正しくありません。認証アプリの最新のコードを入力してください。")
                    if method == "totp"
                    else _("リカバリーコードが正しくないか、すでに使用済みです。"),
                )
    return _render(
        request,
        "staff/verify.html",
        {
            "title": _("本人確認（2段階認証）"),
            "factors": factors,
            "next": next_url,
            "totp_form": totp_form,
            "recovery_form": recovery_form,
            "method": method,
        },
    )


def _locked(request):
    if request.user.is_authenticated:
        services.session_end(request, reason="locked out")
    return get_lockout_response(request)


@factor_session
def totp(request):
    next_url = safe_next(request)
    key = request.session.get(SESSION_TOTP_KEY)
    form = TotpCodeForm(prefix="totp")
    if request.method == "POST" and key:
        form = TotpCodeForm(request.POST, prefix="totp")
        if form.is_valid():
            device = services.totp_enrol(user=request.user, key=key, code=form.cleaned_data["code"])
            if device is not None:
                del request.session[SESSION_TOTP_KEY]
                _after_factor_added(request, device)
                messages.success(request, _("認証アプリを登録しました。"))
                return redirect(_with_next("kiyose_staff:setup", next_url))
            form.add_error(
                "code",
                _(
                    "確認コードが一致しません。スマートフォンの時刻が正しいか確かめて、"
                    "表示中のコードを入力してください。"
                ),
            )
    elif request.method == "POST":
        messages.warning(request, _("設定の途中で時間が経過しました。もう一度QRコードを読み取ってください。"))
    if not key or request.method == "GET":
        key = services.totp_key_new()
        request.session[SESSION_TOTP_KEY] = key
    device = TOTPDevice(user=request.user, key=key, name=services.TOTP_DEVICE_NAME)
    secret = b32encode(unhexlify(key.encode())).decode()
    qr = segno.make(device.config_url, error="m")
    return _render(
        request,
        "staff/totp.html",
        {
            "title": _("認証アプリの設定"),
            "form": form,
            "next": next_url,
            "qr_svg": qr.svg_inline(scale=5, title=_("認証アプリの設定用QRコード")),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
    )


def _after_factor_added(request, device):
    if request.user.is_verified():
        services.session_adopt_stamp(request)
    else:
        # The staff member's first factor: setting it up proves it, so this session is verified with it.
        services.verification_complete(request=request, device=device)


@require_POST
@verified_session
def recovery(request):
    used_recovery = services.session_device_is(request, StaticDevice)
    device, codes = services.recovery_codes_issue(user=request.user)
    if used_recovery:
        # This session was verified with a code of the set just replaced: carry it over to the new set.
        otp_login(request, device)
    services.session_adopt_stamp(request)
    return _render(
        request,
        "staff/recovery_codes.html",
        {
            "title": _("リカバリーコード"),
            "codes": codes,
            "next": safe_next(request),
        },
    )


@require_POST
@verified_session
def remove(request):
    if services.factor_remove(user=request.user, persistent_id=request.POST.get("device", "")):
        services.session_adopt_stamp(request)
        messages.success(request, _("認証手段を削除しました。"))
    else:
        messages.error(
            request,
            _(
                "この認証手段は削除できません。最後のパスキー・認証アプリを削除するには、"
                "先に別の認証手段を登録してください。"
            ),
        )
    if not request.user.is_verified():
        return redirect(_with_next("kiyose_staff:verify", reverse("kiyose_staff:setup")))
    return redirect(_with_next("kiyose_staff:setup", safe_next(request)))


def superuser_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


@superuser_only
def staff_factors(request):
    users = list(get_user_model().objects.filter(is_staff=True).order_by("-is_active", "username"))
    counts = {}
    for key, model in (("passkeys", WebAuthnCredential), ("totp", TOTPDevice), ("recovery", StaticDevice)):
        rows = model.objects.filter(confirmed=True).values("user_id").annotate(n=Count("id"))
        counts[key] = {row["user_id"]: row["n"] for row in rows}
    rows = [{"user": u, **{key: counts[key].get(u.pk, 0) for key in counts}} for u in users]
    access_record(request=request, model=get_user_model(), ids=[u.pk for u in users], action=AccessAction.LIST)
    return _render(request, "staff/staff_factors.html", {"title": _("職員の2段階認証"), "rows": rows})


@superuser_only
def reset(request, user_id: int):
    target = get_object_or_404(get_user_model(), pk=user_id)
    if target.pk == request.user.pk:
        messages.error(
            request, _("自分の認証手段はここではリセットできません。「2段階認証の設定」から変更してください。")
        )
        return redirect("kiyose_staff:staff_factors")
    if request.method == "POST":
        mailed = services.factors_reset(user=target, by=request.user, ip=client_ip(request))
        messages.success(
            request,
            _("%(name)s さんの認証手段をリセットしました。次回のログイン時に登録し直します。")
            % {"name": target.get_username()},
        )
        if not mailed:
            messages.warning(request, _("メールアドレスが登録されていないため、本人へのお知らせは送信していません。"))
        return redirect("kiyose_staff:staff_factors")
    return _render(
        request,
        "staff/reset_confirm.html",
        {
            "title": _("認証手段のリセット"),
            "target": target,
            "factors": services.factors_of(target),
        },
    )
