"""The evaluation's published rule: achievement rate per kind of KPI, grades at their exact thresholds, and
評価不能 with a reason wherever the rate cannot be computed."""

from decimal import Decimal

import pytest

from sdgs.evaluation.rules import Grade, Kind, achievement, grade_for, kind_of, thresholds

D = Decimal


def rate(kind, value, target, baseline, **kw):
    return achievement(
        kind=kind,
        value=D(value) if value is not None else None,
        target=D(target) if target is not None else None,
        baseline=D(baseline) if baseline is not None else None,
        **kw,
    )


def test_the_kind_comes_from_the_kpis_direction_and_cumulative_flag():
    assert kind_of(direction="up", cumulative=False) == Kind.INCREASE
    assert kind_of(direction="down", cumulative=False) == Kind.DECREASE
    assert kind_of(direction="up", cumulative=True) == Kind.CUMULATIVE
    assert kind_of(direction="slow_decline", cumulative=False) == Kind.FLOOR


def test_an_increase_kpi_is_measured_from_its_baseline():
    # ひまわりフェスティバル: 432,000 → target 476,000 千円; 465,000 is 33,000 of the 44,000 planned.
    result = rate(Kind.INCREASE, 465000, 476000, 432000)
    assert result.rate == D("75.0") and result.grade == Grade.NOT_ACHIEVED and result.reason == ""


def test_an_increase_kpi_beyond_its_target_is_achieved_with_its_real_rate():
    result = rate(Kind.INCREASE, 70, "65.0", "54.6")
    assert result.rate == D("148.1")
    assert result.grade == Grade.ACHIEVED


def test_an_increase_kpi_that_fell_below_its_baseline_has_a_negative_rate():
    result = rate(Kind.INCREASE, 50, 65, 55)
    assert result.rate == D("-50.0") and result.grade == Grade.NOT_ACHIEVED


def test_a_decrease_kpi_counts_the_share_of_the_planned_reduction():
    # 100 → target 60: 68 is a reduction of 32 of the 40 planned.
    result = rate(Kind.DECREASE, 68, 60, 100)
    assert result.rate == D("80.0") and result.grade == Grade.MOSTLY


def test_a_percent_change_kpi_has_its_base_year_as_zero():
    # CO2: ▲22.0% against the ▲28.6% target of 2025.
    result = rate(Kind.DECREASE, "-22.0", "-28.6", None, percent_change=True)
    assert result.rate == D("76.9") and result.grade == Grade.NOT_ACHIEVED


def test_a_cumulative_kpi_without_a_printed_baseline_counts_from_zero():
    result = rate(Kind.CUMULATIVE, 16, 20, None)
    assert result.rate == D("80.0") and result.grade == Grade.MOSTLY


def test_a_cumulative_kpi_with_a_baseline_counts_from_it():
    result = rate(Kind.CUMULATIVE, 30, 50, 10)
    assert result.rate == D("50.0")


def test_a_floor_kpi_compares_the_permitted_decline_with_the_actual_one():
    # Green area 319.93 ha, floor 312.93 ha (7 ha may be lost): losing 8.75 ha gives 80%.
    result = rate(Kind.FLOOR, "311.18", "312.93", "319.93")
    assert result.rate == D("80.0") and result.grade == Grade.MOSTLY
    assert rate(Kind.FLOOR, "312.93", "312.93", "319.93").grade == Grade.ACHIEVED
    assert rate(Kind.FLOOR, "305.93", "312.93", "319.93").rate == D("50.0")


def test_a_floor_kpi_that_did_not_decline_is_achieved_without_a_rate():
    result = rate(Kind.FLOOR, "320.50", "312.93", "319.93")
    assert result.grade == Grade.ACHIEVED and result.rate is None
    assert "減少していない" in result.reason


@pytest.mark.parametrize(
    "rate_value, grade",
    [
        ("100", Grade.ACHIEVED),
        ("99.9", Grade.MOSTLY),
        ("80", Grade.MOSTLY),
        ("79.9", Grade.NOT_ACHIEVED),
        ("0", Grade.NOT_ACHIEVED),
        ("250", Grade.ACHIEVED),
    ],
)
def test_grades_change_exactly_at_the_default_thresholds(rate_value, grade):
    assert grade_for(D(rate_value)) == grade


def test_the_grade_is_read_from_the_rounded_rate_that_is_printed():
    # 79.95% prints as 80.0% and is 概ね達成; 79.94% prints as 79.9% and is 未達成.
    assert rate(Kind.INCREASE, "79.95", 100, 0).rate == D("80.0")
    assert rate(Kind.INCREASE, "79.95", 100, 0).grade == Grade.MOSTLY
    assert rate(Kind.INCREASE, "79.94", 100, 0).grade == Grade.NOT_ACHIEVED
    assert rate(Kind.INCREASE, "99.95", 100, 0).grade == Grade.ACHIEVED
    assert rate(Kind.INCREASE, "99.94", 100, 0).grade == Grade.MOSTLY


def test_the_thresholds_come_from_settings(settings):
    settings.SDGS_GRADE_ACHIEVED = 90
    settings.SDGS_GRADE_MOSTLY = 60
    assert thresholds() == (D(90), D(60))
    assert grade_for(D("90")) == Grade.ACHIEVED and grade_for(D("59.9")) == Grade.NOT_ACHIEVED


def test_a_mostly_threshold_above_the_achieved_one_is_refused(settings):
    settings.SDGS_GRADE_MOSTLY = 120
    with pytest.raises(ValueError):
        thresholds()


@pytest.mark.parametrize(
    "kind, value, target, baseline, words",
    [
        (Kind.INCREASE, None, 100, 50, "実績値がない"),
        (Kind.INCREASE, 80, None, 50, "目標値が定められていない"),
        (Kind.INCREASE, 80, 100, None, "基準値がない"),
        (Kind.INCREASE, 80, 50, 50, "分母が0"),
        (Kind.DECREASE, 40, 50, 50, "分母が0"),
        (Kind.CUMULATIVE, 3, 0, None, "分母が0"),
        (Kind.FLOOR, 300, 320, 320, "分母が0"),
        (Kind.FLOOR, 300, 330, 320, "減少を抑える指標として評価できません"),
    ],
)
def test_without_a_denominator_or_a_value_the_kpi_is_unrated_with_the_reason(kind, value, target, baseline, words):
    result = rate(kind, value, target, baseline)
    assert result.grade == Grade.UNRATED and result.rate is None
    assert words in result.reason
