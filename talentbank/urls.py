from django.urls import path

from talentbank import views

app_name = "talentbank"

urlpatterns = [
    path("", views.index, name="index"),
]
