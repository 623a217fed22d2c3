"""Mail to the requester at every step, after commit, each kept on the request (about=request)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from inspections.models import Letter, Status
from inspections.services.requests import request_transition
from kiyose.models import OutboundMail
from kiyose.wareki import wareki
from tests.inspections.factories import submitted, visit_day, walk

pytestmark = pytest.mark.django_db


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_acceptance_mails_the_letter_and_the_documents_expected(django_capture_on_commit_callbacks):
    day = visit_day()
    obj = walk(submitted(), Status.COORDINATING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        data = {
            "confirmed_date": day,
            "confirmed_start": dt.time(13, 30),
            "confirmed_end": dt.time(15),
            "place": "第1会議室",
        }
        request_transition(obj=obj, to=Status.ACCEPTED, data=data)
    [message] = sent_to("giji@example.jp")
    assert obj.reference in message.subject and "お受けします" in message.subject
    assert wareki(day) in message.body and "13:30〜15:00" in message.body and "第1会議室" in message.body
    for document in ("依頼文書", "参加者名簿", "質問事項", "行程"):
        assert f"・{document}" in message.body
    letter = Letter.objects.get(request=obj, kind="accept")
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"清議発第{letter.serial}号_受入決定通知.pdf" and mimetype == "application/pdf"
    assert "受け入れについて" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert OutboundMail.objects.about(obj).filter(subject=message.subject).exists()


def test_decline_mails_the_reason_and_the_letter(django_capture_on_commit_callbacks):
    obj = walk(submitted(), Status.COORDINATING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_transition(obj=obj, to=Status.DECLINED, data={"reason": "所管課の行事と重なるため"})
    [message] = sent_to("giji@example.jp")
    assert "所管課の行事と重なるため" in message.body
    assert message.attachments[0][0].endswith("_お断り通知.pdf")
    assert Letter.objects.filter(request=obj, kind="decline").count() == 1


def test_documents_received_then_thanks_after_the_visit(django_capture_on_commit_callbacks):
    day = visit_day()
    obj = walk(submitted(), Status.ACCEPTED, day=day)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dates = {
            f"doc_{kind}_received_on": dt.date(2027, 1, 5)
            for kind in ("letter", "participants", "questions", "itinerary")
        }
        obj = request_transition(obj=obj, to=Status.DOCUMENTS, data=dates)
    [received] = sent_to("giji@example.jp")
    assert "書類を受領しました" in received.subject and "・参加者名簿（令和9年1月5日受領）" in received.body
    mail.outbox.clear()
    after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(1), tzinfo=dt.UTC)
    with time_machine.travel(after, tick=False), django_capture_on_commit_callbacks(execute=True):
        request_transition(obj=obj, to=Status.COMPLETED)
    [thanks] = sent_to("giji@example.jp")
    assert "お礼" in thanks.subject and wareki(day) in thanks.body


def test_a_withdrawal_by_staff_is_confirmed_to_the_requester_only(settings, django_capture_on_commit_callbacks):
    settings.INSPECTIONS_OFFICE_EMAIL = "office@example.jp"
    obj = submitted()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_transition(obj=obj, to=Status.WITHDRAWN, data={"reason": "電話で取下げの申出があったため"})
    assert [m.to for m in mail.outbox] == [["giji@example.jp"]]
    assert "電話で取下げの申出があったため" in mail.outbox[0].body


def test_staff_see_every_mail_on_the_request(client, make_staff):
    day = visit_day()
    obj = walk(submitted(), Status.ACCEPTED, day=day)
    client.force_login(make_staff("議会事務局"))
    page = client.get(reverse("admin:inspections_request_change", args=[obj.pk])).content.decode()
    assert "送信したメール" in page
    assert "行政視察のお申込みを受け付けました" in page and "行政視察をお受けします" in page


def _accepted_on(day):
    return walk(submitted(), Status.ACCEPTED, day=day)


def test_the_reminder_goes_once_while_documents_are_missing(settings, django_capture_on_commit_callbacks):
    settings.INSPECTIONS_REMINDER_DAYS = 10
    settings.INSPECTIONS_DAILY_CAPACITY = 5
    day = visit_day()
    due = _accepted_on(day)
    complete = walk(submitted(), Status.DOCUMENTS, day=day)
    mail.outbox.clear()
    ten_before = dt.datetime.combine(day - dt.timedelta(days=10), dt.time(6, 45), tzinfo=dt.UTC)
    eleven_before = ten_before - dt.timedelta(days=1)
    with time_machine.travel(eleven_before, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("inspections_reminders", stdout=io.StringIO())
    assert mail.outbox == []
    for _run in range(2):
        with time_machine.travel(ten_before, tick=False), django_capture_on_commit_callbacks(execute=True):
            call_command("inspections_reminders", stdout=io.StringIO())
    [reminder] = mail.outbox
    assert reminder.to == [due.email] and due.reference in reminder.subject
    assert "あと10日" in reminder.body and "・依頼文書" in reminder.body
    due.refresh_from_db()
    assert due.reminded_on == (ten_before.date())
    assert OutboundMail.objects.about(complete).filter(subject__contains="ご提出のお願い").count() == 0


def test_the_reminder_command_takes_a_day_and_refuses_a_bad_one():
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("inspections_reminders", today="2027-05-01", stdout=out)
    assert "書類の督促メール：0件" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("inspections_reminders", today="２０２７-05-01")
