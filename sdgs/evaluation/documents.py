"""The yearly evaluation as an A4 document in the city's official layout (tagged PDF/UA-1 via kiyose.pdf):
title, issuer and date, counts by grade, one table of KPIs, the schedule's milestones and the money. Rows
never split across pages (the template forbids breaks inside a row)."""

from django.utils.translation import gettext as _

from kiyose.pdf import render_html, render_pdf
from sdgs.evaluation.models import Evaluation
from sdgs.evaluation.services import evaluation_report

TEMPLATE = "sdgs/evaluation/pdf.html"


def issuer() -> str:
    return _("清瀬市 経営政策部 未来創造課")


def evaluation_filename(evaluation: Evaluation, *, ext: str = "pdf") -> str:
    name = _("SDGs未来都市計画評価_%(year)d年度") % {"year": evaluation.fiscal_year}
    if evaluation.revision > 1:
        name += _("_第%(n)d版") % {"n": evaluation.revision}
    if not evaluation.is_published:
        name += _("_公表前")
    return f"{name}.{ext}"


def evaluation_html(evaluation: Evaluation) -> str:
    return render_html(TEMPLATE, evaluation_report(evaluation), issuer=issuer())


def evaluation_pdf(evaluation: Evaluation) -> bytes:
    return render_pdf(TEMPLATE, evaluation_report(evaluation), issuer=issuer(), multipage=True)
