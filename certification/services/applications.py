"""Applications: intake, the review workflow (APPLICATION_FLOW and its one service), certification under the cap,
the waiting list."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.forms import CertifyForm, RejectForm, ReviewForm, WaitForm, WithdrawForm
from certification.models import (
    APPLICANT_FIELDS,
    Application,
    Certificate,
    CertificateSlot,
    SelfCheckAnswer,
    SelfCheckQuestion,
)
from certification.services.mail import mail_applicant, mail_holder, notify_office
from kiyose.models import Counter
from kiyose.numbering import number_next, yearly_number
from kiyose.submit import submit_once
from kiyose.wareki import fiscal_year, fiscal_year_range
from kiyose.workflow import STAFF, SYSTEM, Transition, Workflow

Status = Application.Status
CERTIFICATE_SERIES = "certification-certificate"


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- Intake ------------------------------------------------------------------------------------------------
def application_submit(*, data: dict, answers: dict[int, bool], token: uuid.UUID) -> Application:
    """Save an application and its self-check answers; the same token twice returns the first application."""

    def create() -> Application:
        year, serial = yearly_number(series="certification-application")
        application = Application(
            submission_token=token,
            reference=f"SDGS-{year}-{serial:04d}",
            **{k: data[k] for k in APPLICANT_FIELDS if k in data},
        )
        # Uniqueness is left to the database: a racing double submit must reach submit_once's IntegrityError.
        application.full_clean(validate_unique=False)
        application.save()
        # The questions the applicant was shown; staff editing the list meanwhile must not lose the application.
        questions = SelfCheckQuestion.objects.filter(pk__in=list(answers))
        SelfCheckAnswer.objects.bulk_create(
            SelfCheckAnswer(application=application, question=q, question_text=q.text, answer=bool(answers[q.pk]))
            for q in questions
        )
        mail_applicant(application, "ack")
        notify_office(application, "office")
        return application

    with transaction.atomic():
        return submit_once(model=Application, token=token, create=create)


@transaction.atomic
def application_score(*, application: Application, scores: dict[int, int | None], notes: str | None = None):
    """Record the reviewer's score for each self-check answer (keyed by question id)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Status.REVIEWING, Status.WAITING):
        raise ValidationError(_("「{status}」の申請は採点できません。").format(status=application.get_status_display()))
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


# --- The cap -----------------------------------------------------------------------------------------------
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


def _free_slot():
    return (
        CertificateSlot.objects.select_for_update(skip_locked=True)
        .filter(number__lte=settings.CERTIFICATION_CAP, certificate__isnull=True)
        .order_by("number")
        .first()
    )


# --- The workflow ------------------------------------------------------------------------------------------
def _to_reviewing(obj: Application, data: dict) -> None:
    if data.get("reviewer_notes"):
        obj.reviewer_notes = data["reviewer_notes"]


def _to_certified(obj: Application, data: dict) -> None:
    today = _today(data.get("on"))
    slots_ensure()
    # The counter row's lock serialises certifiers: the free slot and the next number are read under it.
    serial = number_next(key=CERTIFICATE_SERIES)
    slot = _free_slot()
    if slot is None:
        raise ValidationError(
            _("認定数が上限（%(cap)d件）に達しています。「順番待ち」にしてください。")
            % {"cap": settings.CERTIFICATION_CAP}
        )
    certificate = Certificate(
        application=obj,
        serial=serial,
        number=settings.CERTIFICATION_NUMBER_FORMAT.format(n=serial),
        holder_name=obj.org_name,
        kind=obj.kind,
        goals=list(obj.goals),
        summary=obj.summary,
        contact_email=obj.contact_email,
        issued_on=today,
        valid_until=validity_end(fiscal_year(today)),
    )
    certificate.full_clean()
    certificate.save()
    slot.certificate = certificate
    slot.save(update_fields=["certificate"])
    obj.decided_at = timezone.now()


def _to_waiting(obj: Application, data: dict) -> None:
    slots_ensure()
    if CertificateSlot.objects.filter(number__lte=settings.CERTIFICATION_CAP, certificate__isnull=True).exists():
        raise ValidationError(_("認定枠に空きがあります。順番待ちにせず認定してください。"))
    obj.waitlisted_at = timezone.now()


def _to_rejected(obj: Application, data: dict) -> None:
    obj.decision_reason = data["reason"]
    obj.decided_at = timezone.now()


def _to_withdrawn(obj: Application, data: dict) -> None:
    obj.decision_reason = data["reason"]
    obj.waitlisted_at = None
    obj.decided_at = timezone.now()


OPEN = [Status.RECEIVED, Status.REVIEWING, Status.WAITING]

APPLICATION_FLOW = Workflow(
    "certification.application",
    model=Application,
    states=Status,
    initial=Status.RECEIVED,
    final=[Status.CERTIFIED, Status.REJECTED, Status.WITHDRAWN],
    transitions=[
        Transition(
            [Status.RECEIVED], Status.REVIEWING, form=ReviewForm, apply=_to_reviewing, label=_("審査を開始する")
        ),
        Transition(
            [Status.REVIEWING, Status.WAITING],
            Status.CERTIFIED,
            form=CertifyForm,
            apply=_to_certified,
            label=_("認定する"),
            actors=[STAFF, SYSTEM],
        ),
        Transition(
            [Status.REVIEWING],
            Status.WAITING,
            form=WaitForm,
            apply=_to_waiting,
            label=_("順番待ちにする（上限に達している場合）"),
            actors=[STAFF, SYSTEM],
        ),
        Transition(OPEN, Status.REJECTED, form=RejectForm, apply=_to_rejected, label=_("不認定とする")),
        Transition(OPEN, Status.WITHDRAWN, form=WithdrawForm, apply=_to_withdrawn, label=_("取下げとする")),
    ],
)


def application_transition(
    *, obj: Application, to: str, by=None, data: dict | None = None, actor: str = STAFF
) -> Application:
    """Move an application along APPLICATION_FLOW and tell the applicant (after commit)."""
    with transaction.atomic():
        moved = APPLICATION_FLOW.run(obj=obj, to=to, by=by, data=data, actor=actor)
        if to == Status.CERTIFIED:
            certificate = Certificate.objects.get(application=moved)
            mail_holder(certificate, "certified")
        elif to == Status.WAITING:
            mail_applicant(moved, "waiting")
        elif to == Status.REJECTED:
            mail_applicant(moved, "rejected")
        elif to == Status.WITHDRAWN:
            mail_applicant(moved, "withdrawn")
    return moved


def application_review_start(*, application: Application, notes: str = "") -> Application:
    return application_transition(obj=application, to=Status.REVIEWING, data={"reviewer_notes": notes})


def application_reject(*, application: Application, reason: str) -> Application:
    return application_transition(obj=application, to=Status.REJECTED, data={"reason": reason})


def application_withdraw(*, application: Application, reason: str = "") -> Application:
    return application_transition(obj=application, to=Status.WITHDRAWN, data={"reason": reason})


@transaction.atomic
def application_certify(*, application: Application, today: dt.date | None = None, by=None) -> Certificate | None:
    """Certify under the cap. Returns the certificate, or None when the cap is full and the application now
    waits in line (順番待ち) for a place to free."""
    today = _today(today)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    # The counter row's lock serialises certifiers, as the number they draw under it does.
    Counter.objects.get_or_create(key=CERTIFICATE_SERIES)
    Counter.objects.select_for_update().get(key=CERTIFICATE_SERIES)
    slots_ensure()
    if _free_slot() is None:
        if locked.status != Status.WAITING:
            application_transition(obj=application, to=Status.WAITING, by=by, actor=SYSTEM)
        return None
    application_transition(obj=application, to=Status.CERTIFIED, by=by, data={"on": today.isoformat()}, actor=SYSTEM)
    return Certificate.objects.get(application_id=application.pk)


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
