import importlib

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_bench_module_prepares_and_measures(db):
    bench = importlib.import_module("bench.talentbank")
    bench.prepare()
    bench.prepare()  # idempotent
    from talentbank.models import Person, Spot

    # The synthetic people and the bench person with their own-page link.
    assert Person.objects.active().count() == bench.PEOPLE + 1
    assert Spot.objects.open_on(timezone.localdate()).count() == bench.SPOTS + 1
    # The public pages come from the page registry; the bench adds samples of the pages behind the link.
    samples = bench.samples()
    assert set(samples) == {"talentbank:me", "talentbank:me_edit"}
    for url in samples.values():
        assert Client().get(url).status_code == 200
    [result] = bench.extra()
    assert result["unit"] == "ms" and result["value"] > 0
