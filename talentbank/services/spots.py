"""困りごとスポット: a partner body's proposal, and the review workflow (審査中 → 募集中 ⇄ 募集終了, or 掲載しない)."""

import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kiyose.submit import submit_once
from kiyose.workflow import Transition, Workflow
from talentbank.forms import SpotNoteForm, SpotRejectForm
from talentbank.models import Spot, mask_from
from talentbank.services.people import mail_office, mail_to

Status = Spot.Status

SPOT_FORM_FIELDS = [
    "title",
    "body_name",
    "body_kind",
    "needed",
    "skill_keywords",
    "when_text",
    "place",
    "area",
    "headcount",
    "contact_name",
    "contact_email",
    "contact_phone",
]


def spot_propose(*, data: dict, token: uuid.UUID) -> Spot:
    """A partner body's proposal: saved for review (審査中), never public until staff publish it. One row per
    submission token."""

    def create() -> Spot:
        spot = Spot(
            submission_token=token,
            status=Status.PROPOSED,
            field=data["field"],
            days=mask_from(data.get("days")),
            times=mask_from(data.get("times")),
            ways=mask_from(data.get("ways")),
            closes_on=data.get("closes_on"),
            **{name: data.get(name) if data.get(name) is not None else "" for name in SPOT_FORM_FIELDS},
        )
        spot.full_clean(validate_unique=False)
        spot.save()
        if spot.contact_email:
            mail_to(spot.contact_email, "spot_received", about=spot, spot=spot)
        mail_office("office_new_spot", about=spot, spot=spot)
        return spot

    with transaction.atomic():
        return submit_once(model=Spot, token=token, create=create)


def _note(spot: Spot, data: dict) -> None:
    note = data.get("note") or data.get("reason") or ""
    if note:
        spot.review_note = f"{spot.review_note}\n[{timezone.localtime():%Y-%m-%d %H:%M}] {note}".strip()


def _to_published(spot: Spot, data: dict) -> None:
    spot.published_at = spot.published_at or timezone.now()
    _note(spot, data)


SPOT_FLOW = Workflow(
    "talentbank.spot",
    model=Spot,
    states=Status,
    initial=Status.PROPOSED,
    final=[Status.REJECTED],
    transitions=[
        Transition([Status.PROPOSED, Status.CLOSED], Status.PUBLISHED, form=SpotNoteForm, apply=_to_published),
        Transition([Status.PUBLISHED], Status.CLOSED, form=SpotNoteForm, apply=_note),
        Transition([Status.PROPOSED], Status.REJECTED, form=SpotRejectForm, apply=_note),
    ],
)


def spot_transition(*, obj: Spot, to: str, by=None, data: dict | None = None) -> Spot:
    """Move a spot along SPOT_FLOW; the partner's contact hears of the first publication and of a refusal."""
    with transaction.atomic():
        first_publication = obj.published_at is None
        moved = SPOT_FLOW.run(obj=obj, to=to, by=by, data=data)
        if moved.contact_email and to == Status.PUBLISHED and first_publication:
            url = settings.PORTAL_BASE_URL + reverse("talentbank:spots") + f"?field={moved.field_id}"
            mail_to(moved.contact_email, "spot_published", about=moved, spot=moved, url=url)
        elif moved.contact_email and to == Status.REJECTED:
            mail_to(moved.contact_email, "spot_rejected", about=moved, spot=moved, reason=(data or {}).get("reason"))
    for f in moved._meta.concrete_fields:
        setattr(obj, f.attname, getattr(moved, f.attname))
    return moved
