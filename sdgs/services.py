"""Writes: actuals (one, or a whole fiscal year at once) and the actual spend of the funding scheme."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from sdgs.models import Actual, BudgetLine, Kpi


@dataclass(frozen=True)
class YearEntry:
    kpi: Kpi
    value: Decimal
    source: str
    note: str = ""


@transaction.atomic
def actual_save(*, actual: Actual, user=None) -> Actual:
    """Validate and save one actual; the entering user is recorded, the change goes to the history."""
    if user is not None and user.is_authenticated:
        actual.entered_by = user
    actual.full_clean()
    actual.save()
    return actual


@transaction.atomic
def actuals_record_year(*, fiscal_year: int, entries: list[YearEntry], user=None) -> list[Actual]:
    """Record a whole fiscal year's actuals: each entry creates or corrects that KPI's actual for the year.

    All or nothing: one invalid value rolls back the others, so a half-entered year never shows publicly.
    """
    rows = Actual.objects.select_for_update().in_fiscal_year(fiscal_year).for_kpis([e.kpi for e in entries])
    existing = {a.kpi_id: a for a in rows}
    saved = []
    for entry in entries:
        actual = existing.get(entry.kpi.pk) or Actual(kpi=entry.kpi, fiscal_year=fiscal_year)
        if actual.pk and actual.value == entry.value and actual.source == entry.source and actual.note == entry.note:
            continue  # unchanged: no new history row
        actual.value, actual.source, actual.note = entry.value, entry.source, entry.note
        saved.append(actual_save(actual=actual, user=user))
    return saved


@transaction.atomic
def budget_line_save(*, line: BudgetLine) -> BudgetLine:
    line.full_clean()
    line.save()
    return line
