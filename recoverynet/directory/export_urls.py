"""/manage/directory/export/: CSV downloads of the directory for coordinators."""

from django.urls import path

from . import export_views

app_name = "exports"

urlpatterns = [
    path("meetings.csv", export_views.MeetingExportView.as_view(), name="meetings_csv"),
    path("services.csv", export_views.ServiceExportView.as_view(), name="services_csv"),
]
