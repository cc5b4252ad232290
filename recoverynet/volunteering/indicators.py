"""Volunteering's figures for the outcomes framework (outcome 2: people in
recovery giving back), per network and quarter, each one aggregate query.
Only hours the organiser recorded and the member confirmed count. Volunteers
can also be counted by the settlement offering the role (the outcomes
dashboard's settlement filter); roles an organisation offers are at none."""

from django.db.models import Count, Sum

from recoverynet.accounts.models import ConsentPurpose, SelfDescription, User
from recoverynet.accounts.privacy import consented_user_ids
from recoverynet.core.registry import Indicator, shared_measurement

from .models import JobOutcome, SignUp


def _confirmed_signups(period, **where):
    return SignUp.objects.filter(
        attended=True,
        hours_confirmed_at__isnull=False,
        shift__starts_at__gte=period.start_at,
        shift__starts_at__lt=period.end_at,
        **where,
    ).order_by()


def _confirmed(networks, period):
    return _confirmed_signups(period, shift__role__network__in=networks).values("shift__role__network_id")


def volunteers_active(networks, period):
    rows = {
        r["shift__role__network_id"]: r["n"]
        for r in _confirmed(networks, period).annotate(n=Count("user", distinct=True))
    }
    return {network.pk: rows.get(network.pk, 0) for network in networks}


def volunteers_active_by_settlement(settlements, period):
    """Volunteers with a confirmed shift in a role each settlement offers; someone who volunteered
    for two settlements counts at each."""
    rows = (
        _confirmed_signups(period, shift__role__settlement__in=settlements)
        .values("shift__role__settlement_id")
        .annotate(n=Count("user", distinct=True))
    )
    found = {row["shift__role__settlement_id"]: row["n"] for row in rows}
    return {settlement.pk: found.get(settlement.pk, 0) for settlement in settlements}


def hours_volunteered(networks, period):
    rows = {r["shift__role__network_id"]: r["m"] or 0 for r in _confirmed(networks, period).annotate(m=Sum("minutes"))}
    return {network.pk: round(rows.get(network.pk, 0) / 60, 2) for network in networks}


IN_RECOVERY = {SelfDescription.IN_RECOVERY, SelfDescription.RECOVERING}


def _measured(networks, period):
    """{network: (volunteers who agreed to outcome measurement, of them in recovery)}, in three queries
    (once for both indicators below while the outcomes framework measures them together).
    The self-descriptions are encrypted, so they are read per person, never grouped in the database."""
    return _measured_once(tuple(network.pk for network in networks), period)


@shared_measurement
def _measured_once(network_ids, period):
    pairs = set(_confirmed(network_ids, period).values_list("shift__role__network_id", "user_id"))
    agreed = consented_user_ids(ConsentPurpose.OUTCOME_MEASUREMENT, {user for _, user in pairs})
    described = {
        user.pk: bool(IN_RECOVERY & set(user.self_descriptions or []))
        for user in User.objects.filter(pk__in=agreed).only("pk", "self_descriptions")
    }
    totals = {network_id: [0, 0] for network_id in network_ids}
    for network_id, user_id in pairs:
        if user_id in described:
            totals[network_id][0] += 1
            totals[network_id][1] += described[user_id]
    return totals


def volunteers_measured(networks, period):
    return {pk: measured for pk, (measured, _) in _measured(networks, period).items()}


def share_in_recovery(networks, period):
    """Per cent of the active volunteers who agreed to outcome measurement who describe
    themselves as in recovery or recovering (None with nobody to measure)."""
    return {
        pk: (round(100 * in_recovery / measured, 1) if measured else None)
        for pk, (measured, in_recovery) in _measured(networks, period).items()
    }


def people_starting_work(networks, period):
    rows = {
        r["job__network_id"]: r["n"]
        for r in JobOutcome.objects.filter(
            job__network__in=networks,
            status=JobOutcome.Status.STARTED,
            started_on__gte=period.start,
            started_on__lt=period.end,
        )
        .values("job__network_id")
        .annotate(n=Count("user", distinct=True))
    }
    return {network.pk: rows.get(network.pk, 0) for network in networks}


SOURCE = "Volunteering shifts: attendance recorded by the organiser and confirmed by the volunteer."

INDICATORS = (
    Indicator(
        key="volunteering.volunteers_active",
        outcomes=(2,),
        name="Volunteers active",
        definition="People who volunteered at least one confirmed shift in the period.",
        unit="people",
        period="quarter",
        source=SOURCE,
        measure=volunteers_active,
        measure_settlements=volunteers_active_by_settlement,
        caveats="By settlement: the settlement offering the role. Roles an organisation offers are at no "
        "settlement, and someone who volunteered for two settlements counts at each.",
    ),
    Indicator(
        key="volunteering.hours_volunteered",
        outcomes=(2,),
        name="Hours volunteered",
        definition="Hours of volunteering recorded by organisers and confirmed by volunteers in the period.",
        unit="hours",
        period="quarter",
        source=SOURCE,
        measure=hours_volunteered,
        count=False,
        denominator="volunteering.volunteers_active",
        caveats="Not shown where fewer than 5 people volunteered (or their number is hidden): a small group's "
        "hours would say how much each gave.",
    ),
    Indicator(
        key="volunteering.volunteers_measured",
        outcomes=(2,),
        name="Volunteers who agreed to outcome measurement",
        definition="Active volunteers in the period who agreed that their answers may be counted for the outcomes.",
        unit="people",
        period="quarter",
        source=SOURCE + " Consent records.",
        measure=volunteers_measured,
    ),
    Indicator(
        key="volunteering.share_in_recovery",
        outcomes=(2,),
        name="Volunteers who are people in recovery",
        definition="Of the active volunteers who agreed to outcome measurement, the share who describe "
        "themselves as in recovery or recovering.",
        unit="%",
        period="quarter",
        source=SOURCE + " How people describe themselves on their profile.",
        measure=share_in_recovery,
        count=False,
        denominator="volunteering.volunteers_measured",
    ),
    Indicator(
        key="volunteering.people_starting_work",
        outcomes=(4,),
        name="People starting work",
        definition="Members who recorded that they started a job listed on the jobs pathway in the period.",
        unit="people",
        period="quarter",
        source="The jobs pathway: outcomes members record for themselves.",
        measure=people_starting_work,
    ),
)
