"""A citizen registers in the talent bank in real Chromium and manages the registration through their own link;
every public page passes axe (WCAG 2.1 AA) and fits a 375 px phone and a 1280 px desktop without sideways
scrolling."""

import re

import pytest
from django.utils import timezone

from kiyose.models import OutboundMail
from talentbank import seed
from talentbank.models import Field, Person, Spot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = {"width": 375, "height": 740}, {"width": 1280, "height": 900}
# Elements that scroll sideways inside the page (a box wider than itself with overflow it can scroll).
SIDEWAYS = """() => [...document.querySelectorAll('body *')].filter(el => {
    const style = getComputedStyle(el);
    return el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX);
}).map(el => el.tagName + '.' + el.className)"""


@pytest.fixture(autouse=True)
def _fresh(db):
    from django.core.cache import cache, caches

    from kiyose.seed import load as offices_load

    # A flushed database has lost the migrations' rows (the offices' contact blocks); cached pages must go too.
    offices_load()
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()


def assert_fits(page, width: int):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(SIDEWAYS) == []


def check_both_widths(page, assert_accessible):
    """The page as it stands, at desktop then phone width: no sideways scroll, no axe violation."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert_fits(page, size["width"])
        assert_accessible(page)
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def spot(db):
    seed.load()
    return Spot.objects.create(
        title="デイサービスの送迎補助",
        body_name="清瀬ケアセンター",
        body_kind="care",
        field=Field.objects.get(name="福祉・介護"),
        needed="車いすの方の乗り降りの手伝い",
        when_text="毎週水曜日 9時〜11時",
        place="中里",
        area="nakazato",
        headcount=2,
        status="published",
        published_at=timezone.now(),
    )


def test_citizen_registers_and_confirms_by_mail_link(page, assert_accessible, spot):
    page.goto(page.base_url + "/talentbank/")
    assert "個人情報保護法" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="人材バンクに登録する").click()
    assert_accessible(page)
    page.get_by_role("button", name="入力内容を確認する").click()  # nothing typed: errors at the fields
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)
    page.fill("#id_name", "清瀬 花子")
    page.fill("#id_furigana", "キヨセ ハナコ")
    page.select_option("#id_age_band", "60s")
    page.check("#id_relation_0")
    page.select_option("#id_area", "nakazato")
    page.fill("#id_email", "hanako@example.jp")
    page.fill("#id_phone", "０４２−１１１−２２２２")
    page.check("#id_interests_0")
    page.fill("#id_skills", "料理、傾聴")
    page.check("#id_ways_0")
    page.check("#id_available_days_2")
    page.check("#id_available_times_0")
    page.check("#id_consent_retain")
    page.check("#id_consent_partner")
    page.get_by_role("button", name="入力内容を確認する").click()
    assert page.get_by_role("heading", name="入力内容の確認").is_visible()
    assert "きよせ　はなこ" in page.content() and "042-111-2222" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="この内容で送信する").click()
    assert page.get_by_role("heading", name="ご登録を受け付けました").is_visible()
    assert_accessible(page)
    person = Person.objects.get()
    assert person.status == "pending" and person.consents.filter(granted=True).count() == 2
    body = OutboundMail.objects.get(to=["hanako@example.jp"]).body
    raw = re.search(r"/talentbank/confirm/([^/\s]+)/", body).group(1)
    page.goto(page.base_url + f"/talentbank/confirm/{raw}/")
    check_both_widths(page, assert_accessible)
    page.get_by_role("button", name="登録を完了する").click()
    # The same link now opens the person's own page.
    assert page.get_by_role("heading", name="登録内容の確認").is_visible()
    assert "登録が完了しました" in page.content() and "清瀬 花子" in page.content()
    check_both_widths(page, assert_accessible)
    person.refresh_from_db()
    assert person.status == "active"
    # Change the registration, then a consent, then withdraw it all.
    page.get_by_role("link", name="登録内容を変更する").click()
    check_both_widths(page, assert_accessible)
    page.fill("#id_skills", "料理、傾聴、手話")
    page.get_by_role("button", name="変更を保存する").click()
    assert "登録内容を変更しました" in page.content() and "手話" in page.content()
    page.locator("#consent-partner").locator("xpath=..").get_by_role("button", name="同意を撤回する").click()
    assert "記録しました" in page.content()
    page.get_by_role("link", name="登録を取り消す（登録情報を消去する）").click()
    check_both_widths(page, assert_accessible)
    page.check("#id_confirm")
    page.get_by_role("button", name="登録を取り消す").click()
    assert page.get_by_role("heading", name="登録を取り消しました").is_visible()
    check_both_widths(page, assert_accessible)
    response = page.goto(page.base_url + f"/talentbank/me/{raw}/")
    assert response.status == 410 and "消去されました" in page.content()
    check_both_widths(page, assert_accessible)
    person.refresh_from_db()
    assert person.status == "erased" and person.name == ""


@pytest.mark.parametrize(
    "path",
    [
        "/talentbank/",
        "/talentbank/spots/",
        "/talentbank/register/",
        "/talentbank/spots/propose/",
        "/talentbank/contact/",
    ],
)
def test_every_public_page_fits_a_phone_and_a_desktop(page, assert_accessible, spot, path):
    page.goto(page.base_url + path)
    check_both_widths(page, assert_accessible)


def test_a_long_unbroken_string_wraps_on_a_phone(page, spot):
    spot.title = "あ" * 20 + "x" * 80  # 100 characters, the column's limit, with no place to break
    spot.save()
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/talentbank/spots/")
    assert_fits(page, PHONE["width"])


def test_spots_and_spot_proposal_pages(page, assert_accessible, spot):
    page.goto(page.base_url + "/talentbank/spots/")
    assert "デイサービスの送迎補助" in page.content()
    assert_accessible(page)
    page.select_option("#id_field_filter", label="防災")
    page.get_by_role("button", name="表示する").click()
    assert "現在、募集中の困りごとスポットはありません" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="困りごとスポットを提案する").click()
    assert_accessible(page)
    page.fill("#id_body_name", "NPO法人きよせの森")
    page.select_option("#id_body_kind", "npo")
    page.select_option("#id_field", label="環境・緑")
    page.fill("#id_title", "雑木林の下草刈り")
    page.fill("#id_needed", "下草刈りと枝の片付け")
    page.fill("#id_when_text", "毎月第2土曜日 9時〜12時")
    page.check("#id_days_5")
    page.fill("#id_place", "中里の雑木林")
    page.fill("#id_headcount", "5")
    page.fill("#id_contact_name", "森 一郎")
    page.fill("#id_contact_email", "mori@example.jp")
    page.get_by_role("button", name="入力内容を確認する").click()
    assert page.get_by_role("heading", name="入力内容の確認").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="この内容で送信する").click()
    assert page.get_by_role("heading", name="困りごとスポットの提案を受け付けました").is_visible()
    assert_accessible(page)
    assert Spot.objects.get(title="雑木林の下草刈り").status == "proposed"


def test_register_form_works_without_javascript(browser, live_server, spot):
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    pg = context.new_page()
    pg.goto(live_server.url + "/talentbank/register/")
    pg.fill("#id_name", "清瀬 太郎")
    pg.fill("#id_furigana", "きよせ たろう")
    pg.select_option("#id_age_band", "30s")
    pg.check("#id_relation_1")
    pg.fill("#id_phone", "042-222-3333")
    pg.check("#id_interests_1")
    pg.check("#id_ways_1")
    pg.check("#id_consent_retain")
    pg.get_by_role("button", name="入力内容を確認する").click()
    pg.get_by_role("button", name="この内容で送信する").click()
    assert "お電話で確認" in pg.content()
    context.close()
    assert Person.objects.get().phone == "042-222-3333"
