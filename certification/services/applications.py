"""Applications: intake, review, certification under the cap, the waiting list."""

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import (
    APPLICANT_FIELDS,
    Application,
    Certificate,
    CertificateSlot,
    NumberCounter,
    SelfCheckAnswer,
    SelfCheckQuestion,
)
from certification.services._common import _mail_holder, _office_lines, _today
from kiyose.mail import mail_queue
from kiyose.wareki import fiscal_year, fiscal_year_range, wareki


def _reference() -> str:
    return f"SDGS-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def application_submit(*, data: dict, answers: dict[int, bool], token: uuid.UUID) -> Application:
    """Save an application and its self-check answers; the same token twice returns the first application."""
    existing = Application.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    application = Application(
        submission_token=token, reference=_reference(), **{k: data[k] for k in APPLICANT_FIELDS if k in data}
    )
    # Uniqueness is left to the database: a racing double submit must end in the IntegrityError below.
    application.full_clean(validate_unique=False)
    # The questions the applicant was shown; staff editing the list meanwhile must not lose the application.
    questions = {q.pk: q for q in SelfCheckQuestion.objects.filter(pk__in=list(answers))}
    for _attempt in range(5):
        try:
            with transaction.atomic():
                application.save()
            break
        except IntegrityError:
            existing = Application.objects.filter(submission_token=token).first()
            if existing is not None:
                return existing  # a double submit that raced past the first check
            application.pk = None
            application.reference = _reference()  # the rare clash of two random references
    else:
        raise IntegrityError("could not allocate a unique reference")
    SelfCheckAnswer.objects.bulk_create(
        SelfCheckAnswer(application=application, question=q, question_text=q.text, answer=bool(answers[pk]))
        for pk, q in questions.items()
    )
    mail_queue(
        to=application.contact_email,
        subject=_("【清瀬市】SDGs認定証の申請を受け付けました（受付番号 {ref}）").format(
            ref=application.reference
        ),
        body=_(
            "{org}\n{name} 様\n\n清瀬市SDGs認定証の申請を受け付けました。\n受付番号：{ref}\n\n"
            "未来創造課で審査を行い、結果を文書でお知らせします。お問い合わせの際は受付番号をお伝えください。\n\n{office}"
        ).format(
            org=application.org_name,
            name=application.contact_name,
            ref=application.reference,
            office=_office_lines(),
        ),
        reply_to=[settings.CERTIFICATION_OFFICE_EMAIL],
    )
    mail_queue(
        to=settings.CERTIFICATION_OFFICE_EMAIL,
        subject=_("SDGs認定証の新しい申請（{ref} {org}）").format(
            ref=application.reference, org=application.org_name
        ),
        body=_("新しい申請があります。管理画面で確認してください。\n受付番号：{ref}\n団体名：{org}").format(
            ref=application.reference, org=application.org_name
        ),
    )
    return application


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _require(application: Application, allowed, action: str) -> None:
    if application.status not in allowed:
        raise ValidationError(
            _("「{status}」の申請は{action}できません。").format(
                status=application.get_status_display(), action=action
            )
        )


@transaction.atomic
def application_review_start(*, application: Application, notes: str = "") -> Application:
    application = _lock(application)
    _require(application, (Application.Status.RECEIVED,), _("審査開始"))
    application.status = Application.Status.REVIEWING
    if notes:
        application.reviewer_notes = notes
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_score(*, application: Application, scores: dict[int, int | None], notes: str | None = None):
    """Record the reviewer's score for each self-check answer (keyed by question id)."""
    application = _lock(application)
    _require(application, (Application.Status.REVIEWING, Application.Status.WAITING), _("採点"))
    for answer in application.answers.select_related("question"):
        if answer.question_id in scores:
            answer.score = scores[answer.question_id]
            answer.full_clean()
            answer.save(update_fields=["score"])
    if notes is not None:
        application.reviewer_notes = notes
        application.full_clean()
        application.save()
    return application


def slots_ensure() -> None:
    cap = settings.CERTIFICATION_CAP
    have = set(CertificateSlot.objects.filter(number__lte=cap).values_list("number", flat=True))
    CertificateSlot.objects.bulk_create(
        [CertificateSlot(number=n) for n in range(1, cap + 1) if n not in have], ignore_conflicts=True
    )


def places_left() -> int:
    used = CertificateSlot.objects.filter(certificate__isnull=False).count()
    return max(0, settings.CERTIFICATION_CAP - used)


def validity_end(year: int) -> dt.date:
    return fiscal_year_range(year + settings.CERTIFICATION_VALID_FISCAL_YEARS)[1]


@transaction.atomic
def application_certify(*, application: Application, today: dt.date | None = None) -> Certificate | None:
    """Certify under the cap. Returns the certificate, or None when the cap is full and the application now
    waits in line (順番待ち) for a place to free."""
    today = _today(today)
    application = _lock(application)
    _require(application, (Application.Status.REVIEWING, Application.Status.WAITING), _("認定"))
    slots_ensure()
    NumberCounter.objects.get_or_create(key="certificate")
    # One lock serialises certifiers: the free slot and the next number are read under it.
    counter = NumberCounter.objects.select_for_update().get(key="certificate")
    slot = (
        CertificateSlot.objects.select_for_update(skip_locked=True)
        .filter(number__lte=settings.CERTIFICATION_CAP, certificate__isnull=True)
        .order_by("number")
        .first()
    )
    if slot is None:
        if application.status != Application.Status.WAITING:
            application.status = Application.Status.WAITING
            application.waitlisted_at = timezone.now()
            application.full_clean()
            application.save()
        return None
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    certificate = Certificate(
        application=application,
        serial=counter.last_serial,
        number=settings.CERTIFICATION_NUMBER_FORMAT.format(n=counter.last_serial),
        holder_name=application.org_name,
        kind=application.kind,
        goals=list(application.goals),
        summary=application.summary,
        contact_email=application.contact_email,
        issued_on=today,
        valid_until=validity_end(fiscal_year(today)),
    )
    certificate.full_clean()
    certificate.save()
    slot.certificate = certificate
    slot.save(update_fields=["certificate"])
    application.status = Application.Status.CERTIFIED
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    _mail_holder(
        certificate,
        subject=_("【清瀬市】SDGs認定証の認定について（{number}）"),
        body=_(
            "{org} 様\n\n清瀬市SDGs認定証に認定しました。\n"
            "認定番号：{number}\n認定日：{issued}\n有効期限：{until}\n\n"
            "認定団体は毎年度、年間報告書を提出していただきます。提出用のリンクは時期が来たらメールでお送りします。\n\n{office}"
        ),
        issued=wareki(certificate.issued_on),
        until=wareki(certificate.valid_until),
        reply_to=[settings.CERTIFICATION_OFFICE_EMAIL],
    )
    return certificate


@transaction.atomic
def application_reject(*, application: Application, reason: str) -> Application:
    application = _lock(application)
    _require(application, Application.OPEN_STATUSES, _("不認定に"))
    if not (reason or "").strip():
        raise ValidationError({"decision_reason": _("不認定の理由を入力してください。")})
    application.status = Application.Status.REJECTED
    application.decision_reason = reason.strip()
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    mail_queue(
        to=application.contact_email,
        subject=_("【清瀬市】SDGs認定証の審査結果について（受付番号 {ref}）").format(
            ref=application.reference
        ),
        body=_(
            "{org} 様\n\n審査の結果、今回は認定を見送ることになりました。\n理由：{reason}\n\n{office}"
        ).format(org=application.org_name, reason=application.decision_reason, office=_office_lines()),
        reply_to=[settings.CERTIFICATION_OFFICE_EMAIL],
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, reason: str = "") -> Application:
    application = _lock(application)
    _require(application, Application.OPEN_STATUSES, _("取下げに"))
    application.status = Application.Status.WITHDRAWN
    application.decision_reason = (reason or "").strip()
    application.waitlisted_at = None
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def waitlist_promote(*, today: dt.date | None = None) -> list[Certificate]:
    """Certify waiting applications, oldest first, while places are free."""
    issued = []
    for application in Application.objects.waiting_in_order():
        certificate = application_certify(application=application, today=today)
        if certificate is None:
            break
        issued.append(certificate)
    return issued
