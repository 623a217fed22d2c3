"""A citizen registers in the talent bank in real Chromium; every public page passes axe (WCAG 2.1 AA)."""

import re

import pytest
from django.utils import timezone

from kiyose.models import OutboundMail
from talentbank import seed
from talentbank.models import Field, Person, Spot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    link = re.search(r"(/talentbank/confirm/[^/\s]+/)", body).group(1)
    page.goto(page.base_url + link)
    assert_accessible(page)
    page.get_by_role("button", name="登録を完了する").click()
    assert page.get_by_role("heading", name="手続きが完了しました").is_visible()
    assert_accessible(page)
    person.refresh_from_db()
    assert person.status == "active"


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
