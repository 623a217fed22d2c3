from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kiyose import views
from kiyose.staff import webauthn as staff_webauthn

admin.site.site_header = _("清瀬市ポータル 管理画面")
admin.site.site_title = _("清瀬市ポータル 管理")
admin.site.index_title = _("業務メニュー")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    # The second factor's screens and passkey endpoints, ahead of the admin site they guard.
    path("admin/mfa/passkey/", include((staff_webauthn.urlpatterns, "otp_webauthn"))),
    path("admin/", include("kiyose.staff.urls")),
    path("admin/", admin.site.urls),
    path("inspections/", include("inspections.urls")),
    path("sdgs/", include("sdgs.urls")),
    path("certification/", include("certification.urls")),
    path("talentbank/", include("talentbank.urls")),
]
