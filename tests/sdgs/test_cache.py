"""The public page cache: anonymous hits skip the database; any sdgs write on commit shows the new data."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from sdgs import seed
from sdgs.models import Actual, Kpi

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_live_sources")]


@pytest.fixture
def cached(settings):
    settings.SDGS_PAGE_CACHE_SECONDS = 60
    cache.clear()
    seed.load()
    yield
    cache.clear()


def test_second_anonymous_request_is_served_from_the_cache(client, cached, django_assert_num_queries):
    url = reverse("sdgs:kpis_json")
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    csv_response = client.get(reverse("sdgs:kpis_csv"))
    with django_assert_num_queries(0):
        again = client.get(reverse("sdgs:kpis_csv"))
    assert again["Content-Disposition"] == csv_response["Content-Disposition"]


def test_saved_actual_shows_at_once(client, cached):
    url = reverse("sdgs:kpi_detail", args=["EC-02"])
    assert "13件" not in client.get(url).content.decode()
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2024, value=13, source="商工会")
    assert "13件" in client.get(url).content.decode()


def test_staff_with_a_session_are_never_served_from_the_cache(
    client, cached, make_staff, django_assert_max_num_queries
):
    client.force_login(make_staff("未来創造課"))
    url = reverse("sdgs:dashboard")
    client.get(url)
    with django_assert_max_num_queries(20) as queries:
        client.get(url)
    assert len(queries) > 0


def test_filters_are_cached_separately(client, cached):
    economy = client.get(reverse("sdgs:dashboard"), {"pillar": "economy"}).content.decode()
    society = client.get(reverse("sdgs:dashboard"), {"pillar": "society"}).content.decode()
    assert "市民人材バンク登録者数" in society and "市民人材バンク登録者数" not in economy
