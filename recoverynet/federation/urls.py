"""Every URL of the federation: public pages, and the coordinators' /manage/
(federation:manage:…; no pattern there overlaps another app's /manage/<app>/…)."""

from django.urls import include, path

from .views import manage, public

app_name = "federation"

# /manage/: coordinators' and settlement hosts' pages (federation:manage:…).
manage_patterns = [
    path("", manage.IndexView.as_view(), name="index"),
    path("networks/new/", manage.NetworkCreateView.as_view(), name="network_create"),
    path("networks/<slug:slug>/", manage.NetworkDashboardView.as_view(), name="network_dashboard"),
    path("networks/<slug:slug>/edit/", manage.NetworkEditView.as_view(), name="network_edit"),
    path("networks/<slug:slug>/members/", manage.MemberListView.as_view(), name="member_list"),
    path("networks/<slug:slug>/settlements/new/", manage.SettlementCreateView.as_view(), name="settlement_create"),
    path(
        "networks/<slug:slug>/organisations/new/", manage.OrganisationCreateView.as_view(), name="organisation_create"
    ),
    path("networks/<slug:slug>/partnerships/new/", manage.PartnershipCreateView.as_view(), name="partnership_create"),
    path("settlements/<slug:slug>/edit/", manage.SettlementEditView.as_view(), name="settlement_edit"),
    path(
        "settlements/<slug:slug>/members/",
        manage.SettlementMemberListView.as_view(),
        name="settlement_member_list",
    ),
    path("memberships/<int:pk>/decide/", manage.MembershipDecideView.as_view(), name="membership_decide"),
    path("memberships/<int:pk>/edit/", manage.MembershipEditView.as_view(), name="membership_edit"),
    path("organisations/<slug:slug>/edit/", manage.OrganisationEditView.as_view(), name="organisation_edit"),
    path("partnerships/<slug:slug>/edit/", manage.PartnershipEditView.as_view(), name="partnership_edit"),
    path("commissioners/", manage.CommissionerListView.as_view(), name="commissioner_list"),
    path("commissioners/new/", manage.CommissionerGrantView.as_view(), name="commissioner_grant"),
    path("commissioners/<int:pk>/end/", manage.CommissionerRevokeView.as_view(), name="commissioner_revoke"),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("networks/", public.network_list, name="network_list"),
    path("networks/<slug:slug>/", public.network_detail, name="network_detail"),
    path("settlements/<slug:slug>/", public.settlement_detail, name="settlement_detail"),
    path("organisations/", public.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", public.organisation_detail, name="organisation_detail"),
    path("partnerships/", public.partnership_list, name="partnership_list"),
    path("partnerships/<slug:slug>/", public.partnership_detail, name="partnership_detail"),
    path("manage/", include((manage_patterns, "manage"))),
]
