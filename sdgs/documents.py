"""The SDGs PDFs: the yearly KPI progress report."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kiyose.pdf import render_pdf
from kiyose.wareki import fiscal_year, fiscal_year_label, wareki
from sdgs.board import group_by_pillar, progress_rows, status_summary
from sdgs.models import Kpi


def report_filename(year: int) -> str:
    return f"SDGs未来都市KPI進捗報告書_{year}年度.pdf"


def report_rows(year: int):
    """The report's rows: the same progress_rows() the dashboard shows, as of the end of `year`."""
    rows = progress_rows(Kpi.objects.public().for_board(), year=year)
    for row in rows:
        year_actual = next(
            (a for a in reversed(row.actuals) if (a.fiscal_year or fiscal_year(a.survey_date)) == year), None
        )
        row.year_actual = row.kpi.format_value(year_actual.value) if year_actual else None
        if row.live is not None:
            row.year_actual = row.kpi.format_value(row.live.value)
    return rows


def report_pdf(year: int) -> bytes:
    rows = report_rows(year)
    return render_pdf(
        "sdgs/pdf/report.html",
        {
            "year": year,
            "year_label": fiscal_year_label(year),
            "issued": wareki(timezone.localdate()),
            "groups": group_by_pillar(rows),
            "summary": status_summary(rows),
        },
        issuer=_("清瀬市 経営政策部 未来創造課"),
        multipage=True,
    )
