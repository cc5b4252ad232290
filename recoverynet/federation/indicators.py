"""The federation's figures for the outcomes framework (core.registry.Indicator),
per network over a period, each one aggregate query.

Memberships have no history of past statuses: a "snapshot" at a period's end
counts memberships active now that began before that end, so a person who has
since left is not counted in earlier quarters (the caveat every report prints)."""

import csv
from functools import cache
from pathlib import Path

from django.db.models import Count, Q

from recoverynet.accounts.privacy import measured_and_share_in_recovery
from recoverynet.core import registry
from recoverynet.core.registry import Indicator, shared_measurement

from .models import Membership, Partnership, Sector, Settlement

POPULATION_FILE = Path(__file__).parent / "data" / "population.csv"
GIVING_ROLES = (Membership.Role.SETTLEMENT_HOST, Membership.Role.NETWORK_COORDINATOR)
MEMBERSHIP_SOURCE = "Network memberships: people whose request to join was approved and who have not left."
MEMBERSHIP_CAVEATS = (
    "Memberships keep no history of past statuses: people who have left since are not counted in earlier "
    "quarters. A person in two networks counts in each, so the federation total counts memberships."
)


@cache
def population_by_slug() -> dict[str, int]:
    """{network slug: usual resident population} from the bundled ONS figures (data/POPULATION.md)."""
    with POPULATION_FILE.open(encoding="utf-8") as handle:
        return {row["network_slug"]: int(row["population"]) for row in csv.DictReader(handle)}


def _per_network(networks, rows, key="network_id", value="n"):
    found = {row[key]: row[value] or 0 for row in rows}
    return {network.pk: found.get(network.pk, 0) for network in networks}


def _active_at_end(networks, period):
    return Membership.objects.filter(network__in=networks, status=Membership.Status.ACTIVE, joined_at__lt=period.end_at)


def _per_settlement(settlements, rows):
    found = {row["settlement_id"]: row["n"] or 0 for row in rows}
    return {settlement.pk: found.get(settlement.pk, 0) for settlement in settlements}


def _active_at_end_in(settlements, period):
    return Membership.objects.filter(
        settlement__in=settlements, status=Membership.Status.ACTIVE, joined_at__lt=period.end_at
    )


def people_engaged_by_settlement(settlements, period):
    rows = _active_at_end_in(settlements, period).values("settlement_id").annotate(n=Count("user_id", distinct=True))
    return _per_settlement(settlements, rows)


def new_joiners_by_settlement(settlements, period):
    rows = (
        Membership.objects.filter(
            settlement__in=settlements,
            status__in=(Membership.Status.ACTIVE, Membership.Status.LEFT),
            joined_at__gte=period.start_at,
            joined_at__lt=period.end_at,
        )
        .values("settlement_id")
        .annotate(n=Count("user_id", distinct=True))
    )
    return _per_settlement(settlements, rows)


def coordinators_and_hosts_by_settlement(settlements, period):
    rows = (
        _active_at_end_in(settlements, period)
        .filter(role__in=GIVING_ROLES)
        .values("settlement_id")
        .annotate(n=Count("user_id", distinct=True))
    )
    return _per_settlement(settlements, rows)


@shared_measurement
def _engaged_and_giving(network_ids, period):
    """{network id: row with people engaged and those of them who give back as coordinators or
    hosts}, one query (once for both indicators while the outcomes framework measures them)."""
    rows = (
        _active_at_end(network_ids, period)
        .values("network_id")
        .annotate(
            n=Count("user_id", distinct=True),
            giving=Count("user_id", distinct=True, filter=Q(role__in=GIVING_ROLES)),
        )
        .order_by()
    )
    return {row["network_id"]: row for row in rows}


def people_engaged(networks, period):
    found = _engaged_and_giving(tuple(network.pk for network in networks), period)
    return {network.pk: found[network.pk]["n"] if network.pk in found else 0 for network in networks}


def new_joiners(networks, period):
    """Joined in the period and accepted (active now, or left since)."""
    rows = (
        Membership.objects.filter(
            network__in=networks,
            status__in=(Membership.Status.ACTIVE, Membership.Status.LEFT),
            joined_at__gte=period.start_at,
            joined_at__lt=period.end_at,
        )
        .values("network_id")
        .annotate(n=Count("user_id", distinct=True))
    )
    return _per_network(networks, rows)


def coordinators_and_hosts(networks, period):
    found = _engaged_and_giving(tuple(network.pk for network in networks), period)
    return {network.pk: found[network.pk]["giving"] if network.pk in found else 0 for network in networks}


def givers(networks, period) -> dict:
    """{network id: ids of its coordinators and settlement hosts active at the period's end}
    (declared on FederationConfig.givers)."""
    found = {network.pk: set() for network in networks}
    rows = _active_at_end(networks, period).filter(role__in=GIVING_ROLES).values_list("network_id", "user_id")
    for network_id, user_id in rows:
        found[network_id].add(user_id)
    return found


def people_giving_back(networks, period):
    """Distinct people who gave back in the period, over every app's declared givers."""
    return {pk: len(user_ids) for pk, user_ids in _givers(tuple(networks), period).items()}


@shared_measurement
def _givers(networks, period):
    """Every app's givers, gathered once for the three figures below while the outcomes
    framework measures them together."""
    return registry.givers(networks, period)


# Of the people giving back: how many agreed to outcome measurement, and the per cent of them
# who describe themselves as in recovery or recovering (None with nobody to measure).
givers_measured, givers_share_in_recovery = measured_and_share_in_recovery(_givers)


def settlements(networks, period):
    rows = (
        Settlement.objects.filter(network__in=networks, is_active=True, created_at__lt=period.end_at)
        .values("network_id")
        .annotate(n=Count("pk"))
    )
    return _per_network(networks, rows)


def _partnerships(networks, period):
    """Partnerships under way at some point in the period (proposed ones are not yet partnerships)."""
    return (
        Partnership.objects.filter(networks__in=networks, start_date__lt=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .exclude(status=Partnership.Status.PROPOSED)
    )


def partnerships(networks, period):
    found = _partnerships_by_sector(tuple(network.pk for network in networks), period)[ALL_SECTORS]
    return {network.pk: found.get(network.pk, 0) for network in networks}


ALL_SECTORS = "all"


@shared_measurement
def _partnerships_by_sector(network_ids, period):
    """{sector: {network id: partnerships with an organisation of that sector}} and, under
    ALL_SECTORS, every partnership: one query (once for all the partnership indicators while
    the outcomes framework measures them together)."""
    counts = {
        f"n_{sector.value}": Count("pk", distinct=True, filter=Q(organisations__sector=sector.value))
        for sector in Sector
    }
    counts[f"n_{ALL_SECTORS}"] = Count("pk", distinct=True)
    rows = list(_partnerships(network_ids, period).values("networks").annotate(**counts).order_by())
    return {key: {row["networks"]: row[f"n_{key}"] or 0 for row in rows} for key in (*Sector.values, ALL_SECTORS)}


def _partnerships_with(sector):
    def measure(networks, period):
        found = _partnerships_by_sector(tuple(network.pk for network in networks), period)[sector]
        return {network.pk: found.get(network.pk, 0) for network in networks}

    measure.__name__ = f"partnerships_with_{sector}"
    return measure


GIVERS_SOURCE = (
    "Every part of RecoveryNet that records giving back (each app declares its givers): time bank exchanges and "
    "group activities, confirmed volunteering shifts, and network memberships as a host or coordinator."
)
GIVERS_CAVEATS = (
    "A person giving back in two networks counts in each, so the federation total counts them per network. "
    "Hosts and coordinators are counted as at the end of the period (memberships keep no history)."
)
PARTNERSHIP_SOURCE = "Partnerships recorded by coordinators, with the organisations in each and their sector."

INDICATORS = (
    Indicator(
        key="federation.people_engaged",
        outcomes=(1, 9),
        name="People engaged",
        definition="People with an active membership of the network at the end of the period, in any role.",
        unit="people",
        period="snapshot",
        source=MEMBERSHIP_SOURCE,
        measure=people_engaged,
        measure_settlements=people_engaged_by_settlement,
        caveats=MEMBERSHIP_CAVEATS,
    ),
    Indicator(
        key="federation.new_joiners",
        outcomes=(1,),
        name="New joiners",
        definition="People who asked to join the network in the period and were accepted (including any who have "
        "left since).",
        unit="people",
        period="quarter",
        source=MEMBERSHIP_SOURCE,
        measure=new_joiners,
        measure_settlements=new_joiners_by_settlement,
        caveats="Counted by the date the person asked to join. A person in two networks counts in each.",
    ),
    Indicator(
        key="federation.coordinators_and_hosts",
        outcomes=(2, 9),
        name="Members who give back as coordinators and hosts",
        definition="People with an active membership as a settlement host or network coordinator at the end of "
        "the period.",
        unit="people",
        period="snapshot",
        source=MEMBERSHIP_SOURCE,
        measure=coordinators_and_hosts,
        measure_settlements=coordinators_and_hosts_by_settlement,
        caveats=MEMBERSHIP_CAVEATS + " Whether they are themselves in recovery: see the share of people giving "
        "back who are in recovery.",
    ),
    Indicator(
        key="federation.people_giving_back",
        outcomes=(2,),
        name="People giving back",
        definition="Distinct people who gave back in the period in any way RecoveryNet records: gave help through "
        "the time bank, volunteered a confirmed shift, or were a settlement host or network coordinator at the "
        "end of the period. Someone who gave back in several ways counts once.",
        unit="people",
        period="quarter",
        source=GIVERS_SOURCE,
        measure=people_giving_back,
        caveats=GIVERS_CAVEATS,
    ),
    Indicator(
        key="federation.givers_measured",
        outcomes=(2,),
        name="People giving back who agreed to outcome measurement",
        definition="Of the people giving back in the period, those who agreed that their answers may be counted "
        "for the outcomes.",
        unit="people",
        period="quarter",
        source=GIVERS_SOURCE + " Consent records.",
        measure=givers_measured,
        caveats=GIVERS_CAVEATS,
    ),
    Indicator(
        key="federation.givers_share_in_recovery",
        outcomes=(2,),
        name="People giving back who are people in recovery",
        definition="Of the people giving back who agreed to outcome measurement, the share who describe themselves "
        "as in recovery or recovering.",
        unit="%",
        period="quarter",
        source=GIVERS_SOURCE + " How people describe themselves on their profile.",
        measure=givers_share_in_recovery,
        count=False,
        denominator="federation.givers_measured",
        caveats="Only people who agreed to outcome measurement are counted, so the share describes them, not "
        "everyone who gave back. " + GIVERS_CAVEATS,
    ),
    Indicator(
        key="federation.settlements",
        outcomes=(9,),
        name="Recovery settlements",
        definition="Active settlements of the network that were set up before the end of the period.",
        unit="settlements",
        period="snapshot",
        source="The network's settlements as its coordinators recorded them.",
        measure=settlements,
    ),
    Indicator(
        key="federation.partnerships",
        outcomes=(6,),
        name="Partnerships",
        definition="Partnerships the network took part in during the period (not those still proposed).",
        unit="partnerships",
        period="quarter",
        source=PARTNERSHIP_SOURCE,
        measure=partnerships,
    ),
    *(
        Indicator(
            key=f"federation.partnerships_{sector.value}",
            outcomes=(6,),
            name=f"Partnerships including: {label.lower()}",
            definition=f"Partnerships the network took part in during the period with at least one organisation "
            f"of this sector ({label.lower()}). A partnership with several sectors counts once in each.",
            unit="partnerships",
            period="quarter",
            source=PARTNERSHIP_SOURCE,
            measure=_partnerships_with(sector.value),
            caveats="The sector is the organisation's as recorded now.",
        )
        for sector, label in zip(Sector, Sector.labels, strict=True)
    ),
)
