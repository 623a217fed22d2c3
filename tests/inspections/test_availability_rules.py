"""The availability rule at its edges: every principle month, the week before to the day, sessions opening
or closing on the 1st, the public limits at their bounds, and what a day shows (JSON, css, label) whole."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from inspections.models import CouncilSession, VisitSlot
from inspections.services.availability import availability, day_status, earliest_request_date, months_calendar
from tests.inspections.factories import submitted

pytestmark = pytest.mark.django_db
D = dt.date

MONTH = "%d月定例会の日程が未定のため、この月は仮に受付不可としています。"
WEEK = "%d月定例会の日程が未定のため、開会前1週間にあたる見込みの日を仮に受付不可としています。"


@pytest.mark.parametrize("month", [3, 6, 9, 12])
def test_every_principle_month_without_a_session_is_closed_provisionally(month):
    day = D(2027, month, 15) if month != 9 else D(2027, 9, 14)  # weekdays without a holiday
    result = day_status(day)
    assert (result.status, result.provisional, result.reasons) == ("blocked", True, [MONTH % month])


@pytest.mark.parametrize(
    "day",
    [
        D(2027, 1, 15),
        D(2027, 2, 15),
        D(2027, 4, 15),
        D(2027, 5, 14),
        D(2027, 7, 15),
        D(2027, 8, 16),
        D(2027, 10, 15),
        D(2027, 11, 15),
    ],
)
def test_the_other_months_are_open(day):
    assert (day_status(day).status, day_status(day).reasons) == ("open", [])


def test_the_first_of_a_principle_month_belongs_to_the_month_and_the_seven_days_before_to_the_week_before():
    days = availability(D(2027, 5, 20), D(2027, 6, 2))
    reasons = {
        day: days[day].reasons for day in (D(2027, 5, 24), D(2027, 5, 25), D(2027, 5, 31), D(2027, 6, 1), D(2027, 6, 2))
    }
    assert reasons == {
        D(2027, 5, 24): [],
        D(2027, 5, 25): [WEEK % 6],
        D(2027, 5, 31): [WEEK % 6],
        D(2027, 6, 1): [MONTH % 6],
        D(2027, 6, 2): [MONTH % 6],
    }
    assert day_status(D(2027, 6, 1)).reasons == [MONTH % 6]


def test_the_day_before_a_session_opens_is_in_its_week_before():
    CouncilSession.objects.create(name="令和9年第3回定例会", opens_on=D(2027, 9, 7), closes_on=D(2027, 9, 24))
    days = availability(D(2027, 8, 30), D(2027, 9, 7))
    assert {day: entry.reasons for day, entry in days.items() if day.weekday() < 5} == {
        D(2027, 8, 30): [],
        D(2027, 8, 31): ["令和9年第3回定例会の開会前1週間です。"],
        D(2027, 9, 1): ["令和9年第3回定例会の開会前1週間です。"],
        D(2027, 9, 2): ["令和9年第3回定例会の開会前1週間です。"],
        D(2027, 9, 3): ["令和9年第3回定例会の開会前1週間です。"],
        D(2027, 9, 6): ["令和9年第3回定例会の開会前1週間です。"],
        D(2027, 9, 7): ["令和9年第3回定例会の会期中です。"],
    }


def test_a_one_day_session_on_the_first_enters_its_month():
    CouncilSession.objects.create(name="令和9年第1回臨時会", opens_on=D(2027, 9, 1), closes_on=D(2027, 9, 1))
    assert day_status(D(2027, 9, 1)).reasons == ["令和9年第1回臨時会の会期中です。"]
    assert (day_status(D(2027, 9, 14)).status, day_status(D(2027, 9, 14)).reasons) == ("open", [])


def test_a_session_closing_on_the_first_enters_that_month_too():
    CouncilSession.objects.create(name="令和9年第4回定例会", opens_on=D(2027, 11, 29), closes_on=D(2027, 12, 1))
    assert day_status(D(2027, 12, 1)).reasons == ["令和9年第4回定例会の会期中です。"]
    assert (day_status(D(2027, 12, 15)).status, day_status(D(2027, 12, 15)).reasons) == ("open", [])


def test_a_meeting_that_is_neither_regular_nor_extraordinary_is_named_as_the_council():
    CouncilSession.objects.create(name="全員協議会", opens_on=D(2027, 7, 14), closes_on=D(2027, 7, 14))
    assert [day_status(D(2027, 7, 13)).reasons, day_status(D(2027, 7, 14)).reasons] == [
        ["議会（全員協議会）の開会前1週間です。"],
        ["議会（全員協議会）の会期中です。"],
    ]


def test_a_week_shows_each_day_its_weekday():
    days = availability(D(2027, 7, 5), D(2027, 7, 11))
    assert [entry.weekday for entry in days.values()] == list("月火水木金土日")


def test_what_each_kind_of_day_shows(settings):
    settings.INSPECTIONS_DAILY_CAPACITY = 1
    VisitSlot.objects.create(request=submitted(), date=D(2027, 7, 7), index=0)
    days = availability(D(2027, 7, 5), D(2027, 7, 10), public=True, on=D(2027, 6, 1))
    days.update(availability(D(2027, 6, 14), D(2027, 6, 14), public=True, on=D(2027, 6, 1)))
    days.update(availability(D(2027, 5, 31), D(2027, 5, 31), public=True, on=D(2027, 6, 1)))
    shown = {day: (e.status, e.is_open, e.css, e.status_label, e.reason_text) for day, e in days.items()}
    assert shown == {
        D(2027, 7, 5): ("open", True, "open", "受付可", ""),
        D(2027, 7, 6): ("open", True, "open", "受付可", ""),
        D(2027, 7, 7): ("full", False, "full", "満員", "受け入れ枠がいっぱいです。"),
        D(2027, 7, 8): ("open", True, "open", "受付可", ""),
        D(2027, 7, 9): ("open", True, "open", "受付可", ""),
        D(2027, 7, 10): ("blocked", False, "blocked", "受付不可", "土曜日は閉庁日です。"),
        D(2027, 6, 14): (
            "blocked",
            False,
            "blocked",
            "受付不可",
            "受付期限を過ぎています（お申込みは視察希望日の14日前までです）。",
        ),
        D(2027, 5, 31): ("blocked", False, "past", "過ぎた日", "過ぎた日付です。"),
    }
    provisional = day_status(D(2027, 6, 15))
    assert (provisional.css, provisional.status_label) == ("provisional", "受付不可（仮）")
    assert [days[D(2027, 7, 7)].as_json(), provisional.as_json()] == [
        {"date": "2027-07-07", "status": "full", "provisional": False, "reasons": ["受け入れ枠がいっぱいです。"]},
        {"date": "2027-06-15", "status": "blocked", "provisional": True, "reasons": [MONTH % 6]},
    ]


def test_staff_see_past_days_as_they_were_and_the_public_calendar_marks_them_past(time_machine):
    assert day_status(D(2027, 7, 6), on=D(2027, 7, 20)).past is False
    assert day_status(D(2027, 7, 6), on=D(2027, 7, 20)).reasons == []
    time_machine.move_to(dt.datetime(2027, 1, 20, 12, tzinfo=ZoneInfo("Asia/Tokyo")))
    months = months_calendar(D(2027, 1, 10), 2)
    assert [m["label"] for m in months] == ["2027年1月（令和9年1月）", "2027年2月（令和9年2月）"]
    assert [day.date.day for day in months[0]["days"] if day.past] == list(range(1, 20))
    assert len(months[1]["days"]) == 28


def test_without_lead_time_the_earliest_request_is_tomorrow_and_the_horizon_counts_from_today(settings):
    settings.INSPECTIONS_LEAD_DAYS = 0
    settings.INSPECTIONS_HORIZON_DAYS = 1
    on = D(2027, 7, 5)  # a Monday
    assert earliest_request_date(on) == D(2027, 7, 6)
    days = availability(on, D(2027, 7, 8), public=True, on=on)
    assert {day: (e.status, e.kinds) for day, e in days.items()} == {
        D(2027, 7, 5): ("blocked", ["lead_time"]),
        D(2027, 7, 6): ("open", []),
        D(2027, 7, 7): ("blocked", ["horizon"]),
        D(2027, 7, 8): ("blocked", ["horizon"]),
    }


def test_the_feed_gives_400_days_at_once_and_refuses_401(client):
    url = reverse("inspections:availability")
    ok = client.get(url, {"start": "2027-01-01", "end": "2028-02-04"})
    refused = client.get(url, {"start": "2027-01-01", "end": "2028-02-05"})
    assert (ok.status_code, len(ok.json()["dates"])) == (200, 400)
    assert (refused.status_code, refused.json()) == (400, {"error": "一度に取得できるのは400日分までです。"})


def test_a_day_closed_for_two_reasons_reads_them_one_after_the_other():
    saturday = day_status(D(2027, 6, 12))
    assert saturday.reasons == ["土曜日は閉庁日です。", MONTH % 6]
    assert saturday.reason_text == "土曜日は閉庁日です。" + MONTH % 6
