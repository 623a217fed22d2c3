"""The KPI chart's time axis is in 年度 (西暦 and 令和), with each fiscal year's actual and target on its year."""

import re

import pytest

from sdgs import charts
from sdgs.board import progress_rows
from sdgs.models import Actual, Kpi

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_live_sources")]


def chart_of(code: str) -> str:
    return str(charts.kpi_chart(progress_rows([Kpi.objects.for_board().get(code=code)])[0]))


def year_ticks(svg: str) -> dict[str, tuple[float, str]]:
    """ "2030年度" → (x, "令和12")."""
    found = re.findall(r'<text class="tick tick-year" x="([0-9.]+)"[^>]*>(\d{4}年度)<tspan[^>]*>([^<]+)</tspan>', svg)
    return {label: (float(x), era) for x, label, era in found}


def test_the_axis_is_labelled_in_fiscal_years_with_reiwa(seeded):
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2024, value=13, source="商工会")
    ticks = year_ticks(chart_of("EC-02"))
    assert ticks["2030年度"][1] == "令和12" and ticks["2025年度"][1] == "令和7"
    assert "2031年度" not in ticks
    assert "年度末の値" in chart_of("EC-02")


def test_targets_and_actuals_sit_on_their_fiscal_year(seeded):
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2024, value=13, source="商工会")
    svg = chart_of("EC-02")
    ticks = year_ticks(svg)
    diamonds = re.findall(r'<path class="target" d="M([0-9.]+),[^"]+"><title>(\d{4})年度', svg)
    targets = {year: float(x) for x, year in diamonds}
    assert targets["2030"] == ticks["2030年度"][0]
    assert targets["2025"] == ticks["2025年度"][0]
    actual = float(re.search(r'<circle class="actual-point" cx="([0-9.]+)"', svg).group(1))
    assert actual == ticks["2024年度"][0]
    # The 2030 target is the last thing on the axis, not past a "2031" label.
    assert max(x for x, _era in ticks.values()) == targets["2030"]


def test_a_long_span_keeps_the_labels_apart_and_still_labels_the_target_year(seeded):
    kpi = Kpi.objects.get(code="EN-01")  # baseline FY2015, target FY2030
    Actual.objects.create(kpi=kpi, fiscal_year=2016, value="-5.0", source="事務事業編")
    ticks = year_ticks(chart_of("EN-01"))
    assert "2030年度" in ticks and "2025年度" in ticks
    xs = sorted(x for x, _era in ticks.values())
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= charts.MIN_LABEL_GAP  # room for "2030年度"
