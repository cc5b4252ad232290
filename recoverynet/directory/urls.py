"""Every URL of the directory, under the prefixes it chooses, in one namespace
with its parts nested: directory:finder, directory:manage:meeting_edit,
directory:feeds:meeting_guide, directory:openreferral:service_list…"""

from django.urls import include, path

from .views import changes, exports, feeds, imports, manage, openreferral, public

app_name = "directory"

# /manage/directory/: coordinators' pages for meetings, locations, services,
# fellowships and change requests.
manage_patterns = [
    path("networks/<slug:slug>/meetings/", manage.MeetingListView.as_view(), name="meeting_list"),
    path("networks/<slug:slug>/meetings/new/", manage.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<slug:slug>/edit/", manage.MeetingEditView.as_view(), name="meeting_edit"),
    path("networks/<slug:slug>/locations/", manage.LocationListView.as_view(), name="location_list"),
    path("networks/<slug:slug>/locations/new/", manage.LocationCreateView.as_view(), name="location_create"),
    path("locations/<int:pk>/edit/", manage.LocationEditView.as_view(), name="location_edit"),
    path("networks/<slug:slug>/services/", manage.ServiceListView.as_view(), name="service_list"),
    path("networks/<slug:slug>/services/new/", manage.ServiceCreateView.as_view(), name="service_create"),
    path("services/<slug:slug>/edit/", manage.ServiceEditView.as_view(), name="service_edit"),
    path("services/<slug:slug>/locations/new/", manage.ServiceLocationAddView.as_view(), name="service_location_add"),
    path("services/<slug:slug>/schedules/new/", manage.ServiceScheduleAddView.as_view(), name="service_schedule_add"),
    path("services/<slug:slug>/contacts/new/", manage.ServiceContactAddView.as_view(), name="service_contact_add"),
    path(
        "services/<slug:slug>/locations/<int:pk>/remove/",
        manage.ServiceLocationRemoveView.as_view(),
        name="service_location_remove",
    ),
    path(
        "services/<slug:slug>/schedules/<int:pk>/edit/",
        manage.ServiceScheduleEditView.as_view(),
        name="service_schedule_edit",
    ),
    path(
        "services/<slug:slug>/schedules/<int:pk>/remove/",
        manage.ServiceScheduleRemoveView.as_view(),
        name="service_schedule_remove",
    ),
    path(
        "services/<slug:slug>/contacts/<int:pk>/edit/",
        manage.ServiceContactEditView.as_view(),
        name="service_contact_edit",
    ),
    path(
        "services/<slug:slug>/contacts/<int:pk>/remove/",
        manage.ServiceContactRemoveView.as_view(),
        name="service_contact_remove",
    ),
    path("fellowships/", manage.FellowshipListView.as_view(), name="fellowship_list"),
    path("fellowships/new/", manage.FellowshipCreateView.as_view(), name="fellowship_create"),
    path("fellowships/<slug:slug>/edit/", manage.FellowshipEditView.as_view(), name="fellowship_edit"),
    path("changes/", manage.ChangeListView.as_view(), name="change_list"),
    path("changes/<int:pk>/", manage.ChangeReviewView.as_view(), name="change_review"),
]

# /manage/directory/imports/: Meeting Guide feed sources and their imports.
import_patterns = [
    path("", imports.SourceListView.as_view(), name="source_list"),
    path("networks/<slug:slug>/new/", imports.SourceCreateView.as_view(), name="source_create"),
    path("sources/<int:pk>/", imports.ImportView.as_view(), name="import"),
    path("sources/<int:pk>/edit/", imports.SourceEditView.as_view(), name="source_edit"),
    path("runs/<int:pk>/", imports.ImportDetailView.as_view(), name="import_detail"),
    path("runs/<int:pk>/apply/", imports.ApplyImportView.as_view(), name="import_apply"),
    path("runs/<int:pk>/dismiss/", imports.DismissImportView.as_view(), name="import_dismiss"),
]

# /manage/directory/export/: CSV downloads of the directory for coordinators.
export_patterns = [
    path("meetings.csv", exports.MeetingExportView.as_view(), name="meetings_csv"),
    path("services.csv", exports.ServiceExportView.as_view(), name="services_csv"),
]

# /feeds/: the Meeting Guide JSON feed, for the whole federation and per network.
feed_patterns = [
    path("meeting-guide.json", feeds.meeting_guide_feed, name="meeting_guide"),
    path("<slug:slug>/meeting-guide.json", feeds.meeting_guide_feed, name="network_meeting_guide"),
]

# /openreferral/: the Open Referral UK 3.0 API (paths exactly as the standard's openapi.json).
openreferral_patterns = [
    path("", openreferral.ApiDetails.as_view(), name="api_details"),
    path("services", openreferral.ServiceList.as_view(), name="service_list"),
    path("services/<str:id>", openreferral.ServiceDetail.as_view(), name="service_detail"),
    path("organizations", openreferral.OrganizationList.as_view(), name="organization_list"),
    path("organizations/<str:id>", openreferral.OrganizationDetail.as_view(), name="organization_detail"),
    path("service_at_locations", openreferral.ServiceAtLocationList.as_view(), name="service_at_location_list"),
    path(
        "service_at_locations/<str:id>",
        openreferral.ServiceAtLocationDetail.as_view(),
        name="service_at_location_detail",
    ),
    path("taxonomies", openreferral.TaxonomyList.as_view(), name="taxonomy_list"),
    path("taxonomies/<str:id>", openreferral.TaxonomyDetail.as_view(), name="taxonomy_detail"),
    path("taxonomy_terms", openreferral.TaxonomyTermList.as_view(), name="taxonomy_term_list"),
    path("taxonomy_terms/<str:id>", openreferral.TaxonomyTermDetail.as_view(), name="taxonomy_term_detail"),
]

# /changes/: anyone reports that a meeting's details are out of date.
change_patterns = [
    path("meetings/<slug:slug>/", changes.ReportChangeView.as_view(), name="report"),
    path("meetings/<slug:slug>/sent/", changes.ReportDoneView.as_view(), name="report_done"),
]

urlpatterns = [
    path("meetings/", public.finder, name="finder"),
    # Not under meetings/: a meeting may be called "saved".
    path("my-meetings/", public.saved_meetings, name="saved_meetings"),
    path("meetings/<slug:slug>.ics", public.meeting_ics, name="meeting_ics"),
    path("meetings/<slug:slug>/", public.meeting_detail, name="meeting_detail"),
    path("services/<slug:slug>/", public.service_detail, name="service_detail"),
    path("fellowships/<slug:slug>/", public.fellowship_detail, name="fellowship_detail"),
    path("networks/<slug:slug>/schedule/", public.network_schedule, name="network_schedule"),
    path("networks/<slug:slug>/schedule.pdf", public.network_schedule_pdf, name="network_schedule_pdf"),
    path("about/data/", public.data_sources, name="data_sources"),
    path("feeds/", include((feed_patterns, "feeds"))),
    path("openreferral/", include((openreferral_patterns, "openreferral"))),
    path("changes/", include((change_patterns, "changes"))),
    # Before the federation's /manage/ (config/urls.py includes this app first).
    path("manage/directory/imports/", include((import_patterns, "imports"))),
    path("manage/directory/export/", include((export_patterns, "exports"))),
    path("manage/directory/", include((manage_patterns, "manage"))),
]
