"""The registry of live KPI figures that other apps feed.

`sdgs` imports no other app: a feature app registers a figure from its AppConfig.ready(), e.g.

    from sdgs.sources import source_register
    source_register("talentbank.registrations", label=_("市民人材バンク登録者数"), unit="人",
                    compute=lambda: Person.objects.registered().count())

and a KPI whose `source_key` names it shows the computed value as its current actual.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class LiveSource:
    key: str
    label: str
    unit: str
    compute: Callable[[], int | Decimal]


_REGISTRY: dict[str, LiveSource] = {}


def source_register(key: str, *, label: str, unit: str, compute: Callable[[], int | Decimal]) -> LiveSource:
    source = LiveSource(key=key, label=str(label), unit=unit, compute=compute)
    _REGISTRY[key] = source
    return source


def source_get(key: str) -> LiveSource | None:
    return _REGISTRY.get(key)


def sources_all() -> list[LiveSource]:
    return sorted(_REGISTRY.values(), key=lambda s: s.key)


def source_choices() -> list[tuple[str, str]]:
    return [(s.key, f"{s.label}（{s.key}）") for s in sources_all()]
