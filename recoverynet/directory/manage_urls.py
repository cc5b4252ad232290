"""/manage/directory/: coordinators' pages for meetings, locations, services,
fellowships and change requests."""

from django.urls import path

from . import manage_views as views

app_name = "manage"

urlpatterns = [
    path("networks/<slug:slug>/meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("networks/<slug:slug>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<slug:slug>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("networks/<slug:slug>/locations/", views.LocationListView.as_view(), name="location_list"),
    path("networks/<slug:slug>/locations/new/", views.LocationCreateView.as_view(), name="location_create"),
    path("locations/<int:pk>/edit/", views.LocationEditView.as_view(), name="location_edit"),
    path("networks/<slug:slug>/services/", views.ServiceListView.as_view(), name="service_list"),
    path("networks/<slug:slug>/services/new/", views.ServiceCreateView.as_view(), name="service_create"),
    path("services/<slug:slug>/edit/", views.ServiceEditView.as_view(), name="service_edit"),
    path("services/<slug:slug>/locations/new/", views.ServiceLocationAddView.as_view(), name="service_location_add"),
    path("services/<slug:slug>/schedules/new/", views.ServiceScheduleAddView.as_view(), name="service_schedule_add"),
    path("services/<slug:slug>/contacts/new/", views.ServiceContactAddView.as_view(), name="service_contact_add"),
    path(
        "services/<slug:slug>/locations/<int:pk>/remove/",
        views.ServiceLocationRemoveView.as_view(),
        name="service_location_remove",
    ),
    path(
        "services/<slug:slug>/schedules/<int:pk>/edit/",
        views.ServiceScheduleEditView.as_view(),
        name="service_schedule_edit",
    ),
    path(
        "services/<slug:slug>/schedules/<int:pk>/remove/",
        views.ServiceScheduleRemoveView.as_view(),
        name="service_schedule_remove",
    ),
    path(
        "services/<slug:slug>/contacts/<int:pk>/edit/",
        views.ServiceContactEditView.as_view(),
        name="service_contact_edit",
    ),
    path(
        "services/<slug:slug>/contacts/<int:pk>/remove/",
        views.ServiceContactRemoveView.as_view(),
        name="service_contact_remove",
    ),
    path("fellowships/", views.FellowshipListView.as_view(), name="fellowship_list"),
    path("fellowships/new/", views.FellowshipCreateView.as_view(), name="fellowship_create"),
    path("fellowships/<slug:slug>/edit/", views.FellowshipEditView.as_view(), name="fellowship_edit"),
    path("changes/", views.ChangeListView.as_view(), name="change_list"),
    path("changes/<int:pk>/", views.ChangeReviewView.as_view(), name="change_review"),
]
