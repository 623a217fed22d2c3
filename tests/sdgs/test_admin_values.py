"""Values in every admin screen as staff entered them (thousands separators, the KPI's decimals, never
"4.5E+5" or "450000.0000"), and a duplicate period told at its field in Japanese."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sdgs.forms import format_number
from sdgs.models import Actual, Kpi
from tests.sdgs.test_admin import _change_form_data, year_post

pytestmark = pytest.mark.django_db
YEAR_ENTRY = "admin:sdgs_kpi_year_entry"


@pytest.fixture
def visitors(seeded):
    """きよせSDGsまつり来場者数 (人, no decimals) at 450,000 — stored as 450000.0000."""
    return Actual.objects.create(
        kpi=Kpi.objects.get(code="EC-05"), fiscal_year=2024, value=Decimal("450000"), source="実行委員会"
    )


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (Decimal("450000.0000"), 0, "450,000"),
        (Decimal("4.5E+5"), 0, "450,000"),
        (Decimal("80.0000"), 1, "80.0"),
        (Decimal("319.9300"), 2, "319.93"),
        (Decimal("12.3500"), 1, "12.35"),
        (Decimal("-42.9000"), 1, "-42.9"),
        (Decimal("0E-4"), 0, "0"),
    ],
)
def test_a_stored_value_is_shown_as_entered(value, decimals, shown):
    assert format_number(value, min_decimals=decimals) == shown


def test_the_actuals_list_shows_values_formatted(client, mirai, visitors):
    html = client.get(reverse("admin:sdgs_actual_changelist")).content.decode()
    assert "450,000人" in html
    assert "450000.0000" not in html and "4.5E+5" not in html


def test_the_actual_change_form_shows_the_value_formatted_and_takes_it_back(client, mirai, visitors):
    url = reverse("admin:sdgs_actual_change", args=[visitors.pk])
    html = client.get(url).content.decode()
    assert 'value="450,000"' in html and "450000.0000" not in html
    data = {
        "kpi": visitors.kpi_id,
        "fiscal_year": 2024,
        "survey_date": "",
        "value": "450,000",
        "source": "実行委員会",
        "note": "",
    }
    assert client.post(url, data).status_code == 302
    visitors.refresh_from_db()
    assert visitors.value == 450000


def test_the_kpi_change_form_shows_actuals_targets_and_baseline_formatted(client, mirai, visitors):
    Actual.objects.create(
        kpi=Kpi.objects.get(code="EN-02"), fiscal_year=2023, value=Decimal("317.4"), source="都市計画課"
    )
    html = client.get(reverse("admin:sdgs_kpi_change", args=[visitors.kpi_id])).content.decode()
    assert 'value="450,000"' in html and "450000.0000" not in html
    html = client.get(reverse("admin:sdgs_kpi_change", args=[Kpi.objects.get(code="EN-02").pk])).content.decode()
    assert 'value="317.40"' in html  # the actual, in the KPI's two decimals
    assert 'value="319.93"' in html  # the baseline
    assert not re.search(r'value="[0-9,.-]+\.[0-9]*0000"', html)


def test_the_year_entry_screen_shows_existing_values_formatted(client, mirai, visitors):
    html = client.get(reverse(YEAR_ENTRY), {"year": 2024}).content.decode()
    assert 'value="450,000"' in html
    assert "4.5E+5" not in html and "450000.0000" not in html


def test_sending_the_year_entry_back_unchanged_records_no_correction(client, mirai, visitors):
    data = year_post(2024, {"EC-05": ("450,000", "実行委員会")})
    response = client.post(reverse(YEAR_ENTRY) + "?year=2024", data)
    assert response.status_code == 302
    assert visitors.history.count() == 1


def test_a_second_actual_for_the_same_year_is_refused_at_the_year_field(client, mirai, visitors):
    response = client.post(
        reverse("admin:sdgs_actual_add"),
        {"kpi": visitors.kpi_id, "fiscal_year": 2024, "survey_date": "", "value": "1", "source": "再入力", "note": ""},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "すでに入力されています" in errors["fiscal_year"][0] and "令和6年度" in errors["fiscal_year"][0]
    assert "sdgs_actual_one_per_fiscal_year" not in response.content.decode()


def test_two_new_rows_for_one_year_on_the_kpi_page_are_refused_at_the_row(client, mirai, seeded):
    kpi = Kpi.objects.get(code="EC-02")
    url = reverse("admin:sdgs_kpi_change", args=[kpi.pk])
    data = _change_form_data(client.get(url))
    data["appearances"] = json.dumps(kpi.appearances, ensure_ascii=False)
    data["actuals-TOTAL_FORMS"] = "2"
    for i in (0, 1):
        data.update(
            {f"actuals-{i}-fiscal_year": "2024", f"actuals-{i}-value": str(10 + i), f"actuals-{i}-source": "商工会"}
        )
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "令和6年度（2024年度）の実績はすでに入力されています" in html
    assert "sdgs_actual_one_per_fiscal_year" not in html
    assert not Actual.objects.filter(kpi=kpi).exists()
