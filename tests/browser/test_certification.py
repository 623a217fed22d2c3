"""An applicant applies in real Chromium; every public page of the certification scheme passes axe."""

import datetime as dt
import re

import pytest

from certification import seed, services
from certification.models import Application, SelfCheckQuestion
from kiyose.models import OutboundMail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = {"width": 375, "height": 740}, {"width": 1280, "height": 900}
# Elements that scroll sideways inside the page (a box wider than itself with overflow it can scroll).
SIDEWAYS = """() => [...document.querySelectorAll('body *')].filter(el => {
    const style = getComputedStyle(el);
    return el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX);
}).map(el => el.tagName + '.' + el.className)"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache, caches

    # Public pages are cached on a data version; a flushed database must not meet another test's pages.
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()


def _offices():
    # A flushed database has lost the migrations' rows too: the offices' contact blocks.
    from kiyose.seed import load as offices_load

    offices_load()


def assert_fits(page, width: int):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(SIDEWAYS) == []


def _holder():
    import uuid

    from tests.certification.factories import application_data

    # A long unbroken summary and web address: the pages must wrap them, never scroll sideways.
    data = application_data(summary="清瀬の雑木林を守る" + "ＡＢＣＤ" * 20, url="https://example.jp/" + "a" * 150)
    answers = {q.pk: True for q in SelfCheckQuestion.objects.all()}
    application = services.application_submit(data=data, answers=answers, token=uuid.uuid4())
    services.application_review_start(application=application)
    return services.application_certify(application=application, today=dt.date.today())


def test_applicant_completes_the_application(page, assert_accessible):
    seed.load()
    page.goto(page.base_url + "/certification/")
    assert_accessible(page)
    page.get_by_role("link", name="認定を申請する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "SDGs認定証の申請"
    assert_accessible(page)

    # Submitting nothing shows the error summary, still accessible.
    page.get_by_role("button", name="入力内容を確認する").click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)

    page.get_by_label("団体名・事業者名").fill("清瀬みどりの会")
    page.get_by_label("団体名（ふりがな）").fill("きよせみどりのかい")
    page.get_by_label("市民団体", exact=True).check()
    page.get_by_label("きよせボランティア・市民活動センター（市民団体）").check()
    page.get_by_label("所在地").fill("東京都清瀬市元町1-1")
    page.get_by_label("代表者の役職").fill("代表")
    page.get_by_label("代表者氏名").fill("清瀬 一郎")
    page.get_by_label("担当者氏名").fill("清瀬 二郎")
    page.get_by_label("担当者メールアドレス").fill("midori@example.jp")
    page.get_by_label("担当者電話番号").fill("０４２－４９２－５１１１")
    page.get_by_label("15. 陸の豊かさも守ろう").check()
    page.get_by_label("11. 住み続けられるまちづくりを").check()
    page.get_by_label("現在の取組（経済）").fill("地元農家の朝市の手伝い")
    page.get_by_label("現在の取組（社会）").fill("子ども向け自然観察会")
    page.get_by_label("現在の取組（環境）").fill("雑木林の保全活動")
    page.get_by_label("取組の概要（公表用）").fill("清瀬の雑木林を守り、子どもたちに自然を伝える市民団体です。")
    for question in SelfCheckQuestion.objects.filter(active=True):
        page.locator(f"input[name=check_{question.pk}][value=yes]").check()
    page.get_by_label("認定後、毎年度の年間報告書を提出します").check()
    page.get_by_label(re.compile("公表することに同意します")).check()
    page.get_by_role("button", name="入力内容を確認する").click()

    assert "確認" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_text("清瀬みどりの会").is_visible()
    assert page.locator(".confirm-list").get_by_text("042-492-5111").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="この内容で送信する").click()

    assert page.get_by_role("heading", level=1).inner_text() == "SDGs認定証の申請を受け付けました"
    reference = page.locator(".reference-number").inner_text()
    assert_accessible(page)
    application = Application.objects.get(reference=reference)
    assert application.kind == "group" and application.goals == [11, 15]
    assert OutboundMail.objects.filter(to=["midori@example.jp"], subject__contains=reference).exists()


def test_registry_holder_and_csv_link_are_accessible(page, assert_accessible):
    seed.load()
    certificate = _holder()
    page.goto(page.base_url + "/certification/")
    assert page.get_by_role("cell", name=certificate.number).is_visible()
    page.locator("#filter-goal").select_option("13")
    page.get_by_role("button", name="絞り込む").click()
    assert "goal=13" in page.url
    assert_accessible(page)
    page.get_by_role("link", name=certificate.holder_name).click()
    assert page.get_by_role("heading", level=1).inner_text() == certificate.holder_name
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/certification/")
    assert_accessible(page)
    # An ended certificate's page says so, also accessibly.
    services.certificate_revoke(certificate=certificate, reason="テストのため")
    page.goto(page.base_url + f"/certification/{certificate.serial}/")
    assert page.get_by_text("現在有効ではありません").is_visible()
    assert_accessible(page)
    page.goto(page.base_url + "/certification/?goal=99")
    assert page.get_by_text("絞り込みの条件が正しくない").is_visible()
    assert_accessible(page)


def test_report_pages_are_accessible(page, assert_accessible):
    seed.load()
    certificate = _holder()
    year = certificate.report_years()[0]
    token = services.report_invitation_issue(certificate=certificate, year=year)
    page.goto(page.base_url + f"/certification/report/{token}/")
    assert_accessible(page)
    page.get_by_role("button", name="年間報告書を提出する").click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("活動内容（経済）").fill("朝市の運営")
    page.get_by_label("活動内容（社会）").fill("観察会を6回")
    page.get_by_label("活動内容（環境）").fill("下草刈り")
    page.get_by_label("成果").fill("参加者延べ150人")
    page.get_by_label("次年度の計画").fill("観察会を10回に")
    page.get_by_role("button", name="年間報告書を提出する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "年間報告書を受け付けました"
    assert_accessible(page)
    response = page.goto(page.base_url + f"/certification/report/{token}/")
    assert response.status == 410
    assert_accessible(page)
    response = page.goto(page.base_url + "/certification/report/wrong-token/")
    assert response.status == 404
    assert_accessible(page)


def test_every_public_page_fits_a_phone_and_a_desktop_and_passes_axe(page, assert_accessible):
    from certification.models import Certificate, ProfileUpdate
    from certification.services.profiles import profile_link_issue, profile_update_transition

    _offices()
    seed.load()
    certificate = _holder()
    profile = profile_link_issue(certificate=certificate)
    report = services.report_invitation_issue(certificate=certificate, year=certificate.report_years()[0])
    pages = [
        "/certification/",
        "/certification/?kind=company&goal=11",
        f"/certification/{certificate.serial}/",
        "/certification/apply/",
        "/certification/contact/",
        f"/certification/profile/{profile}/",
        f"/certification/report/{report}/",
    ]
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        for path in pages:
            response = page.goto(page.base_url + path)
            assert response.status == 200, path
            assert_fits(page, size["width"])
            assert_accessible(page)
    # The holder proposes a new profile through the link in the mail; staff approve; the page shows it.
    mail = OutboundMail.objects.filter(body__contains="/certification/profile/").latest("pk")
    link = re.search(r"https?://[^/]+(/certification/profile/[A-Za-z0-9_-]+/)", mail.body).group(1)
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + link)
    page.get_by_label("取組の概要（公表用）").fill("雑木林の保全と自然観察会を続けています。")
    page.get_by_role("button", name="この内容で申し出る").click()
    assert page.get_by_role("heading", level=1).inner_text() == "公表内容の変更の申出を受け付けました"
    assert_accessible(page)
    profile_update_transition(obj=ProfileUpdate.objects.get(), to=ProfileUpdate.Status.APPROVED)
    page.goto(page.base_url + f"/certification/{certificate.serial}/")
    assert page.get_by_text("雑木林の保全と自然観察会を続けています。").is_visible()
    assert_fits(page, PHONE["width"])
    response = page.goto(page.base_url + link)
    assert response.status == 410
    assert_accessible(page)
    assert Certificate.objects.get().summary.startswith("雑木林")
