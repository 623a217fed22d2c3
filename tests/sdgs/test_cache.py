"""The public page cache: anonymous hits skip the database; any sdgs write on commit shows the new data."""

import pytest
from django.core.cache import cache, caches
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


@pytest.fixture
def with_session(client):
    # A visitor in the middle of a form (or staff) carries a session cookie: never served whole from the cache.
    client.cookies["sessionid"] = "a-visitor-in-the-middle-of-a-form"
    caches["fragments"].clear()
    return client


@pytest.mark.parametrize("name", ["sdgs:dashboard", "sdgs:kpis_json", "sdgs:kpis_csv", "sdgs:plan"])
def test_with_a_session_the_costly_pieces_are_rendered_once_per_data_version(
    with_session, cached, django_assert_max_num_queries, name
):
    client = with_session
    url = reverse(name)
    with django_assert_max_num_queries(12) as first:
        client.get(url)
    # Only what every page costs is left: the two contact blocks of an HTML page.
    with django_assert_max_num_queries(2 if name in ("sdgs:dashboard", "sdgs:plan") else 0):
        again = client.get(url)
    assert len(first) > 2 and again.status_code == 200
    # A write renews the version: the next request shows the new figure.
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2024, value=13, source="商工会")
    text = client.get(url).content.decode("utf-8-sig")
    if name == "sdgs:dashboard":
        assert "13件" in text
    elif name == "sdgs:kpis_csv":
        assert ",13,令和6年度（2024年度）," in text
    elif name == "sdgs:kpis_json":
        assert '"period": "FY2024", "value": 13' in text


def test_with_a_session_the_kpi_page_shows_a_saved_actual_at_once(with_session, cached):
    url = reverse("sdgs:kpi_detail", args=["EC-02"])
    assert "13件" not in with_session.get(url).content.decode()
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2024, value=13, source="商工会")
    assert "13件" in with_session.get(url).content.decode()


def test_with_a_session_the_report_is_rendered_once_and_renewed_by_a_write(with_session, cached, monkeypatch):
    from sdgs import documents

    renders = []
    real = documents.report_pdf
    monkeypatch.setattr(documents, "report_pdf", lambda year: renders.append(year) or real(year))
    url = reverse("sdgs:report_pdf", args=[2024])
    first = with_session.get(url)
    again = with_session.get(url)
    assert renders == [2024] and again.content == first.content
    assert again["Content-Type"] == "application/pdf" and "filename" in again["Content-Disposition"]
    Actual.objects.create(kpi=Kpi.objects.get(code="EC-02"), fiscal_year=2024, value=13, source="商工会")
    with_session.get(url)
    assert renders == [2024, 2024]
