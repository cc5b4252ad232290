"""The directory's figures for the outcomes framework (core.registry.Indicator):
mutual-aid meetings, groups and fellowships per network, and meetings and
groups per 100,000 residents (outcome 5), each one aggregate query. A meeting counts from
the day it was listed until it is marked inactive (the directory keeps no
history of when, so a meeting closed since is not counted in earlier quarters)."""

from django.db.models import Count, Q

from recoverynet.core.registry import Indicator, shared_measurement
from recoverynet.federation.indicators import population_by_slug

from .models import Meeting

SOURCE = "The network's meeting directory (entered by coordinators or imported from Meeting Guide feeds)."
CAVEATS = "A meeting closed since is not counted in earlier quarters; listings depend on groups keeping them current."


def _listed_at_end(networks, period):
    return Meeting.objects.filter(network__in=networks, created_at__lt=period.end_at).exclude(
        status=Meeting.Status.INACTIVE
    )


def _counts(networks, period):
    """{network_id: row} of meetings, groups and fellowships, in one query (once for all four
    indicators while the outcomes framework measures them together)."""
    return _counts_once(tuple(network.pk for network in networks), period)


@shared_measurement
def _counts_once(network_ids, period):
    rows = (
        _listed_at_end(network_ids, period)
        .order_by()
        .values("network_id")
        .annotate(
            meetings=Count("pk"),
            named_groups=Count("group_name", distinct=True, filter=~Q(group_name="")),
            unnamed=Count("pk", filter=Q(group_name="")),
            fellowships=Count("fellowship", distinct=True),
        )
    )
    return {row["network_id"]: row for row in rows}


def meetings(networks, period):
    found = _counts(networks, period)
    return {network.pk: found.get(network.pk, {}).get("meetings", 0) for network in networks}


def _at_settlements(settlements, period):
    return (
        Meeting.objects.filter(location__settlement__in=settlements, created_at__lt=period.end_at)
        .exclude(status=Meeting.Status.INACTIVE)
        .order_by()
        .values("location__settlement_id")
    )


def meetings_by_settlement(settlements, period):
    """Meetings at a location of each settlement."""
    rows = _at_settlements(settlements, period).annotate(n=Count("pk"))
    found = {row["location__settlement_id"]: row["n"] for row in rows}
    return {settlement.pk: found.get(settlement.pk, 0) for settlement in settlements}


def groups_by_settlement(settlements, period):
    """Groups meeting at a location of each settlement, counted as for the network (a meeting with
    no group name is a group of its own); a group meeting at two settlements counts at each."""
    rows = _at_settlements(settlements, period).annotate(
        named=Count("group_name", distinct=True, filter=~Q(group_name="")),
        unnamed=Count("pk", filter=Q(group_name="")),
    )
    found = {row["location__settlement_id"]: row["named"] + row["unnamed"] for row in rows}
    return {settlement.pk: found.get(settlement.pk, 0) for settlement in settlements}


def groups(networks, period):
    """Distinct group names; a meeting with no group name is a group of its own."""
    found = _counts(networks, period)
    return {
        network.pk: found[network.pk]["named_groups"] + found[network.pk]["unnamed"] if network.pk in found else 0
        for network in networks
    }


def fellowships(networks, period):
    found = _counts(networks, period)
    return {network.pk: found.get(network.pk, {}).get("fellowships", 0) for network in networks}


def _per_100k(networks, counts):
    """Per 100,000 residents; None for a network with no population on file."""
    population = population_by_slug()
    return {
        network.pk: (
            round(100_000 * counts[network.pk] / population[network.slug], 1) if network.slug in population else None
        )
        for network in networks
    }


def meetings_per_100k(networks, period):
    """Meetings per 100,000 residents; None for a network with no population on file."""
    return _per_100k(networks, meetings(networks, period))


def groups_per_100k(networks, period):
    """Groups per 100,000 residents; None for a network with no population on file."""
    return _per_100k(networks, groups(networks, period))


POPULATION_SOURCE = " Population: Office for National Statistics, Census 2021 (Open Government Licence v3.0)."
POPULATION_CAVEATS = (
    "Population is the Census 2021 figure for the network's whole area, which may be larger than the area it "
    "serves so far."
)

INDICATORS = (
    Indicator(
        key="directory.meetings",
        outcomes=(5, 9),
        name="Mutual-aid meetings",
        definition="Meetings listed in the network's directory at the end of the period (not marked inactive).",
        unit="meetings",
        period="snapshot",
        source=SOURCE,
        measure=meetings,
        measure_settlements=meetings_by_settlement,
        caveats=CAVEATS,
    ),
    Indicator(
        key="directory.groups",
        outcomes=(5,),
        name="Mutual-aid groups",
        definition="Groups behind those meetings: distinct group names, a meeting with no group name counting as "
        "a group of its own.",
        unit="groups",
        period="snapshot",
        source=SOURCE,
        measure=groups,
        measure_settlements=groups_by_settlement,
        caveats=CAVEATS + " By settlement, a group meeting at two settlements counts at each.",
    ),
    Indicator(
        key="directory.fellowships",
        outcomes=(5,),
        name="Fellowships and kinds of mutual aid",
        definition="Different fellowships (AA, NA, SMART Recovery, recovery cafés…) with a meeting listed in the "
        "network at the end of the period.",
        unit="fellowships",
        period="snapshot",
        source=SOURCE,
        measure=fellowships,
        caveats=CAVEATS,
    ),
    Indicator(
        key="directory.meetings_per_100k",
        outcomes=(5,),
        name="Mutual-aid meetings per 100,000 residents",
        definition="Meetings listed at the end of the period for every 100,000 people living in the network's area "
        "(ONS Census 2021 usual residents; see federation/data/POPULATION.md).",
        unit="per 100,000 residents",
        period="snapshot",
        source=SOURCE + POPULATION_SOURCE,
        measure=meetings_per_100k,
        count=False,
        no_denominator="A rate of meetings or groups over the whole population of the area, not over a group of "
        "people who could be told apart.",
        caveats=POPULATION_CAVEATS,
    ),
    Indicator(
        key="directory.groups_per_100k",
        outcomes=(5,),
        name="Mutual-aid groups per 100,000 residents",
        definition="Groups behind the meetings listed at the end of the period (as for mutual-aid groups) for "
        "every 100,000 people living in the network's area (ONS Census 2021 usual residents; see "
        "federation/data/POPULATION.md).",
        unit="per 100,000 residents",
        period="snapshot",
        source=SOURCE + POPULATION_SOURCE,
        measure=groups_per_100k,
        count=False,
        no_denominator="A rate of meetings or groups over the whole population of the area, not over a group of "
        "people who could be told apart.",
        caveats=CAVEATS + " " + POPULATION_CAVEATS,
    ),
)
