"""Every URL of the pitches and initiatives, in the namespace initiatives:…"""

from django.urls import path

from .feeds import NetworkFeed
from .views import public

app_name = "initiatives"

urlpatterns = [
    path("initiatives/", public.pitch_list, name="pitch_list"),
    path("initiatives/mine/", public.my_pitches, name="my_pitches"),
    path("initiatives/pitch/", public.pitch_new, name="pitch_new"),
    path("initiatives/pitches/<int:pk>/", public.pitch_detail, name="pitch_detail"),
    path("initiatives/pitches/<int:pk>/edit/", public.pitch_edit, name="pitch_edit"),
    path("initiatives/pitches/<int:pk>/state/", public.pitch_state, name="pitch_state"),
    path("initiatives/pitches/<int:pk>/support/", public.pitch_support, name="pitch_support"),
    path("initiatives/pitches/<int:pk>/pledge/", public.pitch_pledge, name="pitch_pledge"),
    path("initiatives/networks/<slug:slug>/settings/", public.network_settings, name="network_settings"),
    path("initiatives/networks/<slug:slug>/rounds/new/", public.round_new, name="round_new"),
    path("initiatives/rounds/<int:pk>/", public.round_detail, name="round_detail"),
    path("initiatives/rounds/<int:pk>/declare/", public.round_declare, name="round_declare"),
    path("initiatives/rounds/<int:pk>/state/", public.round_state, name="round_state"),
    path("initiatives/rounds/<int:pk>/pitches/<int:pitch_pk>/score/", public.round_score, name="round_score"),
    path("initiatives/pitches/<int:pk>/start/", public.initiative_start, name="initiative_start"),
    path("initiatives/projects/", public.initiative_list, name="initiative_list"),
    path("initiatives/projects/<int:pk>/", public.initiative_detail, name="initiative_detail"),
    path("initiatives/projects/<int:pk>/manage/", public.initiative_manage, name="initiative_manage"),
    path("initiatives/pitches/<int:pk>/report/", public.pitch_report, name="pitch_report"),
    path("initiatives/updates/<int:pk>/report/", public.update_report, name="update_report"),
    path("initiatives/networks/<slug:slug>/reports/", public.moderation, name="moderation"),
    path("initiatives/networks/<slug:slug>/feed/", NetworkFeed(), name="network_feed"),
    path("initiatives/projects/<int:pk>/coproduction/", public.coproduction, name="coproduction"),
]
