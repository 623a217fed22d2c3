"""The availability rule: the one function the calendar, the request form, the JSON feed and the admin share.

A day is *blocked* when the council sits or is about to (entered sessions and the 7 days before opening; in
the principle months March, June, September and December with no session entered, the whole month and the
7 days before it, provisionally), on weekends, national holidays and 12/29–1/3, and on days staff block. An
otherwise open day whose accepted visits reach settings.INSPECTIONS_DAILY_CAPACITY is *full*.

Three queries whatever the range: sessions, staff-blocked dates, and the count of taken slots per day.
"""

import calendar
import datetime as dt
import functools
from dataclasses import dataclass, field

import jpholiday
from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import BlockedDate, CouncilSession, VisitSlot
from kiyose.wareki import wareki

OPEN, BLOCKED, FULL = "open", "blocked", "full"
PRINCIPLE_MONTHS = (3, 6, 9, 12)
WEEK_BEFORE = dt.timedelta(days=7)
MAX_RANGE_DAYS = 400
WEEKDAYS = ("月", "火", "水", "木", "金", "土", "日")


@dataclass
class Day:
    date: dt.date
    status: str = OPEN
    provisional: bool = False
    reasons: list[str] = field(default_factory=list)
    taken: int = 0
    past: bool = False

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def reason_text(self) -> str:
        return "、".join(self.reasons)

    @property
    def status_label(self) -> str:
        if self.status == OPEN:
            return _("受付可")
        if self.status == FULL:
            return _("受付終了")
        return _("受付不可（仮）") if self.provisional else _("受付不可")

    def as_json(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "status": self.status,
            "provisional": self.provisional,
            "reasons": list(self.reasons),
        }


@functools.cache
def _holidays(year: int) -> dict[dt.date, str]:
    # Holidays are fixed by law per year; computing them once per year keeps the feed fast.
    return dict(jpholiday.year_holidays(year))


def _session_kind(name: str) -> str:
    for kind in (_("定例会"), _("臨時会")):
        if kind in name:
            return kind
    return _("議会")


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def today() -> dt.date:
    return timezone.localdate()


def availability(
    start: dt.date, end: dt.date, *, public: bool = False, on: dt.date | None = None
) -> dict[dt.date, Day]:
    """Status of every day from start to end inclusive.

    public=True adds what only applies to people filing a request: days already past, days inside the lead
    time (settings.INSPECTIONS_LEAD_DAYS) and, when set, beyond the booking horizon. Staff accepting a visit
    use public=False: they may agree a date at short notice.
    """
    if end < start:
        return {}
    days = {start + dt.timedelta(n): Day(start + dt.timedelta(n)) for n in range((end - start).days + 1)}

    def block(day: dt.date, reason: str, *, provisional: bool = False) -> None:
        entry = days.get(day)
        if entry is None:
            return
        entry.reasons.append(reason)
        # A day is provisional only while every reason for blocking it is provisional.
        entry.provisional = provisional and (entry.status != BLOCKED or entry.provisional)
        entry.status = BLOCKED

    def block_range(first: dt.date, last: dt.date, reason: str, *, provisional: bool = False) -> None:
        day = max(first, start)
        while day <= min(last, end):
            block(day, reason, provisional=provisional)
            day += dt.timedelta(1)

    # Weekends, national holidays and the year-end closure.
    holidays = {}
    for year in range(start.year, end.year + 1):
        holidays.update(_holidays(year))
    for day in days:
        if day.weekday() >= 5:
            block(day, _("閉庁日（%(weekday)s曜日）のため") % {"weekday": WEEKDAYS[day.weekday()]})
        if day in holidays:
            block(day, _("祝日（%(name)s）のため") % {"name": holidays[day]})
        if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
            block(day, _("年末年始（12月29日〜1月3日）のため"))

    # Sessions: the window reaches far enough to see a session opening within 7 days after `end`, and every
    # principle month the range touches (including through its week-before), so we know which are entered.
    window_start = start.replace(day=1)
    window_end = _month_end(end + WEEK_BEFORE)
    sessions = list(
        CouncilSession.objects.overlapping(window_start, window_end).only("name", "opens_on", "closes_on")
    )
    entered_months = set()
    for session in sessions:
        kind = _session_kind(session.name)
        block_range(
            session.opens_on - WEEK_BEFORE,
            session.opens_on - dt.timedelta(1),
            _("%(kind)s開会前の1週間のため（%(name)s）") % {"kind": kind, "name": session.name},
        )
        block_range(
            session.opens_on,
            session.closes_on,
            _("%(kind)s期間中のため（%(name)s）") % {"kind": kind, "name": session.name},
        )
        month = session.opens_on.replace(day=1)
        while month <= session.closes_on:
            entered_months.add((month.year, month.month))
            month = _month_end(month) + dt.timedelta(1)

    month = window_start
    while month <= window_end:
        if month.month in PRINCIPLE_MONTHS and (month.year, month.month) not in entered_months:
            label = {"month": month.month}
            block_range(
                month - WEEK_BEFORE,
                month - dt.timedelta(1),
                _("定例会開会前の1週間のため（%(month)d月定例会・日程未定のため仮）") % label,
                provisional=True,
            )
            block_range(
                month,
                _month_end(month),
                _("定例会期間中のため（%(month)d月定例会・日程未定のため仮）") % label,
                provisional=True,
            )
        month = _month_end(month) + dt.timedelta(1)

    for blocked in BlockedDate.objects.overlapping(start, end).only("starts_on", "ends_on", "reason"):
        block_range(blocked.starts_on, blocked.ends_on, blocked.reason)

    taken = (
        VisitSlot.objects.filter(date__range=(start, end)).values("date").annotate(n=Count("pk")).order_by()
    )
    capacity = settings.INSPECTIONS_DAILY_CAPACITY
    for row in taken:
        entry = days[row["date"]]
        entry.taken = row["n"]
        if entry.status == OPEN and entry.taken >= capacity:
            entry.status = FULL
            entry.reasons.append(_("受け入れ枠がいっぱいのため"))

    if public:
        _apply_public_limits(days, on or today())
    return days


def _apply_public_limits(days: dict[dt.date, Day], on: dt.date) -> None:
    earliest = earliest_request_date(on)
    horizon = settings.INSPECTIONS_HORIZON_DAYS
    latest = on + dt.timedelta(horizon) if horizon > 0 else None
    for day, entry in days.items():
        if day <= on:
            reason = _("過ぎた日付のため")
        elif day < earliest:
            reason = _("お申込みは視察希望日の%(days)d日前までにお願いしているため") % {
                "days": settings.INSPECTIONS_LEAD_DAYS
            }
        elif latest and day > latest:
            reason = _("受付期間（%(days)d日先まで）を過ぎているため") % {"days": horizon}
        else:
            continue
        # After the rule's own reasons: a Saturday inside the lead time is still, first of all, a Saturday.
        entry.reasons.append(reason)
        entry.status = BLOCKED
        entry.provisional = False
        entry.past = day <= on


def earliest_request_date(on: dt.date | None = None) -> dt.date:
    return (on or today()) + dt.timedelta(days=max(settings.INSPECTIONS_LEAD_DAYS, 1))


def day_status(day: dt.date, *, public: bool = False, on: dt.date | None = None) -> Day:
    return availability(day, day, public=public, on=on)[day]


def month_weeks(first: dt.date, days: dict[dt.date, Day]) -> list[list[Day | None]]:
    """A month as weeks Monday→Sunday (None outside the month), for a calendar table."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append([days.get(day) if day.month == first.month else None for day in week])
    return weeks


def add_months(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_calendar(first: dt.date, count: int, *, public: bool = True) -> list[dict]:
    """`count` months starting at the month of `first`, each {"first": date, "weeks": [...]}, in 3 queries."""
    first = first.replace(day=1)
    last = _month_end(add_months(first, count - 1))
    days = availability(first, last, public=public)
    months = []
    for n in range(count):
        month = add_months(first, n)
        # wareki() of the 1st ends in "1日"; the month's caption is the rest (令和8年12月).
        months.append(
            {
                "first": month,
                "label": f"{month.year}年{month.month}月（{wareki(month)[:-2]}）",
                "weeks": month_weeks(month, days),
            }
        )
    return months
