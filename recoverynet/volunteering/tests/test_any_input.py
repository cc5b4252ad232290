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
        "host_user": host,
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


@pytest.fixture
def flexible(setting):
    start = timezone.now() + datetime.timedelta(days=3)
    return ShiftFactory(
        role=setting["role"],
        kind="flexible",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=4),
        expected_minutes=120,
        expected_per="total",
        places=50,
    )


@EXAMPLES
@given(
    first_day=dateish,
    last_day=dateish,
    day_start=timeish,
    day_end=timeish,
    hours=numberish,
    minutes=numberish,
    per=st.one_of(text, st.sampled_from(["total", "week"])),
    places=numberish,
)
def test_any_flexible_shift(setting, first_day, last_day, day_start, day_end, hours, minutes, per, places):
    before = _written()
    response = setting["host"].post(
        reverse("volunteering:manage:shift_new_flexible", kwargs={"slug": setting["role"].slug}),
        {
            "first_day": first_day,
            "last_day": last_day,
            "day_start": day_start,
            "day_end": day_end,
            "expected_hours": hours,
            "expected_extra_minutes": minutes,
            "expected_per": per,
            "places": places,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _written() == before
    else:
        assert Shift.objects.count() == before[1] + 1
        Shift.objects.filter(kind="flexible").exclude(pk__in=Shift.objects.filter(signups__isnull=False)).delete()


@EXAMPLES
@given(date=dateish, start=timeish, end=timeish, places=numberish)
def test_any_change_to_a_shift(setting, date, start, end, places):
    shift = ShiftFactory(role=setting["role"], places=3)
    services.sign_up(actor=setting["signup"].user, shift=shift)
    before, entries = (shift.starts_at, shift.ends_at, shift.places), AuditEntry.objects.count()
    response = setting["host"].post(
        reverse("volunteering:manage:shift_edit", kwargs={"pk": shift.pk}),
        {"date": date, "start": start, "end": end, "places": places},
    )
    assert response.status_code in (200, 302)
    shift.refresh_from_db()
    if response.status_code == 200:
        assert (shift.starts_at, shift.ends_at, shift.places) == before
        assert AuditEntry.objects.count() == entries
    else:
        assert shift.places >= 1 and shift.starts_at > timezone.now()
    shift.delete()  # its place would overlap the next example's


@EXAMPLES
@given(first_day=dateish, last_day=dateish, day_start=timeish, day_end=timeish, hours=numberish, places=numberish)
def test_any_change_to_a_flexible_shift(setting, flexible, first_day, last_day, day_start, day_end, hours, places):
    snapshot = lambda: Shift.objects.filter(pk=flexible.pk).values().get()  # noqa: E731
    before, entries = snapshot(), AuditEntry.objects.count()
    response = setting["host"].post(
        reverse("volunteering:manage:shift_edit", kwargs={"pk": flexible.pk}),
        {
            "first_day": first_day,
            "last_day": last_day,
            "day_start": day_start,
            "day_end": day_end,
            "expected_hours": hours,
            "expected_per": "week",
            "places": places,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot() == before and AuditEntry.objects.count() == entries
    else:
        Shift.objects.filter(pk=flexible.pk).update(**{k: v for k, v in before.items() if k != "id"})


@EXAMPLES
@given(reason=st.text(max_size=320))
def test_any_cancellation_reason(setting, reason):
    shift = ShiftFactory(role=setting["role"], places=3)
    services.sign_up(actor=setting["signup"].user, shift=shift)
    before = _written()
    response = setting["host"].post(
        reverse("volunteering:manage:shift_cancel", kwargs={"pk": shift.pk}), {"reason": reason}
    )
    assert response.status_code in (200, 302)
    shift.refresh_from_db()
    if response.status_code == 200:
        assert _written() == before and shift.cancelled_at is None
    else:
        assert shift.cancelled_at is not None and SignUp.objects.get(shift=shift).status == SignUp.Status.CANCELLED
    shift.delete()  # its place would overlap the next example's


@EXAMPLES
@given(date=dateish, start=timeish, end=timeish, organiser=st.booleans())
def test_any_time_chosen_after_signing_up(setting, world, flexible, date, start, end, organiser):
    signup = SignUp.objects.get_or_create(shift=flexible, user=world.users["member"])[0]
    SignUp.objects.filter(pk=signup.pk).update(chosen_starts_at=None, chosen_ends_at=None)
    before = _written()
    name = "volunteering:manage:signup_time" if organiser else "volunteering:signup_time"
    client = setting["host"] if organiser else setting["member"]
    response = client.post(reverse(name, kwargs={"pk": signup.pk}), {"date": date, "start": start, "end": end})
    assert response.status_code in (200, 302)
    signup.refresh_from_db()
    if response.status_code == 200:
        assert _written() == before and signup.chosen_starts_at is None
    else:
        assert flexible.contains(signup.chosen_starts_at, signup.chosen_ends_at)


@EXAMPLES
@given(date=dateish, start=timeish, end=timeish)
def test_any_chosen_time(setting, flexible, date, start, end):
    before = _written()
    client = setting["member"]
    response = client.post(
        reverse("volunteering:sign_up", kwargs={"pk": flexible.pk}), {"date": date, "start": start, "end": end}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _written() == before
    signup = SignUp.objects.filter(shift=flexible, status__in=SignUp.HOLDS_PLACE).first()
    if signup is not None:
        if signup.chosen_starts_at:
            assert flexible.contains(signup.chosen_starts_at, signup.chosen_ends_at)
        signup.delete()


@EXAMPLES
@given(attended=text, hours=numberish, minutes=numberish)
def test_any_hours_for_a_flexible_shift(setting, attended, hours, minutes):
    start = timezone.now() - datetime.timedelta(days=2)
    window = ShiftFactory(
        role=setting["role"],
        kind="flexible",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=4),
        expected_minutes=120,
        expected_per="total",
        places=5,
    )
    signup = services.record_walk_in(actor=setting["host_user"], shift=window, user=setting["signup"].user)
    before = _written()
    response = setting["host"].post(
        reverse("volunteering:manage:shift", kwargs={"pk": window.pk}),
        {
            "action": "hours",
            f"attended_{signup.pk}": attended,
            f"hours_{signup.pk}": hours,
            f"minutes_{signup.pk}": minutes,
        },
    )
    assert response.status_code in (200, 302)
    signup.refresh_from_db()
    if response.status_code == 200:
        assert _written() == before and signup.hours_recorded_at is None
    else:
        assert signup.minutes is not None and 0 <= signup.minutes <= window.max_minutes
    window.delete()
