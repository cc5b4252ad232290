"""Every URL of accounts (accounts:…): a person's own pages under /me/, the
privacy notice, and the admin's sign-in page, handed over to allauth's (before
the admin's own URLs in config/urls.py). Sign-up, sign-in and two-factor set-up
are django-allauth's, under /accounts/."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/consent/", views.consent, name="consent"),
    path("me/networks/<slug:slug>/join/", views.join_network, name="join_network"),
    path("me/memberships/<int:pk>/leave/", views.leave_membership, name="leave_membership"),
    path("me/export/", views.export, name="export"),
    path("me/erase/", views.erase, name="erase"),
    path("me/erased/", views.erased, name="erased"),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("admin/login/", views.admin_login, name="admin_login"),
]
