from django.urls import path

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
]
