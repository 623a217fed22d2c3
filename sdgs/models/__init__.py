"""SDG goals and targets, the proposal's KPIs and their targets, actuals, initiatives, the funding scheme. Import
from here. The yearly evaluation's models (sdgs/evaluation/models.py) are imported last, so Django files them under
the `sdgs` app."""

from sdgs.models.actuals import DUPLICATE_DATE_MESSAGE, DUPLICATE_YEAR_MESSAGE, Actual, ActualQuerySet
from sdgs.models.goals import Goal, Target, TargetQuerySet
from sdgs.models.kpis import (
    DECIMAL_PLACES,
    MAX_DIGITS,
    REDACTION_MARKS,
    Direction,
    Kpi,
    KpiQuerySet,
    KpiTarget,
    Pillar,
    Synergy,
    current_fiscal_year,
    fiscal_year_end,
    format_number,
    has_redaction,
)
from sdgs.models.programme import Area, BudgetLine, BudgetLineQuerySet, Enquiry, Initiative

__all__ = [
    "DECIMAL_PLACES",
    "DUPLICATE_DATE_MESSAGE",
    "DUPLICATE_YEAR_MESSAGE",
    "MAX_DIGITS",
    "REDACTION_MARKS",
    "Actual",
    "ActualQuerySet",
    "Area",
    "BudgetLine",
    "BudgetLineQuerySet",
    "Direction",
    "Enquiry",
    "Goal",
    "Initiative",
    "Kpi",
    "KpiQuerySet",
    "KpiTarget",
    "Pillar",
    "Synergy",
    "Target",
    "TargetQuerySet",
    "current_fiscal_year",
    "fiscal_year_end",
    "format_number",
    "has_redaction",
]

from sdgs.evaluation.models import *  # noqa: E402,F403  (the yearly evaluation: sdgs/evaluation/)
