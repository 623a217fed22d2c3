import datetime as dt
import re

import pytest

from inspections.models import Request
from inspections.seed import load as seed_load
from tests.inspections.factories import completed_in_past, open_days
from tests.inspections.test_request_form import blocked_provisional_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    # Public pages are cached on a data version; a flushed database must not meet another test's pages.
    cache.clear()
    yield
    cache.clear()


def test_inspections_page_is_accessible(page, assert_accessible):
    seed_load()
    page.goto(page.base_url + "/inspections/")
    assert page.locator("h1").inner_text() == "行政視察の受け入れ"
    assert page.get_by_text("市内には宿泊施設はございません。").is_visible()
    assert page.locator("table.insp-calendar").count() == 3
    assert_accessible(page)


def test_a_secretariat_files_a_request_from_input_to_reference_number(page, assert_accessible):
    from inspections.services.availability import earliest_request_date

    seed_load()
    blocked = blocked_provisional_day()
    good = open_days(earliest_request_date(), 1, public=True)[0]
    page.goto(page.base_url + "/inspections/")
    page.get_by_role("link", name="行政視察を申し込む").click()
    assert_accessible(page)
    page.get_by_label("自治体名・議会名").fill("武蔵野市議会")
    page.get_by_label("委員会名／会派名").fill("総務委員会")
    page.get_by_label("担当者氏名").fill("山田 花子")
    page.get_by_label("担当者の所属").fill("議会事務局議事課")
    page.get_by_label("電話番号").fill("０４２２－６０－１２３４")
    page.get_by_label("メールアドレス").fill("giji@example.jp")
    page.get_by_label("所在地").fill("東京都武蔵野市緑町2-2-28")
    page.locator("#id_preferred_date_1").fill(blocked.isoformat())
    page.locator("#id_preferred_period_1").select_option("pm")
    page.get_by_label("議員の人数").fill("7")
    page.get_by_label("随行職員の人数").fill("2")
    page.get_by_label("市役所屋上での養蜂事業").check()
    page.get_by_label("視察の目的").fill("先進事例の調査のため")
    page.get_by_label("公共交通機関").check()
    page.get_by_role("button", name="入力内容を確認する").click()

    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert re.search(r"この日はお受けできません（定例会(期間中|開会前の1週間)のため", summary.inner_text())
    assert page.get_by_label("自治体名・議会名").input_value() == "武蔵野市議会"
    assert_accessible(page)

    page.locator("#id_preferred_date_1").fill(good.isoformat())
    page.get_by_role("button", name="入力内容を確認する").click()
    assert page.locator("h1").inner_text() == "行政視察の申込み（確認）"
    assert page.get_by_text("0422-60-1234").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="この内容で送信する").click()
    reference = page.locator("#reference-number").inner_text()
    assert reference == Request.objects.get().reference
    assert page.get_by_text("042-497-2566").first.is_visible()
    assert_accessible(page)


def test_records_page_is_accessible(page, assert_accessible):
    completed_in_past(dt.date(2024, 5, 14), council="府中市議会", committee="環境委員会")
    page.goto(page.base_url + "/inspections/records/")
    assert page.get_by_role("cell", name="府中市議会").is_visible()
    assert_accessible(page)


def test_inspections_page_reflows_on_a_phone(page, assert_accessible):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/inspections/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
