"""Reading the environment for kiyose/settings.py, strictly: a typo in a switch or a number stops the start with
the variable's name instead of silently changing behaviour, and addresses are checked for what they must be.
Runs while the settings are read, so it imports nothing that needs them."""

import ipaddress
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_bool(env: environ.Env, name: str, default: bool) -> bool:
    # django-environ reads any unknown word as False; a typo in DEBUG must not silently change behaviour.
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: '{raw}' is not a boolean (use true/false).")


def env_int(env: environ.Env, name: str, default: int) -> int:
    raw = env.str(name, default=str(default)).strip()
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: '{raw}' is not an integer.") from None


def _address(host: str):
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_ip(host: str) -> bool:
    return _address(host) is not None


def is_local_address(host: str) -> bool:
    """A loopback or unspecified IP address (127.0.0.1, ::1, 0.0.0.0): this machine, not a public address."""
    address = _address(host)
    return address is not None and (address.is_loopback or address.is_unspecified)


def passkey_origin(base_url: str) -> str:
    """The origin passkeys are bound to for a portal at `base_url`. Browsers refuse an IP address as a passkey's
    site: a local http://127.0.0.1 portal registers passkeys as http://localhost."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if host in {"127.0.0.1", "::1"}:
        host = "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"
