"""Certificates in force: leaving force (revocation), renewal."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import (
    Certificate,
    CertificateSlot,
    ReportInvitation,
)
from certification.services._common import _mail_holder, _today
from certification.services.applications import validity_end, waitlist_promote
from kiyose.wareki import fiscal_year, fiscal_year_label, wareki


def _end(certificate: Certificate, status: str, today: dt.date) -> None:
    """Leave force: free the place under the cap and kill any live report link."""
    certificate.status = status
    certificate.ended_on = today
    certificate.full_clean()
    certificate.save()
    CertificateSlot.objects.filter(certificate=certificate).update(certificate=None)
    ReportInvitation.objects.filter(
        certificate=certificate, revoked_at__isnull=True, used_at__isnull=True
    ).update(revoked_at=timezone.now())


def _lock_certificate(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, today: dt.date | None = None) -> Certificate:
    today = _today(today)
    certificate = _lock_certificate(certificate)
    if not certificate.in_force:
        raise ValidationError(
            _("「{status}」の認定証は取り消せません。").format(status=certificate.get_status_display())
        )
    if not (reason or "").strip():
        raise ValidationError({"revoked_reason": _("取消の理由を入力してください。")})
    certificate.revoked_reason = reason.strip()
    _end(certificate, Certificate.Status.REVOKED, today)
    _mail_holder(
        certificate,
        subject=_("【清瀬市】SDGs認定証の取消について（{number}）"),
        body=_("{org} 様\n\n清瀬市SDGs認定証（{number}）の認定を取り消しました。\n理由：{reason}\n\n{office}"),
        reason=certificate.revoked_reason,
        reply_to=[settings.CERTIFICATION_OFFICE_EMAIL],
    )
    waitlist_promote(today=today)
    return certificate


@transaction.atomic
def certificate_renew(*, certificate: Certificate, today: dt.date | None = None) -> Certificate:
    """Extend a valid certificate by another validity period, from its final fiscal year on."""
    today = _today(today)
    certificate = _lock_certificate(certificate)
    if certificate.status != Certificate.Status.VALID:
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
    _mail_holder(
        certificate,
        subject=_("【清瀬市】SDGs認定証の更新について（{number}）"),
        body=_("{org} 様\n\n清瀬市SDGs認定証（{number}）を更新しました。新しい有効期限：{until}\n\n{office}"),
        until=wareki(certificate.valid_until),
        reply_to=[settings.CERTIFICATION_OFFICE_EMAIL],
    )
    return certificate
