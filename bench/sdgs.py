"""Data for the benchmark of the SDGs pages (bench/run.py loads every page the sdgs urls declare)."""

from decimal import Decimal

# Share of the straight path each fiscal year's actual reaches (some ahead, some behind), cycled per KPI.
PACE = [Decimal("1.05"), Decimal("0.9"), Decimal("0.7"), Decimal("0.4"), Decimal("1.2")]


def prepare() -> None:
    """Realistic actuals for every seeded KPI from FY2022 to the current fiscal year (idempotent)."""
    from sdgs.board import kpi_row
    from sdgs.models import Actual, Kpi, current_fiscal_year
    from sdgs.progress import Point, expected_on_path

    for index, kpi in enumerate(Kpi.objects.for_board()):
        row = kpi_row(kpi)
        targets = sorted(row.targets.values(), key=lambda t: t.year)
        start = row.start or Point(kpi.baseline_date, targets[0].value * Decimal("0.5"))
        pace = PACE[index % len(PACE)]
        for year in range(2022, current_fiscal_year() + 1):
            target = targets[0]
            on = target.date.replace(year=year + 1)
            expected = expected_on_path(start, Point(target.date, target.value), on)
            value = start.value + (expected - start.value) * pace
            if not kpi.percent_change:
                value = max(value, Decimal(0))
            if kpi.unit == "%" and not kpi.percent_change:
                value = min(value, Decimal(100))
            Actual.objects.get_or_create(
                kpi=kpi,
                fiscal_year=year,
                defaults={"value": round(value, kpi.decimals), "source": "ベンチマーク用の試算値"},
            )
