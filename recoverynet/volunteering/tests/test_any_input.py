"""Arbitrary values in every form field and query parameter of volunteering's
pages: a page or a clear error, never a 500, and nothing written when refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
from recoverynet.volunteering.models import Commendation, DBSCheck, Shift, SignUp, VolunteerProfile

pytestmark = pytest.mark.django_db

EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
text = st.text(max_size=40)
numberish = st.one_of(st.text(max_size=8), st.integers(-(10**9), 10**9).map(str))
dateish = st.one_of(
    st.text(max_size=12),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.day} {d.month} {d.year}"),
)
timeish = st.one_of(st.text(max_size=6), st.times().map(lambda t: t.strftime("%H:%M")))


def _written():
    return (
        SignUp.objects.count(),
        Shift.objects.count(),
        DBSCheck.objects.count(),
        Commendation.objects.count(),
        VolunteerProfile.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def setting(world, client_for):
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement, early_recovery="yes")
    start = timezone.now() - datetime.timedelta(hours=4)
    past = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=5)
    host = world.users["settlement_host"]
    signup = services.record_walk_in(actor=host, shift=past, user=world.users["member"])
    return {
        "role": role,
        "past": past,
        "signup": signup,
        "member": client_for(world.users["member"]),
        "host": client_for(host),
        "coordinator": client_for(world.users["network_coordinator"]),
        "network": world.own_network,
    }


@EXAMPLES
@given(q=text, network=text, sector=text, dbs=text, early=text, remote=text, no_alcohol=text, page=numberish)
def test_any_query_on_the_role_list(setting, q, network, sector, dbs, early, remote, no_alcohol, page):
    params = {"q": q, "network": network, "sector": sector, "dbs": dbs, "early": early, "remote": remote}
    params.update(no_alcohol=no_alcohol, page=page)
    response = setting["member"].get(
        reverse("volunteering:role_list"), {k: v.replace("\x00", "") for k, v in params.items()}
    )
    assert response.status_code == 200


@EXAMPLES
@given(
    recovery_start=dateish,
    avoid=st.one_of(text, st.just("on")),
    no_meds=st.one_of(text, st.just("on")),
    reminders=st.one_of(text, st.just("on")),
    skills=st.lists(st.tuples(st.text(max_size=70), numberish), min_size=3, max_size=3),
)
def test_any_profile(setting, recovery_start, avoid, no_meds, reminders, skills):
    before = VolunteerProfile.objects.count()
    data = {
        "recovery_start": recovery_start,
        "avoid_alcohol_venues": avoid,
        "avoid_medication_roles": no_meds,
        "shift_reminders": reminders,
    }
    for i, (name, level) in enumerate(skills, start=1):
        data[f"skill_{i}"], data[f"skill_{i}_level"] = name, level
    response = setting["member"].post(reverse("volunteering:profile"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert VolunteerProfile.objects.count() == before


@EXAMPLES
@given(date=dateish, start=timeish, end=timeish, places=numberish)
def test_any_shift(setting, date, start, end, places):
    before = _written()
    response = setting["host"].post(
        reverse("volunteering:manage:shift_new", kwargs={"slug": setting["role"].slug}),
        {"date": date, "start": start, "end": end, "places": places},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _written() == before


@EXAMPLES
@given(person=numberish, level=text, checked_on=dateish, checker=st.text(max_size=140))
def test_any_dbs_record(setting, person, level, checked_on, checker):
    before = _written()
    response = setting["coordinator"].post(
        reverse("volunteering:manage:dbs", kwargs={"slug": setting["network"].slug}),
        {"person": person, "level": level, "checked_on": checked_on, "checker": checker},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _written() == before


@EXAMPLES
@given(person=numberish, body=st.text(max_size=2100))
def test_any_commendation(setting, person, body):
    before = _written()
    response = setting["host"].post(
        reverse("volunteering:manage:commend", kwargs={"slug": setting["role"].slug}),
        {"person": person, "text": body},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _written() == before


@EXAMPLES
@given(reason=st.text(max_size=320))
def test_any_decline_reason(setting, reason):
    before = _written()
    signup = setting["signup"]
    response = setting["host"].post(
        reverse("volunteering:manage:signup_decline", kwargs={"pk": signup.pk}), {"reason": reason}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _written() == before
    else:  # declined: put it back for the next example
        SignUp.objects.filter(pk=signup.pk).update(status=SignUp.Status.CONFIRMED, decline_reason="")


@EXAMPLES
@given(
    action=st.one_of(text, st.sampled_from(["confirm", "walk_in", "hours", "credit"])),
    signup=numberish,
    person=numberish,
    attended=text,
    hours=numberish,
    minutes=numberish,
)
def test_any_post_to_the_shift_page(setting, action, signup, person, attended, hours, minutes):
    pk = setting["signup"].pk
    before = _written()
    response = setting["host"].post(
        reverse("volunteering:manage:shift", kwargs={"pk": setting["past"].pk}),
        {
            "action": action,
            "signup": signup,
            "walk_in-person": person,
            f"attended_{pk}": attended,
            f"hours_{pk}": hours,
            f"minutes_{pk}": minutes,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _written() == before
    SignUp.objects.filter(pk=pk).update(attended=None, minutes=None, hours_recorded_at=None)
