"""Numbers from requests: ASCII digits only, bounded before conversion, ranged after."""

import datetime as dt

import pytest

from kiyose.params import ID_MAX, parse_date, parse_id, parse_int, parse_month, parse_year


@pytest.mark.parametrize(
    "raw",
    ["", "²", "٣", "１", "-1", "1e3", " 1", "1 ", "0x1", "1.0", "9" * 11, "9" * 5000, None, ["1"], "\x00", "1\x00"],
)
def test_anything_but_ascii_digits_is_refused(raw):
    assert parse_int(raw) is None


@pytest.mark.parametrize(("raw", "expected"), [("0", None), ("1", 1), (str(ID_MAX), ID_MAX), (str(ID_MAX + 1), None)])
def test_ids_are_positive_and_fit_the_column(raw, expected):
    assert parse_id(raw) == expected


def test_ranges_are_inclusive():
    assert parse_int("5", minimum=5, maximum=5) == 5
    assert parse_int("4", minimum=5, maximum=9) is None
    assert parse_int("10", minimum=5, maximum=9) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026", 2026), ("2000", 2000), ("2999", 2999), ("1999", None), ("3000", None), ("２０２６", None), ("202", None)],
)
def test_years(raw, expected):
    assert parse_year(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-04-01", dt.date(2026, 4, 1)),
        ("2026-02-30", None),
        ("2026-4-1", None),
        ("１９９９-01-01", None),
        ("1999-12-31", None),
        ("2026-04-01T00:00", None),
        ("9999-12-31", None),
    ],
)
def test_dates(raw, expected):
    assert parse_date(raw) == expected


def test_months():
    assert parse_month("2026-11") == dt.date(2026, 11, 1)
    assert parse_month("2026-13") is None
    assert parse_month("2026-1") is None
