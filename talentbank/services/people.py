"""Registration, its consents, confirmation by link or by phone, renewal, and what the registrant changes
through their own link. Every mail is a template (kiyose.mail); the person's one secret link (kiyose.tokens)
confirms the registration and then opens their own page."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.enquiries import office_address
from kiyose.mail import mail_queue
from kiyose.models import Office
from kiyose.portal import OFFICE_OF_APP
from kiyose.submit import submit_once
from kiyose.tokens import token_new
from talentbank.models import CONSENT_VERSION, CONSENTS, Consent, Person, mask_from

OFFICE_KEY = OFFICE_OF_APP["talentbank"]

# The registration fields a person fills in (the public form and their own page), and how each is stored.
RELATION_FIELDS = {"lives": "lives_in_city", "works": "works_in_city", "studies": "studies_in_city"}
TEXT_FIELDS = [
    "name",
    "furigana",
    "age_band",
    "area",
    "email",
    "phone",
    "skills",
    "qualifications",
    "availability_note",
]
MASK_FIELDS = ["available_days", "available_times", "ways"]


def office() -> Office | None:
    return Office.objects.filter(key=OFFICE_KEY).first()


def office_notice_address() -> str:
    """Where the office's notices go: TALENTBANK_OFFICE_EMAIL (an internal mailbox), else the e-mail staff
    entered in 市民協働課's contact block, else nowhere (staff see everything in the admin)."""
    return settings.TALENTBANK_OFFICE_EMAIL or office_address(OFFICE_KEY)


def mail_to(address: str, name: str, *, about, **context) -> None:
    contact = office()
    mail_queue(
        to=address,
        template=f"talentbank/mail/{name}.txt",
        context={"office": contact, **context},
        about=about,
        reply_to=[contact.email] if contact and contact.email else None,
    )


def mail_office(name: str, *, about=None, **context) -> None:
    address = office_notice_address()
    if address:
        mail_queue(to=address, template=f"talentbank/mail/{name}.txt", context=context, about=about)


def person_link(raw: str, name: str = "talentbank:me") -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, kwargs={"token": raw})


def _issue_token(person: Person, *, valid_days: int | None, now) -> str:
    """A fresh link secret (the previous link stops working): only its hash is stored."""
    raw, digest = token_new()
    person.token_hash = digest
    person.token_expires_at = now + timedelta(days=valid_days) if valid_days else None
    return raw


def _apply_form_data(person: Person, data: dict) -> None:
    relation = set(data.get("relation") or [])
    for value, name in RELATION_FIELDS.items():
        setattr(person, name, value in relation)
    for name in TEXT_FIELDS:
        setattr(person, name, data.get(name) or "")
    for name in MASK_FIELDS:
        setattr(person, name, mask_from(data.get(name)))


def person_register(*, data: dict, token: uuid.UUID, site_url: str = "") -> Person:
    """Save a registration from the public form with its three consents; one row per submission token."""

    def create() -> Person:
        now = timezone.now()
        person = Person(submission_token=token)
        _apply_form_data(person, data)
        raw = _issue_token(person, valid_days=settings.TALENTBANK_CONFIRM_DAYS, now=now) if person.email else ""
        person.full_clean(validate_unique=False)
        person.save()
        person.fields.set(data.get("interests") or [])
        for kind, wording in CONSENTS.items():
            _consent_save(person, kind, granted=bool(data.get(f"consent_{kind}")), wording=str(wording), now=now)
        if person.email:
            _mail_confirmation(person, raw)
        # The office mail carries the reference only: a name in it would survive the person's erasure.
        mail_office("office_new_person", about=person, person=person)
        return person

    with transaction.atomic():
        return submit_once(model=Person, token=token, create=create)


def _consent_save(person: Person, kind: str, *, granted: bool, wording: str, now) -> Consent:
    consent = Consent(
        person=person, kind=kind, version=CONSENT_VERSION, wording=wording, granted=granted, recorded_at=now
    )
    consent.full_clean()
    consent.save()
    return consent


def _mail_confirmation(person: Person, raw: str) -> None:
    mail_to(
        person.email,
        "confirm",
        about=person,
        person=person,
        link=person_link(raw, "talentbank:confirm"),
        days=settings.TALENTBANK_CONFIRM_DAYS,
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
    _mail_confirmation(person, raw)
    return person


def link_is_expired(person: Person) -> bool:
    return person.token_expires_at is not None and person.token_expires_at < timezone.now()


@transaction.atomic
def person_confirm_by_token(*, person: Person, raw_token: str) -> Person:
    """The e-mail link: completes a pending registration; the same link then opens the person's own page."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.PENDING or link_is_expired(person):
        raise ValidationError(_("このリンクでは登録を完了できません。"))
    return _activate(person, method=Person.ConfirmMethod.EMAIL, raw=raw_token)


@transaction.atomic
def person_confirm_by_phone(*, person: Person) -> Person:
    """For people without e-mail: staff phoned them and confirmed the registration."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.PENDING:
        raise ValidationError(_("本人確認待ちの登録ではありません。"))
    raw = _issue_token(person, valid_days=None, now=timezone.now()) if person.email else ""
    return _activate(person, method=Person.ConfirmMethod.PHONE, raw=raw)


def _activate(person: Person, *, method: str, raw: str) -> Person:
    now = timezone.now()
    person.status = Person.Status.ACTIVE
    person.confirmed_at = now
    person.renewed_at = now
    person.confirm_method = method
    # The link stays valid while the registration does (the person's own page).
    person.token_expires_at = None
    person.full_clean()
    person.save()
    if person.email:
        mail_to(person.email, "registered", about=person, person=person, link=person_link(raw) if raw else "")
    return person


@transaction.atomic
def person_renew(*, person: Person) -> Person:
    """The person (on their page, or by phone to staff) asked to stay registered."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(_("登録済みの方だけ更新できます。"))
    person.renewed_at = timezone.now()
    person.retention_notice_at = None
    person.full_clean()
    person.save()
    if person.email:
        mail_to(person.email, "renewed", about=person, person=person, days=settings.TALENTBANK_RETENTION_DAYS)
    return person


@transaction.atomic
def person_update(*, person: Person, data: dict) -> list[str]:
    """The person changed their registration on their own page; returns the labels of what changed."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(_("登録済みの方だけ変更できます。"))
    old_email = person.email
    before = {f: getattr(person, f) for f in [*RELATION_FIELDS.values(), *TEXT_FIELDS, *MASK_FIELDS]}
    old_fields = set(person.fields.values_list("pk", flat=True))
    _apply_form_data(person, data)
    person.full_clean()
    person.save()
    new_fields = {f.pk for f in data.get("interests") or []}
    if new_fields != old_fields:
        person.fields.set(list(new_fields))
    changed = [str(Person._meta.get_field(f).verbose_name) for f, v in before.items() if getattr(person, f) != v]
    if new_fields != old_fields:
        changed.append(str(Person._meta.get_field("fields").verbose_name))
    if changed:
        # Both addresses hear of it when the address itself changed: a stranger's change must not go unseen.
        for address in dict.fromkeys(a for a in (old_email, person.email) if a):
            mail_to(address, "updated", about=person, person=person, changed=changed)
    return changed


@transaction.atomic
def consent_record(*, person: Person, kind: str, granted: bool, wording: str = "") -> Consent:
    """A new answer for one consent (the earlier rows stay as evidence). Withdrawing the consent to keep the
    registration is withdrawing the registration: that is person_withdraw."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(_("登録済みの方だけ同意を変更できます。"))
    if kind == Consent.Kind.RETAIN and not granted:
        raise ValidationError(_("保管への同意の撤回は、登録の取り消し（消去）として扱います。"))
    consent = _consent_save(person, kind, granted=granted, wording=wording or str(CONSENTS[kind]), now=timezone.now())
    if person.email:
        mail_to(person.email, "consent_changed", about=person, person=person, consent=consent)
    return consent


def consent_withdraw(*, person: Person, kind: str) -> Consent:
    """The person withdrew a consent (told staff): a new "no" row; the earlier "yes" stays as evidence."""
    if kind == Consent.Kind.RETAIN:
        raise ValidationError(_("保管への同意の撤回は、登録の消去として扱ってください。"))
    return consent_record(person=person, kind=kind, granted=False, wording=str(_("本人の申し出により同意を撤回")))


def consents_current(person: Person) -> dict[str, Consent]:
    """The latest answer per kind."""
    # Sorted on the consent's own columns: the model's default order joins the person for nothing.
    return {consent.kind: consent for consent in person.consents.order_by("recorded_at", "pk")}
