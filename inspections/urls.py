from django.utils.translation import gettext_lazy as _

from inspections import views
from inspections.cache import page_cache
from inspections.models import Enquiry
from kiyose.enquiries import enquiry_urls
from kiyose.pages import DOWNLOAD, FEED, FORM, READ, SECRET, STEP, page

app_name = "inspections"


def _secret():
    # A secret link has no instance anyone may list (no sitemap entry, no sample for the tools).
    return []


urlpatterns = [
    page("", views.index, name="index", title=_("行政視察の受け入れ"), kind=READ, cache=page_cache, params=["month"]),
    page(
        "availability.json",
        views.availability_json,
        name="availability",
        title=_("受け入れ可能日（JSON）"),
        kind=FEED,
        cache=page_cache,
        params=["start", "end"],
    ),
    page(
        "request/",
        views.RequestView.as_view(),
        name="request",
        title=_("行政視察の申込み"),
        kind=FORM,
        params=["date", "step"],
    ),
    page("request/done/", views.RequestView.done_view, name="done", title=_("行政視察の申込み（完了）"), kind=STEP),
    page(
        "records/",
        views.records,
        name="records",
        title=_("行政視察受け入れ実績"),
        kind=READ,
        cache=page_cache,
        params=["year"],
    ),
    page(
        "records.csv",
        views.records_csv,
        name="records_csv",
        title=_("行政視察受け入れ実績（CSV）"),
        kind=DOWNLOAD,
        cache=page_cache,
    ),
    page(
        "calendar/<token:token>.ics",
        views.ical_feed,
        name="ical",
        title=_("行政視察の予定（職員用iCalendar）"),
        kind=SECRET,
        items=_secret,
    ),
    page(
        "status/<token:token>/",
        views.status,
        name="status",
        title=_("行政視察のお申込み状況"),
        kind=SECRET,
        items=_secret,
    ),
    page(
        "status/<token:token>/upload/",
        views.status_upload,
        name="status_upload",
        title=_("書類の提出"),
        kind=SECRET,
        items=_secret,
    ),
    page(
        "status/<token:token>/withdraw/",
        views.status_withdraw,
        name="status_withdraw",
        title=_("お申込みの取下げ"),
        kind=SECRET,
        items=_secret,
    ),
    page(
        "status/<token:token>/letters/<id:letter_id>/",
        views.status_letter,
        name="status_letter",
        title=_("発行文書（PDF）"),
        kind=SECRET,
        items=_secret,
    ),
    page(
        "status/<token:token>/documents/<id:upload_id>/",
        views.status_document,
        name="status_document",
        title=_("提出した書類"),
        kind=SECRET,
        items=_secret,
    ),
    *enquiry_urls(model=Enquiry, office="council", area=_("行政視察")),
]
