"""Three rules over every staff URL (settings.STAFF_URL_PREFIXES), so no view has to opt in:

- AdminNetworkMiddleware: only from ADMIN_ALLOWED_NETWORKS (403 otherwise, the login page included);
- StaffSessionMiddleware: idle and absolute timeouts, and sessions ended by a factor change elsewhere;
- StaffVerificationMiddleware: no staff URL answers a session whose second factor is not verified.
"""

import ipaddress
import logging
import time
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from kiyose.clientip import client_ip, in_networks, parse_networks
from kiyose.staff import services

log = logging.getLogger("kiyose.staff")

# The session's last-seen time is written at most this often: a write per staff request would be wasteful.
SEEN_RESOLUTION_SECONDS = 60


def is_staff_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.STAFF_URL_PREFIXES)


@lru_cache(maxsize=4)
def _allowed(key: tuple[str, ...]):
    return parse_networks(key, setting="ADMIN_ALLOWED_NETWORKS")


def address_allowed(address: str) -> bool:
    networks = _allowed(tuple(settings.ADMIN_ALLOWED_NETWORKS))
    if not networks:
        return True
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return in_networks(getattr(parsed, "ipv4_mapped", None) or parsed, networks)


class AdminNetworkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_staff_path(request.path_info) and not address_allowed(client_ip(request)):
            log.warning(
                "staff URL refused outside ADMIN_ALLOWED_NETWORKS: ip=%s path=%s", client_ip(request), request.path_info
            )
            return HttpResponseForbidden(render_to_string("staff/403_network.html", request=request))
        return self.get_response(request)


class StaffSessionMiddleware:
    """Applies to authenticated sessions only: a visitor's anonymous form session keeps SESSION_COOKIE_AGE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request):
        session = request.session
        now = int(time.time())
        auth_at = session.get(services.SESSION_AUTH_AT)
        seen_at = session.get(services.SESSION_SEEN_AT)
        if not isinstance(auth_at, int) or not isinstance(seen_at, int):
            # A session opened before this policy existed (or tampered with): start again.
            services.session_end(request, reason="no policy clock")
            messages.warning(request, _("セキュリティ設定の更新のため、もう一度ログインしてください。"))
        elif now - auth_at > settings.STAFF_SESSION_MAX_HOURS * 3600:
            services.session_end(request, reason="absolute timeout")
            messages.warning(
                request,
                _("ログインから%(hours)d時間が経過したため、ログアウトしました。もう一度ログインしてください。")
                % {"hours": settings.STAFF_SESSION_MAX_HOURS},
            )
        elif now - seen_at > settings.STAFF_SESSION_IDLE_MINUTES * 60:
            services.session_end(request, reason="idle timeout")
            minutes = settings.STAFF_SESSION_IDLE_MINUTES
            messages.warning(
                request,
                _("%(minutes)d分間操作がなかったため、ログアウトしました。もう一度ログインしてください。")
                % {"minutes": minutes},
            )
        elif session.get(services.SESSION_STAMP, "") != services.stamp_current(request.user.pk):
            services.session_end(request, reason="factors changed")
            messages.warning(request, _("認証手段が変更されたため、ログアウトしました。もう一度ログインしてください。"))
        elif now - seen_at >= SEEN_RESOLUTION_SECONDS:
            session[services.SESSION_SEEN_AT] = now


class StaffVerificationMiddleware:
    """With STAFF_MFA_REQUIRED, a password-only session is sent to verification (or to enrolment when the staff
    member has no factor yet) from every staff URL but the login, the logout and the factor screens themselves.
    Downloads and JSON get the same redirect: nothing is served before the factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_factor(request):
            return self._to_factor(request)
        return self.get_response(request)

    def _needs_factor(self, request) -> bool:
        if not settings.STAFF_MFA_REQUIRED or not is_staff_path(request.path_info):
            return False
        if not request.user.is_authenticated or request.user.is_verified():
            return False
        return not any(request.path_info.startswith(p) for p in _open_paths())

    def _to_factor(self, request):
        from django_otp import user_has_device

        target = "kiyose_staff:verify" if user_has_device(request.user) else "kiyose_staff:setup"
        return redirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))


@lru_cache(maxsize=1)
def _open_paths() -> tuple[str, ...]:
    # The login, the logout, and the second-factor screens and passkey endpoints under one prefix: each of those
    # views checks the session itself (enrolment only without a factor, additions only once verified).
    return (reverse("admin:login"), reverse("admin:logout"), reverse("kiyose_staff:setup"))
