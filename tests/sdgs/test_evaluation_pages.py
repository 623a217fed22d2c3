"""The evaluation's public pages: 404 until published, staff preview of a draft at the same address, what the
page and the CSV print, the method and the dashboard's link, a fixed number of queries."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse

from kiyose.pages import registry
from sdgs.evaluation.models import Evaluation, EvaluationStatus, KpiEvaluation, Milestone, MilestoneStatus
from sdgs.evaluation.services import evaluation_revise, evaluation_start, evaluation_transition
from sdgs.models import Actual, BudgetLine, Kpi, KpiTarget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_live_sources")]

URL = "/sdgs/evaluation/2025/"


@pytest.fixture(autouse=True)
def _after_fy2025(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 6, 1))


@pytest.fixture
def draft(seeded):
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2025, value=16, source="清瀬商工会")
    evaluation = evaluation_start(fiscal_year=2025)
    KpiEvaluation.objects.filter(evaluation=evaluation).update(
        analysis="商工会と連携した周知が進んだ。", plan="創業塾を年2回に増やす。"
    )
    return evaluation


def publish(evaluation):
    evaluation_transition(obj=evaluation, to=EvaluationStatus.REVIEW)
    evaluation_transition(obj=evaluation, to=EvaluationStatus.PUBLISHED)
    return evaluation


@pytest.fixture
def published(draft):
    Milestone.objects.filter(line__order=1, fiscal_year=2023).update(status=MilestoneStatus.DONE, note="予定どおり実施")
    BudgetLine.objects.filter(fiscal_year=2025, area="integrated").update(spent=1050)
    return publish(draft)


@pytest.mark.parametrize("suffix", ["/", ".pdf", ".csv"])
def test_anonymous_visitors_get_404_until_the_evaluation_is_published(client, draft, suffix):
    url = URL.rstrip("/") + suffix
    assert client.get(url).status_code == 404
    evaluation_transition(obj=draft, to=EvaluationStatus.REVIEW)
    assert client.get(url).status_code == 404
    evaluation_transition(obj=draft, to=EvaluationStatus.PUBLISHED)
    assert client.get(url).status_code == 200


def test_a_year_never_evaluated_is_404(client, seeded):
    assert client.get("/sdgs/evaluation/2024/").status_code == 404
    assert client.get("/sdgs/evaluation/1999/").status_code == 404


def test_mirai_staff_preview_the_draft_at_its_public_address(client, draft, make_staff):
    client.force_login(make_staff("未来創造課"))
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "公表前の確認表示です（状態：下書き）" in text and 'name="robots" content="noindex"' in text
    assert client.get(URL.rstrip("/") + ".pdf").status_code == 200


def test_staff_of_another_section_do_not_see_the_draft(client, draft, make_staff):
    client.force_login(make_staff("議会事務局"))
    assert client.get(URL).status_code == 404


def test_the_published_page_shows_grades_reasons_plan_milestones_and_money(client, published):
    text = client.get(URL).content.decode()
    assert "令和7年度（2025年度） SDGs未来都市計画 評価" in text
    assert "公表前の確認表示" not in text
    assert "概ね達成：1件" in text and "評価不能：" in text and f"計：{Kpi.objects.public().count()}件" in text
    assert "80.0%" in text and "商工会と連携した周知が進んだ。" in text and "創業塾を年2回に増やす。" in text
    assert "実績値がないため評価できません。" in text
    assert "越境学習プログラム 実施(～1月)" in text and "予定どおり実施" in text and "実施済" in text
    assert "執行 1,050" in text and "執行 未入力" in text
    assert "区市町村介護人材対策事業費補助金" in text and "1,900" in text


def test_a_revision_shows_its_date_and_reason_and_the_first_publication(client, published):
    revision = evaluation_revise(evaluation=published)
    Evaluation.objects.filter(pk=revision.pk).update(revision_reason="EC-02の確定値を反映しました。")
    revision.refresh_from_db()
    # The public keeps seeing the first revision while the second is prepared.
    assert "改訂日" not in client.get(URL).content.decode()
    publish(revision)
    text = client.get(URL).content.decode()
    assert "改訂日（第2版）" in text and "EC-02の確定値を反映しました。" in text and "公表日" in text


def test_the_csv_has_one_row_per_kpi_with_rate_grade_and_text(client, published):
    response = client.get(URL.rstrip("/") + ".csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["コード", "指標", "単位"] and "達成率（%）" in rows[0]
    assert len(rows) == 1 + Kpi.objects.public().count()
    ec02 = next(r for r in rows if r[0] == "EC-02")
    header = rows[0]
    assert ec02[header.index("達成率（%）")] == "80.0" and ec02[header.index("評価")] == "概ね達成"
    assert ec02[header.index("要因分析")] == "商工会と連携した周知が進んだ。"


def test_the_index_lists_published_years_and_the_dashboard_links_to_it(client, draft):
    assert "公表した評価はまだありません" in client.get("/sdgs/evaluation/").content.decode()
    assert reverse("sdgs:evaluation_index") in client.get("/sdgs/").content.decode()
    publish(draft)
    assert URL in client.get("/sdgs/evaluation/").content.decode()


def test_the_pages_declare_only_published_years(draft):
    pages = {p.name: p for p in registry()}
    assert pages["sdgs:evaluation"].urls() == []
    publish(draft)
    assert pages["sdgs:evaluation"].urls() == [URL]
    assert pages["sdgs:evaluation_pdf"].urls() == ["/sdgs/evaluation/2025.pdf"]


def test_the_method_page_prints_the_rule_with_the_thresholds_from_settings(client, seeded, settings):
    settings.SDGS_GRADE_ACHIEVED = 95
    settings.SDGS_GRADE_MOSTLY = 70
    text = client.get("/sdgs/method/").content.decode()
    assert "年度評価の達成率と評価の決め方" in text
    assert "達成率95%以上" in text and "達成率70%以上95%未満" in text and "達成率70%未満" in text
    assert "（実績 − 基準値）÷（目標値 − 基準値）× 100" in text


def test_the_public_page_takes_a_fixed_number_of_queries(client, published, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert client.get(URL).status_code == 200
    # Fifty more KPIs in next year's evaluation: the same number of queries.
    for i in range(50):
        kpi = Kpi.objects.create(
            code=f"ZZ-{i:02d}",
            indicator=f"試験用の指標{i}",
            pillar="economy",
            unit="人",
            baseline_year=2022,
            cumulative=True,
            order=100 + i,
        )
        KpiTarget.objects.create(kpi=kpi, year=2025, value=10)
        Actual.objects.create(kpi=kpi, fiscal_year=2025, value=Decimal(i), source="試験")
    revision = evaluation_revise(evaluation=published)
    Evaluation.objects.filter(pk=revision.pk).update(revision_reason="指標の追加")
    revision.refresh_from_db()
    KpiEvaluation.objects.filter(evaluation=revision).update(analysis="分析", plan="方針")
    publish(revision)
    assert KpiEvaluation.objects.filter(evaluation=revision).count() == Kpi.objects.public().count()
    caches["fragments"].clear()  # a cold rendering again: the contact blocks are kept until an office changes
    with django_assert_num_queries(4):  # a revision also reads its first publication date
        assert client.get(URL).status_code == 200


def test_only_get_and_head_are_answered(client, published):
    assert client.post(URL).status_code == 405
