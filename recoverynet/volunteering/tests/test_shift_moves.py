"""A shift moved onto another place its members hold: the move stands, each such member is
emailed which place it now overlaps and asked to cancel one, and the organiser (page and
API) learns only how many they are, never the other roles."""

import itertools

import pytest
from django.core import mail
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
    assert set(changes) == {"starts_at", "ends_at"} and morning.people_double_booked == 1
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


def test_a_move_that_overlaps_nothing_counts_none_and_sends_the_usual_email(
    world, morning, django_capture_on_commit_callbacks
):
    host, member = world.users["settlement_host"], world.users["member"]
    services.sign_up(actor=member, shift=morning)
    _other_place(member, at(10, 12), at(10, 14))  # starts as the moved shift ends: no overlap
    _other_place(member, at(11, 9), at(11, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_shift(actor=host, shift=morning, data={"starts_at": at(10, 9), "ends_at": at(10, 12)})
    assert morning.people_double_booked == 0
    [message] = mail.outbox
    assert f"Now: Thursday 10 December 2026, 09:00 to 12:00\n\n{UNCHANGED}" in message.body
    assert OTHER_ROLE not in message.body
    services.update_shift(actor=host, shift=morning, data={"places": 3})  # not moved: nothing to count
    assert morning.people_double_booked == 0


def test_places_declined_or_cancelled_do_not_count(world, morning, django_capture_on_commit_callbacks):
    host, member = world.users["settlement_host"], world.users["member"]
    services.sign_up(actor=member, shift=morning)
    _other_place(member, at(10, 9), at(10, 12), status="declined")
    _other_place(member, at(10, 10), at(10, 11), status="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_shift(actor=host, shift=morning, data={"starts_at": at(10, 9), "ends_at": at(10, 12)})
    assert morning.people_double_booked == 0
    assert OTHER_ROLE not in mail.outbox[0].body and UNCHANGED in mail.outbox[0].body


def test_a_window_moved_counts_only_the_times_members_chose(world, flexible, django_capture_on_commit_callbacks):
    """The window (1 to 4 December) keeps each member busy only at the time they chose."""
    host = world.users["settlement_host"]
    chose_fixed, no_time, chose_flexible = world.users["member"], _member(world), _member(world)
    services.sign_up(actor=chose_fixed, shift=flexible, chosen=(at(3, 10), at(3, 12)))
    services.sign_up(actor=no_time, shift=flexible)
    services.sign_up(actor=chose_flexible, shift=flexible, chosen=(at(2, 14), at(2, 16)))
    # Made directly, as another organiser's move would leave them.
    _other_place(chose_fixed, at(3, 11), at(3, 13))
    _other_place(no_time, at(2, 10), at(2, 12))  # inside the window, but no time chosen: no overlap
    _other_place(chose_flexible, at(1, 9), at(6, 17), kind=Shift.Kind.FLEXIBLE, chosen=(at(2, 15), at(2, 17)))
    _other_place(chose_flexible, at(1, 9), at(6, 17), kind=Shift.Kind.FLEXIBLE)  # no time chosen there
    with django_capture_on_commit_callbacks(execute=True):
        services.update_shift(actor=host, shift=flexible, data={"ends_at": at(5, 17)})
    assert flexible.people_double_booked == 2
    bodies = _bodies()
    assert (
        f"overlaps your place on {OTHER_ROLE} at Thursday 3 December 2026, 11:00 to 13:00." in bodies[chose_fixed.email]
    )
    assert (
        f"overlaps your place on {OTHER_ROLE} at Wednesday 2 December, 15:00 to 17:00." in bodies[chose_flexible.email]
    )
    assert OTHER_ROLE not in bodies[no_time.email] and UNCHANGED in bodies[no_time.email]


def test_the_edit_page_warns_with_a_count_and_never_the_other_role(
    world, client_for, morning, django_capture_on_commit_callbacks
):
    member, free = world.users["member"], _member(world)
    services.sign_up(actor=member, shift=morning)
    services.sign_up(actor=free, shift=morning)
    _other_place(member, at(10, 10), at(10, 13))
    _other_place(free, at(10, 8), at(10, 10))
    client = client_for(world.users["settlement_host"])
    url = reverse("volunteering:manage:shift_edit", kwargs={"pk": morning.pk})
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"date": "10 12 2026", "start": "09:00", "end": "12:00", "places": "3"}, follow=True)
    html = page.content.decode()
    assert "The 2 people with a place have been emailed the new time." in html
    assert (
        '<p class="govuk-notification-banner__heading">2 people on this shift now have another volunteering place '
        "at the same time. We have asked them to choose which to keep.</p>" in html
    )
    assert OTHER_ROLE not in html and len(mail.outbox) == 2


def test_the_api_answers_how_many_are_double_booked(world, api_as, morning):
    member = world.users["member"]
    services.sign_up(actor=member, shift=morning)
    _other_place(member, at(10, 10), at(10, 13))
    client, url = api_as("settlement_host"), f"/api/v1/volunteering/organised-shifts/{morning.pk}/"
    moved = client.patch(url, {"starts_at": at(10, 9).isoformat(), "ends_at": at(10, 12).isoformat()}, format="json")
    assert moved.status_code == 200 and moved.json()["people_double_booked"] == 1
    assert OTHER_ROLE not in moved.content.decode()
    more = client.patch(url, {"places": 4}, format="json")
    assert more.status_code == 200 and more.json()["people_double_booked"] == 0


@pytest.mark.parametrize("kind", ["fixed", "flexible"])
def test_the_overlap_check_runs_a_constant_number_of_queries(world, role, kind):
    host = world.users["settlement_host"]
    if kind == "fixed":
        shift = ShiftFactory(role=role, starts_at=at(8, 9), ends_at=at(8, 12), places=40)
        moves = itertools.cycle(
            [{"starts_at": at(10, 9), "ends_at": at(10, 12)}, {"starts_at": at(10, 10), "ends_at": at(10, 13)}]
        )
        chosen, elsewhere = (None, None), (at(10, 11), at(10, 13))
    else:
        window = {"starts_at": at(1, 9), "ends_at": at(4, 17), "expected_minutes": 120, "expected_per": "total"}
        shift = services.create_shift(actor=host, role=role, kind="flexible", places=40, **window)
        moves = itertools.cycle([{"ends_at": at(5, 17)}, {"ends_at": at(4, 17)}])
        chosen, elsewhere = (at(3, 10), at(3, 12)), (at(3, 11), at(3, 13))

    def add_people(count):
        for _ in range(count):
            person = _member(world)
            SignUpFactory(
                shift=shift, user=person, status="confirmed", chosen_starts_at=chosen[0], chosen_ends_at=chosen[1]
            )
            _other_place(person, *elsewhere)

    def move():
        services.update_shift(actor=host, shift=shift, data=next(moves))
        return shift.people_double_booked

    move()  # the caches a first call fills (permissions, content types) are not what is measured
    assert assert_constant_queries(move, add_people) == 30
