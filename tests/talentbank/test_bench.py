import importlib

import pytest

pytestmark = pytest.mark.django_db


def test_bench_module_prepares_and_measures(db):
    bench = importlib.import_module("bench.talentbank")
    assert {kind for _name, _path, kind in bench.PAGES} == {"read", "form"}
    bench.prepare()
    bench.prepare()  # idempotent
    from talentbank.models import Person, Spot

    assert Person.objects.active().count() == bench.PEOPLE
    assert Spot.objects.open_on(__import__("datetime").date.today()).count() == bench.SPOTS + 1
    [result] = bench.extra()
    assert result["unit"] == "ms" and result["value"] > 0
    print(result)
