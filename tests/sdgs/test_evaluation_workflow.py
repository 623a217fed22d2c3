"""The yearly evaluation's data and workflow: the seeded schedule and schemes, the figures each KPI gets, the
moves draft → 課内確認 → 公表 with their refusals, and revisions of a published year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kiyose.models import TransitionRecord
from kiyose.workflow import TransitionError
from sdgs import seed, sources
from sdgs.evaluation import seed as evaluation_seed
from sdgs.evaluation.models import (
    Evaluation,
    EvaluationStatus,
    KpiEvaluation,
    Milestone,
    MilestoneStatus,
    ScheduleLine,
    SupportScheme,
)
from sdgs.evaluation.rules import Grade
from sdgs.evaluation.services import (
    EVALUATION_FLOW,
    evaluation_refresh,
    evaluation_report,
    evaluation_revise,
    evaluation_start,
    evaluation_transition,
    kpi_evaluation_save,
)
from sdgs.models import Actual, Kpi

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _after_fy2025(monkeypatch, no_live_sources):
    # The evaluation of FY2025 is written after 31 March 2026.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 6, 1))


def actual(code, year, value, source="担当課集計"):
    return Actual.objects.create(
        kpi=Kpi.objects.get(code=code), fiscal_year=year, value=Decimal(str(value)), source=source
    )


def row(evaluation, code) -> KpiEvaluation:
    return KpiEvaluation.objects.select_related("kpi").get(evaluation=evaluation, kpi__code=code)


def fill_texts(evaluation):
    KpiEvaluation.objects.filter(evaluation=evaluation).update(
        analysis="事業者への周知が進んだため。", plan="2030年度の目標に向けて継続する。"
    )


# --- seed ---------------------------------------------------------------------------------------------------


def test_the_schedule_is_loaded_as_printed_without_the_redacted_row(seeded):
    lines = list(ScheduleLine.objects.order_by("order"))
    assert [line.name for line in lines] == [
        "SDGs 人材育成越境学習プログラム",
        "SDGs人材地域の担い手活動の場の検討",
        "SDGs認定証店舗",
        "SDGs 人材育成越境学習プログラム越境学習先の検討",
        "SDGs 人材地域の担い手活動の場の検討",
        "SDGs認定証団体等",
        "SDGs人材地域の担い 手活動の場開拓",
    ]
    assert [line.area for line in lines] == [
        "integrated",
        "economy",
        "economy",
        "society",
        "society",
        "society",
        "environment",
    ]
    assert Milestone.objects.count() == 28
    assert not Milestone.objects.filter(text__contains="■").exists()
    first = list(Milestone.objects.filter(line=lines[0], fiscal_year=2023).values_list("text", flat=True))
    assert first == ["事業計画の策定 (～9月)", "越境学習プログラム 実施(～1月)", "成果報告 (～3月)"]
    assert Milestone.objects.get(line=lines[0], fiscal_year=2025).text == (
        "2024 年度同様のサイクル。ただし成果報告会で初年度の経過確認"
    )
    # The 団体等 row prints 認定店舗 under 2024 and 2025, and the 環境 row nothing under 2025: kept as printed.
    assert Milestone.objects.get(line=lines[5], fiscal_year=2024).text == "引き続き認定店舗 の選考・決定"
    assert not Milestone.objects.filter(line=lines[6], fiscal_year=2025).exists()
    assert set(Milestone.objects.values_list("status", flat=True)) == {MilestoneStatus.PLANNED}
    # Only the row named word for word as an initiative is linked to it.
    assert lines[0].initiative.code == "2.1-IN-1"
    assert [line.initiative_id for line in lines[1:]] == [None] * 6


def test_the_two_support_schemes_are_loaded_as_printed(seeded):
    schemes = list(SupportScheme.objects.order_by("order").values_list("name", "fiscal_year", "planned", "purpose"))
    assert schemes == [
        (
            "人生100年時代づくり・地域創生総ソフト事業交付金(公益財団法人地域社会振興財団)",
            2024,
            3000,
            "人生100年時代考えるための研修として「SDGs人材育成越境学習プログラム」の講師費用に充当",
        ),
        ("区市町村介護人材対策事業費補助金", 2023, 1900, "シニアのカ・循環プロジェクトで補助金として活用"),
    ]


def test_seeding_again_keeps_staff_status_notes_and_actual_use_and_writes_nothing(seeded):
    milestone = Milestone.objects.get(line__order=1, fiscal_year=2023, position=1)
    milestone.status, milestone.note = MilestoneStatus.DONE, "9月に策定"
    milestone.save()
    SupportScheme.objects.filter(fiscal_year=2023).update(actual=1850)
    history = Milestone.history.count() + SupportScheme.history.count() + ScheduleLine.history.count()
    seed.load()
    evaluation_seed.load()
    milestone.refresh_from_db()
    assert (milestone.status, milestone.note) == (MilestoneStatus.DONE, "9月に策定")
    assert SupportScheme.objects.get(fiscal_year=2023).actual == 1850
    assert Milestone.history.count() + SupportScheme.history.count() + ScheduleLine.history.count() == history
    assert Milestone.objects.count() == 28 and SupportScheme.objects.count() == 2


# --- figures ------------------------------------------------------------------------------------------------


def test_starting_a_year_evaluates_every_kpi_from_its_actuals(seeded):
    actual("EC-02", 2025, 16)
    actual("EN-01", 2025, "-22.0")
    evaluation = evaluation_start(fiscal_year=2025)
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.revision == 1
    assert KpiEvaluation.objects.filter(evaluation=evaluation).count() == Kpi.objects.public().count()
    ec02 = row(evaluation, "EC-02")
    assert (ec02.value, ec02.rate, ec02.grade) == (Decimal(16), Decimal("80.0"), Grade.MOSTLY)
    assert ec02.value_label == "令和7年度（2025年度）" and ec02.value_source == "担当課集計"
    assert row(evaluation, "EN-01").rate == Decimal("76.9")
    missing = row(evaluation, "EC-03")
    assert missing.grade == Grade.UNRATED and "実績値がない" in missing.reason
    # 世論調査 SO-01 has only a 2030 target.
    assert "目標値が定められていない" in row(evaluation, "SO-01").reason


def test_without_the_years_actual_the_latest_earlier_one_is_used_and_said_so(seeded):
    actual("EC-02", 2024, 13)
    evaluation = evaluation_start(fiscal_year=2025)
    ec02 = row(evaluation, "EC-02")
    assert ec02.value == 13 and ec02.rate == Decimal("65.0") and ec02.grade == Grade.NOT_ACHIEVED
    assert ec02.value_date == dt.date(2025, 3, 31)
    assert "2025年度の実績がないため" in ec02.value_note


def test_a_survey_within_the_year_is_the_years_value(seeded):
    kpi = Kpi.objects.get(code="SO-07")
    Actual.objects.create(kpi=kpi, survey_date=dt.date(2025, 10, 1), value=Decimal("60.0"), source="市政世論調査")
    Actual.objects.create(kpi=kpi, survey_date=dt.date(2024, 10, 1), value=Decimal("58.0"), source="市政世論調査")
    evaluation = evaluation_start(fiscal_year=2025)
    so07 = row(evaluation, "SO-07")
    assert so07.value == Decimal("60.0") and so07.value_note == ""
    assert so07.rate == Decimal("51.9")  # (60.0 − 54.6) ÷ (65.0 − 54.6)


def test_a_live_figure_is_used_when_the_year_has_no_actual_and_dated(seeded, no_live_sources):
    sources.source_register(
        "talentbank.sdgs_graduates", label="越境学習プログラム修了者", unit="人", compute=lambda: 40
    )
    evaluation = evaluation_start(fiscal_year=2025)
    so02 = row(evaluation, "SO-02")
    assert so02.value == 40 and so02.value_date == dt.date(2026, 6, 1) and "自動集計" in so02.value_label
    assert "自動集計の現在値" in so02.value_note
    # An entered actual for the year wins over the live figure.
    actual("SO-02", 2025, 44)
    evaluation_refresh(evaluation=evaluation)
    assert row(evaluation, "SO-02").value == 44


def test_a_year_is_started_once_and_never_before_it_begins(seeded):
    evaluation_start(fiscal_year=2025)
    with pytest.raises(ValidationError, match="すでにあります"):
        evaluation_start(fiscal_year=2025)
    with pytest.raises(ValidationError, match="まだ始まっていない"):
        evaluation_start(fiscal_year=2027)


# --- workflow -----------------------------------------------------------------------------------------------


def test_the_workflow_table_is_complete():
    assert EVALUATION_FLOW.problems() == []


def test_review_is_refused_until_every_kpi_has_its_analysis_and_plan(seeded, make_staff):
    evaluation = evaluation_start(fiscal_year=2025)
    fill_texts(evaluation)
    KpiEvaluation.objects.filter(evaluation=evaluation, kpi__code__in=["EC-02", "EN-05"]).update(plan="  ")
    with pytest.raises(TransitionError) as refused:
        evaluation_transition(obj=evaluation, to=EvaluationStatus.REVIEW, by=make_staff("未来創造課"))
    assert "要因分析と今後の方針を入力してから課内確認に回してください：EC-02、EN-05" in refused.value.messages[0]
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    assert not TransitionRecord.objects.of(evaluation).exists()


def test_draft_to_review_to_published_records_who_and_when(seeded, make_staff):
    staff = make_staff("未来創造課")
    evaluation = evaluation_start(fiscal_year=2025)
    fill_texts(evaluation)
    evaluation_transition(obj=evaluation, to=EvaluationStatus.REVIEW, by=staff)
    assert evaluation.status == EvaluationStatus.REVIEW
    evaluation_transition(obj=evaluation, to=EvaluationStatus.PUBLISHED, by=staff)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PUBLISHED and evaluation.published_at is not None
    assert len(evaluation.snapshot["schedule"]) == 7
    records = list(TransitionRecord.objects.of(evaluation))
    assert [(r.source, r.target, r.by) for r in records] == [("draft", "review", staff), ("review", "published", staff)]


def test_review_can_send_it_back_to_draft(seeded, make_staff):
    evaluation = evaluation_start(fiscal_year=2025)
    fill_texts(evaluation)
    evaluation_transition(obj=evaluation, to=EvaluationStatus.REVIEW, by=make_staff("未来創造課"))
    evaluation_transition(obj=evaluation, to=EvaluationStatus.DRAFT)
    assert evaluation.status == EvaluationStatus.DRAFT


@pytest.mark.parametrize(
    "start, to, message",
    [
        ("draft", "published", "「下書き」から「公表」へは変更できません。"),
        ("published", "draft", "「公表」から「下書き」へは変更できません。"),
        ("published", "review", "「公表」から「課内確認」へは変更できません。"),
        ("review", "review", "「課内確認」から「課内確認」へは変更できません。"),
    ],
)
def test_moves_out_of_order_are_refused_with_a_message(seeded, start, to, message):
    evaluation = evaluation_start(fiscal_year=2025)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=start)
    evaluation.refresh_from_db()
    with pytest.raises(TransitionError) as refused:
        evaluation_transition(obj=evaluation, to=to)
    assert refused.value.messages == [message]
    evaluation.refresh_from_db()
    assert evaluation.status == start


def published(year=2025, by=None) -> Evaluation:
    evaluation = evaluation_start(fiscal_year=year)
    fill_texts(evaluation)
    evaluation_transition(obj=evaluation, to=EvaluationStatus.REVIEW, by=by)
    evaluation_transition(obj=evaluation, to=EvaluationStatus.PUBLISHED, by=by)
    return evaluation


def test_a_published_evaluation_is_not_edited_nor_recomputed(seeded):
    evaluation = published()
    ec02 = row(evaluation, "EC-02")
    ec02.analysis = "書き換え"
    with pytest.raises(ValidationError, match="改訂版を作成して修正します"):
        kpi_evaluation_save(row=ec02)
    with pytest.raises(ValidationError):
        evaluation_refresh(evaluation=evaluation)
    assert row(evaluation, "EC-02").analysis == "事業者への周知が進んだため。"


def test_the_published_page_keeps_milestones_and_money_as_they_were(seeded):
    evaluation = published()
    Milestone.objects.filter(fiscal_year=2025).update(status=MilestoneStatus.LATE)
    SupportScheme.objects.update(actual=10)
    report = evaluation_report(evaluation)
    statuses = {m["status"] for line in report["schedule"] for m in line["milestones"]}
    assert statuses == {"planned"}
    assert {s["actual"] for s in report["schemes"]} == {None}


def test_a_revision_carries_the_text_needs_a_reason_and_replaces_the_public_one_when_published(seeded):
    first = published()
    actual("EC-02", 2025, 20)
    revision = evaluation_revise(evaluation=first)
    assert (revision.revision, revision.status) == (2, EvaluationStatus.DRAFT)
    assert row(revision, "EC-02").analysis == "事業者への周知が進んだため。"
    assert row(revision, "EC-02").grade == Grade.ACHIEVED and row(first, "EC-02").grade == Grade.UNRATED
    with pytest.raises(ValidationError, match="作成中の改訂版がすでにあります"):
        evaluation_revise(evaluation=first)
    assert Evaluation.objects.current_of(2025) == first
    with pytest.raises(TransitionError) as refused:
        evaluation_transition(obj=revision, to=EvaluationStatus.REVIEW)
    assert "改訂の理由を入力してください" in str(refused.value)
    Evaluation.objects.filter(pk=revision.pk).update(revision_reason="EC-02の実績の確定値を反映")
    revision.refresh_from_db()
    evaluation_transition(obj=revision, to=EvaluationStatus.REVIEW)
    evaluation_transition(obj=revision, to=EvaluationStatus.PUBLISHED)
    assert Evaluation.objects.current_of(2025) == revision
    report = evaluation_report(revision)
    assert report["first_published"] == first.published_at


def test_only_a_published_evaluation_is_revised(seeded):
    with pytest.raises(ValidationError, match="公表済みの評価から"):
        evaluation_revise(evaluation=evaluation_start(fiscal_year=2025))
