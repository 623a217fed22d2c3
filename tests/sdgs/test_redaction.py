"""A KPI whose printed name the proposal blacked out is loaded unpublished and shown nowhere public until
未来創造課 enters its name; the admin flags it."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kiyose.pages import registry
from sdgs import documents, seed
from sdgs.models import Actual, Kpi, current_fiscal_year
from tests.sdgs.test_admin import _change_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_live_sources")]
REDACTED = "EN-04"
NAME = "ステークホルダー連携の緑化活動"
MARKS = ("[REDACTED]", "■")


@pytest.fixture
def with_actual(seeded):
    Actual.objects.create(kpi=Kpi.objects.get(code=REDACTED), fiscal_year=2023, value=7, source="みどり公園課")


def public_text(client) -> str:
    """Every declared sdgs page and download, as text (the PDF reports through their text layer)."""
    parts = []
    for page in registry():
        if not page.name.startswith("sdgs:") or page.kind not in ("read", "form", "download", "feed"):
            continue
        for url in page.urls():
            response = client.get(url)
            assert response.status_code == 200, url
            if response["Content-Type"] == "application/pdf":
                parts += [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
            else:
                parts.append(response.content.decode("utf-8-sig"))
    return "\n".join(parts)


def test_the_seed_loads_the_blacked_out_kpi_unpublished(seeded):
    kpi = Kpi.objects.get(code=REDACTED)
    assert "[REDACTED]" in kpi.indicator and not kpi.published
    assert list(Kpi.objects.needing_name().values_list("code", flat=True)) == [REDACTED]
    assert Kpi.objects.public().count() == Kpi.objects.count() - 1


def test_no_redaction_appears_on_any_public_page_or_download(client, with_actual):
    text = public_text(client)
    for mark in MARKS:
        assert mark not in text
    assert client.get(reverse("sdgs:kpi_detail", args=[REDACTED])).status_code == 404
    rows = json.loads(client.get(reverse("sdgs:kpis_json")).content)["kpis"]
    assert REDACTED not in {r["code"] for r in rows}
    assert REDACTED not in client.get(reverse("sdgs:kpis_csv")).content.decode("utf-8-sig")


def test_the_report_leaves_it_out(with_actual):
    codes = {row.kpi.code for row in documents.report_rows(current_fiscal_year())}
    assert REDACTED not in codes and "EC-02" in codes


def test_it_cannot_be_published_with_the_blacked_out_name(client, with_actual, make_staff):
    client.force_login(make_staff("未来創造課"))
    kpi = Kpi.objects.get(code=REDACTED)
    url = reverse("admin:sdgs_kpi_change", args=[kpi.pk])
    data = _change_form_data(client.get(url))
    data["appearances"] = json.dumps(kpi.appearances, ensure_ascii=False)
    data["published"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "黒塗り" in response.content.decode() and "公開できません" in response.content.decode()
    kpi.refresh_from_db()
    assert not kpi.published


def test_once_mirai_enters_the_name_it_is_public_everywhere_and_the_seed_keeps_it(client, with_actual, make_staff):
    client.force_login(make_staff("未来創造課"))
    kpi = Kpi.objects.get(code=REDACTED)
    url = reverse("admin:sdgs_kpi_change", args=[kpi.pk])
    data = _change_form_data(client.get(url))
    data.update(appearances=json.dumps(kpi.appearances, ensure_ascii=False), indicator=NAME, published="on")
    assert client.post(url, data).status_code == 302
    client.logout()
    assert NAME in client.get(reverse("sdgs:dashboard")).content.decode()
    page = client.get(reverse("sdgs:kpi_detail", args=[REDACTED])).content.decode()
    # The proposal's own line for it names the KPI as entered, never the black bar.
    assert f"「{NAME}」" in page and "[REDACTED]" not in page
    assert NAME in client.get(reverse("sdgs:kpis_csv")).content.decode("utf-8-sig")
    seed.load()
    kpi.refresh_from_db()
    assert kpi.indicator == NAME and kpi.published


def test_the_admin_list_flags_it_and_filters_on_it(client, seeded, make_staff):
    client.force_login(make_staff("未来創造課"))
    changelist = reverse("admin:sdgs_kpi_changelist")
    html = client.get(changelist, {"name_needed": "yes"}).content.decode()
    assert "黒塗りのため要入力（非公開）" in html and REDACTED in html and "EC-02" not in html
    html = client.get(changelist, {"name_needed": "no"}).content.decode()
    assert "EC-02" in html and f">{REDACTED}<" not in html
