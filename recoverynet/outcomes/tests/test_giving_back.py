"""Outcome 2's "people giving back" and the share of them in recovery, merged from
every app's declared givers (core.registry.givers: the time bank, volunteering,
the federation's hosts and coordinators), against figures worked out by hand."""

import datetime
import zoneinfo

import pytest

from recoverynet.accounts import services as account_services
from recoverynet.core.registry import Period, giver_sources, givers, indicators
from recoverynet.core.suppression import FEWER_THAN_FIVE
from recoverynet.federation.factories import MembershipFactory, NetworkFactory
from recoverynet.federation.models import Membership, Network
from recoverynet.initiatives.models import Initiative, TeamMember
from recoverynet.outcomes.figures import compute
from recoverynet.outcomes.framework import Quarter
from recoverynet.timebank import services as timebank
from recoverynet.volunteering import services as volunteering
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 8, 15, 12, 0, tzinfo=LONDON)
Q3 = Period(datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))
SHIFT_AT = datetime.datetime(2026, 8, 10, 10, 0, tzinfo=LONDON)


def _person(network, descriptions, *, consents):
    person = MembershipFactory(network=network, status="active", user__self_descriptions=descriptions).user
    account_services.record_consents(actor=person, user=person, decisions={"outcome_measurement": consents})
    return person


def _gives_time(person, receiver, network):
    giver_account = timebank.open_member_account(actor=person, user=person, network=network)
    receiver_account = timebank.open_member_account(actor=receiver, user=receiver, network=network)
    exchange = timebank.record_exchange(
        actor=person, giver=giver_account, receiver=receiver_account, minutes=60, description="Lift to a meeting"
    )
    timebank.confirm_exchange(actor=receiver, exchange=exchange)


def _volunteers(people, network, organiser):
    role = RoleFactory(network=network)
    shift = ShiftFactory(role=role, starts_at=SHIFT_AT, ends_at=SHIFT_AT + datetime.timedelta(hours=3), places=10)
    for person in people:
        signup = volunteering.record_walk_in(actor=organiser, shift=shift, user=person)
        volunteering.record_hours(actor=organiser, shift=shift, entries={signup.pk: (True, 120)})
        volunteering.confirm_hours(actor=person, signup=signup)


@pytest.fixture
def giving(world, time_machine):
    """In own_network: A gives time (in recovery, agreed), B volunteers (an ally, agreed), C does
    both (recovering, agreed; counts once), D volunteers (in recovery, did not agree), E only
    receives time (not a giver); the world's host and coordinator give back by their role (no
    agreement recorded). In other_network: F volunteers (in recovery, agreed) and G leads an
    initiative (an ally, did not agree); P is a professional in G's team (paid: not giving back).
    By hand: own 6 people giving back (A, B, C, D, host, coordinator), 3 measured (A, B, C), 2 of
    them in recovery (A, C): 66.7 %. Other: 2 giving back (F, G), 1 measured (F), 100 %."""
    time_machine.move_to(NOW, tick=False)
    own, other = world.own_network, world.other_network
    # The world's people joined before the quarter (it was built at the real time).
    Membership.objects.update(joined_at=datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON))
    a = _person(own, ["in_recovery"], consents=True)
    b = _person(own, ["ally"], consents=True)
    c = _person(own, ["recovering", "family"], consents=True)
    d = _person(own, ["in_recovery"], consents=False)
    e = _person(own, ["in_recovery"], consents=True)
    f = _person(other, ["in_recovery"], consents=True)
    _gives_time(a, e, own)
    _gives_time(c, e, own)
    _volunteers([b, c, d], own, world.users["network_coordinator"])
    _volunteers([f], other, world.users["federation_coordinator"])
    g = _person(other, ["ally"], consents=False)
    p = _person(other, ["professional"], consents=True)
    initiative = Initiative.objects.create(
        network=other, name="Recovery café", summary="s", kind="initiative", status="active",
        started_on=datetime.date(2026, 5, 1),
    )  # fmt: skip
    TeamMember.objects.create(initiative=initiative, user=g, role="lead")
    TeamMember.objects.create(initiative=initiative, user=p, role="professional")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


def _measure(key, networks):
    indicator = next(i for i in indicators() if i.key == key)
    return indicator.measure(networks, Q3)


def test_every_app_declares_its_givers():
    assert {label for label, _ in giver_sources()} >= {"federation", "initiatives", "timebank", "volunteering"}


def test_people_giving_back_are_distinct_people_over_every_source(world, giving):
    networks = [world.own_network, world.other_network]
    own, other = world.own_network.pk, world.other_network.pk
    merged = givers(networks, Q3)
    expected_own = {giving[k].pk for k in "abcd"} | {
        world.users["settlement_host"].pk,
        world.users["network_coordinator"].pk,
    }
    assert merged == {own: expected_own, other: {giving["f"].pk, giving["g"].pk}}
    assert _measure("federation.people_giving_back", networks) == {own: 6, other: 2}
    assert _measure("federation.givers_measured", networks) == {own: 3, other: 1}
    assert _measure("federation.givers_share_in_recovery", networks) == {own: 66.7, other: 100.0}


def test_nobody_to_measure_is_no_share_not_zero(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    empty = NetworkFactory(name="Empty", slug="empty")
    assert _measure("federation.people_giving_back", [empty]) == {empty.pk: 0}
    assert _measure("federation.givers_share_in_recovery", [empty]) == {empty.pk: None}


def test_the_share_follows_the_latest_consent(world, giving):
    """Withdrawing agreement takes a person out of the measured group."""
    account_services.record_consents(actor=giving["a"], user=giving["a"], decisions={"outcome_measurement": False})
    networks = [world.own_network]
    assert _measure("federation.givers_measured", networks) == {world.own_network.pk: 2}
    assert _measure("federation.givers_share_in_recovery", networks) == {world.own_network.pk: 50.0}


def test_volunteering_counts_with_the_same_rule(world, giving):
    networks = [world.own_network, world.other_network]
    own, other = world.own_network.pk, world.other_network.pk
    # Volunteers B, C, D in own: B and C agreed, C is recovering: 50 %.
    assert _measure("volunteering.volunteers_measured", networks) == {own: 2, other: 1}
    assert _measure("volunteering.share_in_recovery", networks) == {own: 50.0, other: 100.0}


def test_the_dashboard_suppresses_them_as_every_other_figure(world, giving):
    figures = compute([Quarter(2026, 3)])
    own, other = world.own_network.pk, world.other_network.pk
    people = figures.indicators["federation.people_giving_back"]
    # Other's 2 is "fewer than 5"; own's 6 is withheld, or it and the federation's 8 would give the 2 away.
    assert people.rows[other][-1].display == FEWER_THAN_FIVE
    assert people.rows[own][-1].display == "withheld"
    assert people.rows[own][-1].public_value is None
    share = figures.indicators["federation.givers_share_in_recovery"]
    # Rates over fewer than 5 measured people are not shown, whichever network.
    assert share.rows[own][-1].public_value is None
    assert share.rows[other][-1].public_value is None


def test_a_fixed_number_of_queries_whatever_the_networks(world, giving, django_assert_num_queries):
    NetworkFactory.create_batch(4)
    networks = list(Network.objects.all())
    sources = len(giver_sources())
    with django_assert_num_queries(sources):
        _measure("federation.people_giving_back", networks)
    # One query per source, then one for those who agreed and how they describe themselves.
    with django_assert_num_queries(sources + 1):
        _measure("federation.givers_share_in_recovery", networks)


def test_coverage_counts_a_network_whose_only_givers_volunteer(world, giving):
    """Outcome 9's "members who give back" reads the merged figure: other_network has no host,
    coordinator or time-bank giver, only a volunteer and an initiative's lead."""
    figures = compute([Quarter(2026, 3)])
    cells = {row["network"].pk: row["cells"] for row in figures.coverage()}
    givers_cell = next(c for c in cells[world.other_network.pk] if c["label"] == "Members who give back")
    assert givers_cell["answer"] == "Yes"


@pytest.mark.parametrize(
    ("measured", "share"),
    [
        ("federation.givers_measured", "federation.givers_share_in_recovery"),
        ("volunteering.volunteers_measured", "volunteering.share_in_recovery"),
    ],
)
def test_a_count_and_its_share_read_one_measurement_when_measured_together(
    world, giving, django_assert_num_queries, measured, share
):
    """accounts.privacy.measured_and_share_in_recovery: the share costs no query of its own
    while the outcomes framework measures both."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recoverynet.core.registry import measuring

    by_key = {indicator.key: indicator for indicator in indicators()}
    networks = [world.own_network, world.other_network]
    with measuring():
        with CaptureQueriesContext(connection) as first:
            by_key[measured].measure(networks, Q3)
        with django_assert_num_queries(0):
            by_key[share].measure(networks, Q3)
    assert len(first) > 0
