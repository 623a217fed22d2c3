"""The iCalendar feed of confirmed visits for staff calendars (behind a secret URL token)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from inspections.models import Request

TOKYO = ZoneInfo("Asia/Tokyo")
DEFAULT_HOURS = 2


def confirmed_visits_ical(*, since_days: int = 400) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Kiyose City Council//Inspections//JA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("行政視察（受入決定）"))
    cal.add("x-wr-timezone", "Asia/Tokyo")
    since = timezone.localdate() - dt.timedelta(days=since_days)
    visits = (
        Request.objects.confirmed()
        .filter(confirmed_date__gte=since)
        .prefetch_related("topics")
        .order_by("confirmed_date", "confirmed_start")
    )
    stamp = timezone.now()
    for obj in visits:
        event = Event()
        event.add("uid", f"inspection-{obj.pk}@{settings.INSPECTIONS_OFFICE_EMAIL.split('@')[-1]}")
        event.add("dtstamp", stamp)
        if obj.confirmed_start:
            start = dt.datetime.combine(obj.confirmed_date, obj.confirmed_start, tzinfo=TOKYO)
            end = (
                dt.datetime.combine(obj.confirmed_date, obj.confirmed_end, tzinfo=TOKYO)
                if obj.confirmed_end
                else start + dt.timedelta(hours=DEFAULT_HOURS)
            )
            event.add("dtstart", start)
            event.add("dtend", end)
        else:
            event.add("dtstart", obj.confirmed_date)
        event.add(
            "summary",
            _("行政視察：%(council)s %(committee)s（%(n)d名）")
            % {"council": obj.council, "committee": obj.committee, "n": obj.visitors},
        )
        if obj.place:
            event.add("location", obj.place)
        event.add(
            "description",
            "\n".join(
                [
                    _("受付番号：%(ref)s") % {"ref": obj.reference},
                    _("状態：%(status)s") % {"status": obj.get_status_display()},
                    _("所管部署：%(dept)s") % {"dept": obj.department or "—"},
                    _("視察項目：%(topics)s") % {"topics": "、".join(obj.topic_labels())},
                ]
            ),
        )
        cal.add_component(event)
    return cal.to_ical()
