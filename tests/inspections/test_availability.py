import datetime as dt

import pytest

from inspections.models import BlockedDate, CouncilSession, VisitSlot
from inspections.services.availability import BLOCKED, FULL, OPEN, availability, day_status, months_calendar
from tests.inspections.factories import submitted

pytestmark = pytest.mark.django_db

D = dt.date


def status(day):
    return day_status(day)


def test_an_ordinary_weekday_is_open():
    day = status(D(2027, 7, 6))  # a Tuesday in July, no session, no holiday
    assert day.status == OPEN and day.reasons == [] and not day.provisional


@pytest.mark.parametrize("day, weekday", [(D(2027, 7, 3), "土"), (D(2027, 7, 4), "日")])
def test_weekends_are_closed(day, weekday):
    result = status(day)
    assert result.status == BLOCKED
    assert result.reasons == [f"{weekday}曜日は閉庁日です。"]
    assert not result.provisional


def test_national_holidays_are_closed_with_their_name():
    result = status(D(2027, 7, 19))  # 海の日 (third Monday of July)
    assert result.status == BLOCKED
    assert result.reasons == ["祝日（海の日）です。"]


@pytest.mark.parametrize("day", [D(2027, 12, 29), D(2027, 12, 30), D(2028, 1, 3)])
def test_year_end_closure(day):
    result = status(day)
    assert result.status == BLOCKED
    assert "年末年始の閉庁期間（12月29日から1月3日まで）です。" in result.reasons


def test_january_4th_is_open_again():
    assert status(D(2028, 1, 4)).status == OPEN


def test_principle_month_without_a_session_is_blocked_provisionally():
    result = status(D(2027, 6, 15))
    assert result.status == BLOCKED
    assert result.provisional
    assert result.reasons == ["6月定例会の日程が未定のため、この月は仮に受付不可としています。"]


def test_week_before_a_provisional_month_is_blocked_provisionally():
    days = availability(D(2027, 5, 24), D(2027, 5, 31))
    assert days[D(2027, 5, 24)].status == OPEN  # 8 days before 1 June
    for day in (D(2027, 5, 25), D(2027, 5, 26), D(2027, 5, 27), D(2027, 5, 28), D(2027, 5, 31)):
        assert days[day].status == BLOCKED and days[day].provisional, day
        assert days[day].reasons == [
            "6月定例会の日程が未定のため、開会前1週間にあたる見込みの日を仮に受付不可としています。"
        ]


def test_weekend_in_a_provisional_month_is_firmly_closed():
    result = status(D(2027, 6, 12))  # Saturday
    assert result.status == BLOCKED and not result.provisional
    assert len(result.reasons) == 2


def test_entered_session_replaces_the_provisional_month():
    CouncilSession.objects.create(name="令和9年第2回定例会", opens_on=D(2027, 6, 1), closes_on=D(2027, 6, 18))
    days = availability(D(2027, 5, 20), D(2027, 6, 30))
    assert days[D(2027, 5, 24)].status == OPEN
    assert days[D(2027, 5, 25)].reasons == ["令和9年第2回定例会の開会前1週間です。"]
    assert not days[D(2027, 5, 25)].provisional
    assert days[D(2027, 6, 18)].status == BLOCKED and not days[D(2027, 6, 18)].provisional
    assert days[D(2027, 6, 21)].status == OPEN


def test_session_blocks_from_seven_days_before_opening_through_closing():
    CouncilSession.objects.create(name="令和9年第2回定例会", opens_on=D(2027, 6, 8), closes_on=D(2027, 6, 22))
    days = availability(D(2027, 5, 28), D(2027, 6, 30))
    assert days[D(2027, 5, 31)].status == OPEN  # Monday, 8 days before opening
    assert days[D(2027, 6, 1)].status == BLOCKED
    assert days[D(2027, 6, 1)].reasons == ["令和9年第2回定例会の開会前1週間です。"]
    assert not days[D(2027, 6, 1)].provisional
    assert days[D(2027, 6, 8)].reasons == ["令和9年第2回定例会の会期中です。"]
    assert days[D(2027, 6, 22)].status == BLOCKED
    # The month has its session: the rest of June is open again, not provisional.
    assert days[D(2027, 6, 23)].status == OPEN
    assert days[D(2027, 6, 30)].status == OPEN
    # And the week before 1 June is no longer provisionally blocked.
    assert days[D(2027, 5, 28)].status == OPEN


def test_session_opening_just_after_the_range_still_blocks_its_week_before():
    CouncilSession.objects.create(name="令和9年第1回臨時会", opens_on=D(2027, 7, 20), closes_on=D(2027, 7, 20))
    result = status(D(2027, 7, 14))
    assert result.status == BLOCKED
    assert result.reasons == ["令和9年第1回臨時会の開会前1週間です。"]
    assert status(D(2027, 7, 12)).status == OPEN


def test_staff_blocked_dates_carry_their_reason():
    BlockedDate.objects.create(starts_on=D(2027, 7, 6), ends_on=D(2027, 7, 8), reason="庁舎設備点検のため")
    days = availability(D(2027, 7, 5), D(2027, 7, 9))
    assert [days[d].status for d in sorted(days)] == [OPEN, BLOCKED, BLOCKED, BLOCKED, OPEN]
    assert days[D(2027, 7, 7)].reasons == ["庁舎設備点検のため"]


def test_a_day_at_capacity_is_full(settings):
    settings.INSPECTIONS_DAILY_CAPACITY = 2
    first, second = submitted(), submitted()
    VisitSlot.objects.create(request=first, date=D(2027, 7, 6), index=0)
    assert status(D(2027, 7, 6)).status == OPEN
    VisitSlot.objects.create(request=second, date=D(2027, 7, 6), index=1)
    result = status(D(2027, 7, 6))
    assert result.status == FULL
    assert result.reasons == ["受け入れ枠がいっぱいです。"]


def test_public_view_adds_past_days_and_the_lead_time(settings):
    settings.INSPECTIONS_LEAD_DAYS = 14
    on = D(2027, 7, 1)
    days = availability(D(2027, 6, 30), D(2027, 7, 16), public=True, on=on)
    assert days[D(2027, 6, 30)].reasons == ["過ぎた日付です。"] and days[D(2027, 6, 30)].past
    assert days[D(2027, 7, 14)].status == BLOCKED
    assert "14日前" in days[D(2027, 7, 14)].reasons[0]
    assert days[D(2027, 7, 15)].status == OPEN
    # Staff are not bound by the lead time.
    assert availability(D(2027, 7, 14), D(2027, 7, 14), on=on)[D(2027, 7, 14)].status == OPEN


def test_booking_horizon_when_set(settings):
    settings.INSPECTIONS_HORIZON_DAYS = 39
    on = D(2027, 7, 1)
    days = availability(D(2027, 8, 9), D(2027, 8, 10), public=True, on=on)
    assert days[D(2027, 8, 9)].status == OPEN
    assert days[D(2027, 8, 10)].status == BLOCKED
    assert days[D(2027, 8, 10)].reasons == ["受付期間（39日先まで）より先の日付です。"]


def test_400_days_take_at_most_three_queries(django_assert_max_num_queries):
    for n in range(40):
        CouncilSession.objects.create(
            name=f"第{n}回定例会",
            opens_on=D(2027, 1, 1) + dt.timedelta(days=9 * n),
            closes_on=D(2027, 1, 3) + dt.timedelta(days=9 * n),
        )
        BlockedDate.objects.create(
            starts_on=D(2027, 2, 1) + dt.timedelta(days=7 * n),
            ends_on=D(2027, 2, 1) + dt.timedelta(days=7 * n),
            reason="点検",
        )
    with django_assert_max_num_queries(3):
        days = availability(D(2027, 1, 1), D(2028, 2, 4))
    assert len(days) == 400


def test_months_calendar_lays_out_weeks_from_monday():
    months = months_calendar(D(2027, 7, 1), 2, public=False)
    assert [m["first"] for m in months] == [D(2027, 7, 1), D(2027, 8, 1)]
    assert months[0]["label"] == "2027年7月（令和9年7月）"
    first_week = months[0]["weeks"][0]
    assert first_week[0] is None and first_week[3].date == D(2027, 7, 1)  # 1 July 2027 is a Thursday


def test_today_is_today_not_past_and_closed_by_the_lead_time(settings):
    settings.INSPECTIONS_LEAD_DAYS = 14
    on = D(2027, 7, 6)
    days = availability(D(2027, 7, 5), D(2027, 7, 7), public=True, on=on)
    assert days[D(2027, 7, 5)].past and days[D(2027, 7, 5)].status_label == "過ぎた日"
    today_ = days[on]
    assert today_.today and not today_.past
    assert today_.status == BLOCKED and today_.status_label == "受付不可"
    assert today_.reasons == ["受付期限を過ぎています（お申込みは視察希望日の14日前までです）。"]


def test_a_day_closed_only_by_the_lead_time_gives_only_that_reason(settings):
    settings.INSPECTIONS_LEAD_DAYS = 14
    # 25 May 2027 lies in the provisional week before June's session and inside the lead time seen from 20 May:
    # a guess about June's dates says nothing about a day that cannot be booked anyway.
    on = D(2027, 5, 20)
    day = availability(D(2027, 5, 25), D(2027, 5, 25), public=True, on=on)[D(2027, 5, 25)]
    assert day.reasons == ["受付期限を過ぎています（お申込みは視察希望日の14日前までです）。"]
    assert not day.provisional
    assert not any("定例会" in reason for reason in day.reasons)
    # A firm closure stays beside it, each its own sentence.
    saturday = availability(D(2027, 5, 22), D(2027, 5, 22), public=True, on=on)[D(2027, 5, 22)]
    assert saturday.reasons == [
        "受付期限を過ぎています（お申込みは視察希望日の14日前までです）。",
        "土曜日は閉庁日です。",
    ]


def test_every_reason_is_one_plain_sentence_without_nested_brackets():
    CouncilSession.objects.create(name="令和9年第3回定例会", opens_on=D(2027, 9, 1), closes_on=D(2027, 9, 20))
    BlockedDate.objects.create(starts_on=D(2027, 7, 6), ends_on=D(2027, 7, 6), reason="庁舎設備点検のため")
    days = availability(D(2027, 5, 1), D(2028, 1, 10), public=True, on=D(2027, 4, 1))
    reasons = {reason for day in days.values() for reason in day.reasons}
    assert len(reasons) > 8
    for reason in reasons - {"庁舎設備点検のため"}:
        assert reason.endswith("。"), reason
        assert reason.count("。") == 1, reason
        depth = 0
        for char in reason:
            depth += {"（": 1, "）": -1}.get(char, 0)
            assert depth <= 1, reason


def test_months_calendar_lists_each_months_days_for_phones():
    months = months_calendar(D(2027, 7, 1), 2, public=False)
    assert [d.date for d in months[0]["days"]] == [D(2027, 7, n) for n in range(1, 32)]
    assert months[1]["days"][0].date == D(2027, 8, 1) and months[1]["days"][0].weekday == "日"
