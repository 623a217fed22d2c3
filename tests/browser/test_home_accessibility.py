import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_has_no_axe_violations(page, assert_accessible):
    page.goto(page.base_url + "/")
    assert page.title().endswith("清瀬市 議会・市役所ポータル")
    assert_accessible(page)


def test_home_page_reflows_on_a_phone_without_horizontal_scroll(page, assert_accessible):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360
    assert_accessible(page)


def test_skip_link_moves_focus_to_main_content(page):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "本文へ移動"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
