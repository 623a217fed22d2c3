"""Builders for inspection requests in a known state (services do the work, as staff would)."""

import datetime as dt
import itertools
import uuid

from inspections.models import DocumentKind, DocumentUpload, Programme, Request, Status
from inspections.services.availability import availability
from inspections.services.requests import request_submit, request_transition
from kiyose.tokens import token_hash

_seq = itertools.count(1)


def programme(**overrides) -> Programme:
    n = next(_seq)
    values = {"slug": f"programme-{n}", "title": f"事業{n}", "body": "紹介文", "sdg_goals": [4], "order": n}
    values.update(overrides)
    return Programme.objects.create(**values)


def open_days(start: dt.date, count: int, *, public: bool = False, span: int = 400) -> list[dt.date]:
    """The first `count` open weekdays from `start` under the real rule."""
    days = availability(start, start + dt.timedelta(days=span), public=public)
    found = [d for d, day in days.items() if day.is_open]
    assert len(found) >= count, "not enough open days in the range"
    return found[:count]


def request_data(**overrides) -> dict:
    values = {
        "council": "武蔵野市議会",
        "committee": "総務委員会",
        "contact_name": "山田 花子",
        "contact_department": "武蔵野市議会事務局議事課",
        "phone": "0422-60-1234",
        "email": "giji@example.jp",
        "address": "東京都武蔵野市緑町2-2-28",
        "preferred_date_1": dt.date(2027, 7, 6),
        "preferred_period_1": "pm",
        "preferred_date_2": None,
        "preferred_period_2": "",
        "preferred_date_3": None,
        "preferred_period_3": "",
        "councillors": 7,
        "staff": 2,
        "topics_other": "",
        "purpose": "先進事例の調査のため",
        "questions": "",
        "transport": "public",
        "vehicles": None,
        "notes": "",
    }
    values.update(overrides)
    return values


def submitted(*, topics=(), **overrides) -> Request:
    return request_submit(data=request_data(**overrides), topics=list(topics), token=uuid.uuid4())


def with_status_link(obj: Request, raw: str = "") -> str:
    """Give a request a status link whose raw token the test knows (the real one only ever goes out by mail)."""
    raw = raw or f"test-status-link-{obj.pk:08d}-{uuid.uuid4().hex}"
    Request.objects.filter(pk=obj.pk).update(status_token_hash=token_hash(raw))
    return raw


def walk(obj: Request, target: str, *, day: dt.date | None = None, **data) -> Request:
    """Move a request through the workflow up to `target` the way staff would."""
    path = {
        Status.COORDINATING: [Status.COORDINATING],
        Status.ACCEPTED: [Status.COORDINATING, Status.ACCEPTED],
        Status.DECLINED: [Status.COORDINATING, Status.DECLINED],
        Status.DOCUMENTS: [Status.COORDINATING, Status.ACCEPTED, Status.DOCUMENTS],
        Status.COMPLETED: [Status.COORDINATING, Status.ACCEPTED, Status.DOCUMENTS, Status.COMPLETED],
    }[Status(target)]
    step_data = {
        Status.COORDINATING: {"department": "環境課"},
        Status.ACCEPTED: {
            "confirmed_date": day,
            "confirmed_start": dt.time(13, 30),
            "confirmed_end": dt.time(15, 0),
            "place": "清瀬市役所 第1会議室",
        },
        Status.DECLINED: {"reason": "担当課の事情により"},
        Status.DOCUMENTS: {
            "doc_letter_received_on": dt.date(2026, 1, 5),
            "doc_participants_received_on": dt.date(2026, 1, 5),
            "doc_questions_received_on": dt.date(2026, 1, 6),
            "doc_itinerary_received_on": dt.date(2026, 1, 6),
        },
        Status.COMPLETED: {},
    }
    for step in path:
        obj = request_transition(obj=obj, to=step, data={**step_data[step], **data})
    return obj


def completed_in_past(day: dt.date, **overrides) -> Request:
    """A finished visit on a past day (records, demo data). The rule is applied by staff at acceptance, so
    a past date is put in place directly, as a visit that happened."""
    obj = submitted(**overrides)
    Request.objects.filter(pk=obj.pk).update(
        status=Status.COMPLETED,
        confirmed_date=day,
        department="環境課",
        doc_letter_received_on=day,
        doc_participants_received_on=day,
        doc_questions_received_on=day,
        doc_itinerary_received_on=day,
    )
    obj.refresh_from_db()
    return obj


def visit_day() -> dt.date:
    """An open day two months ahead (never a fixed date, which would one day lie in the past)."""
    from inspections.services.availability import today

    return open_days(today() + dt.timedelta(days=60), 1)[0]


def _request_with_markers(markers: dict) -> Request:
    from django.core.exceptions import ValidationError

    try:
        # Through the public service, so the markers reach the mails and the history as a real request's would.
        return submitted(**markers)
    except ValidationError:  # a marker that is no valid e-mail address or phone number
        obj = submitted()
        Request.objects.filter(pk=obj.pk).update(**markers)
        obj.refresh_from_db()
        return obj


def _upload_with_markers(markers: dict) -> DocumentUpload:
    from django.core.files.base import ContentFile

    obj = submitted()
    document = DocumentUpload(
        request=obj,
        kind=DocumentKind.PARTICIPANTS,
        version=1,
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        original_name=markers.get("original_name", "名簿.pdf"),
    )
    document.file.save("upload.pdf", ContentFile(markers.get("file", "名簿").encode() + b"%PDF-1.4"), save=False)
    document.save()
    return document


def _enquiry_with_markers(markers: dict):
    from inspections.models import Enquiry

    values = {
        "name": "問合 太郎",
        "email": "q@example.jp",
        "phone": "",
        "subject": "質問",
        "message": "本文",
        "staff_note": "",
    }
    values.update(markers)
    return Enquiry.objects.create(reference=f"Q-{uuid.uuid4().hex[:8]}", submission_token=uuid.uuid4(), **values)


# For the generic erasure test: a row of each model holding personal data, with the given markers in its
# declared personal text fields.
PERSONAL_FACTORIES = {
    "inspections.request": _request_with_markers,
    "inspections.documentupload": _upload_with_markers,
    "inspections.enquiry": _enquiry_with_markers,
}

# For the generic workflow walk (tests/kiyose/test_workflows.py): a row of each workflow's model in its initial state.
WORKFLOW_FACTORIES = {"inspections.request": submitted}
