"""Annual reports: secret links for one holder and one year, filing through them, and staff's review before a
report is shown on the holder's public page (REPORT_FLOW)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.forms import PublishForm, WithholdForm
from certification.models import (
    AnnualReport,
    Certificate,
    ReportInvitation,
    report_deadline,
)
from certification.services.certificates import _lock_certificate, _move, _today
from certification.services.mail import mail_holder, notify_office
from kiyose.tokens import TokenGone, token_lookup, token_new
from kiyose.wareki import fiscal_year_label
from kiyose.workflow import Transition, Workflow

REPORT_FIELDS = ("activities_economy", "activities_society", "activities_environment", "outcomes", "next_year_plan")

GONE_MESSAGES = {
    "replaced": gettext_lazy(
        "このリンクは、新しいリンクの発行により使えなくなりました。最新のメールに記載されたリンクをお使いください。"
    ),
    "used": gettext_lazy(
        "このリンクの年間報告書は既に提出されています。内容を修正したい場合は未来創造課へご連絡ください。"
    ),
    "expired": gettext_lazy("このリンクの有効期限が過ぎています。提出を希望される場合は未来創造課へご連絡ください。"),
    "ended": gettext_lazy("この認定証は現在有効ではないため、年間報告書を提出できません。"),
}


def report_link(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("certification:report", args=[token])


def _invitation_expiry(year: int) -> dt.date:
    return report_deadline(year) + dt.timedelta(days=settings.CERTIFICATION_REPORT_GRACE_DAYS)


@transaction.atomic
def report_invitation_issue(
    *, certificate: Certificate, year: int, today: dt.date | None = None, overdue: bool = False
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
    token, digest = token_new()
    invitation = ReportInvitation(
        certificate=certificate, fiscal_year=year, token_hash=digest, expires_on=_invitation_expiry(year)
    )
    invitation.full_clean()
    invitation.save()
    mail_holder(
        certificate,
        "report_invitation",
        year=year,
        link=report_link(token),
        deadline=report_deadline(year),
        grace_end=_invitation_expiry(year),
        overdue=overdue,
        grace_days=settings.CERTIFICATION_REPORT_GRACE_DAYS,
    )
    return token


def invitation_resolve(*, token: str, today: dt.date | None = None) -> ReportInvitation:
    """The invitation of a report link: Http404 when it never existed, TokenGone (410) when it can no longer
    be used, with the reason shown to the holder."""
    today = _today(today)
    invitation = token_lookup(ReportInvitation.objects.select_related("certificate"), token)
    reason = invitation.gone_reason(today)
    if reason:
        raise TokenGone(reason, message=str(GONE_MESSAGES[reason]))
    return invitation


@transaction.atomic
def report_submit(*, token: str, data: dict, today: dt.date | None = None) -> AnnualReport:
    today = _today(today)
    invitation = invitation_resolve(token=token, today=today)
    invitation = ReportInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise TokenGone("used", message=str(GONE_MESSAGES["used"]))
    certificate = _lock_certificate(invitation.certificate)
    report = AnnualReport(
        certificate=certificate,
        fiscal_year=invitation.fiscal_year,
        on_time=today <= report_deadline(invitation.fiscal_year),
        **{k: data[k] for k in REPORT_FIELDS},
    )
    report.full_clean()
    report.save()
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    if certificate.status == Certificate.Status.REPORT_DUE and certificate.report_year_due(today) == report.fiscal_year:
        _move(certificate, Certificate.Status.VALID, today)
    mail_holder(certificate, "report_received", about=report, year=report.fiscal_year)
    notify_office(report, "office_report", certificate=certificate)
    return report


# --- Staff's review: a report reaches the holder's public page only once published -----------------------
def _to_withheld(obj: AnnualReport, data: dict) -> None:
    obj.withheld_reason = data["reason"]


REPORT_FLOW = Workflow(
    "certification.annualreport",
    model=AnnualReport,
    states=AnnualReport.Status,
    initial=AnnualReport.Status.SUBMITTED,
    transitions=[
        Transition(
            [AnnualReport.Status.SUBMITTED, AnnualReport.Status.WITHHELD],
            AnnualReport.Status.PUBLISHED,
            form=PublishForm,
            label=_("認定団体のページに掲載する"),
        ),
        Transition(
            [AnnualReport.Status.SUBMITTED, AnnualReport.Status.PUBLISHED],
            AnnualReport.Status.WITHHELD,
            form=WithholdForm,
            apply=_to_withheld,
            label=_("掲載しない"),
        ),
    ],
)


def report_transition(*, obj: AnnualReport, to: str, by=None, data: dict | None = None) -> AnnualReport:
    """Publish or withhold a report after reading it; the holder hears of either."""
    with transaction.atomic():
        moved = REPORT_FLOW.run(obj=obj, to=to, by=by, data=data)
        name = "report_published" if to == AnnualReport.Status.PUBLISHED else "report_withheld"
        path = reverse("certification:holder", args=[moved.certificate.serial])
        page_url = settings.PORTAL_BASE_URL.rstrip("/") + path
        mail_holder(moved.certificate, name, about=moved, report=moved, page_url=page_url)
    return moved
