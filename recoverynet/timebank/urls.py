"""Every URL of the time bank, in the namespace timebank:…"""

from django.urls import path

from .views import manage, public

app_name = "timebank"

urlpatterns = [
    path("timebank/", public.home, name="home"),
    path("timebank/networks/<slug:slug>/join/", public.join, name="join"),
    path("timebank/accounts/<int:pk>/leave/", public.leave, name="leave"),
    path("timebank/accounts/<int:pk>/", public.account_statement, name="statement"),
    path("timebank/accounts/<int:pk>/statement.csv", public.account_statement_csv, name="statement_csv"),
    path("timebank/accounts/<int:pk>/give/", public.exchange_new, name="exchange_new"),
    path("timebank/exchanges/<int:pk>/", public.exchange_decide, name="exchange_decide"),
    path("timebank/manage/<slug:slug>/", manage.Overview.as_view(), name="manage"),
    path("timebank/manage/<slug:slug>/accounts/new/", manage.OpenHolderAccount.as_view(), name="manage_open_account"),
    path("timebank/manage/<slug:slug>/record/", manage.RecordForMembers.as_view(), name="manage_record"),
    path("timebank/manage/<slug:slug>/group/", manage.GroupActivity.as_view(), name="manage_group"),
    path("timebank/manage/<slug:slug>/report/", manage.Report.as_view(), name="manage_report"),
    path("timebank/manage/<slug:slug>/report.csv", manage.ReportCsv.as_view(), name="manage_report_csv"),
]
