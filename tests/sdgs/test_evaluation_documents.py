"""The evaluation's PDF: A4 portrait in the official layout, tagged PDF/UA-1, its text in reading order, and
table rows that never split across pages."""

import datetime as dt
import io

import pikepdf
import pytest
from pypdf import PdfReader

from sdgs.evaluation import documents
from sdgs.evaluation.models import EvaluationStatus, KpiEvaluation, Milestone, MilestoneStatus, SupportScheme
from sdgs.evaluation.services import evaluation_start, evaluation_transition
from sdgs.models import Actual, Kpi
from tests.kiyose.pdfua import check, page_images, text_in_reading_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_live_sources")]


@pytest.fixture(autouse=True)
def _after_fy2025(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 6, 1))


@pytest.fixture
def evaluation(seeded):
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2025, value=16, source="清瀬商工会")
    evaluation = evaluation_start(fiscal_year=2025)
    for row in KpiEvaluation.objects.filter(evaluation=evaluation).select_related("kpi"):
        # Long text in every row, marked at both ends, so the table runs over several pages.
        body = "事業者への周知と相談体制の整備が進んだ。" * 12
        row.analysis = f"［{row.kpi.code}分析始］{body}［{row.kpi.code}分析終］"
        row.plan = "次期長期総合計画の指標として継続し、関係課と連携して取り組む。" * 4
        row.save()
    Milestone.objects.filter(line__order=1, fiscal_year=2023).update(status=MilestoneStatus.DONE)
    SupportScheme.objects.filter(fiscal_year=2023).update(actual=1850)
    evaluation_transition(obj=evaluation, to=EvaluationStatus.REVIEW)
    evaluation_transition(obj=evaluation, to=EvaluationStatus.PUBLISHED)
    return evaluation


@pytest.fixture
def pdf(evaluation) -> bytes:
    return documents.evaluation_pdf(evaluation)


def test_the_evaluation_pdf_is_tagged_pdf_ua(pdf):
    assert check(pdf) == []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta = doc.open_metadata()
        assert meta["dc:title"] == "令和7年度（2025年度） SDGs未来都市計画 評価報告書"
        assert meta["dc:creator"] == ["清瀬市 経営政策部 未来創造課"]


def test_the_pdf_is_read_title_first_then_grades_kpis_milestones_and_money(pdf):
    text = text_in_reading_order(pdf)
    position = 0
    for part in [
        "令和7年度（2025年度） SDGs未来都市計画 評価報告書",
        "未来創造課",
        "次のとおり報告します",
        "1 評価別のKPIの数",
        "概ね達成",
        "2 KPIごとの評価",
        "EC-02",
        "80.0%",
        "［EC-02分析始］",
        "3 取組のスケジュールと実施状況",
        "越境学習プログラム 実施(～1月)",
        "実施済",
        "4 資金計画と実績",
        "三側面をつなぐ統合的取組",
        "区市町村介護人材対策事業費補助金",
        "1,850",
    ]:
        found = text.find(part, position)
        assert found >= 0, (part, text[position : position + 200])
        position = found + len(part)


def test_the_pdf_is_numbered_a4_portrait_pages(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        assert f"{number} / {len(reader.pages)}" in page.extract_text()
    assert all(image.size[1] > image.size[0] for image in page_images(pdf, dpi=20))


def test_no_kpi_row_is_split_across_pages(pdf):
    pages = ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    for code in Kpi.objects.public().values_list("code", flat=True):
        start = [n for n, text in enumerate(pages) if f"［{code}分析始］" in text]
        end = [n for n, text in enumerate(pages) if f"［{code}分析終］" in text]
        assert len(start) == 1 and start == end, code


def test_the_pdf_download_is_served_with_a_japanese_file_name(client, evaluation):
    response = client.get("/sdgs/evaluation/2025.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''SDGs" in response["Content-Disposition"]
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "評価報告書" in text


def test_a_draft_pdf_says_it_is_not_published(seeded):
    draft = evaluation_start(fiscal_year=2025)
    text = text_in_reading_order(documents.evaluation_pdf(draft))
    assert "公表前（下書き）の確認用です。" in text and "未公表" in text
    assert documents.evaluation_filename(draft) == "SDGs未来都市計画評価_2025年度_公表前.pdf"
