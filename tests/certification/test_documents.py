import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from certification import documents, services
from certification.models import Application
from sdgs.goals import GOALS
from tests.kiyose.pdfua import check, colour_share, ink, page_images, text_in_reading_order

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF")
    return PdfReader(io.BytesIO(pdf))


def fonts(reader: PdfReader) -> set[str]:
    """Names of the fonts embedded in the PDF (a font file present, not merely referenced)."""
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
                    found.add(str(font["/BaseFont"]))
    return found


def text(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def test_certificate_pdf_is_a4_landscape_with_holder_number_dates_and_issuer(make_certificate, settings):
    settings.CERTIFICATION_MAYOR_NAME = "渋谷金太郎"
    certificate = make_certificate(org_name="株式会社きよせグリーン")
    reader = read(documents.certificates_pdf([certificate]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    content = text(reader)
    for expected in (
        "認定証",
        "株式会社きよせグリーン",
        "清瀬SDGs第001号",
        "令和8年6月1日",
        "令和11年3月31日",
        "清瀬市長",
        "渋谷金太郎",
    ):
        assert expected in content
    assert any("KiyoseMincho" in f for f in fonts(reader))


def test_certificates_in_bulk_one_page_each(make_certificate):
    certificates = [make_certificate(org_name=f"団体{i}") for i in range(3)]
    reader = read(documents.certificates_pdf(certificates))
    assert len(reader.pages) == 3


def test_decision_notices_for_each_outcome(make_application, settings):
    settings.CERTIFICATION_CAP = 1
    certified = make_application(org_name="認定会社")
    services.application_certify(application=certified, today=DAY)
    waiting = make_application(org_name="順番待ち会社")
    services.application_certify(application=waiting, today=DAY)
    rejected = services.application_reject(application=make_application(org_name="不認定会社"), reason="実績不足")
    open_one = make_application(org_name="審査中会社")
    apps = Application.objects.filter(pk__in=[certified.pk, waiting.pk, rejected.pk, open_one.pk]).order_by("pk")
    pdf, skipped = documents.decision_letters_pdf(apps)
    reader = read(pdf)
    assert len(reader.pages) == 3
    assert [a.pk for a in skipped] == [open_one.pk]
    content = text(reader)
    for expected in (
        "認定しましたので通知します",
        "清瀬SDGs第001号",
        "順番待ちとしました",
        "1番目",
        "実績不足",
        "記",
        "以上",
        "清瀬市長",
        "清未創発第",
    ):
        assert expected in content
    assert any("KiyoseMincho" in f for f in fonts(reader))


def test_no_letters_for_undecided(make_application):
    pdf, skipped = documents.decision_letters_pdf([make_application()])
    assert pdf is None and len(skipped) == 1


# --- PDF/UA, reading order, the framed certificate ---------------------------------------------------------


def in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, (part, text[position:])
        position = found + len(part)


def test_certificate_is_tagged_pdf_ua_and_read_in_its_order(make_certificate, settings):
    settings.CERTIFICATION_MAYOR_NAME = "渋谷金太郎"
    certificate = make_certificate(org_name="株式会社きよせグリーン", goals=[7, 11, 13])
    pdf = documents.certificates_pdf([certificate])
    assert check(pdf) == []
    text = text_in_reading_order(pdf)
    in_order(
        text,
        [
            "清瀬SDGs第001号",
            "認定証",
            "株式会社きよせグリーン",
            "様",
            "清瀬市SDGs認定証制度に基づき",
            "1貧困をなくそう",
            "7エネルギーをみんなに そしてクリーンに◎ 取組目標",
            "8働きがいも経済成長も",
            "17パートナーシップで目標を達成しよう",
            "認定日",
            "令和8年6月1日",
            "有効期限",
            "令和11年3月31日",
            "清瀬市長　渋谷金太郎",
        ],
    )
    # The holder's goals are marked in words too, not by colour alone.
    assert text.count("取組目標") == 3
    assert "11住み続けられるまちづくりを◎ 取組目標" in text and "12つくる責任 つかう責任◎" not in text


def test_certificate_without_a_mayor_name_prints_the_title_only(make_certificate, settings):
    settings.CERTIFICATION_MAYOR_NAME = ""
    text = text_in_reading_order(documents.certificates_pdf([make_certificate()]))
    assert text.endswith("清瀬市長")


def test_certificate_is_designed_for_framing(make_certificate):
    """A4 landscape, the page filled (no large empty areas), the holder's goals in their full colours."""
    certificate = make_certificate(goals=[7, 11, 13])
    (page,) = page_images(documents.certificates_pdf([certificate]), dpi=50)
    width, height = page.size
    assert round(width / height, 2) == round(297 / 210, 2)
    assert ink(page) > 0.08
    # Every horizontal band of the page carries something (frame aside, the bands are inside it).
    for top in (0.08, 0.24, 0.40, 0.56, 0.72):
        assert ink(page, (0.08, top, 0.92, top + 0.16)) > 0.01, top
    colours = {g.number: g.color for g in GOALS.values()}
    chosen = colour_share(page, colours[7])
    # A chosen tile is filled with its colour; an unchosen one has only a thin bar of it.
    assert chosen > 5 * colour_share(page, colours[1]) > 0


def test_goal_tiles_read_the_official_colours_and_choose_readable_ink():
    tiles = documents.goal_tiles([7, 13])
    assert [t["number"] for t in tiles] == list(range(1, 18))
    assert {t["number"] for t in tiles if t["chosen"]} == {7, 13}
    by_number = {t["number"]: t for t in tiles}
    assert by_number[7]["colour"] == "#FCC30B" and by_number[7]["ink"] == "#000"
    assert by_number[13]["colour"] == "#3F7E44" and by_number[13]["ink"] == "#fff"


def test_decision_notices_are_tagged_pdf_ua_and_read_in_order(make_application, settings):
    settings.CERTIFICATION_LETTER_PREFIX = "清未創発"
    application = make_application(org_name="認定会社")
    services.application_certify(application=application, today=DAY)
    application.refresh_from_db()
    pdf, _skipped = documents.decision_letters_pdf([application])
    assert check(pdf) == []
    text = text_in_reading_order(pdf)
    in_order(
        text,
        [
            f"清未創発第{application.pk}号",
            "令和",
            "認定会社",
            "清瀬市長",
            "認定について（通知）",
            "記",
            "受付番号",
            "認定番号",
            "有効期限",
            "以上",
            "未来創造課",
        ],
    )
    assert "1 / 1" not in "".join(page.extract_text() for page in read(pdf).pages)


def test_a_notice_is_dated_the_day_of_the_decision_so_a_reprint_is_the_same_letter(make_application):
    with time_machine.travel(dt.datetime(2026, 6, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))), tick=False):
        application = services.application_reject(application=make_application(), reason="実績不足")
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))):
        pdf, _ = documents.decision_letters_pdf([application])
    text = text_in_reading_order(pdf)
    assert "令和8年6月1日" in text and "令和8年9月15日" not in text


def test_file_names_carry_the_document_numbers(make_application, make_certificate, settings):
    settings.CERTIFICATION_LETTER_PREFIX = "清未創発"
    certified = make_application()
    services.application_certify(application=certified, today=DAY)
    certified.refresh_from_db()
    rejected = services.application_reject(application=make_application(), reason="実績不足")
    assert documents.notices_filename([certified]) == f"清未創発第{certified.pk}号_認定通知.pdf"
    assert documents.notices_filename([rejected]) == f"清未創発第{rejected.pk}号_審査結果通知.pdf"
    assert documents.notices_filename([certified, rejected]) == f"清未創発第{certified.pk}号ほか1通_決定通知書.pdf"
    certificates = [certified.certificate, make_certificate()]
    assert documents.certificates_filename(certificates[:1]) == f"{certificates[0].number}_認定証.pdf"
    assert documents.certificates_filename(certificates) == f"{certificates[0].number}ほか1枚_認定証.pdf"


def test_downloads_from_the_admin_carry_the_numbers(client, make_staff, make_certificate):
    from urllib.parse import quote

    client.force_login(make_staff("未来創造課"))
    certificate = make_certificate()
    response = client.get(reverse("admin:certification_certificate_pdf", args=[certificate.pk]))
    assert quote(f"{certificate.number}_認定証.pdf") in response["Content-Disposition"]
    response = client.get(reverse("admin:certification_application_notice_pdf", args=[certificate.application_id]))
    assert quote(f"第{certificate.application_id}号_認定通知.pdf") in response["Content-Disposition"]


def test_a_holder_name_of_the_longest_length_still_fits_the_one_framed_page(make_certificate):
    name = ("特定非営利活動法人きよせ里山と雑木林の環境を守り次世代へ引き継ぐ市民の会" * 4)[:120]
    certificate = make_certificate(org_name=name)
    pdf = documents.certificates_pdf([certificate])
    assert len(read(pdf).pages) == 1
    assert check(pdf) == []
    assert name in text_in_reading_order(pdf)
