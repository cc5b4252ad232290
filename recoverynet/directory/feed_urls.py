"""/feeds/: the Meeting Guide JSON feed, for the whole federation and per network."""

from django.urls import path

from . import feed_views as views

app_name = "feeds"

urlpatterns = [
    path("meeting-guide.json", views.meeting_guide_feed, name="meeting_guide"),
    path("<slug:slug>/meeting-guide.json", views.meeting_guide_feed, name="network_meeting_guide"),
]
