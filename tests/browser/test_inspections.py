import datetime as dt
import re

import pytest
from django.core import mail

from inspections.models import DocumentUpload, Request, Status
from inspections.seed import load as programmes_load
from inspections.services.availability import earliest_request_date
from inspections.services.requests import request_transition
from tests.inspections import samples
from tests.inspections.factories import completed_in_past, open_days, submitted, walk, with_status_link
from tests.inspections.test_request_form import blocked_provisional_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = {"width": 375, "height": 740}, {"width": 1280, "height": 900}
# Elements that scroll sideways inside the page (a box wider than itself with overflow it can scroll).
SIDEWAYS = """() => [...document.querySelectorAll('body *')].filter(el => {
    const style = getComputedStyle(el);
    return el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX);
}).map(el => el.tagName + '.' + el.className)"""


def seed_load():
    # A flushed database has lost the migrations' rows too: the offices' contact blocks as well as the programmes.
    from kiyose.seed import load as offices_load

    offices_load()
    programmes_load()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache, caches

    # Public pages are cached on a data version; a flushed database must not meet another test's pages.
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()


def assert_fits(page, width: int):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(SIDEWAYS) == []


def test_inspections_page_is_accessible(page, assert_accessible):
    seed_load()
    page.goto(page.base_url + "/inspections/")
    assert page.locator("h1").inner_text() == "行政視察の受け入れ"
    assert page.get_by_text("市内には宿泊施設はございません。").is_visible()
    assert page.locator("table.insp-calendar").count() == 3
    assert page.locator("ol.insp-daylist").first.is_hidden()
    assert_fits(page, DESKTOP["width"])
    assert_accessible(page)


def test_public_calendar_cells_carry_colour_pattern_and_words(page):
    page.goto(page.base_url + "/inspections/")
    colours = page.evaluate("""() => {
        const pick = sel => { const el = document.querySelector(sel); if (!el) return null;
            const s = getComputedStyle(el); return [s.backgroundColor, s.backgroundImage, el.innerText]; };
        return {blocked: pick('.insp-calendar td.insp-blocked'),
                provisional: pick('.insp-calendar td.insp-provisional'), open: pick('.insp-calendar td.insp-open')};
    }""")
    white = "rgb(255, 255, 255)"
    for state, (background, pattern, words) in ((k, v) for k, v in colours.items() if v):
        assert background not in (white, "rgba(0, 0, 0, 0)"), state
        assert words.strip(), state
        if state != "open":
            assert "gradient" in pattern, state
    assert colours["blocked"] and colours["provisional"]


def test_on_a_phone_the_calendar_is_a_list_of_days_and_nothing_scrolls_sideways(page, assert_accessible):
    seed_load()
    completed_in_past(dt.date(2024, 5, 14), council="府中市議会" + "長い名前" * 20, committee="環境委員会")
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/inspections/")
    assert page.locator("table.insp-calendar").first.is_hidden()
    first_list = page.locator("ol.insp-daylist").first
    assert first_list.is_visible()
    first_day = first_list.locator("li").first.inner_text()
    assert re.match(r"\d+月1日（[月火水木金土日]）", first_day)
    assert re.search(r"受付可|受付不可|満員|過ぎた日", first_day)
    assert_fits(page, PHONE["width"])
    assert_accessible(page)
    for path in ("/inspections/records/?year=2024", "/inspections/request/", "/inspections/contact/"):
        page.goto(page.base_url + path)
        assert_fits(page, PHONE["width"])
        assert_accessible(page)


def test_a_secretariat_files_a_request_from_input_to_reference_number(page, assert_accessible):
    seed_load()
    blocked = blocked_provisional_day()
    good = open_days(earliest_request_date(), 1, public=True)[0]
    page.goto(page.base_url + "/inspections/")
    page.get_by_role("link", name="行政視察を申し込む").click()
    assert_accessible(page)
    assert page.locator("#id_preferred_period_1").input_value() == ""
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
    assert "この日はお受けできません。" in summary.inner_text() and "（定例会" not in summary.inner_text()
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


def test_a_visiting_council_uploads_its_documents_through_the_link_in_the_mail_and_staff_see_them(
    page, assert_accessible, client, make_staff, tmp_path
):
    seed_load()
    obj = submitted(council="武蔵野市議会")
    ack = next(m for m in mail.outbox if m.to == ["giji@example.jp"] and obj.reference in m.subject)
    link = re.search(r"https?://\S+/inspections/status/[A-Za-z0-9_-]+/", ack.body).group(0)
    path = link.split("/inspections/", 1)[1]
    # Staff accept (the acceptance mail asks for the four documents).
    day = open_days(earliest_request_date() + dt.timedelta(days=30), 1)[0]
    obj = walk(obj, Status.COORDINATING)
    request_transition(obj=obj, to=Status.ACCEPTED, data={"confirmed_date": day, "confirmed_start": dt.time(10)})

    page.goto(page.base_url + "/inspections/" + path)
    assert page.locator("h1").inner_text() == "行政視察のお申込み状況"
    assert page.get_by_text("現在の状況：受入決定").is_visible()
    assert page.get_by_role("link", name=re.compile("受入決定通知")).is_visible()
    assert_accessible(page)
    files = {
        "依頼文書": ("依頼文書.pdf", samples.PDF),
        "参加者名簿": ("参加者名簿.xlsx", samples.XLSX),
        "質問事項": ("質問事項.docx", samples.DOCX),
        "行程": ("行程.png", samples.PNG),
    }
    for label, (name, content) in files.items():
        (tmp_path / name).write_bytes(content)
        page.get_by_label(label, exact=True).check()
        page.locator("#id_file").set_input_files(str(tmp_path / name))
        page.get_by_role("button", name="この書類を提出する").click()
        assert page.get_by_text(f"「{label}」を受け付けました（第1版）。").is_visible()
    assert page.get_by_text("必要な書類はすべて届いています。").is_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_fits(page, PHONE["width"])
    assert DocumentUpload.objects.filter(request=obj).count() == 4

    # A staff member sees them on the request in the admin and opens one.
    client.force_login(make_staff("議会事務局"))
    staff = page.context.browser.new_context(locale="ja-JP")
    staff.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])
    admin = staff.new_page()
    admin.goto(f"{page.base_url}/admin/inspections/request/{obj.pk}/change/")
    for name, _content in files.values():
        assert admin.get_by_role("link", name=name).is_visible()
    with admin.expect_download() as download:
        admin.get_by_role("link", name="参加者名簿.xlsx").click()
    assert download.value.suggested_filename == "参加者名簿.xlsx"
    staff.close()


def test_records_page_is_accessible(page, assert_accessible):
    completed_in_past(dt.date(2024, 5, 14), council="府中市議会", committee="環境委員会")
    page.goto(page.base_url + "/inspections/records/")
    assert page.get_by_role("cell", name="府中市議会").is_visible()
    assert_accessible(page)


def test_status_page_of_a_declined_request_is_accessible(page, assert_accessible):
    obj = walk(submitted(), Status.DECLINED)
    raw = with_status_link(obj)
    page.goto(f"{page.base_url}/inspections/status/{raw}/")
    assert page.get_by_text("担当課の事情により").is_visible()
    assert_accessible(page)
