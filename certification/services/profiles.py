"""A holder's public profile (summary, web site): a secret link lets the holder propose a change, and staff
review it before it is shown (PROFILE_FLOW)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.forms import ApproveProfileForm, DeclineProfileForm
from certification.models import Certificate, ProfileLink, ProfileUpdate
from certification.services.certificates import _lock_certificate, _today
from certification.services.mail import mail_holder, notify_office
from kiyose.tokens import TokenGone, token_lookup, token_new
from kiyose.workflow import Transition, Workflow

# How long a profile link stays usable after it is sent.
LINK_DAYS = 30

GONE_MESSAGES = {
    "used": gettext_lazy(
        "このリンクからは既に変更を申し出ていただいています。内容は未来創造課で確認します。"
        "さらに変更したい場合は、未来創造課へ新しいリンクをご依頼ください。"
    ),
    "replaced": gettext_lazy(
        "このリンクは、新しいリンクの発行により使えなくなりました。最新のメールに記載されたリンクをお使いください。"
    ),
    "expired": gettext_lazy("このリンクの有効期限が過ぎています。未来創造課へ新しいリンクをご依頼ください。"),
    "ended": gettext_lazy("この認定証は現在有効ではないため、公表内容を変更できません。"),
}


def profile_url(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("certification:profile", args=[token])


@transaction.atomic
def profile_link_issue(*, certificate: Certificate, today: dt.date | None = None) -> str:
    """A fresh secret link for the holder to propose a change of their public profile, mailed to them; an earlier
    unused link stops working. Returns the token (only its hash is stored)."""
    today = _today(today)
    certificate = _lock_certificate(certificate)
    if not certificate.in_force:
        raise ValidationError(_("有効でない認定証には公表内容の変更用リンクを発行できません。"))
    ProfileLink.objects.filter(certificate=certificate, revoked_at__isnull=True, used_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token, digest = token_new()
    link = ProfileLink(certificate=certificate, token_hash=digest, expires_on=today + dt.timedelta(days=LINK_DAYS))
    link.full_clean()
    link.save()
    mail_holder(certificate, "profile_link", link=profile_url(token), expires_on=link.expires_on)
    return token


def profile_link_resolve(*, token: str, today: dt.date | None = None) -> ProfileLink:
    """Http404 for a link that never existed; TokenGone (410) for one used, replaced, expired or ended."""
    today = _today(today)
    link = token_lookup(ProfileLink.objects.select_related("certificate"), token)
    reason = link.gone_reason(today)
    if reason:
        raise TokenGone(reason, message=str(GONE_MESSAGES[reason]))
    return link


@transaction.atomic
def profile_update_submit(*, token: str, data: dict, today: dt.date | None = None) -> ProfileUpdate:
    """The holder's proposal through their link: kept for staff's review, the link used up."""
    link = profile_link_resolve(token=token, today=today)
    link = ProfileLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is not None:
        raise TokenGone("used", message=str(GONE_MESSAGES["used"]))
    update = ProfileUpdate(certificate=link.certificate, summary=data["summary"], url=data.get("url") or "")
    update.full_clean()
    update.save()
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    mail_holder(link.certificate, "profile_received", about=update, update=update)
    notify_office(update, "office_profile", certificate=link.certificate)
    return update


def _to_approved(obj: ProfileUpdate, data: dict) -> None:
    certificate = _lock_certificate(obj.certificate)
    if not certificate.in_force:
        raise ValidationError(_("有効でない認定証の公表内容は変更できません。"))
    certificate.summary = obj.summary
    certificate.url = obj.url
    certificate.full_clean()
    certificate.save()
    obj.decided_at = timezone.now()


def _to_declined(obj: ProfileUpdate, data: dict) -> None:
    obj.decline_reason = data["reason"]
    obj.decided_at = timezone.now()


PROFILE_FLOW = Workflow(
    "certification.profileupdate",
    model=ProfileUpdate,
    states=ProfileUpdate.Status,
    initial=ProfileUpdate.Status.PENDING,
    final=[ProfileUpdate.Status.APPROVED, ProfileUpdate.Status.DECLINED],
    transitions=[
        Transition(
            [ProfileUpdate.Status.PENDING],
            ProfileUpdate.Status.APPROVED,
            form=ApproveProfileForm,
            apply=_to_approved,
            label=_("認定団体のページに反映する"),
        ),
        Transition(
            [ProfileUpdate.Status.PENDING],
            ProfileUpdate.Status.DECLINED,
            form=DeclineProfileForm,
            apply=_to_declined,
            label=_("反映を見送る"),
        ),
    ],
)


def profile_update_transition(*, obj: ProfileUpdate, to: str, by=None, data: dict | None = None) -> ProfileUpdate:
    """Approve (the public page changes) or decline (with the reason) a holder's proposal; the holder hears."""
    with transaction.atomic():
        moved = PROFILE_FLOW.run(obj=obj, to=to, by=by, data=data)
        name = "profile_approved" if to == ProfileUpdate.Status.APPROVED else "profile_declined"
        mail_holder(moved.certificate, name, about=moved, update=moved)
    return moved
