"""Every date shown, mailed or exported is Kiyose's (Asia/Tokyo): at 00:30 JST the UTC date is still yesterday."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inspections.models import Request, Status
from tests.inspections.factories import submitted, walk, with_status_link

pytestmark = pytest.mark.django_db

# 1 April 2027, 00:30 in Kiyose: still 31 March (and fiscal year 2026) in UTC.
HALF_PAST_MIDNIGHT = dt.datetime(2027, 4, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))


@pytest.fixture
def at_half_past_midnight():
    with time_machine.travel(HALF_PAST_MIDNIGHT, tick=False):
        assert dt.datetime.now(dt.UTC).date() == dt.date(2027, 3, 31)
        yield


def test_a_request_filed_at_half_past_midnight_is_numbered_and_dated_in_the_new_fiscal_year(
    client, at_half_past_midnight, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        obj = submitted(preferred_date_1=dt.date(2027, 7, 6))
    assert obj.reference.startswith("2027-") and obj.fiscal_year == 2027
    raw = with_status_link(obj)
    text = client.get(reverse("inspections:status", kwargs={"token": raw})).content.decode()
    assert "令和9年4月1日　受付" in text and "令和9年3月31日" not in text


def test_the_calendar_marks_today_as_today_not_past(client, at_half_past_midnight):
    text = client.get(reverse("inspections:index")).content.decode()
    assert "2027年4月（令和9年4月）" in text
    today_cell = text[text.index('aria-current="date"') :]
    today_cell = today_cell[: today_cell.index("</td>")]
    assert ">1<" in today_cell and "今日" in today_cell and "過ぎた日" not in today_cell
    assert "受付期限を過ぎています" in today_cell
    # The last of March, yesterday in Kiyose, is not on the calendar's first month at all.
    assert "2027年3月" not in text


def test_records_and_csv_put_a_visit_in_its_tokyo_fiscal_year(client, at_half_past_midnight):
    from tests.inspections.factories import completed_in_past

    completed_in_past(dt.date(2027, 3, 31), council="昨日の市議会")
    response = client.get(reverse("inspections:records_csv"))
    line = next(line for line in response.content.decode("utf-8-sig").splitlines() if "昨日の市議会" in line)
    assert line.startswith("令和8年度,2027-03-31,")


def test_documents_received_and_letters_are_dated_in_tokyo(client, settings, at_half_past_midnight):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inspections.models import Letter
    from tests.inspections import samples

    obj = walk(submitted(preferred_date_1=dt.date(2027, 7, 6)), Status.ACCEPTED, day=dt.date(2027, 7, 6))
    assert Letter.objects.get(request=obj).issued_on == dt.date(2027, 4, 1)
    raw = with_status_link(obj)
    client.post(
        reverse("inspections:status_upload", kwargs={"token": raw}),
        {"kind": "letter", "file": SimpleUploadedFile("依頼文書.pdf", samples.PDF)},
    )
    assert Request.objects.get(pk=obj.pk).doc_letter_received_on == dt.date(2027, 4, 1)
    assert timezone.localdate() == dt.date(2027, 4, 1)
    assert all("令和9年3月31日" not in m.body for m in mail.outbox)
