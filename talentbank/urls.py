from django.utils.translation import gettext_lazy as _

from kiyose.enquiries import enquiry_urls
from kiyose.pages import FORM, READ, SECRET, STEP, page
from kiyose.portal import OFFICE_OF_APP
from talentbank import views
from talentbank.cache import page_cache
from talentbank.models import Enquiry

app_name = "talentbank"


def _secret():
    # A secret link has no instance anyone may list (no sitemap entry, no sample for the tools).
    return []


urlpatterns = [
    page("", views.index, name="index", title=_("市民人材バンク"), kind=READ, cache=page_cache),
    page(
        "register/",
        views.RegisterView.as_view(),
        name="register",
        title=_("市民人材バンクへの登録"),
        kind=FORM,
        params=["step"],
    ),
    page(
        "register/done/", views.RegisterView.done_view, name="register_done", title=_("登録の受付（完了）"), kind=STEP
    ),
    page("confirm/<token:token>/", views.confirm, name="confirm", title=_("登録の確認"), kind=SECRET, items=_secret),
    page("renew/<token:token>/", views.renew, name="renew", title=_("登録の継続"), kind=SECRET, items=_secret),
    page("me/<token:token>/", views.me, name="me", title=_("登録内容の確認"), kind=SECRET, items=_secret),
    page(
        "me/<token:token>/edit/", views.me_edit, name="me_edit", title=_("登録内容の変更"), kind=SECRET, items=_secret
    ),
    page(
        "me/<token:token>/consent/",
        views.me_consent,
        name="me_consent",
        title=_("同意の変更"),
        kind=SECRET,
        items=_secret,
    ),
    page(
        "me/<token:token>/withdraw/",
        views.me_withdraw,
        name="me_withdraw",
        title=_("登録の取り消し"),
        kind=SECRET,
        items=_secret,
    ),
    page(
        "me/<token:token>/data.csv",
        views.me_download,
        name="me_download",
        title=_("登録情報のダウンロード（CSV）"),
        kind=SECRET,
        items=_secret,
    ),
    page(
        "spots/",
        views.spots,
        name="spots",
        title=_("困りごとスポット"),
        kind=READ,
        cache=page_cache,
        params=["field", "page"],
    ),
    page(
        "spots/propose/",
        views.SpotProposeView.as_view(),
        name="spot_propose",
        title=_("困りごとスポットの提案"),
        kind=FORM,
        params=["step"],
    ),
    page(
        "spots/propose/done/",
        views.SpotProposeView.done_view,
        name="spot_propose_done",
        title=_("困りごとスポットの提案（完了）"),
        kind=STEP,
    ),
    *enquiry_urls(model=Enquiry, office=OFFICE_OF_APP["talentbank"], area=_("市民人材バンク")),
]
