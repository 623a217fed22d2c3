"""The yearly KPI report: a tagged PDF/UA-1 file read in its order, numbered because it runs several pages."""

import io

import pikepdf
import pytest
from pypdf import PdfReader

from sdgs import documents
from sdgs.models import Actual, Kpi
from tests.kiyose.pdfua import check, ink, page_images, text_in_reading_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(seeded) -> bytes:
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2024, value=13, source="商工会集計")
    return documents.report_pdf(2024)


def test_the_report_is_tagged_pdf_ua(report):
    assert check(report) == []
    with pikepdf.open(io.BytesIO(report)) as doc:
        meta = doc.open_metadata()
        assert "KPI進捗状況報告書" in meta["dc:title"]
        assert meta["dc:creator"] == ["清瀬市 経営政策部 未来創造課"]


def test_the_report_is_read_title_first_then_each_pillar_with_its_table(report):
    text = text_in_reading_order(report)
    position = 0
    for part in [
        "令和6年度（2024年度） SDGs未来都市計画 KPI進捗状況報告書",
        "未来創造課",
        "次のとおり報告します",
        "状況別のKPIの数",
        "経済",
        "コード",
        "指標",
        "EC-02",
        "社会",
        "環境",
        "計画線と最新の実績を比べて",
    ]:
        found = text.find(part, position)
        assert found >= 0, (part, text[position : position + 200])
        position = found + len(part)


def test_the_kpi_tables_have_column_and_row_headers(report):
    with pikepdf.open(io.BytesIO(report)) as doc:
        cells, scopes = [], set()
        pending = [doc.Root.StructTreeRoot]
        while pending:
            node = pending.pop()
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if str(kid.S) == "/TD":
                        cells.append(len(kid.A.Headers))
                    if str(kid.S) == "/TH":
                        scopes.add(str(kid.A.Scope))
                    pending.append(kid)
    # Each KPI value names its column header and the KPI's code (its row header).
    assert cells and min(cells) >= 1 and max(cells) == 2
    assert scopes == {"/Column", "/Row"}


def test_a_report_of_several_pages_is_numbered_on_every_page(report):
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(report)).pages]
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in text
    # Page numbers are artifacts: a screen reader does not read them between the rows.
    assert f"1 / {len(pages)}" not in text_in_reading_order(report)


def test_the_report_pages_are_filled_landscape_pages(report):
    images = page_images(report, dpi=40)
    for image in images:
        assert image.size[0] > image.size[1]
        assert ink(image) > 0.01
    assert ink(images[0], (0, 0.93, 1, 1)) > 0  # the page number sits in the footer
