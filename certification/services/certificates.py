"""Certificates in force: their workflow (CERTIFICATE_FLOW and its one service), leaving force (revocation, and
the daily run's lapse and expiry), renewal."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.forms import DatedForm, RevokeForm
from certification.models import (
    Certificate,
    CertificateSlot,
    ReportInvitation,
)
from certification.services.applications import validity_end, waitlist_promote
from certification.services.mail import mail_holder
from kiyose.wareki import fiscal_year, fiscal_year_label
from kiyose.workflow import STAFF, SYSTEM, Transition, Workflow

Status = Certificate.Status


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _leave_force(obj: Certificate, data: dict) -> None:
    """Leave force: free the place under the cap and kill any live report link."""
    obj.ended_on = _today(data.get("on"))
    CertificateSlot.objects.filter(certificate=obj).update(certificate=None)
    ReportInvitation.objects.filter(certificate=obj, revoked_at__isnull=True, used_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _to_revoked(obj: Certificate, data: dict) -> None:
    obj.revoked_reason = data["reason"]
    _leave_force(obj, data)


CERTIFICATE_FLOW = Workflow(
    "certification.certificate",
    model=Certificate,
    states=Status,
    initial=Status.VALID,
    final=[Status.LAPSED, Status.REVOKED, Status.EXPIRED],
    transitions=[
        # The daily run (certification.services.lifecycle) moves certificates along the report year.
        Transition([Status.VALID], Status.REPORT_DUE, form=DatedForm, actors=[SYSTEM]),
        Transition([Status.REPORT_DUE], Status.VALID, form=DatedForm, actors=[SYSTEM]),
        Transition(Certificate.IN_FORCE, Status.LAPSED, form=DatedForm, apply=_leave_force, actors=[SYSTEM]),
        Transition(Certificate.IN_FORCE, Status.EXPIRED, form=DatedForm, apply=_leave_force, actors=[SYSTEM]),
        Transition(Certificate.IN_FORCE, Status.REVOKED, form=RevokeForm, apply=_to_revoked, label=_("取り消す")),
    ],
)


def certificate_transition(
    *, obj: Certificate, to: str, by=None, data: dict | None = None, actor: str = STAFF
) -> Certificate:
    """Move a certificate along CERTIFICATE_FLOW; a revocation tells the holder and gives its place to the
    waiting list."""
    with transaction.atomic():
        moved = CERTIFICATE_FLOW.run(obj=obj, to=to, by=by, data=data, actor=actor)
        if to == Status.REVOKED:
            mail_holder(moved, "revoked")
            on = (data or {}).get("on")
            waitlist_promote(today=dt.date.fromisoformat(str(on)) if on else None)
    return moved


def _move(certificate: Certificate, status: str, today: dt.date) -> None:
    """A move of the daily run (報告待ち and back, lapse, expiry) as of `today`."""
    certificate_transition(obj=certificate, to=status, data={"on": today.isoformat()}, actor=SYSTEM)


# Leaving force is a move like the others; the name stays for the daily run's readers.
_end = _move


def _lock_certificate(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, today: dt.date | None = None, by=None) -> Certificate:
    today = _today(today)
    certificate = _lock_certificate(certificate)
    if not certificate.in_force:
        raise ValidationError(
            _("「{status}」の認定証は取り消せません。").format(status=certificate.get_status_display())
        )
    if not (reason or "").strip():
        raise ValidationError({"revoked_reason": _("取消の理由を入力してください。")})
    return certificate_transition(
        obj=certificate, to=Status.REVOKED, by=by, data={"reason": reason, "on": today.isoformat()}
    )


@transaction.atomic
def certificate_renew(*, certificate: Certificate, today: dt.date | None = None) -> Certificate:
    """Extend a valid certificate by another validity period, from its final fiscal year on."""
    today = _today(today)
    certificate = _lock_certificate(certificate)
    if certificate.status != Status.VALID:
        raise ValidationError(
            _("更新できるのは「有効」の認定証だけです（報告待ちの場合は先に年間報告書の提出が必要です）。")
        )
    final_year = fiscal_year(certificate.valid_until)
    if fiscal_year(today) != final_year:
        raise ValidationError(
            _("更新は有効期限の年度（{year}）に行えます。").format(year=fiscal_year_label(final_year))
        )
    certificate.valid_until = validity_end(final_year)
    certificate.renewed_on = today
    certificate.full_clean()
    certificate.save()
    mail_holder(certificate, "renewed")
    return certificate
