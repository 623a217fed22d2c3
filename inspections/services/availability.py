"""The availability rule: the one function the calendar, the request form, the JSON feed and the admin share.

A day is *blocked* when the council sits or is about to (entered sessions and the 7 days before opening; in
the principle months March, June, September and December with no session entered, the whole month and the
7 days before it, provisionally), on weekends, national holidays and 12/29–1/3, and on days staff block. An
otherwise open day whose accepted visits reach settings.INSPECTIONS_DAILY_CAPACITY is *full*.

Each reason is the day's own, one plain sentence (no brackets inside brackets when a message quotes it).
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

# What closed a day; the public limits drop provisional guesses once a day cannot be booked anyway.
# fmt: off
# (one line: mutation/equivalents.toml names these tags by this source line)
WEEKEND, HOLIDAY, YEAR_END, SESSION, PROVISIONAL, STAFF_BLOCK, CAPACITY = (
    "weekend", "holiday", "year_end", "session", "provisional", "staff", "full"
)
# fmt: on
PAST, LEAD_TIME, HORIZON = "past", "lead_time", "horizon"


@dataclass
class Day:
    date: dt.date
    status: str = OPEN
    provisional: bool = False
    reasons: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    taken: int = 0
    past: bool = False
    today: bool = False

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def reason_text(self) -> str:
        """The reasons as one text: each is already a sentence."""
        return "".join(self.reasons)

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]

    @property
    def css(self) -> str:
        if self.past:
            return "past"
        if self.status == BLOCKED and self.provisional:
            return "provisional"
        return self.status

    @property
    def status_label(self) -> str:
        if self.past:
            return _("過ぎた日")
        if self.status == OPEN:
            return _("受付可")
        if self.status == FULL:
            return _("満員")
        return _("受付不可（仮）") if self.provisional else _("受付不可")

    def add(self, kind: str, reason: str) -> None:
        self.kinds.append(kind)
        self.reasons.append(reason)

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


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def today() -> dt.date:
    return timezone.localdate()


def _session_reasons(name: str) -> tuple[str, str]:
    """(week before, sitting) sentences for an entered session; its name says which kind it is."""
    if any(kind in name for kind in (_("定例会"), _("臨時会"))):
        return (
            _("%(name)sの開会前1週間です。") % {"name": name},
            _("%(name)sの会期中です。") % {"name": name},
        )
    return (
        _("議会（%(name)s）の開会前1週間です。") % {"name": name},
        _("議会（%(name)s）の会期中です。") % {"name": name},
    )


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

    def block(day: dt.date, kind: str, reason: str, *, provisional: bool = False) -> None:
        entry = days.get(day)
        if entry is None:
            return
        # A day is provisional only while every reason for blocking it is provisional.
        entry.provisional = provisional and (entry.status != BLOCKED or entry.provisional)
        entry.status = BLOCKED
        entry.add(kind, reason)

    def block_range(first: dt.date, last: dt.date, kind: str, reason: str, *, provisional: bool = False) -> None:
        day = max(first, start)
        while day <= min(last, end):
            block(day, kind, reason, provisional=provisional)
            day += dt.timedelta(1)

    holidays = {}
    for year in range(start.year, end.year + 1):
        holidays.update(_holidays(year))
    for day in days:
        if day.weekday() >= 5:
            block(day, WEEKEND, _("%(weekday)s曜日は閉庁日です。") % {"weekday": WEEKDAYS[day.weekday()]})
        if day in holidays:
            block(day, HOLIDAY, _("祝日（%(name)s）です。") % {"name": holidays[day]})
        if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
            block(day, YEAR_END, _("年末年始の閉庁期間（12月29日から1月3日まで）です。"))

    # Sessions: the window reaches far enough to see a session opening within 7 days after `end`, and every
    # principle month the range touches (including through its week-before), so we know which are entered.
    window_start = start.replace(day=1)
    window_end = _month_end(end + WEEK_BEFORE)
    sessions = list(CouncilSession.objects.overlapping(window_start, window_end).only("name", "opens_on", "closes_on"))
    entered_months = set()
    for session in sessions:
        before, sitting = _session_reasons(session.name)
        block_range(session.opens_on - WEEK_BEFORE, session.opens_on - dt.timedelta(1), SESSION, before)
        block_range(session.opens_on, session.closes_on, SESSION, sitting)
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
                PROVISIONAL,
                _("%(month)d月定例会の日程が未定のため、開会前1週間にあたる見込みの日を仮に受付不可としています。")
                % label,
                provisional=True,
            )
            block_range(
                month,
                _month_end(month),
                PROVISIONAL,
                _("%(month)d月定例会の日程が未定のため、この月は仮に受付不可としています。") % label,
                provisional=True,
            )
        month = _month_end(month) + dt.timedelta(1)

    for blocked in BlockedDate.objects.overlapping(start, end).only("starts_on", "ends_on", "reason"):
        block_range(blocked.starts_on, blocked.ends_on, STAFF_BLOCK, blocked.reason)

    taken = VisitSlot.objects.filter(date__range=(start, end)).values("date").annotate(n=Count("pk")).order_by()
    capacity = settings.INSPECTIONS_DAILY_CAPACITY
    for row in taken:
        entry = days[row["date"]]
        entry.taken = row["n"]
        if entry.status == OPEN and entry.taken >= capacity:
            entry.status = FULL
            entry.add(CAPACITY, _("受け入れ枠がいっぱいです。"))

    on = on or today()
    if on in days:
        days[on].today = True
    if public:
        _apply_public_limits(days, on)
    return days


def _apply_public_limits(days: dict[dt.date, Day], on: dt.date) -> None:
    earliest = earliest_request_date(on)
    horizon = settings.INSPECTIONS_HORIZON_DAYS
    latest = on + dt.timedelta(horizon) if horizon > 0 else None
    for day, entry in days.items():
        if day < on:
            # Nothing else matters about a day gone by.
            entry.reasons, entry.kinds, entry.past = [], [], True
            entry.add(PAST, _("過ぎた日付です。"))
        elif day < earliest:
            _close_first(
                entry,
                LEAD_TIME,
                _("受付期限を過ぎています（お申込みは視察希望日の%(days)d日前までです）。")
                % {"days": settings.INSPECTIONS_LEAD_DAYS},
            )
        elif latest and day > latest:
            _close_first(entry, HORIZON, _("受付期間（%(days)d日先まで）より先の日付です。") % {"days": horizon})
        else:
            continue
        entry.status = BLOCKED
        entry.provisional = False


def _close_first(entry: Day, kind: str, reason: str) -> None:
    """The decisive reason first; firm closures stay (a Saturday is still a Saturday), provisional guesses about
    a session's dates go: they say nothing about a day that cannot be booked anyway."""
    kept = [(k, r) for k, r in zip(entry.kinds, entry.reasons, strict=True) if k != PROVISIONAL]
    entry.kinds = [kind] + [k for k, _r in kept]
    entry.reasons = [reason] + [r for _k, r in kept]


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
    """`count` months starting at the month of `first`, each with its weeks (the desktop table) and its days
    (the phone list), in 3 queries."""
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
                "days": [day for day in days.values() if day.date.month == month.month and day.date.year == month.year],
            }
        )
    return months
