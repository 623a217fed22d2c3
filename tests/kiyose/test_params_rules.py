"""Parsers at their exact bounds, and with values of the wrong type (never a TypeError, never a 500)."""

import datetime as dt

import pytest

from kiyose.params import (
    IdConverter,
    YearConverter,
    parse_choice,
    parse_date,
    parse_int,
    parse_month,
    parse_year,
)


def test_zero_is_a_number_unless_a_minimum_says_otherwise():
    assert parse_int("0") == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2000-01-01", dt.date(2000, 1, 1)),
        ("2999-12-31", dt.date(2999, 12, 31)),
        ("1999-12-31", None),
        ("3000-01-01", None),
    ],
)
def test_dates_are_kept_within_the_years_the_portal_knows(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", [2026, 20261101, None, ["2026"], b"2026"])
def test_values_that_are_not_text_are_refused_by_every_parser(raw):
    assert (parse_year(raw), parse_date(raw), parse_month(raw)) == (None, None, None)


@pytest.mark.parametrize(
    ("raw", "choices", "expected"),
    [("b", ["a", "b"], "b"), ("1", [1, 2], "1"), ("c", ["a", "b"], ""), (["a"], ["a"], ""), (1, [1], "")],
)
def test_a_choice_is_one_of_the_offered_values_as_text(raw, choices, expected):
    assert parse_choice(raw, choices) == expected


def test_converters_write_what_they_read():
    assert (YearConverter().to_url(2026), YearConverter().to_url("0999")) == ("2026", "0999")
    assert (YearConverter().to_python("2026"), IdConverter().to_python("42"), IdConverter().to_url("7")) == (
        2026,
        42,
        "7",
    )
