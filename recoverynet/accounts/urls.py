from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("edit/", views.profile_edit, name="profile_edit"),
    path("consent/", views.consent, name="consent"),
    path("networks/<slug:slug>/join/", views.join_network, name="join_network"),
    path("memberships/<int:pk>/leave/", views.leave_membership, name="leave_membership"),
    path("export/", views.export, name="export"),
    path("erase/", views.erase, name="erase"),
    path("erased/", views.erased, name="erased"),
]
