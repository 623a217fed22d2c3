"""Load sdgs/data/kpis.toml (the reviewed copy of the proposal's KPIs) into the database; idempotent.

Natural keys: goal number, target code, KPI code, (KPI, year) for targets, initiative code, (area, year) for
budget lines. Staff-entered data (actuals, actual spend, the name of a KPI the proposal blacked out) is never
touched; such a KPI is loaded unpublished.
"""

import tomllib
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from sdgs.evaluation import seed as evaluation_seed
from sdgs.models import BudgetLine, Goal, Initiative, Kpi, KpiTarget, Target, has_redaction

DATA_FILE = Path(__file__).resolve().parent / "data" / "kpis.toml"


def read_data(path: Path = DATA_FILE) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _dec(value) -> Decimal:
    # TOML floats (319.93) go through str so the stored decimal is the printed one, not its binary neighbour.
    return Decimal(str(value))


def _upsert(model, defaults: dict, **lookup):
    """update_or_create that writes only when something changed, so a second run adds no history rows."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save(update_fields=changed)
    return obj, False


@transaction.atomic
def load(stdout=None, *, data: dict | None = None) -> dict[str, int]:
    data = data or read_data()
    for goal in data["goals"]:
        _upsert(Goal, number=goal["number"], defaults={"name": goal["name"], "color": goal["color"]})
    targets = {}
    for item in data["targets"]:
        targets[item["code"]], _ = _upsert(
            Target,
            code=item["code"],
            defaults={"goal_id": int(item["code"].split(".")[0]), "text": item.get("text", "")},
        )
    kpis = {}
    for order, item in enumerate(data["kpis"], start=1):
        baseline = item["baseline"]
        defaults = {"indicator": item["indicator"]}
        if has_redaction(item["indicator"]):
            # The document blacked part of the name out: the KPI stays unpublished until 未来創造課 enters the
            # name, and a later run keeps the name (and the decision to publish) staff entered.
            defaults = (
                {}
                if Kpi.objects.filter(code=item["code"]).exists()
                else {"indicator": item["indicator"], "published": False}
            )
        kpi, _ = _upsert(
            Kpi,
            code=item["code"],
            defaults={
                **defaults,
                "pillar": item["pillar"],
                "synergy": item.get("synergy", ""),
                "unit": item["unit"],
                "decimals": item.get("decimals", 0),
                "direction": item.get("direction", "up"),
                "cumulative": item.get("cumulative", False),
                "percent_change": item.get("percent_change", False),
                "baseline_value": _dec(baseline["value"]) if "value" in baseline else None,
                "baseline_year": baseline["year"],
                "baseline_month": baseline.get("month"),
                "source_key": item.get("source_key", ""),
                "appearances": item.get("appearances", []),
                "order": order,
            },
        )
        kpi.full_clean()
        kpi.sdg_targets.set([targets[code] for code in item["sdg_targets"]])
        printed = item.get("printed", {})
        for year, value in item["targets"].items():
            _upsert(
                KpiTarget, kpi=kpi, year=int(year), defaults={"value": _dec(value), "printed": printed.get(year, "")}
            )
        KpiTarget.objects.filter(kpi=kpi).exclude(year__in=[int(y) for y in item["targets"]]).delete()
        kpis[kpi.code] = kpi
    for order, item in enumerate(data.get("initiatives", []), start=1):
        initiative, _ = _upsert(
            Initiative,
            code=item["code"],
            defaults={
                "name": item["name"],
                "area": item["pillar"],
                "section": item.get("section", ""),
                "description": item.get("description", ""),
                "order": order,
            },
        )
        initiative.kpis.set([kpis[code] for code in item.get("kpis", [])])
    for item in data.get("budget", []):
        for year, planned in item["planned"].items():
            _upsert(BudgetLine, area=item["area"], fiscal_year=int(year), defaults={"planned": planned})
    counts = {
        "goals": len(data["goals"]),
        "targets": len(targets),
        "kpis": len(kpis),
        "initiatives": len(data.get("initiatives", [])),
        "budget_lines": sum(len(b["planned"]) for b in data.get("budget", [])),
    }
    if stdout is not None:
        stdout.write(
            "sdgs: ゴール{goals}件、ターゲット{targets}件、KPI{kpis}件、取組{initiatives}件、"
            "資金計画{budget_lines}件を確認しました。".format(**counts)
        )
    evaluation_seed.load(stdout)
    return counts
