"""The daily run: reminders, 報告待ち, lapse and expiry, then promotion from the waiting list."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from certification.models import (
    AnnualReport,
    Certificate,
    Notice,
    report_deadline,
)
from certification.services.applications import waitlist_promote
from certification.services.certificates import _end, _lock_certificate, _move, _today
from certification.services.mail import mail_holder
from certification.services.reports import report_invitation_issue
from kiyose.wareki import fiscal_year

log = logging.getLogger(__name__)


def _notice_once(certificate: Certificate, year: int, kind: str, today: dt.date) -> bool:
    """Record that a notice is sent; False when it already was (so the caller sends nothing)."""
    _notice, created = Notice.objects.get_or_create(
        certificate=certificate, fiscal_year=year, kind=kind, defaults={"sent_on": today}
    )
    return created


@transaction.atomic
def certificate_lifecycle_step(*, certificate: Certificate, today: dt.date) -> str:
    """Move one certificate along 有効 → 報告待ち → 失効 (or 満了) as of `today`; returns what happened."""
    certificate = _lock_certificate(certificate)
    if not certificate.in_force:
        return ""
    if certificate.valid_until < today:
        _end(certificate, Certificate.Status.EXPIRED, today)
        if _notice_once(certificate, fiscal_year(certificate.valid_until), Notice.Kind.EXPIRED, today):
            mail_holder(certificate, "expired")
        return "expired"
    year = certificate.report_year_due(today)
    if year is None:
        return ""
    if AnnualReport.objects.filter(certificate=certificate, fiscal_year=year).exists():
        if certificate.status == Certificate.Status.REPORT_DUE:
            _move(certificate, Certificate.Status.VALID, today)
        return ""
    deadline = report_deadline(year)
    grace_end = deadline + dt.timedelta(days=settings.CERTIFICATION_REPORT_GRACE_DAYS)
    if today > grace_end:
        _end(certificate, Certificate.Status.LAPSED, today)
        if _notice_once(certificate, year, Notice.Kind.LAPSED, today):
            mail_holder(certificate, "lapsed", year=year)
        return "lapsed"
    if today > deadline:
        changed = certificate.status != Certificate.Status.REPORT_DUE
        if changed:
            _move(certificate, Certificate.Status.REPORT_DUE, today)
        if _notice_once(certificate, year, Notice.Kind.OVERDUE, today):
            report_invitation_issue(
                certificate=certificate,
                year=year,
                today=today,
                overdue=True,
            )
            return "overdue"
        return "report_due" if changed else ""
    reminder_from = deadline - dt.timedelta(days=settings.CERTIFICATION_REMINDER_DAYS)
    if today >= reminder_from and _notice_once(certificate, year, Notice.Kind.REMINDER, today):
        report_invitation_issue(certificate=certificate, year=year, today=today)
        return "reminder"
    return ""


def certification_lifecycle(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily run: reminders, 報告待ち, lapse, expiry, then promotion from the waiting list. Idempotent:
    each notice is recorded and never sent twice."""
    today = _today(today)
    counts: dict[str, int] = {}
    for certificate in Certificate.objects.in_force().order_by("serial"):
        try:
            outcome = certificate_lifecycle_step(certificate=certificate, today=today)
        except (ValidationError, DatabaseError):
            # One broken row must not stop reminders and lapses for every other holder; its step rolled back
            # and is retried on the next run.
            log.exception("certification lifecycle failed for %s", certificate.number)
            counts["failed"] = counts.get("failed", 0) + 1
            continue
        if outcome:
            counts[outcome] = counts.get(outcome, 0) + 1
    promoted = waitlist_promote(today=today)
    if promoted:
        counts["promoted"] = len(promoted)
    return counts
