"""Every URL of the time bank, in the namespace timebank:…"""

from django.urls import path

from .views import public

app_name = "timebank"

urlpatterns = [
    path("timebank/", public.home, name="home"),
    path("timebank/networks/<slug:slug>/join/", public.join, name="join"),
    path("timebank/accounts/<int:pk>/leave/", public.leave, name="leave"),
    path("timebank/accounts/<int:pk>/", public.account_statement, name="statement"),
    path("timebank/accounts/<int:pk>/statement.csv", public.account_statement_csv, name="statement_csv"),
    path("timebank/accounts/<int:pk>/give/", public.exchange_new, name="exchange_new"),
    path("timebank/exchanges/<int:pk>/", public.exchange_decide, name="exchange_decide"),
]
