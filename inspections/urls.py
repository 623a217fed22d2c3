from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("availability.json", views.availability_json, name="availability"),
    path("request/", views.RequestView.as_view(), name="request"),
    path("request/done/", views.done, name="done"),
    path("records/", views.records, name="records"),
    path("records.csv", views.records_csv, name="records_csv"),
    path("calendar/<str:token>.ics", views.ical_feed, name="ical"),
]
