from django.urls import path

from . import audit_views, views

app_name = "core"

urlpatterns = [
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    # The audit log, in the coordinators' Manage area.
    path("manage/audit/", audit_views.AuditListView.as_view(), name="audit_list"),
    path("manage/audit.csv", audit_views.AuditCsvView.as_view(), name="audit_csv"),
]
