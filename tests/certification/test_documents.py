import datetime as dt
import io

import pytest
from pypdf import PdfReader

from certification import documents, services
from certification.models import Application

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
    rejected = services.application_reject(
        application=make_application(org_name="不認定会社"), reason="実績不足"
    )
    open_one = make_application(org_name="審査中会社")
    apps = Application.objects.filter(pk__in=[certified.pk, waiting.pk, rejected.pk, open_one.pk]).order_by(
        "pk"
    )
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
