"""Every URL of the directory, under the prefixes it chooses, in one namespace:
directory:finder, directory:manage:meeting_edit, directory:feeds:meeting_guide…"""

from django.urls import include, path

from . import views

app_name = "directory"

urlpatterns = [
    path("meetings/", views.finder, name="finder"),
    path("meetings/<slug:slug>.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("services/<slug:slug>/", views.service_detail, name="service_detail"),
    path("fellowships/<slug:slug>/", views.fellowship_detail, name="fellowship_detail"),
    path("networks/<slug:slug>/schedule/", views.network_schedule, name="network_schedule"),
    path("networks/<slug:slug>/schedule.pdf", views.network_schedule_pdf, name="network_schedule_pdf"),
    path("about/data/", views.data_sources, name="data_sources"),
    path("feeds/", include("recoverynet.directory.feed_urls")),
    path("openreferral/", include("recoverynet.directory.openreferral.urls")),
    path("changes/", include("recoverynet.directory.change_urls")),
    # Before the federation's /manage/ (config/urls.py includes this app first).
    path("manage/directory/imports/", include("recoverynet.directory.import_urls")),
    path("manage/directory/export/", include("recoverynet.directory.export_urls")),
    path("manage/directory/", include("recoverynet.directory.manage_urls")),
]
