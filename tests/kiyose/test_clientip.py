"""The client address behind trusted proxies: right-most untrusted hop, header ignored from strangers."""

import pytest
from django.test import RequestFactory

from kiyose.clientip import client_ip, parse_networks, resolve

PROXIES = parse_networks(["127.0.0.1", "10.0.0.0/8"], setting="TRUSTED_PROXIES")


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        # No proxy in front: the peer is the client.
        ("203.0.113.5", "", "203.0.113.5"),
        # A stranger's X-Forwarded-For is ignored (no spoofing from outside).
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),
        # Through our proxy: the address it appended.
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
        # The client forged a first hop; the right-most untrusted address wins.
        ("127.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two trusted proxies in a row are skipped.
        ("127.0.0.1", "198.51.100.7, 10.1.2.3", "198.51.100.7"),
        # Every hop trusted: the left-most of them.
        ("127.0.0.1", "10.0.0.9", "10.0.0.9"),
        # Garbage after the client: stop at the last trustworthy hop.
        ("127.0.0.1", "198.51.100.7, not-an-ip", "127.0.0.1"),
        ("::ffff:127.0.0.1", "2001:db8::1", "2001:db8::1"),
        ("127.0.0.1", "[2001:db8::2]:4711", "2001:db8::2"),
    ],
)
def test_client_is_the_rightmost_untrusted_hop(peer, header, expected):
    assert resolve(peer, header, PROXIES) == expected


def test_client_ip_reads_the_trusted_proxies_setting(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "127.0.0.1"


def test_malformed_trusted_proxy_is_refused_with_the_setting_name():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        parse_networks(["10.0.0.0/33"], setting="TRUSTED_PROXIES")
