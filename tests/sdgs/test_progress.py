"""The status method on worked cases of every kind of KPI."""

import datetime as dt
from decimal import Decimal

import pytest

from sdgs.board import progress_rows
from sdgs.models import Actual, Kpi
from sdgs.progress import Point, Status, expected_on_path, start_point, status_for
from sdgs.sources import source_register

D = Decimal


def fy_end(year):
    return dt.date(year + 1, 3, 31)


# --- cumulative count, no printed baseline: the path starts from 0 at the baseline date (累計20件) ---
START_2022 = Point(dt.date(2022, 4, 1), D(0))
T2025_20 = Point(fy_end(2025), D(20))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10, Status.ON_TRACK),  # half the time gone, half the count reached: ratio 1.0
        (D("9.6"), Status.ON_TRACK),  # ratio 0.96 ≥ 0.95
        (6, Status.SLIGHTLY_BEHIND),  # ratio 0.6
        (4, Status.BEHIND),  # ratio 0.4 < 0.5
        (0, Status.BEHIND),
        (20, Status.ACHIEVED),  # reached before the target year: achieved
    ],
)
def test_cumulative_count_half_way(value, expected):
    latest = Point(fy_end(2023), D(value))
    assert expected_on_path(START_2022, T2025_20, fy_end(2023)) == D(10)
    assert status_for(direction="up", start=START_2022, target=T2025_20, latest=latest) == expected


def test_cumulative_count_after_the_target_year():
    assert (
        status_for(direction="up", start=START_2022, target=T2025_20, latest=Point(fy_end(2025), D(18)))
        == Status.BEHIND
    )
    assert (
        status_for(direction="up", start=START_2022, target=T2025_20, latest=Point(fy_end(2026), D(21)))
        == Status.ACHIEVED
    )


def test_no_actual_cannot_be_evaluated():
    assert status_for(direction="up", start=START_2022, target=T2025_20, latest=None) == Status.CANNOT_EVALUATE


# --- higher is better with a printed baseline (ひまわり 432,000千円 in 2019-08 → 476,000千円 in 2025) ---
def test_higher_is_better_with_baseline():
    start = Point(dt.date(2019, 8, 1), D(432000))
    target = Point(fy_end(2025), D(476000))
    on = fy_end(2023)
    expected = expected_on_path(start, target, on)
    planned = expected - start.value
    assert (
        status_for(direction="up", start=start, target=target, latest=Point(on, start.value + planned))
        == Status.ON_TRACK
    )
    assert (
        status_for(direction="up", start=start, target=target, latest=Point(on, start.value + planned * D("0.7")))
        == Status.SLIGHTLY_BEHIND
    )
    # Going backwards (fewer visitors than in 2019) is behind.
    assert status_for(direction="up", start=start, target=target, latest=Point(on, D(400000))) == Status.BEHIND
    assert status_for(direction="up", start=start, target=target, latest=Point(on, D(480000))) == Status.ACHIEVED


# --- % change against a base year, lower is better (CO2 ▲28.6% by 2025 against 2015) ---
CO2_START = Point(fy_end(2015), D(0))
CO2_2025 = Point(fy_end(2025), D("-28.6"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-15.0", Status.ON_TRACK),  # path expects about ▲14.3% by FY2020
        ("-10.0", Status.SLIGHTLY_BEHIND),  # ratio ≈ 0.70
        ("-5.0", Status.BEHIND),  # ratio ≈ 0.35
        ("2.0", Status.BEHIND),  # emissions rose
        ("-30.0", Status.ACHIEVED),
    ],
)
def test_percentage_change_reduction(value, expected):
    latest = Point(fy_end(2020), D(value))
    assert status_for(direction="down", start=CO2_START, target=CO2_2025, latest=latest) == expected


# --- a decline that must be slowed: the target is a floor (緑地面積 319.93ha → 312.93ha → 299.93ha) ---
GREEN_START = Point(dt.date(2020, 3, 1), D("319.93"))
GREEN_2025 = Point(fy_end(2025), D("312.93"))
GREEN_2030 = Point(fy_end(2030), D("299.93"))


def test_floor_on_track_while_declining_no_faster_than_planned():
    on = fy_end(2022)
    path = expected_on_path(GREEN_START, GREEN_2025, on)
    assert D("315") < path < D("318")
    assert (
        status_for(direction="slow_decline", start=GREEN_START, target=GREEN_2025, latest=Point(on, D("318.00")))
        == Status.ON_TRACK
    )
    assert (
        status_for(direction="slow_decline", start=GREEN_START, target=GREEN_2025, latest=Point(on, D("314.00")))
        == Status.SLIGHTLY_BEHIND
    )
    assert (
        status_for(direction="slow_decline", start=GREEN_START, target=GREEN_2025, latest=Point(on, D("312.00")))
        == Status.BEHIND
    )


def test_floor_is_achieved_only_when_the_target_year_is_over():
    # Still above 312.93ha in FY2022 is not yet "achieved": the area may still shrink below it by 2025.
    assert (
        status_for(
            direction="slow_decline",
            start=GREEN_START,
            target=GREEN_2025,
            latest=Point(fy_end(2022), D("319.00")),
        )
        == Status.ON_TRACK
    )
    assert (
        status_for(
            direction="slow_decline",
            start=GREEN_START,
            target=GREEN_2025,
            latest=Point(fy_end(2025), D("313.00")),
        )
        == Status.ACHIEVED
    )
    assert (
        status_for(
            direction="slow_decline",
            start=GREEN_START,
            target=GREEN_2030,
            latest=Point(fy_end(2025), D("313.00")),
        )
        == Status.ON_TRACK
    )


# --- no baseline and not cumulative (a survey %): the first actual is the start ---
def test_survey_without_baseline_starts_from_the_first_actual():
    target = Point(fy_end(2030), D("80.0"))
    first = Point(dt.date(2023, 7, 1), D("40.0"))
    assert start_point(baseline=None, baseline_date=dt.date(2020, 4, 1), from_zero=False, observations=[first]) == first
    # One survey only: nothing to measure progress against.
    assert status_for(direction="up", start=first, target=target, latest=first) == Status.CANNOT_EVALUATE
    assert (
        status_for(direction="up", start=first, target=target, latest=Point(dt.date(2023, 7, 1), D("85")))
        == Status.ACHIEVED
    )
    later = Point(dt.date(2025, 7, 1), D("50.0"))
    assert status_for(direction="up", start=first, target=target, latest=later) == Status.ON_TRACK


# --- through the seeded KPIs, with actuals and a live source ---
@pytest.fixture
def kpi(seeded, no_live_sources):
    def _get(code):
        return Kpi.objects.for_board().get(code=code)

    return _get


def kpi_row(kpi, *, until_year=None):
    return progress_rows([kpi], year=until_year)[0]


def test_seeded_cumulative_kpi(kpi):
    k = kpi("EC-02")
    Actual.objects.create(kpi=k, fiscal_year=2023, value=10, source="商工会")
    row = kpi_row(kpi("EC-02"))
    assert row.statuses == {2025: Status.ON_TRACK, 2030: Status.ON_TRACK}
    assert row.latest_display == "10件"


def test_seeded_co2_kpi(kpi):
    Actual.objects.create(kpi=kpi("EN-01"), fiscal_year=2020, value=D("-15.0"), source="事務事業編")
    row = kpi_row(kpi("EN-01"))
    assert row.statuses[2025] == Status.ON_TRACK
    assert row.latest_display == "▲15.0%"


def test_seeded_kpi_without_actuals(kpi):
    assert kpi_row(kpi("EC-03")).statuses == {2025: Status.CANNOT_EVALUATE}


def test_yearly_report_ignores_later_actuals(kpi):
    k = kpi("EC-02")
    Actual.objects.create(kpi=k, fiscal_year=2023, value=10, source="商工会")
    Actual.objects.create(kpi=k, fiscal_year=2024, value=2, source="商工会")
    assert kpi_row(kpi("EC-02"), until_year=2023).latest.value == 10


def test_live_source_is_the_current_actual(kpi, no_live_sources):
    Actual.objects.create(kpi=kpi("SO-05"), fiscal_year=2023, value=5, source="市民協働課")
    source_register("talentbank.registrations", label="市民人材バンク登録者数", unit="人", compute=lambda: 47)
    row = kpi_row(kpi("SO-05"))
    assert row.live is not None and row.latest.value == 47
    assert "自動集計" in row.latest_label


def test_unregistered_or_broken_source_falls_back_to_entered_actuals(kpi, no_live_sources):
    Actual.objects.create(kpi=kpi("SO-05"), fiscal_year=2023, value=5, source="市民協働課")
    assert kpi_row(kpi("SO-05")).latest.value == 5

    def broken():
        raise RuntimeError("talentbank unavailable")

    source_register("talentbank.registrations", label="市民人材バンク登録者数", unit="人", compute=broken)
    assert kpi_row(kpi("SO-05")).latest.value == 5
