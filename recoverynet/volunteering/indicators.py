"""Volunteering's figures for the outcomes framework (outcome 2: people in
recovery giving back), per network and quarter, each one aggregate query.
Only hours the organiser recorded and the member confirmed count. Volunteers
can also be counted by the settlement offering the role (the outcomes
dashboard's settlement filter); roles an organisation offers are at none."""

from django.db.models import Count, Sum

from recoverynet.accounts.privacy import measured_and_share_in_recovery
from recoverynet.core.registry import Indicator

from .models import Job, JobOutcome, SignUp


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


def givers(networks, period) -> dict:
    """{network id: ids of the people who volunteered a confirmed shift in the period}
    (declared on VolunteeringConfig.givers: the federation's "people giving back")."""
    found = {network.pk: set() for network in networks}
    for network_id, user_id in _confirmed(networks, period).values_list("shift__role__network_id", "user_id"):
        found[network_id].add(user_id)
    return found


# Of the active volunteers: how many agreed to outcome measurement, and the per cent of them
# who describe themselves as in recovery or recovering (None with nobody to measure).
volunteers_measured, share_in_recovery = measured_and_share_in_recovery(givers)


def _people_starting(kind, networks, period):
    """{network: people who recorded starting an opportunity of `kind` in the period}: one query;
    someone who started two in one network counts once."""
    rows = {
        r["job__network_id"]: r["n"]
        for r in JobOutcome.objects.filter(
            job__network__in=networks,
            job__kind=kind,
            status=JobOutcome.Status.STARTED,
            started_on__gte=period.start,
            started_on__lt=period.end,
        )
        .values("job__network_id")
        .annotate(n=Count("user", distinct=True))
    }
    return {network.pk: rows.get(network.pk, 0) for network in networks}


def people_starting_work(networks, period):
    return _people_starting(Job.Kind.WORK, networks, period)


def people_starting_training(networks, period):
    return _people_starting(Job.Kind.TRAINING, networks, period)


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
        definition="Members who recorded that they started paid work listed on the jobs pathway in the period.",
        unit="people",
        period="quarter",
        source="The jobs pathway: outcomes members record for themselves.",
        measure=people_starting_work,
    ),
    Indicator(
        key="volunteering.people_starting_training",
        outcomes=(4,),
        name="People starting training",
        definition="Members who recorded that they started training (a course or an apprenticeship) listed on "
        "the jobs pathway in the period.",
        unit="people",
        period="quarter",
        source="The jobs pathway: outcomes members record for themselves.",
        measure=people_starting_training,
    ),
)
