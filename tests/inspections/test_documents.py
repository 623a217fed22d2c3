"""The council office's letters: tagged PDF/UA-1, read in the order they are written, issued only by POST."""

import datetime as dt
import io
import zoneinfo
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from inspections.documents import letters_filename, letters_pdf
from inspections.models import Letter, Status
from inspections.services import requests as services
from kiyose.wareki import wareki
from tests.inspections.factories import programme, submitted, visit_day, walk
from tests.kiyose.pdfua import check, ink, page_images, text_in_reading_order

pytestmark = pytest.mark.django_db
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.fixture
def staff_client(client, make_staff):
    client.force_login(make_staff("議会事務局"))
    return client


def in_order(text: str, parts: list[str]) -> None:
    """Each part is found after the one before it (a screen reader meets them in this order)."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, (part, text[position:])
        position = found + len(part)


def flat(text: str) -> str:
    return text.replace(" ", "").replace("\u3000", "").replace("\n", "")


def letter_of(kind: str, settings, **request):
    settings.INSPECTIONS_LETTER_PREFIX = "清議発"
    obj = submitted(topics=[programme(title="市役所屋上での養蜂事業"), programme(title="清瀬子ども大学")], **request)
    if kind == "accept":
        obj = walk(obj, Status.ACCEPTED, day=visit_day())
    elif kind == "decline":
        obj = walk(obj, Status.DECLINED)
    letters = services.letters_issue(request_ids=[obj.pk], kind=kind, on=dt.date(2027, 6, 1))
    return obj, letters


@pytest.mark.parametrize(
    ("kind", "subject", "items"),
    [
        (
            "ack",
            "行政視察のお申込みについて（受付確認）",
            ["受付番号", "受付日", "団体名", "希望日", "視察項目", "人数"],
        ),
        ("accept", "行政視察の受け入れについて（通知）", ["受付番号", "日時", "場所", "視察項目", "参加者"]),
        ("decline", "行政視察のお申込みについて（回答）", ["受付番号", "希望日", "視察項目", "理由"]),
    ],
)
def test_each_letter_is_tagged_pdf_ua_and_read_in_its_order(kind, subject, items, settings):
    obj, letters = letter_of(kind, settings)
    pdf = letters_pdf(letters)
    assert check(pdf) == []
    text = text_in_reading_order(pdf)
    number = f"清議発第{letters[0].serial}号"
    # Acceptance and decline letters are issued by the transition itself (attached to its mail), so they carry
    # the day of the decision; the acknowledgement is issued here, on the given day.
    in_order(
        text,
        [
            number,
            wareki(letters[0].issued_on),
            "武蔵野市議会議長",
            "清瀬市議会議長",
            subject,
            "記",
            *items,
            "以上",
            "042-497-2566",
        ],
    )
    assert obj.reference in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "1 / 1" not in "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_dates_of_events_carry_the_weekday(settings):
    day = dt.date(2027, 7, 6)
    _obj, letters = letter_of("ack", settings, preferred_date_1=day)
    text = text_in_reading_order(letters_pdf(letters))
    assert "令和9年7月6日（火）" in text
    assert "令和9年6月1日（" not in text  # the letter's own date is a date, not an event


def test_acceptance_prints_the_visit_day_with_its_weekday(settings):
    obj, letters = letter_of("accept", settings)
    text = flat(text_in_reading_order(letters_pdf(letters)))
    assert f"{wareki(obj.confirmed_date, weekday=True)}13:30〜15:00" in text


def test_the_acknowledgement_prints_the_tokyo_date_of_a_request_made_after_midnight(settings):
    settings.INSPECTIONS_LETTER_PREFIX = "清議発"
    with time_machine.travel(dt.datetime(2027, 1, 26, 0, 30, tzinfo=TOKYO), tick=False):
        obj = submitted(preferred_date_1=dt.date(2027, 7, 6))
        letters = services.letters_issue(request_ids=[obj.pk], kind="ack")
    assert obj.created_at.astimezone(dt.UTC).date() == dt.date(2027, 1, 25)
    text = flat(text_in_reading_order(letters_pdf(letters)))
    assert "受付日令和9年1月26日" in text
    assert "令和9年1月25日" not in text


def test_file_names_carry_the_document_number(settings):
    settings.INSPECTIONS_LETTER_PREFIX = "清議発"
    objs = [submitted(), submitted()]
    letters = services.letters_issue(request_ids=[o.pk for o in objs], kind="ack")
    first = f"清議発第{letters[0].serial}号"
    assert letters_filename(letters[:1]) == f"{first}_受付確認書.pdf"
    assert letters_filename(letters) == f"{first}ほか1通_受付確認書.pdf"


def test_a_letter_renders_as_a_filled_a4_page(settings):
    _obj, letters = letter_of("accept", settings)
    (page,) = page_images(letters_pdf(letters))
    width, height = page.size
    assert round(width / height, 2) == round(210 / 297, 2)
    assert 0.02 < ink(page) < 0.5
    assert ink(page, (0.55, 0.05, 0.95, 0.15)) > 0.01  # number and date at the top right
    assert ink(page, (0, 0.93, 1, 1)) == 0  # no page number in the footer


# --- Issuing is a POST; a GET only reads ------------------------------------------------------------------


def test_a_get_never_issues_a_letter(staff_client):
    obj = submitted()
    url = reverse("admin:inspections_request_letter", args=[obj.pk, "ack"])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert Letter.objects.count() == 0
    body = response.content.decode()
    assert 'method="post"' in body and "文書番号を付けて受付確認書を発行する" in body


def test_a_post_issues_the_letter_and_a_get_then_serves_the_same_number(staff_client, settings):
    settings.INSPECTIONS_LETTER_PREFIX = "清議発"
    obj = submitted()
    url = reverse("admin:inspections_request_letter", args=[obj.pk, "ack"])
    response = staff_client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    letter = Letter.objects.get()
    for _ in range(2):
        response = staff_client.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert quote(f"清議発第{letter.serial}号_受付確認書.pdf") in response["Content-Disposition"]
    assert Letter.objects.count() == 1
    staff_client.post(url)
    assert list(Letter.objects.values_list("serial", flat=True)) == [letter.serial]


def test_a_letter_the_request_cannot_have_is_refused_on_post(staff_client):
    obj = submitted()
    url = reverse("admin:inspections_request_letter", args=[obj.pk, "decline"])
    response = staff_client.post(url, follow=True)
    assert "お断り通知を作成できない状態の申込みがあります" in response.content.decode()
    assert Letter.objects.count() == 0


def test_an_unknown_letter_kind_is_not_found(staff_client):
    obj = submitted()
    assert staff_client.get(reverse("admin:inspections_request_letter", args=[obj.pk, "bogus"])).status_code == 404
    assert staff_client.post(reverse("admin:inspections_request_letter", args=[obj.pk, "bogus"])).status_code == 404


def test_other_sections_can_neither_read_nor_issue_letters(client, make_staff):
    obj = submitted()
    client.force_login(make_staff("未来創造課", username="mirai"))
    url = reverse("admin:inspections_request_letter", args=[obj.pk, "ack"])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Letter.objects.count() == 0


def test_the_bulk_action_issues_by_post_and_names_the_file(staff_client, settings):
    settings.INSPECTIONS_LETTER_PREFIX = "清議発"
    objs = [submitted(), submitted()]
    response = staff_client.post(
        reverse("admin:inspections_request_changelist"),
        {"action": "print_acknowledgements", "_selected_action": [o.pk for o in objs]},
    )
    first = Letter.objects.order_by("serial").first()
    assert response["Content-Type"] == "application/pdf"
    assert quote(f"清議発第{first.serial}号ほか1通_受付確認書.pdf") in response["Content-Disposition"]
    assert check(response.content) == []
