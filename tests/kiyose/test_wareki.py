import datetime as dt

import pytest
from django.template import Context, Template

from kiyose.wareki import fiscal_year, fiscal_year_label, fiscal_year_range, wareki, wareki_year


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2026, 4, 1), "令和8年4月1日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1995, 12, 31), "平成7年12月31日"),
    ],
)
def test_wareki_names_the_era_and_uses_gannen_for_the_first_year(day, expected):
    assert wareki(day) == expected


def test_wareki_accepts_datetimes():
    assert wareki(dt.datetime(2027, 1, 4, 9, 30)) == "令和9年1月4日"


@pytest.mark.parametrize(
    ("day", "year"),
    [(dt.date(2026, 3, 31), 2025), (dt.date(2026, 4, 1), 2026), (dt.date(2027, 1, 1), 2026)],
)
def test_fiscal_year_runs_april_to_march(day, year):
    assert fiscal_year(day) == year


def test_fiscal_year_range_and_labels():
    assert fiscal_year_range(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert fiscal_year_label(2026) == "令和8年度（2026年度）"
    assert fiscal_year_label(2019, western=False) == "令和元年度"
    assert wareki_year(2018) == "平成30年"
    assert fiscal_year_label(1988, western=False) == "昭和63年度"


def test_template_filters_are_builtins():
    rendered = Template("{{ d|wareki }} / {{ y|nendo }} / {{ d|nendo:False }} / [{{ none|wareki }}]").render(
        Context({"d": dt.date(2026, 4, 1), "y": 2025, "none": None})
    )
    assert rendered == "令和8年4月1日 / 令和7年度（2025年度） / 令和8年度 / []"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2027, 1, 13), "令和9年1月13日（水）"),
        (dt.date(2026, 4, 5), "令和8年4月5日（日）"),
        (dt.date(2026, 4, 6), "令和8年4月6日（月）"),
        (dt.date(2019, 5, 1), "令和元年5月1日（水）"),
        (dt.datetime(2026, 4, 11, 23, 59), "令和8年4月11日（土）"),
    ],
)
def test_wareki_with_weekday_for_the_dates_of_events(day, expected):
    assert wareki(day, weekday=True) == expected


def test_wareki_has_no_weekday_unless_asked():
    assert "（" not in wareki(dt.date(2027, 1, 13))
