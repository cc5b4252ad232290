from django.urls import path

from . import api_docs, audit_views, moderation_views, views

app_name = "core"

urlpatterns = [
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    # The API's reference as a page of the site (HTML errors, so not under /api/).
    path("about/api/", api_docs.ApiReferenceView.as_view(), name="api_reference"),
    # The audit log, in the coordinators' Manage area.
    path("manage/audit/", audit_views.AuditListView.as_view(), name="audit_list"),
    path("manage/audit.csv", audit_views.AuditCsvView.as_view(), name="audit_csv"),
    # Members' reports from every app (core.moderation), each closed on its app's own page.
    path("manage/reports/", moderation_views.ReportQueueView.as_view(), name="reports"),
]
