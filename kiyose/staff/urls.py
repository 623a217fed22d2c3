from django.urls import path

from kiyose.staff import views

app_name = "kiyose_staff"

# Mounted under admin/ ahead of the admin site. Everything under mfa/ is reachable before the second factor
# (each view checks the session itself); staff-factors/ is behind the gate like the rest of the admin.
urlpatterns = [
    path("mfa/", views.setup, name="setup"),
    path("mfa/verify/", views.verify, name="verify"),
    path("mfa/totp/", views.totp, name="totp"),
    path("mfa/recovery/", views.recovery, name="recovery"),
    path("mfa/remove/", views.remove, name="remove"),
    path("staff-factors/", views.staff_factors, name="staff_factors"),
    path("staff-factors/<int:user_id>/reset/", views.reset, name="reset"),
]
