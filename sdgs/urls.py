from django.urls import include, path

from sdgs import views

app_name = "sdgs"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpis.csv", views.kpis_csv, name="kpis_csv"),
    path("kpis.json", views.kpis_json, name="kpis_json"),
    path("kpis/<str:code>/", views.kpi_detail, name="kpi_detail"),
    path("method/", views.method, name="method"),
    path("plan/", views.plan, name="plan"),
    path("report/<int:year>.pdf", views.report_pdf, name="report_pdf"),
    path("evaluation/", include("sdgs.evaluation.urls")),
]
