"""Every URL of the federation: public pages, and the coordinators' /manage/
(federation:manage:…; no pattern there overlaps another app's /manage/<app>/…)."""

from django.urls import include, path

from . import views

app_name = "federation"

urlpatterns = [
    path("", views.home, name="home"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<slug:slug>/", views.network_detail, name="network_detail"),
    path("settlements/<slug:slug>/", views.settlement_detail, name="settlement_detail"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership_detail"),
    path("manage/", include("recoverynet.federation.manage_urls")),
]
