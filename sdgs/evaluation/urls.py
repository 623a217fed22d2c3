"""The evaluation's pages, included from sdgs/urls.py (namespace "sdgs"): one page per published year, its
PDF and its CSV."""

from django.utils.translation import gettext_lazy as _

from kiyose.pages import DOWNLOAD, READ, page
from sdgs.cache import page_cache
from sdgs.evaluation import views
from sdgs.evaluation.models import Evaluation


def published_years():
    return [{"year": year} for year in Evaluation.objects.published_years()]


urlpatterns = [
    page(
        "",
        views.evaluation_index,
        name="evaluation_index",
        title=_("SDGs未来都市計画 年度評価の一覧"),
        kind=READ,
        cache=page_cache,
    ),
    page(
        "<year:year>/",
        views.evaluation_page,
        name="evaluation",
        title=_("SDGs未来都市計画 年度評価"),
        kind=READ,
        cache=page_cache,
        items=published_years,
    ),
    page(
        "<year:year>.pdf",
        views.evaluation_pdf,
        name="evaluation_pdf",
        title=_("SDGs未来都市計画 年度評価（PDF）"),
        kind=DOWNLOAD,
        cache=page_cache,
        items=published_years,
    ),
    page(
        "<year:year>.csv",
        views.evaluation_csv,
        name="evaluation_csv",
        title=_("SDGs未来都市計画 年度評価（CSV）"),
        kind=DOWNLOAD,
        cache=page_cache,
        items=published_years,
    ),
]
