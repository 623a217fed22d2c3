"""What every public view shows for a KPI: its actuals, current value (live when a source feeds it),
targets and the computed status per target year. Built from `Kpi.objects.for_board()` without further queries
(a live figure costs what its source costs, once per source and call).

`progress_rows()` is the one function the dashboard, the KPI pages, the downloads and the yearly report all
call, so a KPI never shows one status on the dashboard and another in the report.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.wareki import wareki
from sdgs.goals import GOALS
from sdgs.models import Actual, Kpi, KpiTarget, Pillar, current_fiscal_year, fiscal_year_end
from sdgs.progress import Point, Status, start_point, status_for
from sdgs.sources import source_get

logger = logging.getLogger(__name__)

TARGET_YEARS = (2025, 2030)
# The plan started in FY2023: the first yearly report is that year's.
FIRST_REPORT_YEAR = 2023


def report_years() -> list[int]:
    """The fiscal years with a yearly report, newest first (the current year's is the report so far)."""
    return list(range(current_fiscal_year(), FIRST_REPORT_YEAR - 1, -1))


@dataclass
class LiveValue:
    key: str
    label: str
    value: Decimal
    date: dt.date


@dataclass
class KpiRow:
    kpi: Kpi
    actuals: list[Actual]
    targets: dict[int, KpiTarget]
    live: LiveValue | None
    statuses: dict[int, Status] = field(default_factory=dict)

    @property
    def latest(self) -> Point | None:
        if self.live is not None:
            return Point(self.live.date, self.live.value)
        if self.actuals:
            last = self.actuals[-1]
            return Point(last.date, last.value)
        return None

    @property
    def latest_label(self) -> str:
        if self.live is not None:
            return _("%(date)s現在（自動集計）") % {"date": wareki(self.live.date)}
        return self.actuals[-1].period_label if self.actuals else ""

    @property
    def latest_display(self) -> str:
        latest = self.latest
        return self.kpi.format_value(latest.value) if latest else _("未入力")

    @property
    def start(self) -> Point | None:
        kpi = self.kpi
        baseline = None
        if kpi.baseline_value is not None:
            baseline = Point(kpi.baseline_date, kpi.baseline_value)
        return start_point(
            baseline=baseline,
            baseline_date=kpi.baseline_date,
            from_zero=kpi.cumulative or kpi.percent_change,
            observations=self.points,
        )

    @property
    def points(self) -> list[Point]:
        points = [Point(a.date, a.value) for a in self.actuals]
        if self.live is not None:
            points.append(Point(self.live.date, self.live.value))
        return points

    @property
    def status_list(self) -> list[tuple[int, KpiTarget, Status]]:
        return [(year, self.targets[year], self.statuses[year]) for year in sorted(self.targets)]

    @property
    def trend(self) -> str:
        """Direction of the last change, in words (the sparkline's text alternative)."""
        points = self.points
        if len(points) < 2:
            return ""
        delta = points[-1].value - points[-2].value
        if delta == 0:
            return _("横ばい")
        return _("増加") if delta > 0 else _("減少")


def live_value(kpi: Kpi, *, today: dt.date | None = None) -> LiveValue | None:
    """The registered live figure for this KPI, or None (not linked, not registered, or it failed)."""
    if not kpi.source_key:
        return None
    source = source_get(kpi.source_key)
    if source is None:
        return None
    try:
        value = Decimal(source.compute())
    except Exception:
        # A broken feed must not take the public dashboard down: fall back to the entered actuals.
        logger.exception("live KPI source %s failed", kpi.source_key)
        return None
    return LiveValue(key=source.key, label=source.label, value=value, date=today or timezone.localdate())


def kpi_row(kpi: Kpi, *, until_year: int | None = None, live: LiveValue | None = None) -> KpiRow:
    """One KPI's row: its actuals (up to the end of `until_year` when given), the live figure when given, and
    its status for each target year."""
    actuals = list(kpi.actuals.all())
    if until_year is not None:
        limit = fiscal_year_end(until_year)
        actuals = [a for a in actuals if a.date <= limit]
    actuals.sort(key=lambda a: (a.date, a.pk or 0))
    targets = {t.year: t for t in kpi.targets.all()}
    row = KpiRow(kpi=kpi, actuals=actuals, targets=targets, live=live)
    start, latest = row.start, row.latest
    for year, target in targets.items():
        row.statuses[year] = status_for(
            direction=kpi.direction, start=start, target=Point(target.date, target.value), latest=latest
        )
    return row


def progress_rows(kpis, *, year: int | None = None) -> list[KpiRow]:
    """Every KPI's row as of the end of fiscal `year` (default: the current fiscal year, i.e. today).

    A live figure is today's count, so it stands for the current fiscal year only: a past year's report shows
    what was entered for that year. Each source is computed once per call, however many KPIs it feeds."""
    current = current_fiscal_year()
    year = current if year is None else year
    live: dict[str, LiveValue | None] = {}
    rows = []
    for kpi in kpis:
        figure = None
        if year == current and kpi.source_key:
            if kpi.source_key not in live:
                live[kpi.source_key] = live_value(kpi)
            figure = live[kpi.source_key]
        rows.append(kpi_row(kpi, until_year=None if year == current else year, live=figure))
    return rows


def status_summary(rows) -> list[tuple[Status, int]]:
    counts = {s: 0 for s in Status}
    for row in rows:
        for status in row.statuses.values():
            counts[status] += 1
    return [(s, counts[s]) for s in Status]


def group_by_pillar(rows):
    groups = []
    for value, label in Pillar.choices:
        members = [r for r in rows if r.kpi.pillar == value]
        if members:
            groups.append({"key": value, "title": label, "rows": members})
    return groups


def group_by_goal(rows):
    """Rows under each SDG their targets belong to (a KPI with targets of two goals shows under both)."""
    groups = []
    for number in GOALS:
        members = [r for r in rows if any(t.goal_id == number for t in r.kpi.sdg_targets.all())]
        if members:
            groups.append(
                {
                    "key": f"goal-{number}",
                    "title": GOALS[number].label,
                    "css": f"goal-heading sdg-goal-{number}",
                    "rows": members,
                }
            )
    orphans = [r for r in rows if not r.kpi.sdg_targets.all()]
    if orphans:
        groups.append({"key": "goal-none", "title": _("ターゲット番号の記載がないKPI"), "rows": orphans})
    return groups
