"""Public pages: dashboard, one KPI, the method, initiatives and funding, downloads and the yearly report."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from kiyose.exports import csv_response
from kiyose.pdf import pdf_response
from sdgs import charts, documents
from sdgs.board import TARGET_YEARS, group_by_goal, group_by_pillar, kpi_row, kpi_rows, status_summary
from sdgs.cache import public_page
from sdgs.forms import DashboardFilterForm
from sdgs.models import Actual, BudgetLine, Goal, Initiative, Kpi, current_fiscal_year

FIRST_REPORT_YEAR = 2023


def _report_years() -> list[int]:
    return list(range(current_fiscal_year(), FIRST_REPORT_YEAR - 1, -1))


@require_safe
@public_page(params=("group", "pillar", "goal"))
def dashboard(request):
    goals = list(Goal.objects.all())
    form = DashboardFilterForm(request.GET or None, goals=goals)
    kpis = Kpi.objects.for_board()
    group = "pillar"
    if form.is_bound and form.is_valid():
        if form.cleaned_data["pillar"]:
            kpis = kpis.in_pillar(form.cleaned_data["pillar"])
        if form.cleaned_data["goal"]:
            kpis = kpis.in_goal(form.cleaned_data["goal"])
        group = form.cleaned_data["group"] or "pillar"
    rows = kpi_rows(kpis)
    for row in rows:
        row.spark = charts.sparkline(row)
    groups = group_by_goal(rows, goals) if group == "goal" else group_by_pillar(rows)
    return render(request, "sdgs/dashboard.html", {
        "form": form, "groups": groups, "group": group, "rows": rows, "summary": status_summary(rows),
        "report_years": _report_years(), "goals": goals,
    })


@require_safe
@public_page
def kpi_detail(request, code):
    kpi = Kpi.objects.for_board().filter(code=code).prefetch_related("initiatives").first()
    if kpi is None:
        raise Http404(_("そのKPIは見つかりません。"))
    row = kpi_row(kpi)
    table = []
    for actual in row.actuals:
        table.append({"label": actual.period_label, "value": kpi.format_value(actual.value),
                      "plan": _fmt_plan(row, actual.date), "source": actual.source, "note": actual.note,
                      "updated": actual.updated_at})
    if row.live is not None:
        table.append({"label": row.latest_label, "value": kpi.format_value(row.live.value),
                      "plan": _fmt_plan(row, row.live.date), "source": row.live.label, "note": "",
                      "updated": None})
    corrections = (Actual.history.model.objects.filter(kpi_id=kpi.pk, history_type="~")
                   .order_by("-history_date")[:50])
    return render(request, "sdgs/kpi_detail.html", {
        "kpi": kpi, "row": row, "chart": charts.kpi_chart(row), "description": charts.describe(row),
        "table": table, "corrections": corrections,
        "plan_targets": [(y, kpi.format_value(t.value), t.printed) for y, t in sorted(row.targets.items())],
    })


def _fmt_plan(row, day):
    value = charts.plan_value_on(row, day)
    return row.kpi.format_value(value) if value is not None else "—"


@require_safe
@public_page
def method(request):
    return render(request, "sdgs/method.html")


@require_safe
@public_page
def plan(request):
    initiatives = Initiative.objects.prefetch_related("kpis").all()
    lines = list(BudgetLine.objects.scheme())
    years = sorted({line.fiscal_year for line in lines})
    areas = [(value, label) for value, label in BudgetLine._meta.get_field("area").choices]
    cells = {(line.area, line.fiscal_year): line for line in lines}
    table = []
    for year in years:
        row = [cells.get((area, year)) for area, _label in areas]
        table.append({"year": year, "cells": row,
                      "planned": sum(c.planned for c in row if c),
                      "spent": sum(c.spent for c in row if c and c.spent is not None),
                      "has_spent": any(c and c.spent is not None for c in row)})
    totals = [sum(cells[(a, y)].planned for y in years if (a, y) in cells) for a, _label in areas]
    return render(request, "sdgs/plan.html", {
        "initiatives": initiatives, "areas": areas, "table": table, "totals": totals,
        "grand_total": sum(totals),
    })


# --- downloads ----------------------------------------------------------------------------------------------

def kpi_json(row) -> dict:
    kpi = row.kpi
    return {
        "code": kpi.code,
        "indicator": kpi.indicator,
        "unit": kpi.unit,
        "pillar": kpi.pillar_label,
        "sdg_targets": [t.code for t in kpi.sdg_targets.all()],
        "cumulative": kpi.cumulative,
        "lower_is_better": kpi.lower_is_better,
        "baseline": {"value": kpi.number(kpi.baseline_value), "date": kpi.baseline_period},
        "targets": {str(y): kpi.number(row.targets[y].value) if y in row.targets else None
                    for y in TARGET_YEARS},
        "actuals": [{"period": a.period, "value": kpi.number(a.value)} for a in row.actuals]
        + ([{"period": row.live.date.isoformat(), "value": kpi.number(row.live.value)}] if row.live else []),
        "status": {str(y): row.statuses[y].value if y in row.statuses else None for y in TARGET_YEARS},
    }


@require_safe
@public_page
def kpis_json(request):
    rows = kpi_rows(Kpi.objects.for_board())
    response = JsonResponse({"kpis": [kpi_json(r) for r in rows]}, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


CSV_HEADER = [
    gettext_lazy("コード"), gettext_lazy("指標"), gettext_lazy("単位"), gettext_lazy("側面・相乗効果"),
    gettext_lazy("SDGsターゲット"), gettext_lazy("累計"), gettext_lazy("低いほどよい"),
    gettext_lazy("基準値"),
    gettext_lazy("基準時点"), gettext_lazy("目標（2025年度）"), gettext_lazy("目標（2030年度）"),
    gettext_lazy("最新の実績"), gettext_lazy("最新の実績の時点"), gettext_lazy("状況（2025年度目標）"),
    gettext_lazy("状況（2030年度目標）"),
]


@require_safe
@public_page
def kpis_csv(request):
    rows = kpi_rows(Kpi.objects.for_board())

    def line(row):
        kpi, latest = row.kpi, row.latest
        target = {y: kpi.number(t.value) for y, t in row.targets.items()}
        status = {y: s.label for y, s in row.statuses.items()}
        return [kpi.code, kpi.indicator, kpi.unit, kpi.pillar_label,
                " ".join(t.code for t in kpi.sdg_targets.all()),
                _("はい") if kpi.cumulative else _("いいえ"),
                _("はい") if kpi.lower_is_better else _("いいえ"),
                kpi.number(kpi.baseline_value), kpi.baseline_period, target.get(2025), target.get(2030),
                kpi.number(latest.value) if latest else None, row.latest_label,
                status.get(2025), status.get(2030)]

    return csv_response("sdgs_kpi.csv", [str(h) for h in CSV_HEADER], (line(r) for r in rows))


@require_safe
@public_page
def report_pdf(request, year):
    if year not in _report_years():
        raise Http404(_("その年度の報告書はありません。"))
    return pdf_response(documents.report_pdf(year), documents.report_filename(year))
