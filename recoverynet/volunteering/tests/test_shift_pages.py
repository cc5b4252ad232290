"""The pages for flexible shifts and for changing or cancelling a shift: the
organiser's forms (errors re-render, nothing written), the member's choice of
time, and the emails after a change."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.volunteering import services
from recoverynet.volunteering.models import Shift, SignUp

from .flexible_times import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _written():
    return Shift.objects.count(), SignUp.objects.count(), AuditEntry.objects.count()


def test_an_organiser_adds_a_flexible_shift(world, client_for, role):
    client = client_for(world.users["settlement_host"])
    url = reverse("volunteering:manage:shift_new_flexible", kwargs={"slug": role.slug})
    assert "Add a flexible shift" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "first_day": "1 12 2026",
            "last_day": "31 12 2026",
            "expected_hours": "3",
            "expected_per": "week",
            "places": "6",
        },
    )
    shift = Shift.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "volunteering:manage:shift", kwargs={"pk": shift.pk}
    )
    assert (shift.kind, shift.expected_minutes, shift.expected_per, shift.day_starts) == ("flexible", 180, "week", None)
    assert (shift.first_day, shift.last_day) == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    page = client.get(response["Location"]).content.decode()
    assert "Any 3 h a week between Tuesday 1 December and Thursday 31 December 2026</p>" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"last_day": "30 11 2026"}, "last_day", "The last day must be the same as the first day or after it"),
        ({"day_start": "09:00"}, "day_end", "Enter both daily times, or leave both empty"),
        ({"day_start": "17:00", "day_end": "09:00"}, "day_end", "The daily hours must end after they start"),
        ({"expected_hours": "0"}, "expected_hours", "Enter how much time each volunteer gives"),
        ({"expected_hours": "-2"}, "expected_hours", "Hours cannot be negative"),
        ({"expected_hours": "100000"}, "expected_hours", "Enter at most 100 hours"),
        ({"first_day": "1 11 2026"}, "first_day", "Choose a first day today or later."),
        ({"last_day": "1 6 2027"}, "last_day", "A flexible window can last at most 92 days."),
        (
            {"first_day": "4 12 2026", "last_day": "4 12 2026", "day_start": "09:00", "day_end": "10:00"},
            "expected_hours",
            "Expect no more time than the window lasts.",
        ),
    ],
)
def test_bad_flexible_shifts_re_render_on_their_field(world, client_for, role, data, field, message):
    client = client_for(world.users["settlement_host"])
    url = reverse("volunteering:manage:shift_new_flexible", kwargs={"slug": role.slug})
    good = {"first_day": "1 12 2026", "last_day": "5 12 2026", "expected_hours": "2", "expected_per": "total"}
    before = _written()
    response = client.post(url, {**good, "places": "2", **data})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert f'href="#id_{field}"' in response.content.decode()  # the error summary links to the field
    assert _written() == before


def test_a_member_chooses_their_time_or_leaves_it(world, client_for, flexible):
    member = world.users["member"]
    client = client_for(member)
    page = client.get(flexible.role.get_absolute_url()).content.decode()
    url = reverse("volunteering:sign_up", kwargs={"pk": flexible.pk})
    assert f'href="{url}"' in page and "Choose your time and sign up" in page
    before = _written()
    outside = client.post(url, {"date": "2 12 2026", "start": "16:00", "end": "18:00"})
    assert outside.status_code == 200 and _written() == before
    assert "Choose a time within the window" in outside.context["form"].errors["start"][0]
    partial = client.post(url, {"date": "2 12 2026"})
    assert partial.status_code == 200 and _written() == before
    response = client.post(url, {"date": "2 12 2026", "start": "10:00", "end": "12:00"})
    assert response.status_code == 302
    assert SignUp.objects.get(user=member).chosen_starts_at == at(2, 10)
    mine = client.get(reverse("volunteering:mine")).content.decode()
    assert "Your time: Wednesday 2 December, 10:00 to 12:00" in mine
    again = client.post(url, {"date": "2 12 2026", "start": "10:00", "end": "12:00"})  # a double-submitted form
    assert again.status_code == 302 and SignUp.objects.filter(user=member).count() == 1
    other = MembershipFactory(network=world.own_network, status="active").user
    assert client_for(other).post(url, {}).status_code == 302
    assert SignUp.objects.get(user=other).chosen_starts_at is None
    ics = client.get(reverse("volunteering:mine_ics")).content.decode()
    assert "DTSTART:20261202T100000Z" in ics


def test_the_organiser_changes_a_shift_and_the_members_are_told(
    world, client_for, shift, django_capture_on_commit_callbacks
):
    host, member = world.users["settlement_host"], world.users["member"]
    services.sign_up(actor=member, shift=shift)
    services.sign_up(actor=MembershipFactory(network=world.own_network, status="active").user, shift=shift)
    client = client_for(host)
    url = reverse("volunteering:manage:shift_edit", kwargs={"pk": shift.pk})
    page = client.get(url).content.decode()
    assert "2 people have a place" in page and "You cannot offer fewer than 2 places" in page
    before = _written()
    too_few = client.post(url, {"date": "10 12 2026", "start": "09:00", "end": "12:00", "places": "1"})
    assert too_few.status_code == 200 and _written() == before
    assert too_few.context["form"].errors["places"] == [
        "2 people have a place on this shift: offer at least 2 places, or decline places first."
    ]
    past = client.post(url, {"date": "1 11 2026", "start": "09:00", "end": "12:00", "places": "2"})
    assert past.status_code == 200 and past.context["form"].errors["start"] == ["Choose a start time in the future."]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"date": "10 12 2026", "start": "09:00", "end": "12:00", "places": "4"}, follow=True)
    assert "The 2 people with a place have been emailed the new time." in done.content.decode()
    assert len(mail.outbox) == 2 and "Now: Thursday 10 December 2026, 09:00 to 12:00" in mail.outbox[0].body


def test_the_organiser_changes_a_flexible_window(world, client_for, flexible):
    client = client_for(world.users["settlement_host"])
    url = reverse("volunteering:manage:shift_edit", kwargs={"pk": flexible.pk})
    form = client.get(url).context["form"]
    assert (form.initial["first_day"], form.initial["day_end"]) == ("1 12 2026", "17:00")  # as the hints ask
    response = client.post(
        url,
        {
            "first_day": "1 12 2026",
            "last_day": "4 12 2026",
            "day_start": "10:00",
            "day_end": "16:00",
            "expected_hours": "1",
            "expected_extra_minutes": "30",
            "expected_per": "total",
            "places": "3",
        },
    )
    assert response.status_code == 302
    flexible.refresh_from_db()
    assert (flexible.day_starts, flexible.expected_minutes) == (datetime.time(10), 90)


def test_the_organiser_cancels_a_shift_and_the_members_are_emailed(
    world, client_for, shift, django_capture_on_commit_callbacks
):
    member = world.users["member"]
    services.sign_up(actor=member, shift=shift)
    client = client_for(world.users["settlement_host"])
    url = reverse("volunteering:manage:shift_cancel", kwargs={"pk": shift.pk})
    page = client.get(url).content.decode()
    assert "1 person has a place" in page and member.display_name in page
    before = _written()
    assert client.post(url, {"reason": "x" * 301}).status_code == 200 and _written() == before
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"reason": "The café is closed."}, follow=True)
    assert "The shift is cancelled. The person who had a place has been emailed." in done.content.decode()
    assert mail.outbox[0].to == [member.email] and "The café is closed." in mail.outbox[0].body
    assert "Change the time or places" not in done.content.decode()
    assert client.get(reverse("volunteering:manage:shift_edit", kwargs={"pk": shift.pk})).status_code == 302
    assert shift.role.get_absolute_url()
    role_page = client_for(member).get(shift.role.get_absolute_url()).content.decode()
    assert "No shifts are coming up" in role_page


def test_a_shift_nobody_signed_up_for_is_deleted(world, client_for, shift):
    client = client_for(world.users["settlement_host"])
    url = reverse("volunteering:manage:shift_cancel", kwargs={"pk": shift.pk})
    assert "Delete the shift" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response["Location"] == reverse("volunteering:manage:home")
    assert not Shift.objects.filter(pk=shift.pk).exists()


def test_the_organiser_records_hours_for_a_window_in_one_batch(world, client_for, time_machine, flexible):
    host = world.users["settlement_host"]
    signups = []
    for _ in range(2):
        signup = services.sign_up(
            actor=MembershipFactory(network=world.own_network, status="active").user, shift=flexible
        )
        services.confirm_signup(actor=host, signup=signup)
        signups.append(signup)
    client = client_for(host)
    url = reverse("volunteering:manage:shift", kwargs={"pk": flexible.pk})
    assert "Record attendance" not in client.get(url).content.decode()  # the window has not opened
    time_machine.move_to(at(5, 9), tick=False)
    page = client.get(url).content.decode()
    assert "record the time each gave in the whole window (2 h in total expected), up to 80 h" in page
    first, second = signups
    data = {"action": "hours", f"attended_{first.pk}": "on", f"hours_{first.pk}": "81", f"attended_{second.pk}": "on"}
    data[f"hours_{second.pk}"] = "3"
    too_long = client.post(url, data)
    assert too_long.status_code == 200
    assert "Enter at most the window&#x27;s length, 80 h." in too_long.content.decode()
    assert not SignUp.objects.filter(hours_recorded_at__isnull=False).exists()  # all or nothing
    data[f"hours_{first.pk}"] = "2"
    data[f"minutes_{first.pk}"] = "15"
    assert client.post(url, data).status_code == 302
    assert sorted(SignUp.objects.filter(shift=flexible).values_list("minutes", flat=True)) == [135, 180]
