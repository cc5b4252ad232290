"""Every URL of the time bank, in the namespace timebank:…"""

from django.urls import include, path

from .views import manage, moderation, offers, public

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

# Offers and requests: browse, post, answer, agree; blocks and reports.
urlpatterns += [
    path("timebank/offers/", offers.post_list, name="post_list"),
    path("timebank/accounts/<int:pk>/post/", offers.post_new, name="post_new"),
    path("timebank/offers/<int:pk>/", offers.post_detail, name="post_detail"),
    path("timebank/offers/<int:pk>/edit/", offers.post_edit, name="post_edit"),
    path("timebank/offers/<int:pk>/report/", offers.post_report, name="post_report"),
    path("timebank/offers/<int:pk>/block/", offers.post_block, name="post_block"),
    path("timebank/answers/<int:pk>/agree/", offers.response_agree, name="response_agree"),
    path("timebank/answers/<int:pk>/report/", offers.response_report, name="response_report"),
    path("timebank/answers/<int:pk>/block/", offers.response_block, name="response_block"),
    path("timebank/blocked/", offers.blocks, name="blocks"),
]

# /manage/timebank/: coordinators mark members vetted and close reports.
moderation_patterns = [
    path("networks/<slug:slug>/vetting/", moderation.VettingView.as_view(), name="vetting"),
    path("networks/<slug:slug>/reports/", moderation.ReportListView.as_view(), name="reports"),
    path("reports/<int:pk>/", moderation.ReportDetailView.as_view(), name="report_detail"),
]
urlpatterns += [path("manage/timebank/", include((moderation_patterns, "manage")))]
