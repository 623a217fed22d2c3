"""The visitor's address as seen through the reverse proxies we trust.

Behind nginx every request reaches gunicorn from the proxy's address; keying rate limits, the staff lock-out,
the admin network rule or a log line on REMOTE_ADDR would treat the whole city as one visitor. The client is
the right-most address of X-Forwarded-For that is not one of our proxies (each proxy appends the address it
saw, so everything left of the first untrusted hop can be forged by the client). From a peer that is not a
trusted proxy the header is ignored altogether: anyone can send it.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

ATTRIBUTE = "_kiyose_client_ip"


def parse_networks(values, *, setting: str) -> tuple[Network, ...]:
    """CIDR ranges or single addresses; a malformed entry stops start-up with the setting's name."""
    from django.core.exceptions import ImproperlyConfigured

    networks = []
    for raw in values:
        text = raw.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{setting}: '{text}' is not an IP address or CIDR range.") from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 peer reached over a dual-stack socket arrives as ::ffff:a.b.c.d; compare it as IPv4.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


@lru_cache(maxsize=1)
def _trusted(key: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(key, setting="TRUSTED_PROXIES")


def in_networks(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address.version == n.version and address in n for n in networks)


def resolve(peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client address for a connection from `peer` carrying `forwarded_for` (pure, for tests)."""
    peer_address = _address(peer)
    if peer_address is None:
        return peer
    if not in_networks(peer_address, trusted) or not forwarded_for:
        return str(peer_address)
    hops = [hop for hop in (part.strip() for part in forwarded_for.split(",")) if hop]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Garbage in the chain: stop at the last address we could trust rather than guess.
            break
        if not in_networks(address, trusted):
            return str(address)
        peer_address = address
    return str(peer_address)


def client_ip(request) -> str:
    """The client address of this request (computed once per request). Used by rate limits, django-axes,
    the admin network rule and the request log."""
    cached = getattr(request, ATTRIBUTE, None)
    if cached is not None:
        return cached
    trusted = _trusted(tuple(settings.TRUSTED_PROXIES))
    address = resolve(request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), trusted)
    setattr(request, ATTRIBUTE, address)
    return address
