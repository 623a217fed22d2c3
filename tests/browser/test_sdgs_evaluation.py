"""未来創造課 completes the FY2025 evaluation in the admin, in real Chromium: start the year, see the figures
from the entered actuals, write each KPI's 要因分析 and 今後の方針, preview the draft at its public address,
send it to 課内確認 and publish it; anonymous visitors get 404 until then and the page afterwards."""

import pytest
from django.core.cache import cache, caches
from playwright.sync_api import expect

from kiyose.seed import load as offices_load
from sdgs import seed, sources
from sdgs.models import Actual, Kpi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(monkeypatch):
    monkeypatch.setattr(sources, "_REGISTRY", {})
    cache.clear()
    caches["fragments"].clear()
    offices_load()
    seed.load()
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2025, value=16, source="清瀬商工会")
    yield
    cache.clear()


def staff_page(page, client, make_staff):
    client.force_login(make_staff("未来創造課"))
    context = page.context.browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])
    staff = context.new_page()
    staff.set_default_timeout(15000)
    return staff


def test_staff_take_the_fy2025_evaluation_from_draft_to_published(page, client, make_staff, data, assert_accessible):
    base = page.base_url
    admin = staff_page(page, client, make_staff)

    admin.goto(base + "/admin/sdgs/evaluation/add/")
    admin.fill("#id_fiscal_year", "２０２５")
    admin.get_by_role("button", name="保存して編集を続ける").click()
    admin.wait_for_url("**/admin/sdgs/evaluation/*/change/")
    expect(admin.locator(".inline-group")).to_contain_text("80.0%")
    expect(admin.locator(".inline-group")).to_contain_text("概ね達成")

    # Publishing straight from the draft is refused with the reason; so is 課内確認 before the text is written.
    change_url = admin.url
    admin.goto(change_url.replace("/change/", "/transition/published/"))
    expect(admin.locator(".messagelist")).to_contain_text("「下書き」から「公表」へは変更できません。")
    admin.get_by_role("link", name="課内確認に回す").click()
    admin.get_by_role("button", name="状態を変更する").click()
    expect(admin.locator(".errorlist")).to_contain_text("要因分析と今後の方針を入力してから課内確認に回してください")

    admin.goto(change_url)
    for box in admin.locator("textarea[name$='-analysis']").all():
        box.fill("創業支援の周知が進んだ。")
    for box in admin.locator("textarea[name$='-plan']").all():
        box.fill("次期計画の指標として継続する。")
    admin.get_by_role("button", name="保存して編集を続ける").click()
    expect(admin.locator(".messagelist")).to_contain_text("変更しました")

    # Before publication: the staff preview the page, anonymous visitors get 404.
    admin.goto(base + "/sdgs/evaluation/2025/")
    assert "公表前の確認表示です（状態：下書き）" in admin.content()
    assert page.goto(base + "/sdgs/evaluation/2025/").status == 404

    admin.goto(change_url)
    admin.get_by_role("link", name="課内確認に回す").click()
    admin.get_by_role("button", name="状態を変更する").click()
    expect(admin.locator(".messagelist")).to_contain_text("状態を「課内確認」に変更しました。")
    admin.get_by_role("link", name="公表する").click()
    admin.get_by_role("button", name="状態を変更する").click()
    expect(admin.locator(".messagelist")).to_contain_text("状態を「公表」に変更しました。")
    records = admin.locator("fieldset", has_text="状態の変更記録").inner_text()
    assert "課内確認" in records and "公表" in records and "staff-未来創造課" in records
    assert admin.locator("textarea[name$='-analysis']").count() == 0  # published: read-only
    admin.context.close()

    response = page.goto(base + "/sdgs/evaluation/2025/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "令和7年度（2025年度） SDGs未来都市計画 評価"
    assert "創業支援の周知が進んだ。" in page.content() and "公表前の確認表示" not in page.content()
    assert_accessible(page)
    page.goto(base + "/sdgs/")
    page.get_by_role("link", name="年度ごとの評価（目標に対する達成状況・要因分析・今後の方針）").click()
    page.get_by_role("link", name="令和7年度（2025年度）の評価").click()
    assert page.url.endswith("/sdgs/evaluation/2025/")
