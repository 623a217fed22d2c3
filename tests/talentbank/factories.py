"""Rows of the talent bank for tests; PERSONAL_FACTORIES make each model holding personal data with a given
marker in every declared personal text field, through the services where they exist (so the markers reach the
mails and the history as real data would)."""

import uuid

from django.db import models

from kiyose.personal import declaration_of
from talentbank import seed, services
from talentbank.models import Enquiry, Field, Match, Person, Spot

# A field's value that passes the model's validation and carries the marker (e-mail addresses and phones).
_SHAPED = {
    models.EmailField: lambda marker: f"{marker}@example.jp",
}


def personal_text_fields(model) -> list[models.Field]:
    """The declared personal fields that hold text: each gets its own marker in the erasure test."""
    return [
        f
        for f in declaration_of(model).personal_fields()
        if isinstance(f, (models.CharField, models.TextField)) and not f.choices
    ]


def marker_values(model, prefix: str) -> dict[str, str]:
    values = {}
    for f in personal_text_fields(model):
        marker = f"{prefix}{model._meta.model_name}{f.name}".replace("_", "")
        shape = next((make for kind, make in _SHAPED.items() if isinstance(f, kind)), None)
        values[f.name] = shape(marker) if shape else marker
    return values


def registration(**overrides) -> dict:
    seed.load()
    data = {
        "name": "清瀬 花子",
        "furigana": "きよせ　はなこ",
        "age_band": "60s",
        "relation": ["lives"],
        "area": "nakazato",
        "email": "hanako@example.jp",
        "phone": "042-111-2222",
        "interests": [Field.objects.get(name="福祉・介護")],
        "skills": "料理",
        "qualifications": "",
        "available_days": ["1"],
        "available_times": ["1"],
        "availability_note": "",
        "ways": ["1"],
        "consent_retain": True,
        "consent_share": True,
        "consent_partner": True,
    }
    return data | overrides


def spot(**overrides) -> Spot:
    seed.load()
    values = {
        "title": "送迎の補助",
        "body_name": "清瀬ケアセンター",
        "body_kind": Spot.BodyKind.CARE,
        "field": Field.objects.get(name="福祉・介護"),
        "needed": "送迎補助",
        "when_text": "毎週水曜 午前",
        "place": "中里",
        "headcount": 2,
        "contact_name": "担当 一郎",
        "contact_email": "care@example.jp",
    }
    return services.spot_propose(data=values | overrides, token=uuid.uuid4())


def _with_markers(obj, markers: dict):
    # Saved (not updated) so the markers reach the history too, as staff edits would.
    for name, value in markers.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def _person_with_markers(markers: dict) -> Person:
    text = {k: v for k, v in markers.items() if k in ("name", "email", "skills")}
    person = services.person_register(data=registration(**text), token=uuid.uuid4())
    person = services.person_confirm_by_phone(person=person)
    return _with_markers(person, markers)


def _spot_with_markers(markers: dict) -> Spot:
    return _with_markers(spot(**{k: v for k, v in markers.items() if k == "contact_email"}), markers)


def _match_with_markers(markers: dict) -> Match:
    person = services.person_confirm_by_phone(
        person=services.person_register(data=registration(email="m@example.jp"), token=uuid.uuid4())
    )
    published = services.spot_transition(obj=spot(), to=Spot.Status.PUBLISHED, data={})
    match = services.match_propose(spot=published, person=person, note=markers.get("notes", ""))
    return _with_markers(match, markers)


def _enquiry_with_markers(markers: dict) -> Enquiry:
    values = {
        "name": "問合 太郎",
        "email": "q@example.jp",
        "phone": "",
        "subject": "質問",
        "message": "本文",
        "staff_note": "",
    }
    return Enquiry.objects.create(
        reference=f"Q-{uuid.uuid4().hex[:8]}", submission_token=uuid.uuid4(), **(values | markers)
    )


PERSONAL_FACTORIES = {
    "talentbank.person": _person_with_markers,
    "talentbank.spot": _spot_with_markers,
    "talentbank.match": _match_with_markers,
    "talentbank.enquiry": _enquiry_with_markers,
}


def _match_proposed() -> Match:
    return _match_with_markers({})


def _published_spot() -> Spot:
    return services.spot_transition(obj=spot(), to=Spot.Status.PUBLISHED, data={})


# For the registry-driven tests (tests/kiyose/registry_support.py): a row of each workflow's model in its initial
# state, and a published spot so the spot pages have an instance.
WORKFLOW_FACTORIES = {"talentbank.spot": spot, "talentbank.match": _match_proposed}
PUBLIC_SAMPLES = _published_spot
