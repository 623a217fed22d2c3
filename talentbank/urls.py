from django.urls import path

from talentbank import views

app_name = "talentbank"

urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/done/", views.register_done, name="register_done"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("renew/<str:token>/", views.renew, name="renew"),
    path("spots/", views.spots, name="spots"),
    path("spots/propose/", views.SpotProposeView.as_view(), name="spot_propose"),
    path("spots/propose/done/", views.spot_propose_done, name="spot_propose_done"),
]
