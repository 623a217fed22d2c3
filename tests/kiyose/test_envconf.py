"""The strict readers kiyose/settings.py uses (kiyose.envconf): a typo never silently changes a setting."""

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from kiyose.envconf import env_bool, env_int, is_ip, is_local_address, passkey_origin


@pytest.fixture
def env(monkeypatch):
    def setenv(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return environ.Env()

    monkeypatch.delenv("KIYOSE_TEST_SWITCH", raising=False)
    return setenv


@pytest.mark.parametrize("raw,read", [("true", True), (" Yes ", True), ("1", True), ("off", False), ("", False)])
def test_switches_read_only_known_words(env, raw, read):
    assert env_bool(env(KIYOSE_TEST_SWITCH=raw), "KIYOSE_TEST_SWITCH", not read) is read


def test_a_misspelt_switch_stops_start_up_naming_it(env):
    with pytest.raises(ImproperlyConfigured, match="KIYOSE_TEST_SWITCH: 'ture' is not a boolean"):
        env_bool(env(KIYOSE_TEST_SWITCH="ture"), "KIYOSE_TEST_SWITCH", False)


def test_unset_variables_take_the_default(env):
    assert env_bool(env(), "KIYOSE_TEST_SWITCH", True) is True
    assert env_int(env(), "KIYOSE_TEST_SWITCH", 7) == 7


def test_numbers_must_be_whole_numbers(env):
    assert env_int(env(KIYOSE_TEST_SWITCH=" 300 "), "KIYOSE_TEST_SWITCH", 0) == 300
    with pytest.raises(ImproperlyConfigured, match="KIYOSE_TEST_SWITCH: '5m' is not an integer"):
        env_int(env(KIYOSE_TEST_SWITCH="5m"), "KIYOSE_TEST_SWITCH", 0)


@pytest.mark.parametrize(
    "host,ip,local",
    [
        ("127.0.0.1", True, True),
        ("::1", True, True),
        ("0.0.0.0", True, True),  # noqa: S104 - a value checked, not an address bound
        ("192.0.2.10", True, False),
        ("portal.city.kiyose.lg.jp", False, False),
        ("localhost", False, False),  # a name: settings refuse it by name
    ],
)
def test_addresses_are_told_apart(host, ip, local):
    assert (is_ip(host), is_local_address(host)) == (ip, local)


@pytest.mark.parametrize(
    "base,origin",
    [
        ("https://portal.city.kiyose.lg.jp", "https://portal.city.kiyose.lg.jp"),
        ("https://portal.city.kiyose.lg.jp:8443/path", "https://portal.city.kiyose.lg.jp:8443"),
        ("http://127.0.0.1:8000", "http://localhost:8000"),
        ("http://[::1]:8000", "http://localhost:8000"),
    ],
)
def test_passkeys_are_bound_to_a_host_name_never_an_ip(base, origin):
    assert passkey_origin(base) == origin
