"""The evaluation's one published rule: a KPI's achievement rate against a year's target, and its grade.

Pure functions over plain values, so the rule can be tested on worked cases and printed on /sdgs/method/
(templates/sdgs/evaluation/_method.html says the same thing in plain Japanese; change both together).

Achievement rate (達成率, %), by the kind of KPI:

- increase (高いほどよい):  (value − baseline) ÷ (target − baseline) × 100
- decrease (低いほどよい):  (baseline − value) ÷ (baseline − target) × 100 — the same ratio, read as the
  share of the planned reduction achieved. A KPI printed as a change from its base year (CO2 ▲28.6%) has
  baseline 0 by definition, so its rate is value ÷ target.
- cumulative (累計):        (value − start) ÷ (target − start) × 100, where start is the printed baseline or 0
  when the proposal prints "—" (the count starts with the programme).
- floor (減少を抑える, the green area): the permitted decline (baseline − target) ÷ the actual decline
  (baseline − value) × 100; no decline at all is 達成 without a rate.

The rate is rounded half up to one decimal place and the grade is read from that rounded figure, so what is
printed is what was graded: ≥ SDGS_GRADE_ACHIEVED (100) 達成, ≥ SDGS_GRADE_MOSTLY (80) 概ね達成, below
未達成. No target for the year, no value, no baseline where one is needed, or a zero denominator (target equal
to baseline) → 評価不能 with the reason, never a guess.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ONE_DECIMAL = Decimal("0.1")


class Grade(models.TextChoices):
    ACHIEVED = "achieved", _("達成")
    MOSTLY = "mostly", _("概ね達成")
    NOT_ACHIEVED = "not_achieved", _("未達成")
    UNRATED = "unrated", _("評価不能")


class Kind(models.TextChoices):
    INCREASE = "increase", _("増加を目指す指標")
    DECREASE = "decrease", _("削減を目指す指標")
    CUMULATIVE = "cumulative", _("累計の指標")
    FLOOR = "floor", _("減少を抑える指標")


@dataclass(frozen=True)
class Result:
    rate: Decimal | None
    grade: Grade
    reason: str = ""


def thresholds() -> tuple[Decimal, Decimal]:
    """(achieved, mostly) in %, from settings; a mostly-threshold above the achieved one is a setup error."""
    achieved = Decimal(settings.SDGS_GRADE_ACHIEVED)
    mostly = Decimal(settings.SDGS_GRADE_MOSTLY)
    if mostly > achieved:
        raise ValueError("SDGS_GRADE_MOSTLY must not exceed SDGS_GRADE_ACHIEVED")
    return achieved, mostly


def kind_of(*, direction: str, cumulative: bool) -> Kind:
    """The kind from the KPI's fields (sdgs.models.Direction values: up, down, slow_decline)."""
    if direction == "slow_decline":
        return Kind.FLOOR
    if cumulative:
        return Kind.CUMULATIVE
    return Kind.DECREASE if direction == "down" else Kind.INCREASE


def grade_for(rate: Decimal) -> Grade:
    achieved, mostly = thresholds()
    if rate >= achieved:
        return Grade.ACHIEVED
    if rate >= mostly:
        return Grade.MOSTLY
    return Grade.NOT_ACHIEVED


def round_rate(rate: Decimal) -> Decimal:
    return rate.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _unrated(reason) -> Result:
    return Result(rate=None, grade=Grade.UNRATED, reason=str(reason))


def achievement(
    *, kind: str, value: Decimal | None, target: Decimal | None, baseline: Decimal | None, percent_change: bool = False
) -> Result:
    """The rate and grade of one KPI for one year (see the module docstring)."""
    if target is None:
        return _unrated(_("この年度の目標値が定められていないため評価できません。"))
    if value is None:
        return _unrated(_("実績値がないため評価できません。"))
    if baseline is None and (kind == Kind.CUMULATIVE or percent_change):
        baseline = Decimal(0)
    if baseline is None:
        return _unrated(_("基準値がない（提案書で「—」）ため、達成率の分母が定まらず評価できません。"))
    value, target, baseline = Decimal(value), Decimal(target), Decimal(baseline)
    if target == baseline:
        return _unrated(_("目標値が基準値と同じで達成率の分母が0になるため評価できません。"))

    if kind == Kind.FLOOR:
        permitted, actual = baseline - target, baseline - value
        if permitted < 0:
            return _unrated(_("目標値が基準値を上回っており、減少を抑える指標として評価できません。"))
        if actual <= 0:
            return Result(
                rate=None,
                grade=Grade.ACHIEVED,
                reason=str(_("基準値から減少していないため達成としました（達成率は算出しません）。")),
            )
        rate = permitted / actual * 100
    else:
        rate = (value - baseline) / (target - baseline) * 100
    rate = round_rate(rate)
    return Result(rate=rate, grade=grade_for(rate))
