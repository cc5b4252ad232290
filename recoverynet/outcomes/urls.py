"""Every URL of the outcomes app, in the namespace outcomes:…"""

from django.urls import path

from .views import manage

app_name = "outcomes"

urlpatterns = [
    path("manage/outcomes/", manage.federation_dashboard, name="federation"),
    path("manage/outcomes/networks/<slug:slug>/", manage.network_dashboard, name="network"),
    path("manage/outcomes/networks/<slug:slug>/report/", manage.ReportDownloadView.as_view(), name="report"),
    path("manage/outcomes/networks/<slug:slug>/savings/", manage.savings_edit, name="savings"),
]
