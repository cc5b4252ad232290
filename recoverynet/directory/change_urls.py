"""/changes/: anyone reports that a meeting's details are out of date."""

from django.urls import path

from . import change_views as views

app_name = "changes"

urlpatterns = [
    path("meetings/<slug:slug>/", views.ReportChangeView.as_view(), name="report"),
    path("meetings/<slug:slug>/sent/", views.ReportDoneView.as_view(), name="report_done"),
]
