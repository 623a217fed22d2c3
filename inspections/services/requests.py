"""A request's life: filing it from the public form, the workflow table staff (and the visitor) move it along,
the letters, and the mail to the requester at every step. Views, the admin and the daily job call these."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.forms import (
    AcceptForm,
    CompleteForm,
    DeclineForm,
    DepartmentForm,
    DocumentsForm,
    WithdrawForm,
)
from inspections.models import (
    DOCUMENTS,
    OPEN_STATUSES,
    SLOT_STATUSES,
    Letter,
    LetterKind,
    Programme,
    Request,
    Status,
    VisitSlot,
)
from inspections.services.availability import BLOCKED, day_status
from kiyose.enquiries import office_address
from kiyose.mail import mail_queue
from kiyose.models import Office
from kiyose.numbering import yearly_number
from kiyose.submit import submit_once
from kiyose.tokens import token_new
from kiyose.workflow import STAFF, VISITOR, Transition, TransitionError, Workflow

OFFICE_KEY = "council"
# How the workflow record names a move the visitor made through the status link.
VISITOR_LABEL = "申込者（状況確認ページ）"


def office() -> Office | None:
    return Office.objects.filter(key=OFFICE_KEY).first()


def office_notice_address() -> str:
    """Where the office's notices go: INSPECTIONS_OFFICE_EMAIL when the deployment sets one (an internal
    mailbox), else the e-mail staff entered in the council office's contact block, else nowhere (staff see
    everything in the admin)."""
    return settings.INSPECTIONS_OFFICE_EMAIL or office_address(OFFICE_KEY)


def _mail_requester(obj: Request, name: str, *, attachments=(), **context) -> None:
    contact = office()
    mail_queue(
        to=obj.email,
        template=f"inspections/mail/{name}.txt",
        context={"obj": obj, "office": contact, **context},
        about=obj,
        reply_to=[contact.email] if contact and contact.email else None,
        attachments=attachments,
    )


def notify_office(obj: Request, name: str, **context) -> None:
    address = office_notice_address()
    if address:
        mail_queue(
            to=address,
            template=f"inspections/mail/{name}.txt",
            context={"obj": obj, "admin_url": settings.PORTAL_BASE_URL + _admin_path(obj), **context},
            about=obj,
            reply_to=[obj.email],
        )


def _admin_path(obj: Request) -> str:
    return reverse("admin:inspections_request_change", args=[obj.pk])


def status_url(raw_token: str) -> str:
    return settings.PORTAL_BASE_URL + reverse("inspections:status", kwargs={"token": raw_token})


# --- Filing ---------------------------------------------------------------------------------------------
def request_submit(*, data: dict, topics: list[Programme], token: uuid.UUID) -> Request:
    """File a request from the public form. A repeated token (double submit) returns the first request. The
    acknowledgement carries the status page's secret link; only its hash is stored."""

    def create() -> Request:
        year, serial = yearly_number(series="inspections-request")
        raw, digest = token_new()
        obj = Request(
            **data,
            submission_token=token,
            status_token_hash=digest,
            fiscal_year=year,
            reference=f"{year}-{serial:04d}",
        )
        # Token and reference uniqueness are the database's to judge (a racing double submit must reach
        # submit_once's IntegrityError branch, not fail validation).
        obj.full_clean(validate_unique=False)
        obj.save()
        obj.topics.set(topics)
        topics_text = obj.topic_labels()
        _mail_requester(
            obj, "ack", topics=topics_text, status_url=status_url(raw), lead_days=settings.INSPECTIONS_LEAD_DAYS
        )
        notify_office(obj, "office", topics=topics_text)
        return obj

    with transaction.atomic():
        return submit_once(model=Request, token=token, create=create, field="submission_token")


# --- The workflow ----------------------------------------------------------------------------------------
def _to_coordinating(obj: Request, data: dict) -> None:
    obj.department = data["department"]


def _to_accepted(obj: Request, data: dict) -> None:
    day = data["confirmed_date"]
    if day < timezone.localdate():
        raise ValidationError({"confirmed_date": _("過ぎた日付は視察日にできません。")})
    status = day_status(day)
    if status.status == BLOCKED:
        message = _("この日はお受けできません。%(reasons)s") % {"reasons": status.reason_text}
        raise ValidationError({"confirmed_date": message})
    obj.confirmed_date = day
    obj.confirmed_start = data["confirmed_start"]
    obj.confirmed_end = data.get("confirmed_end")
    obj.place = data.get("place") or _("清瀬市役所")
    slot_take(request=obj, date=day)


def slot_take(*, request: Request, date: dt.date) -> VisitSlot:
    """Take a free place of the day. The unique (date, index) constraint is the judge: when another acceptance
    took the index we chose first, our insert fails (on PostgreSQL it waits for theirs to commit), and we
    look again and take the next free one — so acceptances all succeed while places are free, and of two
    racing for the last place exactly one gets it."""
    capacity = settings.INSPECTIONS_DAILY_CAPACITY
    for _attempt in range(capacity):
        used = set(VisitSlot.objects.filter(date=date).values_list("index", flat=True))
        free = [i for i in range(capacity) if i not in used]
        if not free:
            break
        try:
            with transaction.atomic():
                return VisitSlot.objects.create(request=request, date=date, index=free[0])
        except IntegrityError:
            continue  # someone committed that index meanwhile; each failure means one place fewer
    raise ValidationError(
        {"confirmed_date": _("この日の受け入れ枠はすでにいっぱいです（1日%(n)d件まで）。") % {"n": capacity}}
    )


def _to_declined(obj: Request, data: dict) -> None:
    obj.decline_reason = data["reason"]
    obj.closed_on = timezone.localdate()


def _apply_documents(obj: Request, data: dict) -> None:
    for name, _label in DOCUMENTS:
        if data.get(name):
            setattr(obj, name, data[name])


def _to_documents(obj: Request, data: dict) -> None:
    _apply_documents(obj, data)
    missing = obj.documents_missing()
    if missing:
        raise ValidationError(_("まだ受領していない書類があります：%(docs)s") % {"docs": "、".join(missing)})


def _to_completed(obj: Request, data: dict) -> None:
    if obj.confirmed_date and obj.confirmed_date > timezone.localdate():
        raise ValidationError(_("視察日（%(date)s）より前に実施済にはできません。") % {"date": obj.confirmed_date})


def _to_withdrawn(obj: Request, data: dict) -> None:
    obj.withdraw_reason = data["reason"]
    obj.closed_on = timezone.localdate()
    # A withdrawn visit gives its day back.
    VisitSlot.objects.filter(request=obj).delete()


REQUEST_FLOW = Workflow(
    "inspections.request",
    model=Request,
    states=Status,
    initial=Status.RECEIVED,
    final=[Status.DECLINED, Status.COMPLETED, Status.WITHDRAWN],
    transitions=[
        Transition([Status.RECEIVED], Status.COORDINATING, form=DepartmentForm, apply=_to_coordinating),
        Transition([Status.COORDINATING], Status.ACCEPTED, form=AcceptForm, apply=_to_accepted),
        Transition([Status.COORDINATING], Status.DECLINED, form=DeclineForm, apply=_to_declined),
        Transition([Status.ACCEPTED], Status.DOCUMENTS, form=DocumentsForm, apply=_to_documents),
        Transition([Status.DOCUMENTS], Status.COMPLETED, form=CompleteForm, apply=_to_completed),
        Transition(OPEN_STATUSES, Status.WITHDRAWN, form=WithdrawForm, apply=_to_withdrawn, actors=[STAFF, VISITOR]),
    ],
)


def request_transition(*, obj: Request, to: str, by=None, data: dict | None = None, actor: str = STAFF) -> Request:
    """Move a request along REQUEST_FLOW and tell the requester (after commit): acceptance and decline with
    their letter (numbered here, in the staff's POST), documents received, the thank-you, the withdrawal."""
    by_label = VISITOR_LABEL if actor == VISITOR else ""
    with transaction.atomic():
        moved = REQUEST_FLOW.run(obj=obj, to=to, by=by, by_label=by_label, data=data, actor=actor)
        _after_transition(moved, to=str(to), actor=actor)
    for f in moved._meta.concrete_fields:
        setattr(obj, f.attname, getattr(moved, f.attname))
    return moved


def _after_transition(obj: Request, *, to: str, actor: str) -> None:
    if to == Status.ACCEPTED:
        _mail_requester(
            obj,
            "accepted",
            documents=obj.documents_missing(),
            attachments=_letter_attachments(obj, LetterKind.ACCEPTANCE),
        )
    elif to == Status.DECLINED:
        _mail_requester(obj, "declined", attachments=_letter_attachments(obj, LetterKind.DECLINE))
    elif to == Status.DOCUMENTS:
        _mail_requester(obj, "documents_received", documents=obj.documents())
    elif to == Status.COMPLETED:
        _mail_requester(obj, "thanks")
    elif to == Status.WITHDRAWN:
        _mail_requester(obj, "withdrawn")
        if actor == VISITOR:
            notify_office(obj, "office_withdrawn")


def _letter_attachments(obj: Request, kind: str) -> list[tuple[str, bytes, str]]:
    from inspections.documents import letters_filename, letters_pdf

    letters = letters_issue(request_ids=[obj.pk], kind=kind)
    return [(letters_filename(letters), letters_pdf(letters), "application/pdf")]


def request_documents_record(*, obj: Request, data: dict, by=None) -> Request:
    """The checklist without a change of status: record documents as they arrive by post or by hand."""
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=obj.pk)
        if locked.status not in SLOT_STATUSES:
            raise TransitionError(_("書類の受領は受入決定後に記録できます。"))
        form = DocumentsForm(data, obj=locked)
        if not form.is_valid():
            raise TransitionError(form.errors.as_data())
        for name, _label in DOCUMENTS:
            if name in form.cleaned_data:
                setattr(locked, name, form.cleaned_data[name])
        locked.full_clean()
        locked.save()
    return locked


def requests_remind(*, on: dt.date | None = None) -> int:
    """The daily reminder: accepted visits within INSPECTIONS_REMINDER_DAYS whose documents are not all in get
    one mail each, ever (run twice, it sends nothing twice)."""
    on = on or timezone.localdate()
    sent = 0
    due = Request.objects.documents_overdue(on=on, days=settings.INSPECTIONS_REMINDER_DAYS)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            obj = Request.objects.select_for_update(skip_locked=True).filter(pk=pk, reminded_on__isnull=True).first()
            if obj is None or obj.status != Status.ACCEPTED or not obj.documents_missing():
                continue
            obj.reminded_on = on
            obj.save(update_fields=["reminded_on", "updated_at"])
            _mail_requester(obj, "reminder", documents=obj.documents_missing(), days=(obj.confirmed_date - on).days)
            sent += 1
    return sent


# --- Letters --------------------------------------------------------------------------------------------
# Which statuses a letter may be issued in.
LETTER_STATUSES = {
    LetterKind.ACKNOWLEDGEMENT: tuple(Status),
    LetterKind.ACCEPTANCE: SLOT_STATUSES,
    LetterKind.DECLINE: (Status.DECLINED,),
}


@transaction.atomic
def letters_issue(*, request_ids: list[int], kind: str, on: dt.date | None = None) -> list[Letter]:
    """The letters of `kind` for these requests: numbers are taken once and kept for reprints."""
    on = on or timezone.localdate()
    requests = list(Request.objects.filter(pk__in=request_ids).order_by("pk"))
    wrong = [r.reference for r in requests if r.status not in LETTER_STATUSES[LetterKind(kind)]]
    if wrong:
        raise ValidationError(
            _("%(kind)sを作成できない状態の申込みがあります：%(refs)s")
            % {"kind": LetterKind(kind).label, "refs": "、".join(wrong)}
        )
    existing = {letter.request_id: letter for letter in Letter.objects.filter(request__in=requests, kind=kind)}
    letters = []
    for obj in requests:
        letter = existing.get(obj.pk)
        if letter is None:
            year, serial = yearly_number(series="inspections-letter", on=on)
            letter = Letter(request=obj, kind=kind, fiscal_year=year, issued_on=on, serial=serial)
            letter.full_clean()
            letter.save()
        letters.append(letter)
    return letters
