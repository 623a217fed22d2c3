"""Helpers for the staff-security tests (tests/kiyose/test_staff_*.py)."""

import re
import time
from binascii import unhexlify

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery-42"


def password_login(client, username: str, **extra):
    """The password step of the real login form, nothing more."""
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": PASSWORD}, **extra)
    assert response.status_code == 302, "the password step failed"
    return response


def totp_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)


def totp_code(key_hex: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(unhexlify(key_hex.encode()), drift=steps_ahead)
    totp.time = time.time()
    return f"{totp.token():06d}"


def recovery_device(user, codes=("abcdefgh", "ijklmnop")) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="リカバリーコード", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def _sample(pattern) -> str:
    if isinstance(pattern.pattern, RegexPattern):
        text = pattern.pattern._regex
        text = re.sub(r"\(\?P<app_label>([^|)]+)[^)]*\)", r"\1", text)
        text = re.sub(r"\(\?P<url>\.\*\)", "no-such-page/", text)
        text = re.sub(r"\((\?P<\w+>)?[^)]*\)", "1", text)
        return text.lstrip("^").rstrip("$").replace("\\", "")
    return re.sub(r"<[^>]+>", "1", str(pattern.pattern))


def urls_under(prefix: str) -> list[str]:
    """A concrete path for every URL pattern whose path starts with `prefix` (ids filled with 1)."""
    found = []

    def walk(patterns, base):
        for entry in patterns:
            here = base + _sample(entry)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, here)
            elif isinstance(entry, URLPattern):
                found.append(here)

    walk(get_resolver().url_patterns, "/")
    return sorted({path for path in found if path.startswith(prefix)})
