"""The SDGs KPI pages in real Chromium: axe clean, the chart has its text alternative, works without JS."""

import pytest
from django.core.cache import cache

from sdgs import seed, sources
from sdgs.models import Actual, Kpi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kpi_data(monkeypatch):
    monkeypatch.setattr(sources, "_REGISTRY", {})
    # A flush between transactional tests sends no signals: start from an empty page cache.
    cache.clear()
    seed.load()
    kpi = Kpi.objects.get(code="EC-02")
    Actual.objects.create(kpi=kpi, fiscal_year=2023, value=6, source="清瀬商工会")
    Actual.objects.create(kpi=kpi, fiscal_year=2024, value=13, source="清瀬商工会")
    Actual.objects.create(
        kpi=Kpi.objects.get(code="EN-02"), fiscal_year=2023, value="317.40", source="都市計画課"
    )
    Actual.objects.create(
        kpi=Kpi.objects.get(code="EN-01"), fiscal_year=2023, value="-22.0", source="事務事業編"
    )


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


def test_dashboard_reflows_on_a_phone(page, assert_accessible, kpi_data):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/sdgs/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
