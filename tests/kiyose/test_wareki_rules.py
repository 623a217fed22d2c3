"""Every era boundary the portal can print, on both sides, and the dates it refuses."""

import datetime as dt

import pytest

from kiyose.wareki import fiscal_year_label, wareki, wareki_year


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(1873, 1, 1), "明治6年1月1日"),
        (dt.date(1912, 7, 29), "明治45年7月29日"),
        (dt.date(1912, 7, 30), "大正元年7月30日"),
        (dt.date(1913, 7, 30), "大正2年7月30日"),
        (dt.date(1926, 12, 24), "大正15年12月24日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
        (dt.date(1927, 1, 1), "昭和2年1月1日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2020, 1, 1), "令和2年1月1日"),
    ],
)
def test_each_era_begins_on_its_first_day_and_not_a_day_earlier(day, expected):
    assert wareki(day) == expected


def test_dates_before_the_gregorian_calendar_are_refused_with_the_reason():
    with pytest.raises(ValueError, match=r"^1872-12-31 is before the Gregorian calendar was adopted in Japan$"):
        wareki(dt.date(1872, 12, 31))


@pytest.mark.parametrize(
    ("year", "era_year", "label"),
    [
        (1912, "明治45年", "明治45年度（1912年度）"),
        (1913, "大正2年", "大正2年度（1913年度）"),
        (1926, "大正15年", "大正15年度（1926年度）"),
        (1927, "昭和2年", "昭和2年度（1927年度）"),
        (1988, "昭和63年", "昭和63年度（1988年度）"),
        (1989, "平成元年", "平成元年度（1989年度）"),
        (2019, "令和元年", "令和元年度（2019年度）"),
        (2020, "令和2年", "令和2年度（2020年度）"),
    ],
)
def test_a_fiscal_year_is_named_by_the_era_in_force_on_1_may(year, era_year, label):
    assert wareki_year(year) == era_year
    assert fiscal_year_label(year) == label
