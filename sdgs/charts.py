"""Server-rendered SVG: the KPI chart (actuals against the straight path to each target) and the sparkline.

The time axis is in 年度: a tick at the end of each fiscal year (31 March), labelled with that year in 西暦
and 令和, because a fiscal year's actual and target are its state at the year's end (sdgs.progress) — so the
FY2030 target sits on the "2030年度" tick, and the straight path stays straight in time.

No inline style attributes (CSP): colours come from classes in sdgs/static/sdgs/sdgs.css. Every chart carries
<title>/<desc>; the page also prints the description and the numbers as a table.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kiyose.wareki import fiscal_year, wareki_year
from sdgs.board import KpiRow
from sdgs.models import fiscal_year_end
from sdgs.progress import Point, expected_on_path

WIDTH, HEIGHT = 720, 350
LEFT, RIGHT, TOP, BOTTOM = 96, 32, 24, 58
# Room for a "2030年度" label at 12px.
MIN_LABEL_GAP = 62


@dataclass
class Scale:
    x0: int
    x1: int
    y0: Decimal
    y1: Decimal

    def x(self, day: dt.date) -> float:
        span = max(self.x1 - self.x0, 1)
        return LEFT + (day.toordinal() - self.x0) / span * (WIDTH - LEFT - RIGHT)

    def y(self, value: Decimal) -> float:
        span = self.y1 - self.y0 or Decimal(1)
        return float(TOP + (self.y1 - Decimal(value)) / span * (HEIGHT - TOP - BOTTOM))


def _n(number: float) -> str:
    return f"{number:.1f}"


def _nice_step(span: Decimal) -> Decimal:
    raw = span / 5 if span > 0 else Decimal(1)
    magnitude = Decimal(10) ** raw.adjusted()
    for factor in (1, 2, 5, 10):
        if raw <= magnitude * factor:
            return magnitude * factor
    return magnitude * 10


def _ticks(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, list[Decimal]]:
    step = _nice_step(high - low)
    start = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    end = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if start == end:
        end = start + step
    ticks, value = [], start
    while value <= end + step / 1000:
        ticks.append(value)
        value += step
    return start, end, ticks


def year_ticks(scale: Scale, first_year: int, last_year: int, *, targets=()) -> list[SafeString]:
    """The 年度 axis: a grid line at each fiscal year's end, labelled "2030年度" over "令和12" — the target years
    always, the others where there is room beside them."""
    out, labelled = [], []
    for year in range(first_year, last_year + 1):
        x = scale.x(fiscal_year_end(year))
        out.append(
            format_html(
                '<line class="grid grid-x" x1="{}" x2="{}" y1="{}" y2="{}"/>', _n(x), _n(x), TOP, HEIGHT - BOTTOM
            )
        )
    candidates = [y for y in targets if first_year <= y <= last_year]
    candidates += [y for y in range(last_year, first_year - 1, -1) if y not in candidates]
    for year in candidates:
        x = scale.x(fiscal_year_end(year))
        if all(abs(x - other) >= MIN_LABEL_GAP for other in labelled):
            labelled.append(x)
            out.append(
                format_html(
                    '<text class="tick tick-year" x="{}" y="{}" text-anchor="middle">{}<tspan x="{}" dy="14">{}'
                    "</tspan></text>",
                    _n(x),
                    HEIGHT - BOTTOM + 18,
                    _("%(year)d年度") % {"year": year},
                    _n(x),
                    wareki_year(year).removesuffix("年"),
                )
            )
    out.append(
        format_html(
            '<text class="unit" x="{}" y="{}" text-anchor="end">{}</text>', WIDTH - 4, HEIGHT - 4, _("（年度末の値）")
        )
    )
    return out


def plan_points(row: KpiRow) -> list[Point]:
    start = row.start
    if start is None:
        return []
    points = [start]
    for year in sorted(row.targets):
        target = row.targets[year]
        if target.date > points[-1].date:
            points.append(Point(target.date, target.value))
    return points


def plan_value_on(row: KpiRow, day: dt.date) -> Decimal | None:
    """The straight path's value on a date (between the start and the first target, then target to target)."""
    points = plan_points(row)
    for a, b in zip(points, points[1:], strict=False):
        if a.date <= day <= b.date:
            return expected_on_path(a, b, day)
    return None


def describe(row: KpiRow) -> str:
    kpi = row.kpi
    parts = []
    start = row.start
    if kpi.baseline_value is not None:
        parts.append(
            _("基準値は%(value)s（%(when)s）。")
            % {"value": kpi.format_value(kpi.baseline_value), "when": kpi.baseline_label}
        )
    elif start is not None and (kpi.cumulative or kpi.percent_change):
        parts.append(_("基準値の記載はなく、%(when)sを0として計画線を引いています。") % {"when": kpi.baseline_label})
    targets = "、".join(
        _("%(year)d年度に%(value)s") % {"year": y, "value": kpi.format_value(t.value)}
        for y, t in sorted(row.targets.items())
    )
    parts.append(_("目標は%(targets)s。") % {"targets": targets})
    if row.points:
        parts.append(
            _("実績は%(n)d件あり、最新は%(when)sの%(value)sです。")
            % {"n": len(row.points), "when": row.latest_label, "value": row.latest_display}
        )
    else:
        parts.append(_("実績はまだ入力されていません。"))
    for year, _target, status in row.status_list:
        parts.append(_("%(year)d年度の目標に対する状況：%(status)s。") % {"year": year, "status": status.label})
    return "".join(parts)


def kpi_chart(row: KpiRow, *, chart_id: str = "kpi-chart") -> SafeString:
    kpi = row.kpi
    plan = plan_points(row)
    actual = row.points
    targets = [Point(t.date, t.value) for _, t in sorted(row.targets.items())]
    everything = plan + actual + targets
    if not everything:
        return mark_safe("")  # noqa: S308 - empty literal
    dates = [p.date for p in everything] + [kpi.baseline_date]
    values = [p.value for p in everything]
    if kpi.cumulative or kpi.percent_change:
        values.append(Decimal(0))
    low, high = min(values), max(values)
    pad = (high - low) * Decimal("0.08") or abs(high) * Decimal("0.05") or Decimal(1)
    y0, y1, yticks = _ticks(low - pad if low != 0 else low, high + pad)
    first_year, last_year = fiscal_year(min(dates)) - 1, fiscal_year(max(dates))
    scale = Scale(fiscal_year_end(first_year).toordinal(), fiscal_year_end(last_year).toordinal(), y0, y1)

    out = [
        format_html(
            '<svg class="kpi-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
            'xmlns="http://www.w3.org/2000/svg" focusable="false">',
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
        )
    ]
    out.append(
        format_html(
            '<title id="{}-title">{}</title>',
            chart_id,
            _("%(indicator)s の実績と目標への計画線") % {"indicator": kpi.indicator},
        )
    )
    out.append(format_html('<desc id="{}-desc">{}</desc>', chart_id, describe(row)))
    for tick in yticks:
        y = scale.y(tick)
        out.append(
            format_html('<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>', LEFT, WIDTH - RIGHT, _n(y), _n(y))
        )
        out.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT - 8,
                _n(y + 4),
                kpi.format_value(tick, with_unit=False),
            )
        )
    out += year_ticks(scale, first_year, last_year, targets=sorted(row.targets))
    out.append(
        format_html(
            '<text class="unit" x="{}" y="{}" text-anchor="start">{}</text>',
            4,
            TOP - 8,
            _("（%(unit)s）") % {"unit": kpi.unit},
        )
    )
    if len(plan) >= 2:
        coords = " ".join(f"{scale.x(p.date):.1f},{scale.y(p.value):.1f}" for p in plan)
        out.append(format_html('<polyline class="plan" points="{}"/>', coords))
    for year, target in sorted(row.targets.items()):
        x, y = scale.x(target.date), scale.y(target.value)
        out.append(
            format_html(
                '<path class="target" d="M{},{} l7,7 l-7,7 l-7,-7 z"><title>{}</title></path>',
                _n(x),
                _n(y - 7),
                _("%(year)d年度の目標 %(value)s") % {"year": year, "value": kpi.format_value(target.value)},
            )
        )
    if plan:
        s = plan[0]
        out.append(
            format_html(
                '<circle class="start" cx="{}" cy="{}" r="5"><title>{}</title></circle>',
                _n(scale.x(s.date)),
                _n(scale.y(s.value)),
                _("起点 %(value)s") % {"value": kpi.format_value(s.value)},
            )
        )
    if len(actual) >= 2:
        coords = " ".join(f"{scale.x(p.date):.1f},{scale.y(p.value):.1f}" for p in actual)
        out.append(format_html('<polyline class="actual" points="{}"/>', coords))
    for point in actual:
        out.append(
            format_html(
                '<circle class="actual-point" cx="{}" cy="{}" r="4.5"><title>{}</title></circle>',
                _n(scale.x(point.date)),
                _n(scale.y(point.value)),
                _("実績 %(value)s") % {"value": kpi.format_value(point.value)},
            )
        )
    out.append(mark_safe("</svg>"))  # noqa: S308 - literal markup
    return mark_safe("".join(str(part) for part in out))  # noqa: S308 - every part above is escaped


def sparkline(row: KpiRow) -> SafeString:
    points = row.points
    if len(points) < 2:
        return mark_safe("")  # noqa: S308 - empty literal
    w, h, pad = 96, 28, 3
    x0, x1 = points[0].date.toordinal(), points[-1].date.toordinal()
    low, high = min(p.value for p in points), max(p.value for p in points)
    span_x, span_y = max(x1 - x0, 1), (high - low) or Decimal(1)
    coords = " ".join(
        f"{pad + (p.date.toordinal() - x0) / span_x * (w - 2 * pad):.1f},"
        f"{pad + float((high - p.value) / span_y) * (h - 2 * pad):.1f}"
        for p in points
    )
    label = _("推移：") + "、".join(f"{a.period_label} {row.kpi.format_value(a.value)}" for a in row.actuals[-5:])
    if row.live is not None:
        label += "、" + _("現在 %(value)s") % {"value": row.kpi.format_value(row.live.value)}
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg"><polyline points="{}"/></svg>',
        w,
        h,
        w,
        h,
        label,
        coords,
    )


__all__ = ["describe", "kpi_chart", "plan_value_on", "sparkline"]
