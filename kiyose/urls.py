from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from kiyose import params, views
from kiyose.cache import page_cache
from kiyose.pages import DOWNLOAD, PROBE, READ, page
from kiyose.staff import webauthn as staff_webauthn

# Converters that match only what they mean: a route never swallows another's paths, and nothing a view
# cannot convert reaches it (see kiyose.params).
register_converter(params.IdConverter, "id")
register_converter(params.YearConverter, "year")
register_converter(params.TokenConverter, "token")

admin.site.site_header = _("清瀬市ポータル 管理画面")
admin.site.site_title = _("清瀬市ポータル 管理")
admin.site.index_title = _("業務メニュー")

urlpatterns = [
    page("", views.home, name="home", title=_("清瀬市 議会・市役所ポータル"), kind=READ, cache=page_cache),
    page("healthz", views.healthz, name="healthz", title=_("稼働確認（データベース）"), kind=PROBE),
    page("livez", views.livez, name="livez", title=_("稼働確認"), kind=PROBE),
    page(
        "sitemap.xml",
        sitemap,
        name="sitemap",
        title=_("サイトマップ"),
        kind=PROBE,
        sitemaps={"pages": views.PublicPagesSitemap},
    ),
    page("robots.txt", views.robots, name="robots", title="robots.txt", kind=PROBE),
    page("privacy/", views.privacy, name="privacy", title=_("個人情報の取扱い"), kind=READ, cache=page_cache),
    page(
        "privacy/register.csv",
        views.privacy_register_csv,
        name="privacy_register_csv",
        title=_("個人情報ファイル簿（CSV）"),
        kind=DOWNLOAD,
        cache=page_cache,
    ),
    # The second factor's screens and passkey endpoints, ahead of the admin site they guard.
    path("admin/mfa/passkey/", include((staff_webauthn.urlpatterns, "otp_webauthn"))),
    path("admin/", include("kiyose.staff.urls")),
    path("admin/", admin.site.urls),
    path("inspections/", include("inspections.urls")),
    path("sdgs/", include("sdgs.urls")),
    path("certification/", include("certification.urls")),
    path("talentbank/", include("talentbank.urls")),
]
