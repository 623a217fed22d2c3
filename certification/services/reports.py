"""Annual reports: secret links for one holder and one year, and filing through them."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import (
    AnnualReport,
    Certificate,
    ReportInvitation,
    report_deadline,
    token_hash,
)
from certification.services._common import _mail_holder, _office_lines, _today
from certification.services.certificates import _lock_certificate
from kiyose.mail import mail_queue
from kiyose.wareki import fiscal_year_label, wareki


def report_link(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("certification:report", args=[token])


def _invitation_expiry(year: int) -> dt.date:
    return report_deadline(year) + dt.timedelta(days=settings.CERTIFICATION_REPORT_GRACE_DAYS)


@transaction.atomic
def report_invitation_issue(
    *, certificate: Certificate, year: int, today: dt.date | None = None, reason: str = ""
) -> str:
    """A fresh secret link for one year's report, mailed to the holder; any earlier link stops working.
    Returns the token (only its hash is stored)."""
    today = _today(today)
    certificate = _lock_certificate(certificate)
    if not certificate.in_force:
        raise ValidationError(_("有効でない認定証には報告用リンクを発行できません。"))
    if year not in certificate.report_years():
        raise ValidationError(
            _("{year}はこの認定証の報告対象年度ではありません。").format(year=fiscal_year_label(year))
        )
    if AnnualReport.objects.filter(certificate=certificate, fiscal_year=year).exists():
        raise ValidationError(_("{year}の年間報告書は提出済みです。").format(year=fiscal_year_label(year)))
    ReportInvitation.objects.filter(
        certificate=certificate, fiscal_year=year, revoked_at__isnull=True, used_at__isnull=True
    ).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = ReportInvitation(
        certificate=certificate,
        fiscal_year=year,
        token_hash=token_hash(token),
        expires_on=_invitation_expiry(year),
    )
    invitation.full_clean()
    invitation.save()
    deadline = report_deadline(year)
    mail_queue(
        to=certificate.contact_email,
        subject=_("【清瀬市】{year} SDGs認定証 年間報告書のご提出のお願い（{number}）").format(
            year=fiscal_year_label(year, western=False), number=certificate.number
        ),
        body=_(
            "{org} 様\n\n{reason}{year}の年間報告書を、次の専用リンクからご提出ください。\n{link}\n\n"
            "提出期限：{deadline}\nこのリンクは貴団体の{year}の報告専用です。他の方に転送しないでください。"
            "以前にお送りしたリンクは使えなくなりました。\n期限を過ぎて{grace}日を経過しても提出がない場合、認定は失効します。\n\n{office}"
        ).format(
            org=certificate.holder_name,
            reason=reason,
            year=fiscal_year_label(year),
            link=report_link(token),
            deadline=wareki(deadline),
            grace=settings.CERTIFICATION_REPORT_GRACE_DAYS,
            office=_office_lines(),
        ),
        reply_to=[settings.CERTIFICATION_OFFICE_EMAIL],
    )
    return token


class InvitationProblem(Exception):
    """Why a report link cannot be used; `status` is the HTTP status the page answers with."""

    def __init__(self, code: str, status: int):
        super().__init__(code)
        self.code = code
        self.status = status


def invitation_resolve(*, token: str, today: dt.date | None = None) -> ReportInvitation:
    today = _today(today)
    if not token or len(token) > 128:
        raise InvitationProblem("unknown", 404)
    invitation = (
        ReportInvitation.objects.select_related("certificate").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None:
        raise InvitationProblem("unknown", 404)
    if invitation.used_at is not None:
        raise InvitationProblem("used", 410)
    if invitation.revoked_at is not None:
        raise InvitationProblem("replaced" if invitation.certificate.in_force else "ended", 410)
    if not invitation.certificate.in_force:
        raise InvitationProblem("ended", 410)
    if invitation.expires_on < today:
        raise InvitationProblem("expired", 410)
    return invitation


@transaction.atomic
def report_submit(*, token: str, data: dict, today: dt.date | None = None) -> AnnualReport:
    today = _today(today)
    invitation = invitation_resolve(token=token, today=today)
    invitation = ReportInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise InvitationProblem("used", 410)
    certificate = _lock_certificate(invitation.certificate)
    report = AnnualReport(
        certificate=certificate,
        fiscal_year=invitation.fiscal_year,
        on_time=today <= report_deadline(invitation.fiscal_year),
        **{
            k: data[k]
            for k in (
                "activities_economy",
                "activities_society",
                "activities_environment",
                "outcomes",
                "next_year_plan",
            )
        },
    )
    report.full_clean()
    report.save()
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    if (
        certificate.status == Certificate.Status.REPORT_DUE
        and certificate.report_year_due(today) == report.fiscal_year
    ):
        certificate.status = Certificate.Status.VALID
        certificate.full_clean()
        certificate.save()
    _mail_holder(
        certificate,
        subject=_("【清瀬市】年間報告書を受け付けました（{number}）"),
        body=_("{org} 様\n\n{year}の年間報告書を受け付けました。ご提出ありがとうございました。\n\n{office}"),
        year=fiscal_year_label(report.fiscal_year),
        reply_to=[settings.CERTIFICATION_OFFICE_EMAIL],
    )
    return report
