"""Synthetic registrations (clearly marked, example.invalid addresses) for the load tests and `make bench`:
the ranking and the public pages are measured against a realistic 10,000 people."""

import random

from django.db import transaction
from django.utils import timezone

from talentbank.models import Consent, Field, Person
from talentbank.wording import CONSENT_VERSION, CONSENTS

MARK = "合成データ"
SKILLS = [
    "料理",
    "パソコン",
    "英会話",
    "介護",
    "運転",
    "庭木の手入れ",
    "草刈り",
    "会計",
    "写真",
    "楽器演奏",
    "子どもの見守り",
    "手話",
    "農作業",
    "イベント運営",
    "ウェブ制作",
    "防災士",
]
AREAS = [
    "asahigaoka",
    "umezono",
    "kamikiyoto",
    "shimokiyoto",
    "shimojuku",
    "takeoka",
    "nakakiyoto",
    "nakazato",
    "noshio",
    "matsuyama",
    "motomachi",
    "outside",
]


def synthetic_count() -> int:
    return Person.objects.filter(staff_note=MARK).count()


@transaction.atomic
def synthetic_people_create(n: int, *, seed: int = 42, batch: int = 2000) -> int:
    """Add `n` active synthetic people with fields of interest and consents; returns how many were made."""
    rng = random.Random(seed)
    fields = list(Field.objects.values_list("pk", flat=True))
    now = timezone.now()
    start = synthetic_count()
    people = [
        Person(
            status=Person.Status.ACTIVE,
            name=f"{MARK} {start + i:05d}",
            furigana="ごうせい　でーた",
            age_band=rng.choice(list(Person.AgeBand.values)),
            lives_in_city=True,
            area=rng.choice(AREAS),
            email=f"synthetic{start + i}@example.invalid",
            skills="、".join(rng.sample(SKILLS, rng.randint(0, 3))),
            qualifications=rng.choice(["", "", "普通自動車免許", "介護職員初任者研修", "保育士"]),
            available_days=rng.randint(0, 127),
            available_times=rng.randint(0, 7),
            ways=rng.randint(1, 31),
            staff_note=MARK,
            confirmed_at=now,
            renewed_at=now,
            confirm_method=Person.ConfirmMethod.EMAIL,
        )
        for i in range(n)
    ]
    created = Person.objects.bulk_create(people, batch_size=batch)
    through = Person.fields.through
    links = [
        through(person_id=p.pk, field_id=f) for p in created for f in rng.sample(fields, rng.randint(1, 3))
    ]
    through.objects.bulk_create(links, batch_size=batch * 2)
    consents = [
        Consent(
            person_id=p.pk,
            kind=kind,
            version=CONSENT_VERSION,
            wording=str(wording),
            granted=(kind != "partner" or rng.random() < 0.8),
            recorded_at=now,
        )
        for p in created
        for kind, wording in CONSENTS.items()
    ]
    Consent.objects.bulk_create(consents, batch_size=batch * 2)
    return len(created)
