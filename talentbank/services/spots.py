"""困りごとスポット: a partner body's proposal, review and publication."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.mail import mail_queue
from talentbank.models import Spot, mask_from

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
    "closes_on",
    "contact_name",
    "contact_email",
    "contact_phone",
]


@transaction.atomic
def spot_propose(*, data: dict, token: uuid.UUID) -> Spot:
    """A partner body's proposal: saved for review (審査中), never public until staff publish it."""
    existing = Spot.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    spot = Spot(
        submission_token=token,
        status=Spot.Status.PROPOSED,
        field=data["field"],
        days=mask_from(data.get("days")),
        times=mask_from(data.get("times")),
        ways=mask_from(data.get("ways")),
        **{
            name: data.get(name) if data.get(name) is not None else ""
            for name in SPOT_FORM_FIELDS
            if name != "closes_on"
        },
        closes_on=data.get("closes_on"),
    )
    spot.full_clean()
    try:
        with transaction.atomic():
            spot.save()
    except IntegrityError:
        return Spot.objects.get(submission_token=token)
    if spot.contact_email:
        mail_queue(
            to=spot.contact_email,
            subject=_("【清瀬市】困りごとスポットの情報を受け付けました"),
            body=render_to_string("talentbank/mail/spot_received.txt", {"spot": spot}),
            reply_to=[settings.TALENTBANK_OFFICE_EMAIL],
        )
    mail_queue(
        to=settings.TALENTBANK_OFFICE_EMAIL,
        subject=_("困りごとスポットの提案がありました（S%(pk)05d）") % {"pk": spot.pk},
        body=render_to_string("talentbank/mail/office_new_spot.txt", {"spot": spot}),
    )
    return spot


@transaction.atomic
def spot_publish(*, spot: Spot) -> Spot:
    spot = Spot.objects.select_for_update().get(pk=spot.pk)
    if spot.status not in (Spot.Status.PROPOSED, Spot.Status.CLOSED):
        raise ValidationError(_("審査中または募集終了のスポットだけ公開できます。"))
    spot.status = Spot.Status.PUBLISHED
    spot.published_at = spot.published_at or timezone.now()
    spot.full_clean()
    spot.save()
    return spot


@transaction.atomic
def spot_set_status(*, spot: Spot, status: str) -> Spot:
    """Close or reject a spot (taking it off the public list)."""
    if status == Spot.Status.PUBLISHED:
        return spot_publish(spot=spot)
    spot = Spot.objects.select_for_update().get(pk=spot.pk)
    allowed = {Spot.Status.CLOSED: {Spot.Status.PUBLISHED}, Spot.Status.REJECTED: {Spot.Status.PROPOSED}}
    if spot.status not in allowed.get(status, set()):
        raise ValidationError(_("この状態には変更できません。"))
    spot.status = status
    spot.full_clean()
    spot.save()
    return spot
