"""The method page's thresholds at their exact values: ≥ 95 % of the planned progress is on track, ≥ 50 % is
slightly behind, below is behind; targets equal to the start ("keep the current level"); floors; the start."""

import datetime as dt
from decimal import Decimal as D

from sdgs.progress import Point, Status, expected_on_path, start_point, status_for

START = Point(dt.date(2020, 1, 1), D(0))
TARGET_UP = Point(dt.date(2020, 1, 1) + dt.timedelta(days=1000), D(1000))
HALF_WAY = dt.date(2020, 1, 1) + dt.timedelta(days=500)  # the path expects 500 by then


def statuses(direction, start, target, on, values):
    return [status_for(direction=direction, start=start, target=target, latest=Point(on, D(v))) for v in values]


def test_the_published_thresholds_at_their_exact_values():
    # 475 / 500 = 95 %, 474.5 / 500 = 94.9 %, 250 / 500 = 50 %, 249.5 / 500 = 49.9 %
    assert statuses("up", START, TARGET_UP, HALF_WAY, ["475", "474.5", "250", "249.5", "0"]) == [
        Status.ON_TRACK,
        Status.SLIGHTLY_BEHIND,
        Status.SLIGHTLY_BEHIND,
        Status.BEHIND,
        Status.BEHIND,
    ]


def test_the_thresholds_hold_for_reductions_too():
    start, target = Point(START.date, D(1000)), Point(TARGET_UP.date, D(0))
    assert statuses("down", start, target, HALF_WAY, ["525", "525.5", "750", "750.5"]) == [
        Status.ON_TRACK,
        Status.SLIGHTLY_BEHIND,
        Status.SLIGHTLY_BEHIND,
        Status.BEHIND,
    ]


def test_a_reduction_that_lands_exactly_on_its_target_is_achieved():
    start, target = Point(START.date, D(1000)), Point(TARGET_UP.date, D(600))
    assert statuses("down", start, target, TARGET_UP.date, ["600", "600.1"]) == [Status.ACHIEVED, Status.BEHIND]
    assert statuses("up", START, TARGET_UP, TARGET_UP.date, ["1000", "999.9"]) == [Status.ACHIEVED, Status.BEHIND]


def test_keeping_the_current_level_is_achieved_at_the_level_and_behind_below_it():
    start, target = Point(START.date, D(50)), Point(TARGET_UP.date, D(50))
    assert statuses("up", start, target, HALF_WAY, ["50", "51", "49"]) == [
        Status.ACHIEVED,
        Status.ACHIEVED,
        Status.BEHIND,
    ]
    assert statuses("down", start, target, HALF_WAY, ["50", "49", "51"]) == [
        Status.ACHIEVED,
        Status.ACHIEVED,
        Status.BEHIND,
    ]


def test_a_floor_on_its_path_is_on_track_and_on_its_target_too_early_is_slightly_behind():
    start, floor = Point(START.date, D(100)), Point(TARGET_UP.date, D(80))  # the path is at 90 half way
    assert statuses("slow_decline", start, floor, HALF_WAY, ["90", "89.9", "80", "79.9"]) == [
        Status.ON_TRACK,
        Status.SLIGHTLY_BEHIND,
        Status.SLIGHTLY_BEHIND,
        Status.BEHIND,
    ]


def test_the_path_itself_at_its_ends():
    next_day = Point(START.date + dt.timedelta(days=1), D(10))
    assert expected_on_path(START, next_day, START.date) == D(0)
    assert expected_on_path(START, next_day, next_day.date) == D(10)
    assert expected_on_path(START, Point(START.date, D(7)), START.date) == D(7)


def test_without_a_baseline_the_path_starts_at_the_earliest_actual_whatever_the_order():
    later, earliest, middle = (
        Point(dt.date(2023, 3, 31), D(5)),
        Point(dt.date(2021, 3, 31), D(9)),
        Point(dt.date(2022, 3, 31), D(1)),
    )
    assert (
        start_point(
            baseline=None, baseline_date=dt.date(2020, 4, 1), from_zero=False, observations=[later, earliest, middle]
        )
        == earliest
    )
