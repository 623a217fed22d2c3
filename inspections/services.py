"""Writes with side effects: filing a request, the staff workflow, letters. Views and the admin call these."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.availability import day_status
from inspections.models import (
    DOCUMENTS,
    OPEN_STATUSES,
    SLOT_STATUSES,
    Counter,
    Letter,
    LetterKind,
    Programme,
    Request,
    Status,
    VisitSlot,
)
from kiyose.mail import mail_queue
from kiyose.wareki import fiscal_year

# The workflow: from each status, the statuses staff may move a request to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.COORDINATING, Status.WITHDRAWN),
    Status.COORDINATING: (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN),
    Status.ACCEPTED: (Status.DOCUMENTS, Status.WITHDRAWN),
    Status.DOCUMENTS: (Status.COMPLETED, Status.WITHDRAWN),
    Status.DECLINED: (),
    Status.COMPLETED: (),
    Status.WITHDRAWN: (),
}


class TransitionError(ValidationError):
    """A transition the workflow does not allow, or one whose conditions are not met."""


def counter_next(*, key: str) -> int:
    """Take the next number of a named serial. The UPDATE locks the row until the caller's transaction
    ends, so concurrent callers queue and never share a number."""
    Counter.objects.get_or_create(key=key)
    Counter.objects.filter(key=key).update(value=F("value") + 1)
    return Counter.objects.values_list("value", flat=True).get(key=key)


def format_reference(year: int, serial: int) -> str:
    return f"{year}-{serial:04d}"


@transaction.atomic
def request_submit(*, data: dict, topics: list[Programme], token: uuid.UUID) -> Request:
    """File a request from the public form. A repeated token (double submit) returns the first request."""
    existing = Request.objects.filter(token=token).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _request_create(data=data, topics=topics, token=token)
    except IntegrityError:
        # The same token committed by a concurrent submit while we waited for the counter row.
        existing = Request.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing


def _request_create(*, data: dict, topics: list[Programme], token: uuid.UUID) -> Request:
    year = fiscal_year(timezone.localdate())
    serial = counter_next(key=f"request-{year}")
    obj = Request(**data, token=token, fiscal_year=year, reference=format_reference(year, serial))
    # Token and reference uniqueness are the database's to judge (a racing double submit must reach the
    # IntegrityError branch above, not fail validation).
    obj.full_clean(validate_unique=False)
    obj.save()
    obj.topics.set(topics)
    context = {"obj": obj, "topics": obj.topic_labels(), "office": settings.COUNCIL_OFFICE}
    mail_queue(
        to=obj.email,
        subject=_("【清瀬市議会】行政視察のお申込みを受け付けました（受付番号 %(ref)s）")
        % {"ref": obj.reference},
        body=render_to_string("inspections/mail/ack.txt", context),
        reply_to=[settings.INSPECTIONS_OFFICE_EMAIL],
    )
    mail_queue(
        to=settings.INSPECTIONS_OFFICE_EMAIL,
        subject=_("行政視察の申込みがありました（受付番号 %(ref)s・%(council)s）")
        % {"ref": obj.reference, "council": obj.council},
        body=render_to_string("inspections/mail/office.txt", context),
        reply_to=[obj.email],
    )
    return obj


def allowed_transitions(obj: Request) -> tuple[str, ...]:
    return TRANSITIONS.get(obj.status, ())


@transaction.atomic
def request_transition(*, request_id: int, target: str, **data) -> Request:
    """Move a request along the workflow; refuses what TRANSITIONS does not allow with a TransitionError.

    data by target: coordinating → department; accepted → confirmed_date, confirmed_start, confirmed_end,
    place; declined → decline_reason; documents → the four doc_*_received_on dates (those given are set).
    """
    obj = Request.objects.select_for_update().get(pk=request_id)
    if target not in allowed_transitions(obj):
        raise TransitionError(
            _("「%(src)s」から「%(dst)s」へは変更できません。")
            % {"src": obj.get_status_display(), "dst": Status(target).label}
        )
    handler = {
        Status.COORDINATING: _to_coordinating,
        Status.ACCEPTED: _to_accepted,
        Status.DECLINED: _to_declined,
        Status.DOCUMENTS: _to_documents,
        Status.COMPLETED: _to_completed,
        Status.WITHDRAWN: _to_withdrawn,
    }[Status(target)]
    handler(obj, **data)
    obj.status = target
    obj.full_clean()
    obj.save()
    return obj


def _to_coordinating(obj: Request, *, department: str = "", **_ignored) -> None:
    department = (department or "").strip()
    if not department:
        raise TransitionError({"department": _("調整する所管部署を入力してください。")})
    obj.department = department


def _to_accepted(
    obj: Request,
    *,
    confirmed_date: dt.date | None = None,
    confirmed_start: dt.time | None = None,
    confirmed_end: dt.time | None = None,
    place: str = "",
    **_ignored,
) -> None:
    if not confirmed_date:
        raise TransitionError({"confirmed_date": _("視察日を入力してください。")})
    if not confirmed_start:
        raise TransitionError({"confirmed_start": _("開始時刻を入力してください。")})
    if confirmed_date < timezone.localdate():
        raise TransitionError({"confirmed_date": _("過ぎた日付は視察日にできません。")})
    day = day_status(confirmed_date)
    if day.status == "blocked":
        raise TransitionError(
            {"confirmed_date": _("この日はお受けできません（%(reason)s）。") % {"reason": day.reason_text}}
        )
    obj.confirmed_date = confirmed_date
    obj.confirmed_start = confirmed_start
    obj.confirmed_end = confirmed_end
    obj.place = (place or "").strip() or _("清瀬市役所")
    slot_take(request=obj, date=confirmed_date)


def slot_take(*, request: Request, date: dt.date) -> VisitSlot:
    """Take the first free place of the day. The unique (date, index) constraint makes the database the
    judge: of two staff taking the last place at once, the second insert fails and is refused."""
    capacity = settings.INSPECTIONS_DAILY_CAPACITY
    used = set(VisitSlot.objects.filter(date=date).values_list("index", flat=True))
    free = [i for i in range(capacity) if i not in used]
    full = TransitionError(
        {"confirmed_date": _("この日の受け入れ枠はすでにいっぱいです（1日%(n)d件まで）。") % {"n": capacity}}
    )
    if not free:
        raise full
    try:
        with transaction.atomic():
            return VisitSlot.objects.create(request=request, date=date, index=free[0])
    except IntegrityError:
        raise full from None


def _to_declined(obj: Request, *, decline_reason: str = "", **_ignored) -> None:
    if not (decline_reason or "").strip():
        raise TransitionError({"decline_reason": _("お断りの理由を入力してください。")})
    obj.decline_reason = decline_reason.strip()


def _to_documents(obj: Request, **dates) -> None:
    for name, _label in DOCUMENTS:
        if dates.get(name):
            setattr(obj, name, dates[name])
    missing = obj.documents_missing()
    if missing:
        raise TransitionError(_("まだ受領していない書類があります：%(docs)s") % {"docs": "、".join(missing)})


def _to_completed(obj: Request, **_ignored) -> None:
    if obj.confirmed_date and obj.confirmed_date > timezone.localdate():
        raise TransitionError(
            _("視察日（%(date)s）より前に実施済にはできません。") % {"date": obj.confirmed_date}
        )


def _to_withdrawn(obj: Request, **_ignored) -> None:
    if obj.status not in OPEN_STATUSES:
        raise TransitionError(_("終了した申込みは取下げにできません。"))
    # A withdrawn visit gives its day back.
    VisitSlot.objects.filter(request=obj).delete()


@transaction.atomic
def request_update_documents(*, request_id: int, **dates) -> Request:
    """Record documents as they arrive (the checklist), without changing the status."""
    obj = Request.objects.select_for_update().get(pk=request_id)
    if obj.status not in SLOT_STATUSES:
        raise TransitionError(_("書類の受領は受入決定後に記録できます。"))
    for name, _label in DOCUMENTS:
        if name in dates:
            setattr(obj, name, dates[name])
    obj.full_clean()
    obj.save()
    return obj


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
    existing = {
        letter.request_id: letter for letter in Letter.objects.filter(request__in=requests, kind=kind)
    }
    letters = []
    for obj in requests:
        letter = existing.get(obj.pk)
        if letter is None:
            year = fiscal_year(on)
            letter = Letter(
                request=obj,
                kind=kind,
                fiscal_year=year,
                issued_on=on,
                serial=counter_next(key=f"letter-{year}"),
            )
            letter.full_clean()
            letter.save()
        letters.append(letter)
    return letters
