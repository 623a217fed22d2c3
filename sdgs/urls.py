from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from kiyose.enquiries import enquiry_urls
from kiyose.pages import DOWNLOAD, FEED, READ, page
from kiyose.portal import OFFICE_OF_APP
from sdgs import views
from sdgs.board import report_years
from sdgs.cache import page_cache
from sdgs.models import Enquiry, Kpi

app_name = "sdgs"


class KpiCodeConverter:
    """A KPI code as the proposal prints them (EC-02, 1.2-SO-1): letters, digits, dots and hyphens, bounded
    like the column, so the KPI pages swallow no other path."""

    regex = "[A-Za-z0-9][A-Za-z0-9.-]{0,19}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(KpiCodeConverter, "kpi")


def _kpis():
    return [{"code": code} for code in Kpi.objects.public().order_by("order", "code").values_list("code", flat=True)]


def _reports():
    return [{"year": year} for year in report_years()]


urlpatterns = [
    page(
        "",
        views.dashboard,
        name="dashboard",
        title=_("SDGs未来都市 KPIの進捗"),
        kind=READ,
        cache=page_cache,
        params=["group", "pillar", "goal"],
    ),
    page(
        "kpis.csv", views.kpis_csv, name="kpis_csv", title=_("SDGs KPIの一覧（CSV）"), kind=DOWNLOAD, cache=page_cache
    ),
    page(
        "kpis.json", views.kpis_json, name="kpis_json", title=_("SDGs KPIの一覧（JSON）"), kind=FEED, cache=page_cache
    ),
    page(
        "kpis/<kpi:code>/",
        views.kpi_detail,
        name="kpi_detail",
        title=_("SDGs KPIの個別ページ"),
        kind=READ,
        cache=page_cache,
        items=_kpis,
    ),
    page("method/", views.method, name="method", title=_("KPIの進捗の判定方法"), kind=READ, cache=page_cache),
    page("plan/", views.plan, name="plan", title=_("取組と資金計画"), kind=READ, cache=page_cache),
    page(
        "report/<year:year>.pdf",
        views.report_pdf,
        name="report_pdf",
        title=_("SDGs未来都市 KPI進捗報告書（PDF）"),
        kind=DOWNLOAD,
        cache=page_cache,
        items=_reports,
    ),
    *enquiry_urls(model=Enquiry, office=OFFICE_OF_APP["sdgs"], area=_("SDGs未来都市")),
    path("evaluation/", include("sdgs.evaluation.urls")),
]
