"""Staff side: KPIs with actuals inline, the whole-year entry screen (guarded), live sources, budgets."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from sdgs.models import Actual, BudgetLine, Kpi, current_fiscal_year
from sdgs.sources import source_register

URL = "admin:sdgs_kpi_year_entry"


@pytest.fixture
def mirai(client, seeded, make_staff, no_live_sources):
    user = make_staff("未来創造課")
    client.force_login(user)
    return user


def year_post(year, values):
    """POST data for the whole-year screen; `values` maps KPI code → (value, source)."""
    data = {}
    for kpi in Kpi.objects.all():
        value, source = values.get(kpi.code, ("", ""))
        data[f"kpi-{kpi.pk}-value"] = value
        data[f"kpi-{kpi.pk}-source"] = source
        data[f"kpi-{kpi.pk}-note"] = ""
    return data


def test_year_entry_is_for_the_mirai_section_only(client, seeded, make_staff):
    assert client.get(reverse(URL)).status_code == 302  # to the login page
    client.force_login(make_staff("議会事務局", username="gikai"))
    assert client.get(reverse(URL)).status_code == 403


def test_year_entry_lists_every_kpi(client, mirai):
    response = client.get(reverse(URL), {"year": 2024})
    html = response.content.decode()
    assert response.status_code == 200
    assert "令和6年度（2024年度）の実績をまとめて入力" in html
    for kpi in Kpi.objects.all():
        assert kpi.indicator in html


def test_year_entry_saves_the_whole_year(client, mirai):
    data = year_post(
        2024,
        {
            "EC-02": ("１２", "清瀬商工会"),
            "EN-01": ("▲21.4", "事務事業編点検"),
            "EN-02": ("316.05", "都市計画課"),
        },
    )
    response = client.post(reverse(URL) + "?year=2024", data)
    assert response.status_code == 302
    saved = {a.kpi.code: a for a in Actual.objects.filter(fiscal_year=2024).select_related("kpi")}
    assert set(saved) == {"EC-02", "EN-01", "EN-02"}
    assert saved["EC-02"].value == 12 and saved["EC-02"].entered_by == mirai
    assert saved["EN-01"].value == Decimal("-21.4")
    # Correcting one value the next time keeps the others and records a history row.
    data = year_post(2024, {"EC-02": ("13", "清瀬商工会")})
    client.post(reverse(URL) + "?year=2024", data)
    ec02 = Actual.objects.get(kpi__code="EC-02", fiscal_year=2024)
    assert ec02.value == 13
    assert ec02.history.count() == 2
    assert Actual.objects.filter(fiscal_year=2024).count() == 3


def test_year_entry_refuses_bad_values_and_saves_nothing(client, mirai):
    data = year_post(2024, {"EC-02": ("-1", "清瀬商工会"), "EC-03": ("たくさん", "商工会"), "EC-05": ("25000", "")})
    response = client.post(reverse(URL) + "?year=2024", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "マイナスの値は入力できません" in html
    assert "数値で入力してください" in html
    assert "出典も入力してください" in html
    assert 'value="たくさん"' in html  # what was typed is kept
    assert not Actual.objects.exists()


def test_year_entry_for_a_future_year_saves_nothing(client, mirai):
    future = current_fiscal_year() + 1
    data = year_post(future, {"EC-02": ("1", "商工会")})
    client.post(reverse(URL) + f"?year={future}", data)
    assert not Actual.objects.exists()


def test_kpi_change_page_shows_actuals_inline_and_live_source(client, mirai):
    kpi = Kpi.objects.get(code="SO-05")
    Actual.objects.create(kpi=kpi, fiscal_year=2023, value=7, source="市民協働課")
    url = reverse("admin:sdgs_kpi_change", args=[kpi.pk])
    html = client.get(url).content.decode()
    assert "市民協働課" in html and "未登録" in html or "登録されていないか" in html
    source_register("talentbank.registrations", label="市民人材バンク登録者数", unit="人", compute=lambda: 42)
    html = client.get(url).content.decode()
    assert "市民人材バンク登録者数（talentbank.registrations）：42人" in html
    assert client.get(reverse("admin:sdgs_kpi_changelist")).status_code == 200


def test_actual_admin_add_uses_the_service(client, mirai):
    kpi = Kpi.objects.get(code="EC-02")
    response = client.post(
        reverse("admin:sdgs_actual_add"),
        {"kpi": kpi.pk, "fiscal_year": 2023, "survey_date": "", "value": "5", "source": "商工会", "note": ""},
    )
    assert response.status_code == 302
    assert Actual.objects.get().entered_by == mirai
    response = client.post(
        reverse("admin:sdgs_actual_add"),
        {
            "kpi": kpi.pk,
            "fiscal_year": current_fiscal_year() + 1,
            "survey_date": "",
            "value": "5",
            "source": "商工会",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "まだ始まっていません" in response.content.decode()


def test_budget_spend_is_entered_in_the_admin(client, mirai):
    line = BudgetLine.objects.get(area="environment", fiscal_year=2023)
    response = client.post(
        reverse("admin:sdgs_budgetline_change", args=[line.pk]),
        {"area": "environment", "fiscal_year": 2023, "planned": 27000, "spent": 26500, "note": ""},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.spent == 26500
    assert client.get(reverse("admin:sdgs_budgetline_changelist")).status_code == 200
    html = client.get(reverse("sdgs:plan")).content.decode()
    assert "26,500" in html


def _change_form_data(response):
    """The POST data the admin change form would send back unchanged (main form and every inline)."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = value.pk if hasattr(value, "pk") else value
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        for key, value in fs.management_form.initial.items():
            data[f"{fs.prefix}-{key}"] = value
        for inline_form in fs.forms:
            for name in inline_form.fields:
                value = inline_form.initial.get(name)
                if value is not None:
                    data[inline_form.add_prefix(name)] = getattr(value, "pk", value)
            if inline_form.instance.pk:
                data[inline_form.add_prefix("id")] = inline_form.instance.pk
                data[inline_form.add_prefix(fs.fk.name)] = fs.instance.pk
    return data


def test_actual_entered_inline_on_the_kpi_records_the_user(client, mirai):
    kpi = Kpi.objects.get(code="EC-02")
    url = reverse("admin:sdgs_kpi_change", args=[kpi.pk])
    data = _change_form_data(client.get(url))
    data["appearances"] = json.dumps(kpi.appearances, ensure_ascii=False)
    data.update({"actuals-0-fiscal_year": "2024", "actuals-0-value": "１３"})
    data["actuals-0-source"] = "清瀬商工会"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    actual = Actual.objects.get(kpi=kpi)
    assert actual.value == 13 and actual.entered_by == mirai
    data["actuals-0-value"] = "-2"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "マイナスの値は入力できません" in response.content.decode()
