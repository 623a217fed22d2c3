"""The progress method: a status for one KPI and one target year, computed from baseline, actuals and target.

Pure functions over plain values so the method can be tested on worked cases and explained on the public
page (templates/sdgs/method.html says the same thing in plain Japanese).

1. No actual → cannot evaluate.
2. Target reached → achieved (for a floor such as the green area: only once the target year is over).
3. Target year over and not reached → behind.
4. Otherwise compare with the straight path from the start point to the target: progress made / progress the
   path expected by the date of the latest actual. ≥ 95% on track, ≥ 50% slightly behind, below → behind.
   For a floor: at or above the path → on track; below the path but above the target → slightly behind;
   already below the target → behind.
   Start point: the printed baseline; 0 at the baseline date for cumulative counts and % changes with no
   printed baseline; otherwise the first actual (so a single actual cannot be evaluated unless it reached
   the target).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ON_TRACK_RATIO = Decimal("0.95")
SLIGHTLY_BEHIND_RATIO = Decimal("0.5")


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("達成")
    ON_TRACK = "on_track", _("順調")
    SLIGHTLY_BEHIND = "slightly_behind", _("やや遅れ")
    BEHIND = "behind", _("遅れ")
    CANNOT_EVALUATE = "cannot_evaluate", _("評価できない")


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: Decimal


def start_point(
    *, baseline: Point | None, baseline_date: dt.date, from_zero: bool, observations: list[Point]
) -> Point | None:
    """Where the straight path begins (see the module docstring)."""
    if baseline is not None:
        return baseline
    if from_zero:
        return Point(baseline_date, Decimal(0))
    if observations:
        return min(observations, key=lambda p: p.date)
    return None


def _reached(direction: str, value: Decimal, target: Decimal) -> bool:
    return value <= target if direction == "down" else value >= target


def expected_on_path(start: Point, target: Point, on: dt.date) -> Decimal:
    span = (target.date - start.date).days
    if span <= 0:
        return target.value
    elapsed = Decimal((on - start.date).days) / Decimal(span)
    return start.value + (target.value - start.value) * elapsed


def status_for(*, direction: str, start: Point | None, target: Point, latest: Point | None) -> Status:
    if latest is None:
        return Status.CANNOT_EVALUATE
    target_over = latest.date >= target.date
    floor = direction == "slow_decline"

    if _reached(direction, latest.value, target.value) and (target_over or not floor):
        return Status.ACHIEVED
    if target_over:
        return Status.BEHIND
    if floor and latest.value < target.value:
        return Status.BEHIND
    if start is None or latest.date <= start.date:
        return Status.CANNOT_EVALUATE

    expected = expected_on_path(start, target, latest.date)
    if floor:
        return Status.ON_TRACK if latest.value >= expected else Status.SLIGHTLY_BEHIND

    planned = expected - start.value
    if planned == 0:
        return Status.ON_TRACK if _reached(direction, latest.value, start.value) else Status.BEHIND
    ratio = (latest.value - start.value) / planned
    if ratio >= ON_TRACK_RATIO:
        return Status.ON_TRACK
    if ratio >= SLIGHTLY_BEHIND_RATIO:
        return Status.SLIGHTLY_BEHIND
    return Status.BEHIND
