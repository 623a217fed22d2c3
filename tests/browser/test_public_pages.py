"""Every declared public page (kiyose.pages, READ and FORM kinds) at its sample address, in Chromium at a
phone's width (375 px) and a desktop's (1280 px): nothing scrolls sideways, neither the document nor a box
inside it, and axe finds no WCAG 2.1 A/AA violation; and the HTML served is valid for the W3C Nu checker.
The list of pages is the registry's, so a new page is checked without being named here."""

import pytest

from kiyose.pages import FORM, HTML_KINDS
from tests.browser.conftest import format_violations, nu_errors
from tests.kiyose.registry_support import public_pages, seed_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = {"width": 375, "height": 740}, {"width": 1280, "height": 900}
# Elements that scroll sideways inside the page (a box wider than itself with overflow it can scroll).
SIDEWAYS = """() => [...document.querySelectorAll('body *')].filter(el => {
    const style = getComputedStyle(el);
    return el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX);
}).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''))"""

PAGES = public_pages(kinds=HTML_KINDS)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache, caches

    # Public pages are cached on a data version; a flushed database must not meet another test's pages.
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()


@pytest.mark.parametrize("entry", PAGES, ids=[p.name for p in PAGES])
def test_every_public_page_fits_a_phone_and_a_desktop_and_passes_axe(page, entry):
    from tests.browser.conftest import axe_violations

    seed_everything()
    url = entry.sample_url()
    assert url is not None, f"{entry.name}: no sample instance"
    problems = []
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        response = page.goto(page.base_url + url)
        assert response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > size["width"]:
            problems.append(f"{size['width']} px: the document is {width} px wide")
        sideways = page.evaluate(SIDEWAYS)
        if sideways:
            problems.append(f"{size['width']} px: these scroll sideways: {sideways}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{size['width']} px: axe:\n" + format_violations(violations))
    assert problems == [], f"{url}\n" + "\n".join(problems)


# Checked in the same run as the pages (one JVM start): the checker must report this page's empty action, so a
# checker that silently checks nothing fails the test.
CANARY = '<!DOCTYPE html><html lang="ja"><head><title>t</title></head><body><form action=""></form></body></html>'


def test_the_nu_checker_finds_no_error_on_any_public_page(client):
    """One run of the checker over the HTML every page serves (one JVM for the whole set keeps this fast)."""
    seed_everything()
    served = {"canary": CANARY}
    for entry in PAGES:
        response = client.get(entry.sample_url())
        assert response.status_code == 200
        served[f"{entry.name} ({entry.sample_url()})"] = response.content.decode()
        if entry.kind == FORM:
            # The same form sent empty: the page with its error messages is public markup too.
            answered = client.post(entry.sample_url(), {})
            served[f"{entry.name} sent empty"] = answered.content.decode()
    for status, (method, url) in {
        404: ("get", "/no-such-page/"),
        405: ("post", "/privacy/"),
        400: ("get", "/?q=%00"),
    }.items():
        response = getattr(client, method)(url)
        assert response.status_code == status
        served[f"the {status} page"] = response.content.decode()
    errors = nu_errors(served)
    canary = [e for e in errors if e.startswith("canary:")]
    assert len(canary) == 1 and "action" in canary[0], "the checker did not report the canary's error"
    assert [e for e in errors if not e.startswith("canary:")] == []
