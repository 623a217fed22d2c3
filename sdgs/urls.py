from django.urls import path

from sdgs import views

app_name = "sdgs"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
