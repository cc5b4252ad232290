"""/manage/: coordinators' and settlement hosts' pages (federation:manage:…)."""

from django.urls import path

from . import manage_views as views

app_name = "manage"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("networks/new/", views.NetworkCreateView.as_view(), name="network_create"),
    path("networks/<slug:slug>/", views.NetworkDashboardView.as_view(), name="network_dashboard"),
    path("networks/<slug:slug>/edit/", views.NetworkEditView.as_view(), name="network_edit"),
    path("networks/<slug:slug>/members/", views.MemberListView.as_view(), name="member_list"),
    path("networks/<slug:slug>/settlements/new/", views.SettlementCreateView.as_view(), name="settlement_create"),
    path("networks/<slug:slug>/organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("networks/<slug:slug>/partnerships/new/", views.PartnershipCreateView.as_view(), name="partnership_create"),
    path("settlements/<slug:slug>/edit/", views.SettlementEditView.as_view(), name="settlement_edit"),
    path(
        "settlements/<slug:slug>/members/",
        views.SettlementMemberListView.as_view(),
        name="settlement_member_list",
    ),
    path("memberships/<int:pk>/decide/", views.MembershipDecideView.as_view(), name="membership_decide"),
    path("memberships/<int:pk>/edit/", views.MembershipEditView.as_view(), name="membership_edit"),
    path("organisations/<slug:slug>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("partnerships/<slug:slug>/edit/", views.PartnershipEditView.as_view(), name="partnership_edit"),
]
