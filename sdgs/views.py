"""Public pages: dashboard, one KPI, the method, initiatives and funding, downloads and the yearly report.

Each page's content (every KPI's progress, rendered, with 未来創造課's contact block) and each download is a
`page_cache.fragment()`: a visitor with a session, who is never served whole pages from the cache, gets them
rendered once per data version (and day), not once per request."""

from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from kiyose.exports import csv_response
from kiyose.pdf import pdf_response
from sdgs import charts, documents
from sdgs.board import TARGET_YEARS, group_by_goal, group_by_pillar, progress_rows, report_years, status_summary
from sdgs.cache import page_cache
from sdgs.forms import DashboardFilterForm
from sdgs.models import Actual, BudgetLine, Initiative, Kpi


@require_safe
def dashboard(request):
    form = DashboardFilterForm(request.GET or None)
    group, pillar, goal = form.choice()

    def build():
        return render_to_string(
            "sdgs/includes/dashboard_page.html",
            {
                "form": form,
                "board": _board_html(group, pillar, goal),
                "report_years": report_years(),
                "current": "dashboard",
            },
        )

    # A refused selection is rendered with its message and never stored.
    body = build() if form.errors else page_cache.fragment("dashboard", group, pillar, goal or "", build=build)
    return render(request, "sdgs/dashboard.html", {"body": body})


def _board_html(group: str, pillar: str, goal: int | None) -> str:
    kpis = Kpi.objects.public().for_board()
    if pillar:
        kpis = kpis.in_pillar(pillar)
    if goal:
        kpis = kpis.in_goal(goal)
    rows = progress_rows(kpis)
    for row in rows:
        row.spark = charts.sparkline(row)
    groups = group_by_goal(rows) if group == "goal" else group_by_pillar(rows)
    return render_to_string("sdgs/includes/board.html", {"groups": groups, "summary": status_summary(rows)})


def _public_names() -> dict[str, str]:
    """Code → name of every public KPI: a page for an unknown code is answered without a query."""
    return dict(Kpi.objects.public().values_list("code", "indicator"))


@require_safe
def kpi_detail(request, code):
    indicator = page_cache.fragment("names", build=_public_names).get(code)
    if indicator is None:
        raise Http404(_("そのKPIは見つかりません。"))
    body = page_cache.fragment("kpi", code, build=lambda: _kpi_html(code))
    return render(request, "sdgs/kpi_detail.html", {"code": code, "indicator": indicator, "body": body})


def _kpi_html(code: str) -> str:
    kpi = Kpi.objects.public().for_board().prefetch_related("initiatives").get(code=code)
    row = progress_rows([kpi])[0]
    table = [
        {
            "label": a.period_label,
            "value": kpi.format_value(a.value),
            "plan": _fmt_plan(row, a.date),
            "source": a.source,
            "note": a.note,
        }
        for a in row.actuals
    ]
    if row.live is not None:
        table.append(
            {
                "label": row.latest_label,
                "value": kpi.format_value(row.live.value),
                "plan": _fmt_plan(row, row.live.date),
                "source": row.live.label,
                "note": "",
            }
        )
    corrections = [
        {
            "date": h.history_date,
            "fiscal_year": h.fiscal_year,
            "survey_date": h.survey_date,
            "value": kpi.format_value(h.value),
            "source": h.source,
        }
        for h in Actual.history.model.objects.filter(kpi_id=kpi.pk, history_type="~").order_by("-history_date")[:50]
    ]
    return render_to_string(
        "sdgs/includes/kpi_page.html",
        {
            "kpi": kpi,
            "row": row,
            "chart": charts.kpi_chart(row),
            "description": charts.describe(row),
            "table": table,
            "corrections": corrections,
            "plan_targets": [(y, kpi.format_value(t.value), t.printed) for y, t in sorted(row.targets.items())],
        },
    )


def _fmt_plan(row, day):
    value = charts.plan_value_on(row, day)
    return row.kpi.format_value(value) if value is not None else "—"


@require_safe
def method(request):
    body = page_cache.fragment(
        "method", build=lambda: render_to_string("sdgs/includes/method_page.html", {"current": "method"})
    )
    return render(request, "sdgs/method.html", {"body": body})


@require_safe
def plan(request):
    body = page_cache.fragment("plan", build=_plan_html)
    return render(request, "sdgs/plan.html", {"body": body})


def _plan_html() -> str:
    initiatives = Initiative.objects.prefetch_related(Prefetch("kpis", queryset=Kpi.objects.public()))
    lines = list(BudgetLine.objects.scheme())
    years = sorted({line.fiscal_year for line in lines})
    areas = [(value, label) for value, label in BudgetLine._meta.get_field("area").choices]
    cells = {(line.area, line.fiscal_year): line for line in lines}
    table = []
    for year in years:
        row = [cells.get((area, year)) for area, _label in areas]
        table.append(
            {
                "year": year,
                "cells": [(label, c) for (_area, label), c in zip(areas, row, strict=True)],
                "planned": sum(c.planned for c in row if c),
                "spent": sum(c.spent for c in row if c and c.spent is not None),
                "has_spent": any(c and c.spent is not None for c in row),
            }
        )
    totals = [(label, sum(cells[(a, y)].planned for y in years if (a, y) in cells)) for a, label in areas]
    return render_to_string(
        "sdgs/includes/plan_page.html",
        {
            "initiatives": initiatives,
            "areas": areas,
            "table": table,
            "totals": totals,
            "grand_total": sum(total for _label, total in totals),
            "current": "plan",
        },
    )


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
        "targets": {str(y): kpi.number(row.targets[y].value) if y in row.targets else None for y in TARGET_YEARS},
        "actuals": [{"period": a.period, "value": kpi.number(a.value)} for a in row.actuals]
        + ([{"period": row.live.date.isoformat(), "value": kpi.number(row.live.value)}] if row.live else []),
        "status": {str(y): row.statuses[y].value if y in row.statuses else None for y in TARGET_YEARS},
    }


@require_safe
def kpis_json(request):
    return page_cache.download("json", build=_kpis_json)


def _kpis_json():
    rows = progress_rows(Kpi.objects.public().for_board())
    response = JsonResponse({"kpis": [kpi_json(r) for r in rows]}, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


CSV_HEADER = [
    gettext_lazy("コード"),
    gettext_lazy("指標"),
    gettext_lazy("単位"),
    gettext_lazy("側面・相乗効果"),
    gettext_lazy("SDGsターゲット"),
    gettext_lazy("累計"),
    gettext_lazy("低いほどよい"),
    gettext_lazy("基準値"),
    gettext_lazy("基準時点"),
    gettext_lazy("目標（2025年度）"),
    gettext_lazy("目標（2030年度）"),
    gettext_lazy("最新の実績"),
    gettext_lazy("最新の実績の時点"),
    gettext_lazy("状況（2025年度目標）"),
    gettext_lazy("状況（2030年度目標）"),
]


@require_safe
def kpis_csv(request):
    return page_cache.download("csv", build=_kpis_csv)


def _kpis_csv():
    rows = progress_rows(Kpi.objects.public().for_board())

    def line(row):
        kpi, latest = row.kpi, row.latest
        target = {y: kpi.number(t.value) for y, t in row.targets.items()}
        status = {y: s.label for y, s in row.statuses.items()}
        return [
            kpi.code,
            kpi.indicator,
            kpi.unit,
            kpi.pillar_label,
            " ".join(t.code for t in kpi.sdg_targets.all()),
            _("はい") if kpi.cumulative else _("いいえ"),
            _("はい") if kpi.lower_is_better else _("いいえ"),
            kpi.number(kpi.baseline_value),
            kpi.baseline_period,
            target.get(2025),
            target.get(2030),
            kpi.number(latest.value) if latest else None,
            row.latest_label,
            status.get(2025),
            status.get(2030),
        ]

    return csv_response("sdgs_kpi.csv", [str(h) for h in CSV_HEADER], (line(r) for r in rows))


@require_safe
def report_pdf(request, year):
    if year not in report_years():
        raise Http404(_("その年度の報告書はありません。"))
    # Rendering the report takes seconds: it is made once per data version (and day) and then kept.
    return page_cache.download(
        "report", year, build=lambda: pdf_response(documents.report_pdf(year), documents.report_filename(year))
    )
