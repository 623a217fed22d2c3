from django.urls import path

from certification import views

app_name = "certification"

urlpatterns = [
    path("", views.index, name="index"),
    path("registry.csv", views.registry_csv, name="registry_csv"),
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("report/done/", views.report_done, name="report_done"),
    path("report/<str:token>/", views.report, name="report"),
    path("<int:serial>/", views.holder, name="holder"),
    # The number as printed on the certificate (清瀬SDGs第001号) also finds the holder.
    path("<str:number>/", views.holder_by_number, name="holder_by_number"),
]
