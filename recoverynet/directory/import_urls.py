"""/manage/directory/imports/: Meeting Guide feed sources and their imports."""

from django.urls import path

from . import import_views as views

app_name = "imports"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="source_list"),
    path("networks/<slug:slug>/new/", views.SourceCreateView.as_view(), name="source_create"),
    path("sources/<int:pk>/", views.ImportView.as_view(), name="import"),
    path("sources/<int:pk>/edit/", views.SourceEditView.as_view(), name="source_edit"),
    path("runs/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("runs/<int:pk>/apply/", views.ApplyImportView.as_view(), name="import_apply"),
    path("runs/<int:pk>/dismiss/", views.DismissImportView.as_view(), name="import_dismiss"),
]
