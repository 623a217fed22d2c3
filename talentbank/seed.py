"""The fields of activity the city starts with; staff add more in the admin. Idempotent: a second run writes
nothing (not even a history row)."""

from talentbank.models import Field

FIELDS = [
    "福祉・介護",
    "子育て・教育",
    "環境・緑",
    "農業",
    "商工・起業",
    "まちづくり・イベント",
    "国際交流",
    "防災",
    "文化・スポーツ",
]


def load(stdout=None):
    created = 0
    for order, name in enumerate(FIELDS, start=1):
        _field, was_created = Field.objects.get_or_create(name=name, defaults={"order": order * 10})
        created += was_created
    if stdout is not None:
        stdout.write(f"talentbank: 分野 {len(FIELDS)} 件（新規 {created} 件）")
