import uuid

import pytest
from django.utils import timezone

from talentbank import seed, services
from talentbank.cache import page_cache
from talentbank.models import CONSENT_VERSION, CONSENTS, Consent, Field, Person, Spot


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    # Cached public fragments are keyed by a version; the rolled-back data of an earlier test must not show.
    page_cache.bump()


@pytest.fixture
def fields(db):
    seed.load()
    return {f.name: f for f in Field.objects.all()}


def registration_data(fields, **overrides):
    data = {
        "name": "清瀬 花子",
        "furigana": "きよせ　はなこ",
        "age_band": "60s",
        "relation": ["lives"],
        "area": "nakazato",
        "email": "hanako@example.jp",
        "phone": "042-111-2222",
        "interests": [fields["福祉・介護"]],
        "skills": "料理、傾聴",
        "qualifications": "介護職員初任者研修",
        "available_days": ["1", "4"],
        "available_times": ["1"],
        "availability_note": "月2回",
        "ways": ["1"],
        "consent_retain": True,
        "consent_share": True,
        "consent_partner": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def register(fields, mailoutbox):
    def _register(**overrides):
        return services.person_register(
            data=registration_data(fields, **overrides), token=uuid.uuid4(), site_url="http://testserver/"
        )

    return _register


@pytest.fixture
def make_person(fields):
    """An active person created directly (fast), with all three consents granted unless told otherwise."""
    counter = {"n": 0}

    def _make(*, interests=(), partner=True, **kwargs):
        counter["n"] += 1
        now = timezone.now()
        values = {
            "name": f"テスト 太郎{counter['n']}",
            "furigana": "てすと　たろう",
            "lives_in_city": True,
            "email": f"taro{counter['n']}@example.jp",
            "status": Person.Status.ACTIVE,
            "confirmed_at": now,
            "renewed_at": now,
            "confirm_method": Person.ConfirmMethod.EMAIL,
        }
        values.update(kwargs)
        person = Person.objects.create(**values)
        person.fields.set([fields[name] for name in interests])
        for kind, wording in CONSENTS.items():
            Consent.objects.create(
                person=person,
                kind=kind,
                version=CONSENT_VERSION,
                wording=str(wording),
                granted=partner if kind == "partner" else True,
                recorded_at=now,
            )
        return person

    return _make


@pytest.fixture
def make_spot(fields):
    def _make(**kwargs):
        values = {
            "title": "送迎の補助",
            "body_name": "清瀬ケアセンター",
            "body_kind": Spot.BodyKind.CARE,
            "field": fields["福祉・介護"],
            "needed": "デイサービスの送迎補助",
            "when_text": "毎週水曜 午前",
            "place": "中里",
            "headcount": 2,
            "status": Spot.Status.PUBLISHED,
            "published_at": timezone.now(),
            "contact_email": "care@example.jp",
        }
        values.update(kwargs)
        return Spot.objects.create(**values)

    return _make


@pytest.fixture(autouse=True)
def _office_mailbox(settings):
    # The deployment's internal mailbox for 市民協働課's notices (no default: no city document gives one).
    settings.TALENTBANK_OFFICE_EMAIL = "kyodo-office@example.jp"
