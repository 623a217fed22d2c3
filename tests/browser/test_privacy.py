"""/privacy/ in real Chromium: no axe-core WCAG 2.1 A/AA violations, and it reflows on a phone."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def offices():
    # A transactional test starts from an empty database: the contact blocks the page prints, as seeded.
    from kiyose import seed

    seed.load()


def test_the_privacy_page_has_no_axe_violations(page, assert_accessible):
    page.goto(page.base_url + "/privacy/")
    assert page.title().startswith("個人情報の取扱い")
    assert page.locator("table caption").count() >= 2
    assert page.locator("section[aria-labelledby='contacts'] address").count() >= 1
    assert_accessible(page)


def test_the_privacy_page_reflows_on_a_phone(page, assert_accessible):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/privacy/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
