"""A shift moved onto another place its members hold: the move stands, each such member is
emailed which place it now overlaps and asked to cancel one, and the organiser (page and
API) learns nothing of it, not even how many: moving a shift onto other roles' public times
and back would otherwise show where a member volunteers. Nor does a walk-in that clashes."""

import itertools

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from recoverynet.federation.factories import MembershipFactory
from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory, SignUpFactory
from recoverynet.volunteering.models import Shift

from .flexible_times import NOW, at

pytestmark = pytest.mark.django_db

OTHER_ROLE = "Allotment digger"
UNCHANGED = "Your place is kept. If you cannot come at the new time, please cancel it so someone else can take it: "


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def morning(role):
    """Tuesday 8 December, 9am to noon: three places."""
    return ShiftFactory(role=role, starts_at=at(8, 9), ends_at=at(8, 12), places=3)


def _member(world):
    return MembershipFactory(network=world.own_network, status="active").user


def _other_place(user, starts_at, ends_at, *, status="confirmed", kind=Shift.Kind.FIXED, chosen=(None, None)):
    """A place in a role of another network, which the organiser of the moved shift does not organise."""
    extra = {"expected_minutes": 120, "expected_per": "total"} if kind == Shift.Kind.FLEXIBLE else {}
    shift = ShiftFactory(role=RoleFactory(title=OTHER_ROLE), kind=kind, starts_at=starts_at, ends_at=ends_at, **extra)
    return SignUpFactory(shift=shift, user=user, status=status, chosen_starts_at=chosen[0], chosen_ends_at=chosen[1])


def _bodies():
    return {message.to[0]: message.body for message in mail.outbox}


def test_a_shift_moved_onto_another_place_stands_and_the_member_is_asked_to_choose(
    world, morning, django_capture_on_commit_callbacks
):
    host, member, free = world.users["settlement_host"], world.users["member"], _member(world)
    services.sign_up(actor=member, shift=morning)
    services.sign_up(actor=free, shift=morning)
    _other_place(member, at(10, 10), at(10, 13))
    with django_capture_on_commit_callbacks(execute=True):
        changes = services.update_shift(actor=host, shift=morning, data={"starts_at": at(10, 9), "ends_at": at(10, 12)})
    assert set(changes) == {"starts_at", "ends_at"}
    morning.refresh_from_db()
    assert morning.starts_at == at(10, 9)  # the organiser's move goes ahead
    bodies = _bodies()
    assert (
        f"the new time overlaps your place on {OTHER_ROLE} at Thursday 10 December 2026, 10:00 to 13:00. "
        "You cannot be at both: please cancel one of the two places on your volunteering page: " in bodies[member.email]
    )
    assert bodies[member.email].endswith(f"{reverse('volunteering:mine')}\n\nRecoveryNet")
    assert UNCHANGED not in bodies[member.email]
    assert OTHER_ROLE not in bodies[free.email] and UNCHANGED in bodies[free.email]


def test_a_move_that_overlaps_nothing_sends_the_usual_email(world, morning, django_capture_on_commit_callbacks):
    host, member = world.users["settlement_host"], world.users["member"]
    services.sign_up(actor=member, shift=morning)
    _other_place(member, at(10, 12), at(10, 14))  # starts as the moved shift ends: no overlap
    _other_place(member, at(11, 9), at(11, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_shift(actor=host, shift=morning, data={"starts_at": at(10, 9), "ends_at": at(10, 12)})
    [message] = mail.outbox
    assert f"Now: Thursday 10 December 2026, 09:00 to 12:00\n\n{UNCHANGED}" in message.body
    assert OTHER_ROLE not in message.body


def test_places_declined_or_cancelled_do_not_count(world, morning, django_capture_on_commit_callbacks):
    host, member = world.users["settlement_host"], world.users["member"]
    services.sign_up(actor=member, shift=morning)
    _other_place(member, at(10, 9), at(10, 12), status="declined")
    _other_place(member, at(10, 10), at(10, 11), status="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_shift(actor=host, shift=morning, data={"starts_at": at(10, 9), "ends_at": at(10, 12)})
    assert OTHER_ROLE not in mail.outbox[0].body and UNCHANGED in mail.outbox[0].body


def test_a_window_moved_makes_no_clash_and_sends_the_usual_email(world, flexible, django_capture_on_commit_callbacks):
    """A window never moves away from the times members chose, so moving it makes no clash; one
    made elsewhere earlier (here, by hand) is not raised again on every change of the window."""
    host, member = world.users["settlement_host"], world.users["member"]
    services.sign_up(actor=member, shift=flexible, chosen=(at(3, 10), at(3, 12)))
    _other_place(member, at(3, 11), at(3, 13))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_shift(actor=host, shift=flexible, data={"ends_at": at(5, 17)})
    [message] = mail.outbox
    assert OTHER_ROLE not in message.body and UNCHANGED in message.body


def test_the_organiser_learns_nothing_of_the_clash_on_the_page_or_in_the_api(
    world, client_for, api_as, morning, django_capture_on_commit_callbacks
):
    member, free = world.users["member"], _member(world)
    services.sign_up(actor=member, shift=morning)
    services.sign_up(actor=free, shift=morning)
    _other_place(member, at(10, 10), at(10, 13))
    client = client_for(world.users["settlement_host"])
    url = reverse("volunteering:manage:shift_edit", kwargs={"pk": morning.pk})
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"date": "10 12 2026", "start": "09:00", "end": "12:00", "places": "3"}, follow=True)
    html = page.content.decode()
    assert "The 2 people with a place have been emailed the new time." in html
    assert OTHER_ROLE not in html and "same time" not in html and "Important" not in html
    assert OTHER_ROLE in _bodies()[member.email]  # the member is told

    api, api_url = api_as("settlement_host"), f"/api/v1/volunteering/organised-shifts/{morning.pk}/"
    moved = api.patch(api_url, {"starts_at": at(10, 10).isoformat(), "ends_at": at(10, 12).isoformat()}, format="json")
    assert moved.status_code == 200
    assert OTHER_ROLE not in moved.content.decode() and "double" not in moved.content.decode()
    elsewhere = {"starts_at": at(11, 10).isoformat(), "ends_at": at(11, 12).isoformat()}
    unclashed = api.patch(api_url, elsewhere, format="json")
    assert set(unclashed.json()) == set(moved.json())  # the same answer either way


def test_a_walk_in_that_clashes_is_refused_without_naming_the_other_place(world, morning):
    member = world.users["member"]
    _other_place(member, at(8, 10), at(8, 13))
    with pytest.raises(ValidationError) as refused:
        services.record_walk_in(actor=world.users["settlement_host"], shift=morning, user=member)
    assert refused.value.code == "overlap" and OTHER_ROLE not in refused.value.message
    assert "This person already has another volunteering place at that time." in refused.value.message
    assert not morning.signups.exists()


def test_the_overlap_check_runs_a_constant_number_of_queries(world, role, django_capture_on_commit_callbacks):
    host = world.users["settlement_host"]
    shift = ShiftFactory(role=role, starts_at=at(8, 9), ends_at=at(8, 12), places=40)
    moves = itertools.cycle(
        [{"starts_at": at(10, 9), "ends_at": at(10, 12)}, {"starts_at": at(10, 10), "ends_at": at(10, 13)}]
    )

    def add_people(count):
        for _ in range(count):
            person = _member(world)
            SignUpFactory(shift=shift, user=person, status="confirmed")
            _other_place(person, at(10, 11), at(10, 13))

    def move():
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.update_shift(actor=host, shift=shift, data=next(moves))
        return sum(OTHER_ROLE in message.body for message in mail.outbox)

    move()  # the caches a first call fills (permissions, content types) are not what is measured
    assert assert_constant_queries(move, add_people) == 30
