"""The SDGs KPI pages in real Chromium: axe clean at phone and desktop width, nothing scrolls sideways on a
phone (the KPI tables become cards), the chart has its text alternative, works without JS."""

import pytest
from django.core.cache import cache, caches

from kiyose.pages import FORM, READ, registry
from kiyose.seed import load as offices_load
from sdgs import seed, sources
from sdgs.models import Actual, Kpi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = {"width": 375, "height": 740}, {"width": 1280, "height": 900}
# Elements that scroll sideways inside the page (a box wider than itself with overflow it can scroll).
SIDEWAYS = """() => [...document.querySelectorAll('body *')].filter(el => {
    const style = getComputedStyle(el);
    return el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX);
}).map(el => el.tagName + '.' + el.className)"""
# KPIs with the longest names, codes and sources, beside the registry's sample page.
LONG_KPIS = ["EN-01", "EN-02", "SO-01", "SO-06"]


@pytest.fixture
def kpi_data(monkeypatch):
    monkeypatch.setattr(sources, "_REGISTRY", {})
    # A flush between transactional tests sends no signals: start from an empty page cache.
    cache.clear()
    caches["fragments"].clear()
    # A flushed database has lost the migrations' rows too: the offices' contact blocks.
    offices_load()
    seed.load()
    kpi = Kpi.objects.get(code="EC-02")
    Actual.objects.create(kpi=kpi, fiscal_year=2023, value=6, source="清瀬商工会")
    Actual.objects.create(kpi=kpi, fiscal_year=2024, value=13, source="清瀬商工会")
    Actual.objects.create(kpi=Kpi.objects.get(code="EN-02"), fiscal_year=2023, value="317.40", source="都市計画課")
    Actual.objects.create(kpi=Kpi.objects.get(code="EN-01"), fiscal_year=2023, value="-22.0", source="事務事業編")


def test_dashboard_has_no_axe_violations(page, assert_accessible, kpi_data):
    page.goto(page.base_url + "/sdgs/")
    assert page.locator("h1").inner_text() == "SDGs未来都市 KPIの進捗"
    assert page.locator("table.kpi-table").count() == 3
    assert_accessible(page)


def test_dashboard_grouped_by_goal_has_no_axe_violations(page, assert_accessible, kpi_data):
    page.goto(page.base_url + "/sdgs/")
    page.select_option("#id_group", "goal")
    page.select_option("#id_pillar", "economy")
    page.get_by_role("button", name="表示する").click()
    page.wait_for_url("**/sdgs/?*")
    assert "8. 働きがいも経済成長も" in page.content()
    assert "市民人材バンク登録者数" not in page.content()
    assert_accessible(page)


def test_kpi_page_has_no_axe_violations_and_the_chart_is_described(page, assert_accessible, kpi_data):
    page.goto(page.base_url + "/sdgs/kpis/EC-02/")
    chart = page.locator("svg.kpi-chart")
    assert chart.get_attribute("role") == "img"
    labelled_by = chart.get_attribute("aria-labelledby").split()
    title = page.locator(f"#{labelled_by[0]}").text_content()
    desc = page.locator(f"#{labelled_by[1]}").text_content()
    assert "特定創業支援事業により認定を受けた創業者数" in title
    assert "13件" in desc and "2025年度の目標に対する状況" in desc
    # The accessible name Chromium computes for the chart is its title.
    snapshot = page.locator("figure.kpi-figure").aria_snapshot()
    assert "特定創業支援事業により認定を受けた創業者数 の実績と目標への計画線" in snapshot
    assert "13件" in page.locator("figcaption").inner_text()
    assert page.locator("table.kpi-numbers caption").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("code", ["EN-01", "EN-02", "SO-01"])
def test_other_kinds_of_kpi_pages_are_accessible(page, assert_accessible, kpi_data, code):
    page.goto(page.base_url + f"/sdgs/kpis/{code}/")
    assert_accessible(page)


def test_method_and_plan_pages_are_accessible(page, assert_accessible, kpi_data):
    for path in ("/sdgs/method/", "/sdgs/plan/"):
        page.goto(page.base_url + path)
        assert_accessible(page)


def test_pages_work_without_javascript(browser, live_server, kpi_data):
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    pg = context.new_page()
    pg.goto(live_server.url + "/sdgs/?pillar=environment")
    assert "緑地面積(緑地減少速度)" in pg.content()
    assert "デジタル地域通貨" not in pg.content()
    pg.goto(live_server.url + "/sdgs/kpis/EN-02/")
    assert pg.locator("svg.kpi-chart polyline.plan").count() == 1
    context.close()


def sdgs_pages() -> list[str]:
    urls = [p.sample_url() for p in registry(kinds=(READ, FORM)) if p.name.startswith("sdgs:")]
    return [u for u in urls if u] + [f"/sdgs/kpis/{code}/" for code in LONG_KPIS] + ["/sdgs/?group=goal"]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_every_sdgs_page_fits_its_width_and_has_no_axe_violations(page, assert_accessible, kpi_data, size):
    Actual.objects.create(
        kpi=Kpi.objects.get(code="EN-02"),
        fiscal_year=2024,
        value="317.35",
        source="都市計画課調べ（緑の基本計画改定に伴う緑地現況調査、令和6年度末時点の集計値）",
        note="https://www.city.kiyose.lg.jp/siseijouhou/keikaku/midorinokihonkeikaku/index.html",
    )
    page.set_viewport_size(size)
    urls = sdgs_pages()
    assert "/sdgs/contact/" in urls and "/sdgs/plan/" in urls
    for url in urls:
        page.goto(page.base_url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], url
        assert page.evaluate(SIDEWAYS) == [], url
        assert_accessible(page)


def test_on_a_phone_the_kpi_tables_are_stacked_cards_and_on_a_desktop_tables(page, kpi_data):
    row = "table.kpi-table tbody tr"
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/sdgs/")
    assert page.locator(row).first.evaluate("el => getComputedStyle(el).display") == "block"
    # Each value carries its column's name on the card.
    label = page.locator("table.kpi-table td[data-label]").first.evaluate(
        "el => getComputedStyle(el, '::before').content"
    )
    assert label == '"基準値"'
    card, page_width = page.locator(row).first.bounding_box(), page.evaluate("document.documentElement.clientWidth")
    assert card["x"] >= 0 and card["x"] + card["width"] <= page_width
    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + "/sdgs/")
    assert page.locator(row).first.evaluate("el => getComputedStyle(el).display") == "table-row"
    assert page.locator("table.kpi-table thead th").first.is_visible()
