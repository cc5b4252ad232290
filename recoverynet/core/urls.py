from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("healthz", views.healthz, name="healthz"),
]
