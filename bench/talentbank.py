"""Benchmark of the talent bank: the public pages, and ranking 10,000 registered people for one spot. The
synthetic registrations (clearly marked, example.invalid addresses) are made here, outside the app: load-test
data has no place in the production package."""

import random
import statistics
import time

PEOPLE = 10_000
SPOTS = 200
RUNS = 15
TARGET_MS = 200.0
BENCH_SPOT_TITLE = "ベンチマーク用 送迎補助"
BENCH_EMAIL = "bench-own-page@example.invalid"
# The bench person's link: its hash is stored (as for anyone), the raw token is kept here for samples().
_LINK: dict[str, str] = {}


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
    from talentbank.models import Person

    return Person.objects.filter(staff_note=MARK).count()


def synthetic_people_create(n: int, *, seed: int = 42, batch: int = 2000) -> int:
    """Add `n` active synthetic people with fields of interest and consents; returns how many were made."""
    from django.db import transaction

    with transaction.atomic():
        return _synthetic_people_create(n, seed=seed, batch=batch)


def _synthetic_people_create(n: int, *, seed: int, batch: int) -> int:
    from django.utils import timezone

    from talentbank.models import CONSENT_VERSION, CONSENTS, Consent, Field, Person

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
    links = [through(person_id=p.pk, field_id=f) for p in created for f in rng.sample(fields, rng.randint(1, 3))]
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


def _bench_spot():
    from django.utils import timezone

    from talentbank.models import Field, Spot

    spot, _ = Spot.objects.get_or_create(
        title=BENCH_SPOT_TITLE,
        defaults={
            "body_name": "ベンチマーク介護事業所",
            "body_kind": Spot.BodyKind.CARE,
            "field": Field.objects.get(name="福祉・介護"),
            "needed": "送迎の補助",
            "when_text": "平日午前",
            "place": "中里",
            "area": "nakazato",
            "headcount": 3,
            "days": 0b0011111,
            "times": 1,
            "ways": 3,
            "skill_keywords": "介護、運転",
            "status": Spot.Status.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    return spot


def prepare() -> None:
    """10,000 synthetic people and 200 open spots, created once (bulk) and reused by later runs."""
    from django.utils import timezone

    from talentbank import seed
    from talentbank.cache import page_cache
    from talentbank.models import Field, Spot

    seed.load()
    missing = PEOPLE - synthetic_count()
    if missing > 0:
        synthetic_people_create(missing)
    fields = list(Field.objects.all())
    existing = Spot.objects.filter(body_name__startswith="ベンチマーク団体").count()
    Spot.objects.bulk_create(
        [
            Spot(
                title=f"ベンチマーク用スポット {i}",
                body_name=f"ベンチマーク団体 {i}",
                body_kind=Spot.BodyKind.NPO,
                field=fields[i % len(fields)],
                needed="地域の行事の準備と片付け",
                when_text="毎月第1土曜日",
                place="清瀬市役所",
                area="nakazato",
                headcount=1 + i % 5,
                status=Spot.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            for i in range(existing, SPOTS)
        ]
    )
    _bench_spot()
    _bench_person_link()
    page_cache.bump()  # bulk_create sends no signals: drop any cached page from an earlier run


def _bench_person_link() -> None:
    """A registered person with a fresh link, so the registrant's own pages are measured too."""
    import uuid

    from kiyose.tokens import token_new
    from talentbank import services
    from talentbank.models import Field, Person

    person = Person.objects.filter(email=BENCH_EMAIL).first()
    if person is None:
        data = {
            "name": "ベンチ 花子",
            "furigana": "べんち　はなこ",
            "age_band": "60s",
            "relation": ["lives"],
            "area": "nakazato",
            "email": BENCH_EMAIL,
            "phone": "",
            "interests": list(Field.objects.all()[:2]),
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
        person = services.person_confirm_by_phone(person=services.person_register(data=data, token=uuid.uuid4()))
    raw, digest = token_new()
    Person.objects.filter(pk=person.pk).update(token_hash=digest)
    _LINK["raw"] = raw


def samples() -> dict[str, str]:
    from django.urls import reverse

    raw = _LINK.get("raw")
    if not raw:
        return {}
    return {name: reverse(name, kwargs={"token": raw}) for name in ("talentbank:me", "talentbank:me_edit")}


def extra() -> list[dict]:
    from talentbank.models import Person

    spot = _bench_spot()
    people = Person.objects.active().count()
    Person.objects.suggestions_for(spot)  # warm the connection and the page cache
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        ranked = Person.objects.suggestions_for(spot)
        timings.append((time.perf_counter() - start) * 1000)
    median = statistics.median(timings)
    return [
        {
            "name": f"人材バンク：{people:,}人から困りごとスポットの候補者を順位付け（{len(ranked)}人、中央値）",
            "value": round(median, 1),
            "unit": "ms",
            "target": f"< {TARGET_MS:.0f} ms",
            "ok": median < TARGET_MS,
        }
    ]
