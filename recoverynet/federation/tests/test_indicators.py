"""The federation's outcome indicators against figures worked out by hand."""

import datetime

import pytest

from recoverynet.core.registry import Period
from recoverynet.federation import indicators
from recoverynet.federation.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PartnershipFactory,
    SettlementFactory,
)
from recoverynet.federation.models import Membership, Network, Partnership, Sector, Settlement

pytestmark = pytest.mark.django_db

Q3 = Period(datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))
AT = datetime.datetime(2026, 8, 15, 12, tzinfo=datetime.UTC)
BEFORE = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)


def _member(network, when, **kwargs):
    membership = MembershipFactory(network=network, **kwargs)
    Membership.objects.filter(pk=membership.pk).update(joined_at=when)
    return membership


@pytest.fixture
def two_networks():
    north = NetworkFactory(name="North", slug="cumbria")
    south = NetworkFactory(name="South", slug="nowhere-on-file")
    return north, south


def test_people_engaged_new_joiners_and_givers(two_networks):
    north, south = two_networks
    for _ in range(3):
        _member(north, BEFORE)
    for _ in range(2):
        _member(north, AT)
    _member(north, AT, status=Membership.Status.LEFT)  # joined in Q3, left since: a joiner, not engaged
    _member(north, AT, status=Membership.Status.PENDING)  # not accepted: neither
    _member(north, AFTER)  # joined after Q3: neither
    host_settlement = SettlementFactory(network=north)
    _member(north, BEFORE, role=Membership.Role.SETTLEMENT_HOST, settlement=host_settlement)
    _member(north, AT, role=Membership.Role.NETWORK_COORDINATOR)
    _member(south, BEFORE, status=Membership.Status.DECLINED)
    networks = Network.objects.filter(pk__in=[north.pk, south.pk])

    # Engaged at 30 September: 3 + 2 + host + coordinator.
    assert indicators.people_engaged(networks, Q3) == {north.pk: 7, south.pk: 0}
    # Joined in Q3 and accepted: 2 + the one who left + the coordinator.
    assert indicators.new_joiners(networks, Q3) == {north.pk: 4, south.pk: 0}
    assert indicators.coordinators_and_hosts(networks, Q3) == {north.pk: 2, south.pk: 0}


def test_settlements_at_the_end_of_the_period(two_networks, time_machine):
    time_machine.move_to(AT, tick=False)
    north, south = two_networks
    SettlementFactory.create_batch(2, network=north)
    closed = SettlementFactory(network=north, is_active=False)
    later = SettlementFactory(network=south)
    Settlement.objects.filter(pk=later.pk).update(created_at=AFTER)
    assert closed.pk
    assert indicators.settlements([north, south], Q3) == {north.pk: 2, south.pk: 0}


def test_partnerships_by_sector(two_networks):
    north, south = two_networks
    public = OrganisationFactory(sector=Sector.PUBLIC, networks=[north])
    voluntary = OrganisationFactory(sector=Sector.VOLUNTARY, networks=[north, south])
    both = PartnershipFactory(lead_network=north, organisations=[public, voluntary])
    both.networks.set([north, south])
    only_public = PartnershipFactory(lead_network=north, organisations=[public], start_date=datetime.date(2026, 8, 1))
    only_public.networks.set([north])
    ended = PartnershipFactory(
        lead_network=north,
        organisations=[voluntary],
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 6, 30),
        status=Partnership.Status.ENDED,
    )
    ended.networks.set([north])
    proposed = PartnershipFactory(lead_network=north, organisations=[public], status=Partnership.Status.PROPOSED)
    proposed.networks.set([north])
    starts_later = PartnershipFactory(lead_network=north, organisations=[public], start_date=datetime.date(2026, 10, 1))
    starts_later.networks.set([north])

    assert indicators.partnerships([north, south], Q3) == {north.pk: 2, south.pk: 1}
    measures = {i.key: i.measure for i in indicators.INDICATORS}
    assert measures["federation.partnerships_public"]([north, south], Q3) == {north.pk: 2, south.pk: 1}
    assert measures["federation.partnerships_voluntary"]([north, south], Q3) == {north.pk: 1, south.pk: 1}
    assert measures["federation.partnerships_private"]([north, south], Q3) == {north.pk: 0, south.pk: 0}


# Merged from every app's declared givers: one query per source (outcomes/tests/test_giving_back.py).
OVER_EVERY_GIVER = {
    "federation.people_giving_back",
    "federation.givers_measured",
    "federation.givers_share_in_recovery",
}


def test_each_indicator_is_one_query_whatever_the_number_of_networks(two_networks, django_assert_num_queries):
    NetworkFactory.create_batch(5)
    networks = list(Network.objects.all())
    for indicator in indicators.INDICATORS:
        if indicator.key in OVER_EVERY_GIVER:
            continue
        with django_assert_num_queries(1):
            values = indicator.measure(networks, Q3)
        assert set(values) == {network.pk for network in networks}


def test_population_is_on_file_for_the_five_counties():
    population = indicators.population_by_slug()
    assert set(population) == {"cheshire", "cumbria", "greater-manchester", "lancashire", "merseyside"}
    assert 1_000_000 < population["cheshire"] < 1_200_000
    assert population["cheshire"] == 398_772 + 357_150 + 128_478 + 210_974
    assert population["lancashire"] == 1_235_354 + 154_739 + 141_036
    # The five counties are the North West region (7,417,397 at the same census), give or take rounding.
    assert abs(sum(population.values()) - 7_417_397) < 10


def test_by_settlement(two_networks):
    north, _ = two_networks
    hub, quiet = SettlementFactory(network=north), SettlementFactory(network=north)
    _member(north, BEFORE, settlement=hub)
    _member(north, AT, settlement=hub)
    _member(north, AT, settlement=hub, status=Membership.Status.LEFT)
    _member(north, AT, settlement=hub, role=Membership.Role.SETTLEMENT_HOST)
    _member(north, AT)  # at no settlement
    settlements = [hub, quiet]
    assert indicators.people_engaged_by_settlement(settlements, Q3) == {hub.pk: 3, quiet.pk: 0}
    assert indicators.new_joiners_by_settlement(settlements, Q3) == {hub.pk: 3, quiet.pk: 0}
    assert indicators.coordinators_and_hosts_by_settlement(settlements, Q3) == {hub.pk: 1, quiet.pk: 0}
