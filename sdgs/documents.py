"""The SDGs PDFs: the yearly KPI progress report."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.pdf import render_pdf
from kiyose.wareki import fiscal_year, fiscal_year_label, wareki
from sdgs.board import group_by_pillar, kpi_rows, status_summary
from sdgs.models import Kpi, current_fiscal_year


def report_filename(year: int) -> str:
    return f"SDGs未来都市KPI進捗報告書_{year}年度.pdf"


def report_pdf(year: int) -> bytes:
    rows = kpi_rows(Kpi.objects.for_board(), until_year=year, live=year == current_fiscal_year())
    for row in rows:
        year_actual = next((a for a in reversed(row.actuals)
                            if (a.fiscal_year or fiscal_year(a.survey_date)) == year), None)
        row.year_actual = row.kpi.format_value(year_actual.value) if year_actual else None
        if row.live is not None:
            row.year_actual = row.kpi.format_value(row.live.value)
    return render_pdf("sdgs/report_pdf.html", {
        "year": year, "year_label": fiscal_year_label(year), "issued": wareki(timezone.localdate()),
        "groups": group_by_pillar(rows), "summary": status_summary(rows),
    }, issuer=_("清瀬市 経営政策部 未来創造課"), multipage=True)
