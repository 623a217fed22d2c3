"""Every sdgs route is a declared page, read only what it declares, and matches only what it means."""

import pytest
from django.urls import reverse

from kiyose.pages import registry, undeclared_patterns

pytestmark = pytest.mark.django_db


def test_every_sdgs_route_is_declared_with_its_cache():
    assert [r for r in undeclared_patterns() if r.startswith("sdgs/")] == []
    pages = {p.name: p for p in registry() if p.name.startswith("sdgs:")}
    assert set(pages) == {
        "sdgs:dashboard",
        "sdgs:kpis_csv",
        "sdgs:kpis_json",
        "sdgs:kpi_detail",
        "sdgs:method",
        "sdgs:plan",
        "sdgs:report_pdf",
        "sdgs:contact",
        "sdgs:contact_done",
        "sdgs:evaluation_index",
        "sdgs:evaluation",
        "sdgs:evaluation_pdf",
        "sdgs:evaluation_csv",
    }
    assert all(p.cached for name, p in pages.items() if not name.startswith("sdgs:contact"))
    assert pages["sdgs:dashboard"].params == ("group", "pillar", "goal")


def test_the_kpi_pages_list_only_published_kpis(seeded):
    urls = next(p for p in registry() if p.name == "sdgs:kpi_detail").urls()
    assert reverse("sdgs:kpi_detail", args=["EC-02"]) in urls
    assert reverse("sdgs:kpi_detail", args=["EN-04"]) not in urls  # its name is blacked out


@pytest.mark.parametrize(
    "path",
    [
        "/sdgs/kpis/①/",
        "/sdgs/kpis/" + "A" * 21 + "/",
        "/sdgs/kpis/EC-02/extra/",
        "/sdgs/report/99999.pdf",
        "/sdgs/report/２０２４.pdf",
        "/sdgs/kpis/NO-SUCH/",
    ],
)
def test_paths_that_mean_nothing_are_not_found(client, seeded, path):
    assert client.get(path).status_code == 404


def test_unknown_query_parameters_share_the_dashboards_cache_entry(client, seeded, settings):
    from django.test import RequestFactory

    from sdgs.cache import page_cache

    factory = RequestFactory()
    plain = page_cache.key(factory.get("/sdgs/"), ("group", "pillar", "goal"))
    tracked = page_cache.key(factory.get("/sdgs/", {"utm_source": "x"}), ("group", "pillar", "goal"))
    filtered = page_cache.key(factory.get("/sdgs/", {"pillar": "economy"}), ("group", "pillar", "goal"))
    assert plain == tracked != filtered
