"""和暦 and 年度 (the Japanese fiscal year, April–March), as officials write them."""

import datetime as dt

# (first day of the era, name); newest first. 明治 counts its years from 1868, but dates before the Gregorian
# calendar (1873) were lunar and are refused.
GREGORIAN_ADOPTED = dt.date(1873, 1, 1)
ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
    (dt.date(1868, 1, 1), "明治"),
)


def _era(day: dt.date) -> tuple[str, int]:
    if day < GREGORIAN_ADOPTED:
        raise ValueError(f"{day} is before the Gregorian calendar was adopted in Japan")
    start, name = next((start, name) for start, name in ERAS if day >= start)
    return name, day.year - start.year + 1


def _year_label(era: str, year: int) -> str:
    return f"{era}{'元' if year == 1 else year}年"


WEEKDAYS = "月火水木金土日"


def wareki(day: dt.date | dt.datetime, *, weekday: bool = False) -> str:
    """2026-04-01 → '令和8年4月1日'; the first year of an era is 元年. With weekday=True, the date of an event
    as letters print it: 2027-01-13 → '令和9年1月13日（水）'."""
    if isinstance(day, dt.datetime):
        day = day.date()
    era, year = _era(day)
    text = f"{_year_label(era, year)}{day.month}月{day.day}日"
    return f"{text}（{WEEKDAYS[day.weekday()]}）" if weekday else text


def wareki_year(year: int) -> str:
    """The era year a fiscal year is named by. Officially FY2019 is 令和元年度 although it opened in 平成31年,
    and FY1988 is 昭和63年度: the era in force on 1 May gives both."""
    era, era_year = _era(dt.date(year, 5, 1))
    return _year_label(era, era_year)


def fiscal_year(day: dt.date | dt.datetime) -> int:
    """The fiscal year (年度) a date falls in, named by the calendar year in which it starts."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year `year` (1 April to 31 March)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def fiscal_year_label(year: int, *, western: bool = True) -> str:
    """2026 → '令和8年度（2026年度）'; with western=False just '令和8年度'."""
    label = f"{wareki_year(year)}度"
    return f"{label}（{year}年度）" if western else label
