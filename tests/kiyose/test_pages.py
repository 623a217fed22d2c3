"""The public pages are declared once (kiyose.pages) and everything that lists them reads that registry: a URL
anonymous visitors can reach that is not declared, a route that swallows another's paths, a sitemap that
misses a page or lists a private one, a declared page that does not answer, or a cache that keys on other
parameters than the declared ones each fail here."""

import functools
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from django.urls.converters import get_converters
from hypothesis import Phase, find, settings
from hypothesis import strategies as st

from kiyose.pages import HTML_KINDS, INDEXED_KINDS, all_patterns, registry, undeclared_patterns
from tests.kiyose.registry_support import PENDING_APPS, app_of, public_pages

pytestmark = pytest.mark.django_db

PRIVATE_PREFIXES = ("admin/",)
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def sample_path(route: str) -> str:
    """A URL for a route with each path parameter filled by the simplest value its converter matches (so a
    converter that matches more than it means shows up as a route swallowing another's paths)."""
    converters = get_converters()
    return "/" + _PARAM.sub(lambda match: _simple_value(converters[match["converter"] or "str"].regex), route)


@functools.cache
def _simple_value(regex: str) -> str:
    # The first value generated, not shrunk (shrinking a 16-character token takes seconds); derandomized, so
    # always the same.
    once = settings(derandomize=True, database=None, phases=[Phase.generate], max_examples=10)
    return find(st.from_regex(regex, fullmatch=True), lambda value: True, settings=once)


def public_routes():
    return [
        (route, ns, pattern)
        for route, ns, pattern in all_patterns()
        if not route.startswith(PRIVATE_PREFIXES) and app_of(f"{ns}:x" if ns else "") not in PENDING_APPS
    ]


def test_every_url_anonymous_visitors_can_reach_is_a_declared_page():
    missing = [
        route
        for route in undeclared_patterns(private_prefixes=PRIVATE_PREFIXES)
        if app_of(route.replace("/", ":", 1)) not in PENDING_APPS
    ]
    assert missing == [], "declare these with kiyose.pages.page() (title and kind) in their app's urls.py"


def test_a_route_that_is_not_declared_is_reported():
    # The check above is only as good as undeclared_patterns(): a plain path() outside the staff area is caught.
    routes = undeclared_patterns(private_prefixes=())
    assert any(route.startswith("admin/") for route in routes)


@pytest.mark.parametrize(("route", "namespace", "pattern"), public_routes(), ids=[r for r, _n, _p in public_routes()])
def test_no_route_swallows_another_routes_paths(route, namespace, pattern):
    assert "<path:" not in route, f"{route}: a path converter catches everything after it"
    match = resolve(sample_path(route))
    assert match.route == route, f"{sample_path(route)} reaches {match.route}, declared before {route}"


def test_every_public_page_has_a_japanese_title_and_a_kind():
    for entry in public_pages():
        assert str(entry.title).strip(), entry.name
        assert entry.name and entry.full_route is not None


def _sitemap_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own sitemap, not untrusted input)
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [urlsplit(loc.text).path for loc in root.findall("sm:url/sm:loc", namespace)]


def test_the_sitemap_lists_exactly_the_indexed_pages_with_every_instance(client, seeded):
    expected = [url for entry in registry(kinds=INDEXED_KINDS) for url in entry.urls()]
    listed = _sitemap_paths(client)
    assert sorted(listed) == sorted(expected)
    assert len(set(listed)) == len(listed), "a page listed twice"
    private = {url for entry in registry() if entry.kind not in INDEXED_KINDS for url in entry.urls()}
    assert not private & set(listed)


def test_every_indexed_page_of_every_app_is_in_the_sitemap(client, seeded):
    listed = set(_sitemap_paths(client))
    for entry in public_pages(kinds=INDEXED_KINDS):
        assert set(entry.urls()) <= listed, entry.name
        assert entry.urls(), f"{entry.name}: no instance to list (its items() gave none after seeding)"


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode().splitlines()
    assert "Disallow: /admin/" in response.content.decode()


HTML_PAGES = [entry.name for entry in public_pages(kinds=HTML_KINDS)]


def _entry(name):
    return next(e for e in public_pages() if e.name == name)


@pytest.mark.parametrize("name", HTML_PAGES)
def test_every_read_and_form_page_answers_anonymous_visitors(client, name, seeded):
    url = _entry(name).sample_url()
    assert url is not None, f"{name}: no sample instance (give PUBLIC_SAMPLES in tests/<app>/factories.py)"
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="ja"' in response.content.decode()


@pytest.mark.parametrize("name", [e.name for e in public_pages(kinds=INDEXED_KINDS) if e.kind not in HTML_KINDS])
def test_every_download_and_feed_the_sitemap_lists_answers_at_its_own_address(client, name, seeded):
    for url in _entry(name).urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response["Content-Type"].startswith("text/html"), url


def test_the_registry_reaches_every_checked_app():
    apps_with_pages = {app_of(e.name) for e in public_pages(kinds=HTML_KINDS)}
    from tests.kiyose.registry_support import checked_apps

    assert set(checked_apps()) <= apps_with_pages


CACHED = [entry.name for entry in public_pages() if entry.cached]


@pytest.mark.parametrize("name", [e.name for e in public_pages()])
def test_a_page_is_cached_exactly_when_its_declaration_says(name):
    entry = _entry(name)
    url = entry.sample_url() or sample_path(entry.full_route)
    assert hasattr(resolve(url).func, "page_cache") == entry.cached


@pytest.mark.parametrize("name", CACHED)
def test_the_page_cache_keys_on_the_declared_parameters_only(client, monkeypatch, name, seeded):
    """The cache entry differs for each declared parameter and not for any other (?utm_source= shares it)."""
    from django.core.cache import caches

    entry = _entry(name)
    url = entry.sample_url()
    bodies = caches["fragments"]
    seen = []
    original = bodies.get

    def spy(key, *args, **kwargs):
        if ":page:" in key:
            seen.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(bodies, "get", spy)
    client.get(url)
    client.get(url, {"utm_source": "mail", "zz": "1"})
    assert len(seen) == 2 and seen[0] == seen[1]
    for param in entry.params:
        client.get(url, {param: "2027"})
        assert seen[-1] != seen[0], f"{name}: ?{param}= does not change the cache entry"
