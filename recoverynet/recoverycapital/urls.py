"""Every URL of recovery capital, in the namespace recoverycapital:…"""

from django.urls import include, path

from .views import manage, public

app_name = "recoverycapital"

manage_patterns = [
    path("instruments/", manage.instrument_list, name="instrument_list"),
    path("networks/<slug:slug>/instruments/upload/", manage.instrument_upload, name="instrument_upload"),
    path("networks/<slug:slug>/assess/", manage.enter_with_member, name="enter_with_member"),
]

urlpatterns = [
    path("recovery-capital/", public.journey_page, name="journey"),
    path("recovery-capital/assessments/new/", public.assessment_new, name="assessment_new"),
    path("recovery-capital/assessments/<int:pk>/", public.assessment_detail, name="assessment"),
    path("recovery-capital/reminders/", public.reminders, name="reminders"),
    path("recovery-capital/plan/goals/new/", public.goal_new, name="goal_new"),
    path("recovery-capital/plan/goals/<int:pk>/", public.goal_edit, name="goal_edit"),
    path("recovery-capital/plan/goals/<int:pk>/done/", public.goal_done, name="goal_done"),
    path("recovery-capital/plan/goals/<int:pk>/steps/new/", public.step_new, name="step_new"),
    path("recovery-capital/plan/steps/<int:pk>/done/", public.step_done, name="step_done"),
    path("manage/recovery-capital/", include((manage_patterns, "manage"))),
]
