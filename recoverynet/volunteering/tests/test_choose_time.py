"""Choosing or changing the time of a place on a flexible shift after signing up: the
service (the same checks as at sign-up, audited, the other party emailed on commit)
and the member's and the organiser's pages."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from recoverynet.core.models import AuditEntry
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import ShiftFactory
from recoverynet.volunteering.models import SignUp

from .flexible_times import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def place(world, flexible):
    return services.sign_up(actor=world.users["member"], shift=flexible)


def _written():
    return list(SignUp.objects.values_list("chosen_starts_at", "chosen_ends_at").order_by("pk")), (
        AuditEntry.objects.count()
    )


def test_a_member_chooses_their_time_and_the_organisers_are_told(world, place, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.choose_time(actor=world.users["member"], signup=place, chosen=(at(2, 10), at(2, 12)))
    place.refresh_from_db()
    assert (place.chosen_starts_at, place.chosen_ends_at) == (at(2, 10), at(2, 12))
    entry = AuditEntry.objects.filter(summary="Time chosen").get()
    assert entry.actor == world.users["member"] and entry.changes["chosen"][0] is None
    # The settlement's host hears of it; the member does not get an email about their own choice.
    assert [m.to for m in mail.outbox] == [[world.users["settlement_host"].email]]
    assert "Wednesday 2 December, 10:00 to 12:00" in mail.outbox[0].body
    assert world.users["member"].email not in mail.outbox[0].body


def test_an_organiser_changes_it_and_the_member_is_told(world, place, django_capture_on_commit_callbacks):
    services.choose_time(actor=world.users["member"], signup=place, chosen=(at(2, 10), at(2, 12)))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.choose_time(actor=world.users["network_coordinator"], signup=place, chosen=(at(3, 14), at(3, 16)))
    assert [m.to for m in mail.outbox] == [[world.users["member"].email]]
    assert "Was: Wednesday 2 December, 10:00 to 12:00" in mail.outbox[0].body
    assert "Now: Thursday 3 December, 14:00 to 16:00" in mail.outbox[0].body
    assert AuditEntry.objects.filter(summary="Time changed", actor=world.users["network_coordinator"]).exists()
    # The same time again: nothing written, nobody emailed.
    before, sent = _written(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        services.choose_time(actor=world.users["network_coordinator"], signup=place, chosen=(at(3, 14), at(3, 16)))
    assert _written() == before and len(mail.outbox) == sent


def test_nobody_else_sets_a_members_time(world, place):
    # Another member, a professional elsewhere, the other network's member: none organises the role.
    for user in (world.users["professional"], world.other_membership.user):
        with pytest.raises(PermissionDenied):
            services.choose_time(actor=user, signup=place, chosen=(at(2, 10), at(2, 12)))
    assert SignUp.objects.get(pk=place.pk).chosen_starts_at is None


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ((at(2, 8), at(2, 10)), "within the window"),  # before the daily hours
        ((at(2, 16), at(2, 18)), "within the window"),  # after them
        ((at(5, 10), at(5, 12)), "within the window"),  # after the window
        ((at(2, 12), at(2, 10)), "end after it starts"),
        (None, "Choose a day"),
    ],
)
def test_a_time_outside_the_window_is_refused_with_nothing_written(world, place, chosen, message):
    before = _written()
    with pytest.raises(ValidationError, match=message):
        services.choose_time(actor=world.users["member"], signup=place, chosen=chosen)
    assert _written() == before


def test_a_time_overlapping_another_place_is_refused(world, role, place):
    fixed = ShiftFactory(role=role, starts_at=at(2, 11), ends_at=at(2, 13), places=2)
    services.sign_up(actor=world.users["member"], shift=fixed)
    before = _written()
    with pytest.raises(ValidationError, match=f"already have a place at that time: {role.title}"):
        services.choose_time(actor=world.users["member"], signup=place, chosen=(at(2, 10), at(2, 12)))
    # An organiser setting the time is refused too, without learning which other place clashes.
    with pytest.raises(ValidationError) as refused:
        services.choose_time(actor=world.users["settlement_host"], signup=place, chosen=(at(2, 10), at(2, 12)))
    assert refused.value.code == "overlap" and role.title not in refused.value.message
    assert "This person already has another volunteering place at that time." in refused.value.message
    assert _written() == before
    services.choose_time(actor=world.users["member"], signup=place, chosen=(at(2, 13), at(2, 15)))  # touching is fine


def test_no_time_on_a_fixed_cancelled_or_closed_place(world, role, flexible, place, time_machine):
    fixed = ShiftFactory(role=role, starts_at=at(2, 11), ends_at=at(2, 13), places=2)
    fixed_place = services.sign_up(actor=world.users["member"], shift=fixed)
    with pytest.raises(ValidationError, match="fixed times"):
        services.choose_time(actor=world.users["member"], signup=fixed_place, chosen=(at(2, 10), at(2, 12)))
    services.choose_time(actor=world.users["member"], signup=place, chosen=(at(1, 10), at(1, 12)))
    time_machine.move_to(at(1, 11), tick=False)  # the time chosen has started
    with pytest.raises(ValidationError, match="already started"):
        services.choose_time(actor=world.users["member"], signup=place, chosen=(at(3, 10), at(3, 12)))
    time_machine.move_to(at(4, 18), tick=False)  # the window has closed
    with pytest.raises(ValidationError, match="window has closed"):
        services.choose_time(actor=world.users["member"], signup=place, chosen=(at(4, 10), at(4, 12)))


def test_not_on_a_cancelled_place(world, place):
    services.cancel_signup(actor=world.users["member"], signup=place)
    with pytest.raises(ValidationError, match="cancelled"):
        services.choose_time(actor=world.users["member"], signup=place, chosen=(at(2, 10), at(2, 12)))


# --- The pages ---------------------------------------------------------------------------


def test_the_member_chooses_on_their_page(world, client_for, place):
    client = client_for(world.users["member"])
    assert (
        reverse("volunteering:signup_time", args=[place.pk])
        in client.get(reverse("volunteering:mine")).content.decode()
    )
    url = reverse("volunteering:signup_time", args=[place.pk])
    assert "Choose or change your time" in client.get(url).content.decode()
    response = client.post(url, {"date": "2 12 2026", "start": "10:00", "end": "12:00"})
    assert response.status_code == 302 and response["Location"] == reverse("volunteering:mine")
    place.refresh_from_db()
    assert place.chosen_starts_at == at(2, 10)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Enter the day"),
        ({"date": "2 12 2026", "start": "18:00", "end": "19:00"}, "within the window"),
        ({"date": "2 12 2026", "start": "12:00", "end": "10:00"}, "must end after it starts"),
        ({"date": "99 99 99", "start": "ten", "end": ""}, "Enter"),
    ],
)
def test_the_members_page_shows_errors_and_writes_nothing(world, client_for, place, data, error):
    before = _written()
    response = client_for(world.users["member"]).post(reverse("volunteering:signup_time", args=[place.pk]), data)
    assert response.status_code == 200 and error in response.content.decode()
    assert _written() == before


def test_the_organiser_sets_it_from_the_shifts_page(world, client_for, flexible, place):
    client = client_for(world.users["settlement_host"])
    shift_page = client.get(reverse("volunteering:manage:shift", args=[flexible.pk])).content.decode()
    url = reverse("volunteering:manage:signup_time", args=[place.pk])
    assert url in shift_page
    assert "time" in client.get(url).content.decode()
    response = client.post(url, {"date": "3 12 2026", "start": "09:00", "end": "11:00"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "volunteering:manage:shift", args=[flexible.pk]
    )
    place.refresh_from_db()
    assert place.chosen_starts_at == at(3, 9)
    # A member may not use the organisers' page, even for their own place.
    assert client_for(world.users["member"]).get(url).status_code == 403
