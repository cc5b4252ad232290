"""The directory's outcome indicators against figures worked out by hand."""

import datetime

import pytest

from recoverynet.core.registry import Period
from recoverynet.directory import indicators
from recoverynet.directory.factories import FellowshipFactory, MeetingFactory
from recoverynet.directory.models import Meeting
from recoverynet.federation.factories import NetworkFactory

pytestmark = pytest.mark.django_db

Q3 = Period(datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))


def test_meetings_groups_fellowships_and_rate(time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 15, 12, tzinfo=datetime.UTC), tick=False)
    cumbria = NetworkFactory(slug="cumbria")
    unknown = NetworkFactory(slug="somewhere-else")
    aa, smart = FellowshipFactory(), FellowshipFactory()
    MeetingFactory(network=cumbria, fellowship=aa, group_name="Carlisle Group")
    MeetingFactory(network=cumbria, fellowship=aa, group_name="Carlisle Group")
    MeetingFactory(network=cumbria, fellowship=aa, group_name="Penrith Group")
    MeetingFactory(network=cumbria, fellowship=smart, group_name="")
    MeetingFactory(network=cumbria, fellowship=smart, status=Meeting.Status.TEMPORARILY_CLOSED)
    MeetingFactory(network=cumbria, fellowship=smart, status=Meeting.Status.INACTIVE)
    later = MeetingFactory(network=cumbria, fellowship=aa)
    Meeting.objects.filter(pk=later.pk).update(created_at=datetime.datetime(2026, 10, 2, tzinfo=datetime.UTC))
    MeetingFactory(network=unknown, fellowship=aa)
    networks = [cumbria, unknown]

    # Listed at 30 September: 3 AA + 1 SMART with no group + 1 temporarily closed SMART.
    assert indicators.meetings(networks, Q3) == {cumbria.pk: 5, unknown.pk: 1}
    # Carlisle, Penrith, and the two meetings with no group name.
    assert indicators.groups(networks, Q3) == {cumbria.pk: 4, unknown.pk: 1}
    assert indicators.fellowships(networks, Q3) == {cumbria.pk: 2, unknown.pk: 1}
    # 5 meetings for Cumbria's 499,846 residents: 1.0 per 100,000; no population, no rate.
    assert indicators.meetings_per_100k(networks, Q3) == {cumbria.pk: 1.0, unknown.pk: None}
    # 4 groups for the same 499,846: 0.80025, so 0.8 per 100,000.
    assert indicators.groups_per_100k(networks, Q3) == {cumbria.pk: 0.8, unknown.pk: None}


def test_groups_per_100k_from_the_census_population(time_machine):
    """Greater Manchester's 2,867,765 residents (ONS Census 2021) and 43 groups: 4,300,000 / 2,867,765
    = 1.4994..., so 1.5 per 100,000; 3 more meetings of an existing group change nothing."""
    time_machine.move_to(datetime.datetime(2026, 8, 15, 12, tzinfo=datetime.UTC), tick=False)
    manchester = NetworkFactory(slug="greater-manchester")
    fellowship = FellowshipFactory()
    for number in range(40):
        MeetingFactory(network=manchester, fellowship=fellowship, group_name=f"Group {number}")
    MeetingFactory.create_batch(3, network=manchester, fellowship=fellowship, group_name="Group 0")
    MeetingFactory.create_batch(3, network=manchester, fellowship=fellowship, group_name="")
    assert indicators.groups([manchester], Q3) == {manchester.pk: 43}
    assert indicators.groups_per_100k([manchester], Q3) == {manchester.pk: 1.5}
    assert indicators.meetings_per_100k([manchester], Q3) == {manchester.pk: 1.6}  # 46 meetings: 1.604


def test_each_indicator_is_one_query(django_assert_num_queries):
    networks = NetworkFactory.create_batch(4)
    for indicator in indicators.INDICATORS:
        with django_assert_num_queries(1):
            assert set(indicator.measure(networks, Q3)) == {network.pk for network in networks}


def test_meetings_by_settlement(time_machine):
    from recoverynet.directory.factories import LocationFactory
    from recoverynet.federation.factories import SettlementFactory

    time_machine.move_to(datetime.datetime(2026, 8, 15, 12, tzinfo=datetime.UTC), tick=False)
    network = NetworkFactory()
    hub, other = SettlementFactory(network=network), SettlementFactory(network=network)
    at_hub = LocationFactory(network=network, settlement=hub)
    MeetingFactory.create_batch(2, network=network, location=at_hub)
    MeetingFactory(network=network, location=at_hub, status=Meeting.Status.INACTIVE)
    MeetingFactory(network=network)  # at a location of no settlement
    assert indicators.meetings_by_settlement([hub, other], Q3) == {hub.pk: 2, other.pk: 0}


def test_groups_by_settlement(time_machine, django_assert_num_queries):
    from recoverynet.directory.factories import LocationFactory
    from recoverynet.federation.factories import SettlementFactory

    time_machine.move_to(datetime.datetime(2026, 8, 15, 12, tzinfo=datetime.UTC), tick=False)
    network = NetworkFactory()
    hub, other, empty = (SettlementFactory(network=network) for _ in range(3))
    at_hub, at_other = (
        LocationFactory(network=network, settlement=hub),
        LocationFactory(network=network, settlement=other),
    )
    MeetingFactory.create_batch(3, network=network, location=at_hub, group_name="Carlisle Group")
    MeetingFactory(network=network, location=at_hub, group_name="Penrith Group")
    MeetingFactory.create_batch(2, network=network, location=at_hub, group_name="")
    MeetingFactory(network=network, location=at_hub, group_name="Closed Group", status=Meeting.Status.INACTIVE)
    MeetingFactory(network=network, location=at_other, group_name="Penrith Group")
    MeetingFactory(network=network, group_name="Elsewhere Group")  # at a location of no settlement
    later = MeetingFactory(network=network, location=at_other, group_name="New Group")
    Meeting.objects.filter(pk=later.pk).update(created_at=datetime.datetime(2026, 10, 2, tzinfo=datetime.UTC))
    # The hub: Carlisle, Penrith and two with no name; the other: Penrith (counted at both).
    with django_assert_num_queries(1):
        found = indicators.groups_by_settlement([hub, other, empty], Q3)
    assert found == {hub.pk: 4, other.pk: 1, empty.pk: 0}
    assert indicators.groups([network], Q3) == {network.pk: 5}  # Carlisle, Penrith, Elsewhere, two unnamed
