"""Every URL of volunteering, in the namespace volunteering:… (organisers' pages: volunteering:manage:…)."""

from django.urls import include, path

from .views import manage, public

app_name = "volunteering"

manage_patterns = [
    path("", manage.manage_home, name="home"),
    path("networks/<slug:slug>/roles/new/", manage.role_new, name="role_new"),
    path("networks/<slug:slug>/jobs/new/", manage.job_new, name="job_new"),
    path("roles/<slug:slug>/edit/", manage.role_edit, name="role_edit"),
    path("roles/<slug:slug>/shifts/new/", manage.shift_new, name="shift_new"),
    path("roles/<slug:slug>/shifts/new-flexible/", manage.shift_new_flexible, name="shift_new_flexible"),
    path("roles/<slug:slug>/commend/", manage.commend, name="commend"),
    path("shifts/<int:pk>/", manage.shift_manage, name="shift"),
    path("shifts/<int:pk>/edit/", manage.shift_edit, name="shift_edit"),
    path("shifts/<int:pk>/cancel/", manage.shift_cancel, name="shift_cancel"),
    path("signups/<int:pk>/decline/", manage.signup_decline, name="signup_decline"),
    path("signups/<int:pk>/time/", manage.signup_time, name="signup_time"),
    path("networks/<slug:slug>/dbs/", manage.dbs_checks, name="dbs"),
    path("networks/<slug:slug>/skills/", manage.skill_search, name="skill_search"),
    path("interests/", manage.interests, name="interests"),
    path("interests/<int:pk>/rename/", manage.interest_rename, name="interest_rename"),
    path("interests/<int:pk>/remove/", manage.interest_remove, name="interest_remove"),
]

urlpatterns = [
    path("volunteering/", public.role_list, name="role_list"),
    path("volunteering/roles/<slug:slug>/", public.role_detail, name="role_detail"),
    path("volunteering/shifts/<int:pk>/sign-up/", public.shift_sign_up, name="sign_up"),
    path("volunteering/jobs/", public.job_list, name="job_list"),
    path("volunteering/jobs/<slug:slug>/", public.job_detail, name="job_detail"),
    path("volunteering/for-you/", public.for_you, name="for_you"),
    path("volunteering/mine/", public.mine, name="mine"),
    path("volunteering/mine/shifts.ics", public.my_shifts_ics, name="mine_ics"),
    path("volunteering/mine/record.csv", public.record_csv, name="record_csv"),
    path("volunteering/mine/reference/", public.reference, name="reference"),
    path("volunteering/mine/commendations/<int:pk>/", public.commendation_review, name="commendation_review"),
    path("volunteering/profile/", public.profile, name="profile"),
    path("volunteering/signups/<int:pk>/cancel/", public.signup_cancel, name="signup_cancel"),
    path("volunteering/signups/<int:pk>/confirm-hours/", public.hours_confirm, name="hours_confirm"),
    path("volunteering/signups/<int:pk>/time/", public.signup_time, name="signup_time"),
    path("volunteering/manage/", include((manage_patterns, "manage"))),
]
