"""The yearly report and the dashboard are computed by the same function (sdgs.board.progress_rows), so for
the current fiscal year they give every KPI the same status — the KPIs fed live by the talent bank too."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sdgs import documents
from sdgs.models import Actual, Kpi, current_fiscal_year
from sdgs.progress import Status
from sdgs.sources import source_register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_live_sources")]
LIVE = {"talentbank.registrations": 260, "talentbank.sdgs_graduates": 3, "talentbank.care_matches": 12}


@pytest.fixture
def board(seeded):
    """Actuals for every KPI over three years (some ahead, some behind) and the talent bank's live counts."""
    for i, kpi in enumerate(Kpi.objects.for_board()):
        target = min(t.value for t in kpi.targets.all())
        for j, year in enumerate(range(current_fiscal_year() - 2, current_fiscal_year() + 1)):
            value = target * Decimal(i % 4 + j + 1) / 6
            if kpi.unit == "%" and not kpi.percent_change:
                value = min(abs(value), Decimal(100))
            elif not kpi.percent_change:
                value = abs(value)
            Actual.objects.create(kpi=kpi, fiscal_year=year, value=round(value, kpi.decimals), source="試験")
    for key, count in LIVE.items():
        source_register(key, label=key, unit="人", compute=lambda count=count: count)


def report_statuses(year):
    return {row.kpi.code: {y: s.value for y, s in row.statuses.items()} for row in documents.report_rows(year)}


def test_every_kpi_has_the_same_status_in_the_report_and_on_the_dashboard(client, board):
    report = report_statuses(current_fiscal_year())
    data = json.loads(client.get(reverse("sdgs:kpis_json")).content)["kpis"]
    dashboard = {k["code"]: {int(y): s for y, s in k["status"].items() if s} for k in data}
    assert set(report) == set(dashboard) == set(Kpi.objects.public().values_list("code", flat=True))
    assert report == dashboard
    live_codes = set(Kpi.objects.exclude(source_key="").values_list("code", flat=True))
    assert live_codes and live_codes <= set(report)
    # The statuses are not all alike, so the comparison above means something.
    assert len({s for statuses in report.values() for s in statuses.values()}) >= 3


def test_the_dashboard_page_and_the_csv_print_the_reports_statuses(client, board):
    report = report_statuses(current_fiscal_year())
    labels = {s.value: str(s.label) for s in Status}
    rows = list(csv.reader(io.StringIO(client.get(reverse("sdgs:kpis_csv")).content.decode("utf-8-sig"))))
    for row in rows[1:]:
        assert [row[13] or None, row[14] or None] == [labels.get(report[row[0]].get(y)) for y in (2025, 2030)]
    html = client.get(reverse("sdgs:dashboard")).content.decode()
    for code, statuses in report.items():
        cells = re.search(rf'href="/sdgs/kpis/{re.escape(code)}/".*?</tr>', html, re.S).group(0)
        shown = re.findall(r"kpi-status kpi-status-([a-z_]+)", cells)
        assert shown == [statuses[y] for y in sorted(statuses)], code


def test_the_live_figure_is_the_current_years_actual_in_the_report_only_for_the_current_year(board):
    this_year = {row.kpi.code: row for row in documents.report_rows(current_fiscal_year())}
    last_year = {row.kpi.code: row for row in documents.report_rows(current_fiscal_year() - 1)}
    kpi = Kpi.objects.get(source_key="talentbank.registrations")
    assert this_year[kpi.code].year_actual == "260人"
    assert last_year[kpi.code].live is None
