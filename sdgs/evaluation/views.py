"""The yearly evaluation's public pages: the page, its PDF and its CSV. Anonymous visitors see only a
published revision (404 before); staff of 未来創造課 preview the latest revision, draft or not, at the same
address."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from kiyose.exports import csv_response
from kiyose.pdf import pdf_response
from kiyose.roles import Role, user_has_role
from sdgs.evaluation import documents
from sdgs.evaluation.models import Evaluation
from sdgs.evaluation.services import evaluation_report


def _evaluation(request, year: int) -> Evaluation:
    staff = user_has_role(request.user, Role.MIRAI)
    evaluation = Evaluation.objects.current_of(year, include_drafts=staff)
    if evaluation is None:
        raise Http404(_("その年度の評価は公表されていません。"))
    return evaluation


@require_safe
def evaluation_index(request):
    return render(request, "sdgs/evaluation/index.html", {"years": Evaluation.objects.published_years()})


@require_safe
def evaluation_page(request, year):
    report = evaluation_report(_evaluation(request, year))
    return render(request, "sdgs/evaluation/page.html", report)


@require_safe
def evaluation_pdf(request, year):
    evaluation = _evaluation(request, year)
    return pdf_response(documents.evaluation_pdf(evaluation), documents.evaluation_filename(evaluation))


CSV_HEADER = [
    gettext_lazy("コード"),
    gettext_lazy("指標"),
    gettext_lazy("単位"),
    gettext_lazy("側面・相乗効果"),
    gettext_lazy("基準値"),
    gettext_lazy("目標値"),
    gettext_lazy("評価に用いた値"),
    gettext_lazy("値の時点"),
    gettext_lazy("値の出典"),
    gettext_lazy("達成率（%）"),
    gettext_lazy("評価"),
    gettext_lazy("評価不能の理由"),
    gettext_lazy("要因分析"),
    gettext_lazy("今後の方針"),
    gettext_lazy("注記"),
]


@require_safe
def evaluation_csv(request, year):
    evaluation = _evaluation(request, year)
    rows = evaluation_report(evaluation)["rows"]

    def line(row):
        kpi = row.kpi
        return [
            kpi.code,
            kpi.indicator,
            kpi.unit,
            kpi.pillar_label,
            kpi.number(row.baseline),
            kpi.number(row.target),
            kpi.number(row.value),
            row.value_label,
            row.value_source,
            row.rate,
            row.get_grade_display(),
            row.reason,
            row.analysis,
            row.plan,
            row.value_note,
        ]

    return csv_response(
        documents.evaluation_filename(evaluation, ext="csv"), [str(h) for h in CSV_HEADER], (line(r) for r in rows)
    )
