"""Reminders, 報告待ち, lapse and expiry over simulated years: `today` is moved, nothing sleeps."""

import datetime as dt
import re

import pytest
from django.core.management import call_command

from certification import services
from certification.models import Application, Certificate, Notice, ReportInvitation
from certification.tasks import certification_lifecycle_task
from kiyose.models import OutboundMail

pytestmark = pytest.mark.django_db
ISSUED = dt.date(2026, 6, 1)  # 令和8年度; the report for it is due 2027-05-31


def report_data() -> dict:
    return {
        "activities_economy": "地元産品の販売",
        "activities_society": "清掃活動",
        "activities_environment": "LED化",
        "outcomes": "参加者120人",
        "next_year_plan": "活動を倍にする",
    }


def days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def mails_to(address: str):
    return OutboundMail.objects.filter(to=[address]).order_by("pk")


def token_from(mail) -> str:
    return re.search(r"/certification/report/([A-Za-z0-9_-]+)/", mail.body).group(1)


def test_a_year_without_a_report_reminds_once_then_report_due_then_lapses(make_certificate, settings):
    certificate = make_certificate(today=ISSUED, contact_email="late@example.jp")
    before = mails_to("late@example.jp").count()
    outcomes = {}
    for day in days(dt.date(2027, 3, 1), dt.date(2027, 8, 15)):
        for _ in range(2):  # the daily run twice a day changes nothing the second time
            for key, n in services.certification_lifecycle(today=day).items():
                outcomes.setdefault(key, []).append((day, n))
    assert outcomes["reminder"] == [(dt.date(2027, 5, 1), 1)]
    assert outcomes["overdue"] == [(dt.date(2027, 6, 1), 1)]
    assert outcomes["lapsed"] == [(dt.date(2027, 7, 31), 1)]
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.LAPSED
    assert certificate.ended_on == dt.date(2027, 7, 31)
    kinds = list(Notice.objects.filter(certificate=certificate).values_list("kind", flat=True).order_by("sent_on"))
    assert kinds == ["reminder", "overdue", "lapsed"]
    assert mails_to("late@example.jp").count() - before == 3
    assert not ReportInvitation.objects.usable(dt.date(2027, 8, 1)).filter(certificate=certificate).exists()


def test_report_due_status_between_deadline_and_lapse(make_certificate):
    certificate = make_certificate(today=ISSUED)
    services.certification_lifecycle(today=dt.date(2027, 5, 31))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    services.certification_lifecycle(today=dt.date(2027, 6, 1))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REPORT_DUE
    assert certificate in Certificate.objects.in_force()
    services.certification_lifecycle(today=dt.date(2027, 7, 30))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REPORT_DUE


def test_report_filed_after_reminder_stops_everything(make_certificate):
    certificate = make_certificate(today=ISSUED, contact_email="good@example.jp")
    services.certification_lifecycle(today=dt.date(2027, 5, 1))
    token = token_from(mails_to("good@example.jp").last())
    report = services.report_submit(token=token, data=report_data(), today=dt.date(2027, 5, 20))
    assert report.on_time and report.fiscal_year == 2026
    for day in days(dt.date(2027, 5, 21), dt.date(2028, 3, 31)):
        assert services.certification_lifecycle(today=day) == {}
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_late_report_restores_valid_and_counts_as_late(make_certificate):
    certificate = make_certificate(today=ISSUED, contact_email="slow@example.jp")
    services.certification_lifecycle(today=dt.date(2027, 6, 2))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REPORT_DUE
    token = token_from(mails_to("slow@example.jp").last())
    report = services.report_submit(token=token, data=report_data(), today=dt.date(2027, 6, 20))
    assert report.on_time is False
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert services.certification_lifecycle(today=dt.date(2027, 8, 1)) == {}


def test_lapse_frees_a_place_and_promotes_the_waiting_list(make_certificate, make_application, settings):
    settings.CERTIFICATION_CAP = 1
    certificate = make_certificate(today=ISSUED)
    waiting = make_application(org_name="順番待ちの会", kind="group", intake="volunteer_center")
    assert services.application_certify(application=waiting, today=ISSUED) is None
    counts = services.certification_lifecycle(today=dt.date(2027, 7, 31))
    assert counts == {"lapsed": 1, "promoted": 1}
    certificate.refresh_from_db()
    waiting.refresh_from_db()
    assert certificate.status == Certificate.Status.LAPSED
    assert waiting.status == Application.Status.CERTIFIED
    assert waiting.certificate.issued_on == dt.date(2027, 7, 31)


def test_expiry_at_the_end_of_validity(make_certificate):
    certificate = make_certificate(today=ISSUED, contact_email="exp@example.jp")
    for year in (2026, 2027):
        services.certification_lifecycle(today=dt.date(year + 1, 5, 1))
        token = token_from(mails_to("exp@example.jp").last())
        services.report_submit(token=token, data=report_data(), today=dt.date(year + 1, 5, 2))
    assert services.certification_lifecycle(today=dt.date(2029, 3, 31)) == {}
    assert services.certification_lifecycle(today=dt.date(2029, 4, 1)) == {"expired": 1}
    assert services.certification_lifecycle(today=dt.date(2029, 4, 2)) == {}
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.EXPIRED
    assert Notice.objects.filter(certificate=certificate, kind="expired").count() == 1


def test_certificate_issued_late_in_the_year_still_reports_that_year(make_certificate):
    certificate = make_certificate(today=dt.date(2027, 3, 20))
    assert certificate.report_year_due(dt.date(2027, 5, 1)) == 2026
    assert services.certification_lifecycle(today=dt.date(2027, 5, 1)) == {"reminder": 1}


def test_management_command_with_today_and_twice(make_certificate):
    make_certificate(today=ISSUED)
    call_command("certification_lifecycle", today="2027-05-01")
    sent = OutboundMail.objects.count()
    call_command("certification_lifecycle", today="2027-05-01")
    call_command("certification_lifecycle", today="2027-05-02")
    assert OutboundMail.objects.count() == sent
    assert Notice.objects.count() == 1


def test_management_command_rejects_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("certification_lifecycle", today="令和9年")


def test_task_runs_the_same_lifecycle(make_certificate):
    certificate = make_certificate(today=ISSUED)
    result = certification_lifecycle_task.enqueue("2027-07-31")
    assert result.return_value == {"lapsed": 1}
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.LAPSED


def test_command_can_enqueue(make_certificate, capsys):
    make_certificate(today=ISSUED)
    call_command("certification_lifecycle", "--enqueue", today="2027-05-01")
    assert Notice.objects.filter(kind="reminder").count() == 1


def test_revoked_and_lapsed_are_left_alone(make_certificate):
    certificate = make_certificate(today=ISSUED)
    services.certificate_revoke(certificate=certificate, reason="理由", today=ISSUED)
    assert services.certification_lifecycle(today=dt.date(2027, 5, 1)) == {}
    assert not Notice.objects.exists()


def test_one_broken_holder_does_not_stop_the_run(make_certificate, monkeypatch):
    from django.core.exceptions import ValidationError

    broken = make_certificate(today=ISSUED, org_name="壊れた団体")
    fine = make_certificate(today=ISSUED, org_name="正常な団体")
    real = services.certificate_lifecycle_step

    def step(*, certificate, today):
        if certificate.pk == broken.pk:
            raise ValidationError("broken")
        return real(certificate=certificate, today=today)

    monkeypatch.setattr("certification.services.lifecycle.certificate_lifecycle_step", step)
    counts = services.certification_lifecycle(today=dt.date(2027, 5, 1))
    assert counts == {"failed": 1, "reminder": 1}
    assert Notice.objects.filter(certificate=fine).count() == 1


def test_report_due_setting_moves_the_deadline(settings):
    from django.core.exceptions import ImproperlyConfigured

    from certification.models import report_deadline

    settings.CERTIFICATION_REPORT_DUE = "06-30"
    assert report_deadline(2026) == dt.date(2027, 6, 30)
    settings.CERTIFICATION_REPORT_DUE = "6月末"
    with pytest.raises(ImproperlyConfigured):
        report_deadline(2026)
