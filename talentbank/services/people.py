"""Registration, its consents, confirmation by link or by phone, renewal."""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.mail import mail_queue
from talentbank.models import CONSENT_VERSION, CONSENTS, Consent, Person, mask_from


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _issue_token(person: Person, *, valid_days: int, now) -> str:
    """A fresh link secret: only its hash is stored, so a database leak gives nobody a working link."""
    raw = secrets.token_urlsafe(32)
    person.token_hash = _hash(raw)
    person.token_expires_at = now + timedelta(days=valid_days)
    return raw


def _link(site_url: str, name: str, raw: str) -> str:
    return site_url.rstrip("/") + reverse(name, kwargs={"token": raw})


@transaction.atomic
def person_register(*, data: dict, token: uuid.UUID, site_url: str) -> Person:
    """Save a registration from the public form with its three consents; one row per submission token."""
    existing = Person.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing
    now = timezone.now()
    relation = set(data.get("relation") or [])
    person = Person(
        submission_token=token,
        name=data["name"],
        furigana=data["furigana"],
        age_band=data.get("age_band") or "",
        lives_in_city="lives" in relation,
        works_in_city="works" in relation,
        studies_in_city="studies" in relation,
        area=data.get("area") or "",
        email=data.get("email") or "",
        phone=data.get("phone") or "",
        skills=data.get("skills") or "",
        qualifications=data.get("qualifications") or "",
        available_days=mask_from(data.get("available_days")),
        available_times=mask_from(data.get("available_times")),
        availability_note=data.get("availability_note") or "",
        ways=mask_from(data.get("ways")),
    )
    raw = _issue_token(person, valid_days=settings.TALENTBANK_CONFIRM_DAYS, now=now) if person.email else ""
    person.full_clean()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # A double submit raced us to the unique token: the first one wins, the second returns it.
        return Person.objects.get(submission_token=token)
    person.fields.set(data.get("interests") or [])
    for kind, wording in CONSENTS.items():
        consent = Consent(
            person=person,
            kind=kind,
            version=CONSENT_VERSION,
            wording=str(wording),
            granted=bool(data.get(f"consent_{kind}")),
            recorded_at=now,
        )
        consent.full_clean()
        consent.save()
    if person.email:
        _mail_confirmation(person, raw, site_url)
    # The office mail carries the reference only: a name in it would survive the person's erasure.
    mail_queue(
        to=settings.TALENTBANK_OFFICE_EMAIL,
        subject=_("市民人材バンクに新しい登録がありました（%(ref)s）") % {"ref": person.reference},
        body=render_to_string("talentbank/mail/office_new_person.txt", {"person": person}),
    )
    return person


def _mail_confirmation(person: Person, raw: str, site_url: str) -> None:
    context = {
        "person": person,
        "link": _link(site_url, "talentbank:confirm", raw),
        "days": settings.TALENTBANK_CONFIRM_DAYS,
    }
    mail_queue(
        to=person.email,
        subject=_("【清瀬市】市民人材バンク 登録の確認のお願い"),
        body=render_to_string("talentbank/mail/confirm.txt", context),
        reply_to=[settings.TALENTBANK_OFFICE_EMAIL],
    )


@transaction.atomic
def person_resend_confirmation(*, person: Person, site_url: str | None = None) -> Person:
    """A new confirmation link (the old one stops working), e.g. when the first expired or went astray."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.PENDING or not person.email:
        raise ValidationError(_("メールアドレスのある本人確認待ちの登録だけ、確認メールを再送できます。"))
    raw = _issue_token(person, valid_days=settings.TALENTBANK_CONFIRM_DAYS, now=timezone.now())
    person.full_clean()
    person.save()
    _mail_confirmation(person, raw, site_url or settings.PORTAL_BASE_URL)
    return person


def _person_by_token(raw: str, *, status: str) -> Person | None:
    if not raw or len(raw) > 100:
        return None
    person = (
        Person.objects.select_for_update()
        .filter(token_hash=_hash(raw), status=status, token_expires_at__gte=timezone.now())
        .first()
    )
    return person


@transaction.atomic
def person_confirm_by_token(*, raw_token: str) -> Person | None:
    """The e-mail link: completes a pending registration. None when the link is unknown, used or expired."""
    person = _person_by_token(raw_token, status=Person.Status.PENDING)
    if person is None:
        return None
    return _activate(person, method=Person.ConfirmMethod.EMAIL)


@transaction.atomic
def person_confirm_by_phone(*, person: Person) -> Person:
    """For people without e-mail: staff phoned them and confirmed the registration."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.PENDING:
        raise ValidationError(_("本人確認待ちの登録ではありません。"))
    return _activate(person, method=Person.ConfirmMethod.PHONE)


def _activate(person: Person, *, method: str) -> Person:
    now = timezone.now()
    person.status = Person.Status.ACTIVE
    person.confirmed_at = now
    person.renewed_at = now
    person.confirm_method = method
    person.token_hash = ""
    person.token_expires_at = None
    person.full_clean()
    person.save()
    if person.email:
        mail_queue(
            to=person.email,
            subject=_("【清瀬市】市民人材バンクへの登録が完了しました"),
            body=render_to_string("talentbank/mail/registered.txt", {"person": person}),
            reply_to=[settings.TALENTBANK_OFFICE_EMAIL],
        )
    return person


@transaction.atomic
def person_renew_by_token(*, raw_token: str) -> Person | None:
    person = _person_by_token(raw_token, status=Person.Status.ACTIVE)
    if person is None:
        return None
    return _renew(person)


@transaction.atomic
def person_renew(*, person: Person) -> Person:
    """Staff record that the person (e.g. by phone) asked to stay registered."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(_("登録済みの方だけ更新できます。"))
    return _renew(person)


def _renew(person: Person) -> Person:
    person.renewed_at = timezone.now()
    person.retention_notice_at = None
    person.token_hash = ""
    person.token_expires_at = None
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def consent_withdraw(*, person: Person, kind: str) -> Consent:
    """The person withdrew a consent (told staff): a new "no" row; the earlier "yes" stays as evidence."""
    if kind == Consent.Kind.RETAIN:
        raise ValidationError(_("保管への同意の撤回は、登録の消去として扱ってください。"))
    consent = Consent(
        person=person,
        kind=kind,
        version=CONSENT_VERSION,
        wording=str(_("本人の申し出により同意を撤回")),
        granted=False,
        recorded_at=timezone.now(),
    )
    consent.full_clean()
    consent.save()
    return consent
