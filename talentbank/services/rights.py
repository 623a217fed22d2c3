"""Rights and retention: a person's export (開示) and erasure, both read from the models' personal-data
declarations (kiyose.personal), and the retention run."""

import functools
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.personal import declaration_of, personal_erase
from talentbank.models import Consent, ErasureRecord, Graduate, Match, Person, Spot
from talentbank.services.people import _issue_token, mail_office, mail_to, person_link

EXPORT_HEADER = [_("区分"), _("項目"), _("内容")]
# The rows that belong to a person, in the order the export shows them (each declares belongs_to="person").
BELONGING = [Consent, Match, Graduate]


def _text(obj, field: models.Field) -> str:
    if field.many_to_many:
        return "、".join(str(o) for o in getattr(obj, field.name).all())
    value = getattr(obj, field.name)
    if value is None or value == "":
        return ""
    if field.choices:
        # The label looked up by value: get_FOO_display() hashes every label, translating each one.
        return str(dict(field.flatchoices).get(value, value))
    flags = getattr(field, "flags", None)
    if flags is not None:
        return "、".join(str(label) for bit, label in flags if value & bit)
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@functools.cache
def _declared_fields(model) -> list[models.Field]:
    declaration = declaration_of(model)
    names = [*declaration.export, *declaration.personal]
    return [model._meta.get_field(name) for name in dict.fromkeys(names)]


def person_rows(*, person: Person) -> list[list[str]]:
    """The registration itself, as the export gives it (the person's own page shows these)."""
    section = str(Person._meta.verbose_name)
    return [[section, str(f.verbose_name), _text(person, f)] for f in _declared_fields(Person)]


def person_export_rows(*, person: Person) -> list[list[str]]:
    """Everything the bank holds on one person (開示請求; the person's own download gives the same): the
    fields each model declares personal or for export, so a field added to a declaration is exported too."""
    rows = person_rows(person=person)
    for model in BELONGING:
        fields = [f for f in _declared_fields(model) if f.name != "person"]
        for obj in model._default_manager.filter(person=person).order_by("pk"):
            for f in fields:
                rows.append([str(model._meta.verbose_name), str(f.verbose_name), _text(obj, f)])
    return [[str(c) for c in row] for row in rows]


@transaction.atomic
def person_erase(*, person: Person, reason: str, by: str = "") -> Person:
    """Erase a registration's personal data everywhere (kiyose.personal.personal_erase: every declared field of
    the person and of the rows that belong to them, history, admin log lines, mails, sessions). An anonymous
    tombstone stays, so cumulative counts (registrations, SDGs人材, matches) do not go down. Idempotent."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status == Person.Status.ERASED:
        return person
    # The tombstone first: the constraints that need a contact or a relation hold for live registrations only.
    # The link's hash stays, so the link answers "erased" (410) rather than "never existed" (404).
    Person.objects.filter(pk=person.pk).update(
        status=Person.Status.ERASED,
        submission_token=None,
        token_expires_at=None,
        retention_notice_at=None,
        erased_at=timezone.now(),
    )
    person.refresh_from_db()
    personal_erase(obj=person)
    record = ErasureRecord(person_ref=person.reference or f"#{person.pk}", reason=reason, erased_by=by[:150])
    record.full_clean()
    record.save()
    return person


def person_withdraw(*, person: Person) -> Person:
    """The person withdrew their registration on their own page: erased at once, the office told (by number)."""
    with transaction.atomic():
        erased = person_erase(person=person, reason=ErasureRecord.Reason.REQUEST, by=_("本人（登録内容の確認ページ）"))
        mail_office("office_withdrawn", reference=erased.reference)
    return erased


def retention_run(*, now=None, site_url: str | None = None) -> dict[str, int]:
    """Notice people whose registration was not renewed within TALENTBANK_RETENTION_DAYS; erase those still
    not renewed TALENTBANK_NOTICE_DAYS after the notice, and pending registrations never confirmed.
    Idempotent: a second run the same day finds nothing to do."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TALENTBANK_RETENTION_DAYS)
    notice_cutoff = now - timedelta(days=settings.TALENTBANK_NOTICE_DAYS)
    erased = 0
    for person in Person.objects.due_for_erasure(cutoff, notice_cutoff):
        person_erase(person=person, reason=ErasureRecord.Reason.RETENTION, by="talentbank_retention")
        erased += 1
    unconfirmed = 0
    for person in Person.objects.unconfirmed_before(notice_cutoff):
        person_erase(person=person, reason=ErasureRecord.Reason.UNCONFIRMED, by="talentbank_retention")
        unconfirmed += 1
    # A partner's contact person is kept while their spot runs and for the same period after it ended.
    spots = 0
    for spot in Spot.objects.ended_before(cutoff).exclude(contact_name="", contact_email="", contact_phone=""):
        personal_erase(obj=spot)
        spots += 1
    noticed = 0
    for person in Person.objects.due_for_notice(cutoff):
        person_notify_retention(person=person, now=now)
        noticed += 1
    return {"noticed": noticed, "erased": erased, "unconfirmed_erased": unconfirmed, "spot_contacts_erased": spots}


@transaction.atomic
def person_notify_retention(*, person: Person, now, site_url: str = "") -> Person:
    """The renewal notice, with a fresh link to the person's page (people without e-mail are phoned: the
    admin lists them)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.retention_notice_at is not None:
        return person
    person.retention_notice_at = now
    if person.email:
        raw = _issue_token(person, valid_days=None, now=now)
        mail_to(
            person.email,
            "renew",
            about=person,
            person=person,
            link=person_link(raw, "talentbank:renew"),
            days=settings.TALENTBANK_NOTICE_DAYS,
        )
    person.full_clean()
    person.save()
    return person
