"""The pitches' figures for the outcomes framework (core.registry.Indicator):
each one aggregate query per call, whatever the number of networks."""

from django.db.models import Avg, Count, F, Q

from recoverynet.accounts.privacy import in_recovery_among_measured
from recoverynet.core.registry import Indicator, shared_measurement

from .models import (
    COMPONENTS,
    CoproductionAssessment,
    DecisionParticipant,
    Initiative,
    Pitch,
    TeamMember,
    lived_experience_share,
)


def _per_network(networks, rows, key="n"):
    found = {row["network_id"]: row[key] for row in rows}
    return {network.pk: found.get(network.pk, 0) for network in networks}


def _published_in(networks, period):
    return Pitch.objects.public().filter(
        network__in=networks, published_at__gte=period.start_at, published_at__lt=period.end_at
    )


def pitches_published(networks, period):
    rows = _published_in(networks, period).values("network_id").annotate(n=Count("pk"))
    return _per_network(networks, rows)


@shared_measurement
def _pitches_by_state(network_ids, period):
    """{(network id, state): pitches published in the period now in that state}, one query for
    every state (once for all the state indicators while the outcomes framework measures them)."""
    rows = _published_in(network_ids, period).values("network_id", "state").annotate(n=Count("pk")).order_by()
    return {(row["network_id"], row["state"]): row["n"] for row in rows}


def _pitches_in_state(state):
    def measure(networks, period):
        """Pitches published in the period that are now in `state`."""
        found = _pitches_by_state(tuple(network.pk for network in networks), period)
        return {network.pk: found.get((network.pk, state), 0) for network in networks}

    return measure


def pitches_decided(networks, period):
    """Pitches decided (accepted or not taken forward) in the period."""
    rows = (
        Pitch.objects.filter(network__in=networks, decided_at__gte=period.start_at, decided_at__lt=period.end_at)
        .values("network_id")
        .annotate(
            n=Count("pk", filter=Q(state__in=[Pitch.State.ACCEPTED, Pitch.State.NOT_TAKEN_FORWARD])),
        )
    )
    return _per_network(networks, rows)


def _active_at_end(networks, period):
    """Initiatives started before the period's end and active (a snapshot)."""
    return Initiative.objects.filter(network__in=networks, started_on__lt=period.end, status=Initiative.Status.ACTIVE)


def initiatives_active(networks, period):
    rows = _active_at_end(networks, period).values("network_id").annotate(n=Count("pk"))
    return _per_network(networks, rows)


def social_enterprises_active(networks, period):
    rows = (
        _active_at_end(networks, period)
        .filter(kind=Initiative.Kind.SOCIAL_ENTERPRISE)
        .values("network_id")
        .annotate(n=Count("pk"))
    )
    return _per_network(networks, rows)


def people_in_roles(networks, period):
    """Distinct people with a role (lead, member, ally, professional) in an active initiative."""
    rows = (
        TeamMember.objects.filter(initiative__in=_active_at_end(networks, period))
        .values(network_id=F("initiative__network_id"))
        .annotate(n=Count("user", distinct=True))
    )
    return _per_network(networks, rows)


def people_in_recovery_in_roles(networks, period):
    """Of those, people who describe themselves as in recovery and agreed to outcome measurement
    (accounts.privacy.in_recovery_among_measured): two queries in all."""
    groups = {network.pk: set() for network in networks}
    for network_id, user_id in TeamMember.objects.filter(initiative__in=_active_at_end(networks, period)).values_list(
        "initiative__network_id", "user_id"
    ):
        groups[network_id].add(user_id)
    return {pk: in_recovery for pk, (_, in_recovery) in in_recovery_among_measured(groups).items()}


def givers(networks, period) -> dict:
    """{network id: ids of the people who lead, belong to or support as allies an active initiative at
    the period's end} (declared on InitiativesConfig.givers: the federation's "people giving back").
    Professionals in a team are there in their paid role, so they are not counted as giving back."""
    found = {network.pk: set() for network in networks}
    rows = (
        TeamMember.objects.filter(initiative__in=_active_at_end(networks, period))
        .exclude(role=TeamMember.Role.PROFESSIONAL)
        .values_list("initiative__network_id", "user_id")
    )
    for network_id, user_id in rows:
        found[network_id].add(user_id)
    return found


MIN_RESPONSES = 5


@shared_measurement
def _coproduction_means(network_ids, period):
    """{network id: (responses, {component: mean})} over the period's self-assessments, one query
    for every component (once for all of them while the outcomes framework measures them)."""
    rows = (
        CoproductionAssessment.objects.filter(
            initiative__network__in=network_ids, taken_on__gte=period.start, taken_on__lt=period.end
        )
        .values(network_id=F("initiative__network_id"))
        .annotate(
            n=Count("pk"),
            people=Count("respondent", distinct=True),
            **{f"mean_{name}": Avg(name) for name, _, _ in COMPONENTS},
        )
        .order_by()
    )
    return {
        row["network_id"]: (row["n"], {name: row[f"mean_{name}"] for name, _, _ in COMPONENTS}, row["people"])
        for row in rows
    }


def coproduction_respondents(networks, period):
    """Distinct people who answered the co-production self-assessment in the period."""
    found = _coproduction_means(tuple(network.pk for network in networks), period)
    return {network.pk: found[network.pk][2] if network.pk in found else 0 for network in networks}


def _coproduction_mean(component):
    def measure(networks, period):
        """Mean of the component over the period's self-assessments; None below five responses."""
        found = _coproduction_means(tuple(network.pk for network in networks), period)
        return {
            network.pk: (round(found[network.pk][1][component], 2) if found[network.pk][0] >= MIN_RESPONSES else None)
            if network.pk in found
            else None
            for network in networks
        }

    return measure


def _decision_makers(networks, period):
    """{network_id: (with lived experience, people)} over decisions taken in the period.
    The flag is encrypted, so it is read in Python: one query (once for both indicators
    below while the outcomes framework measures them together)."""
    return _decision_makers_once(tuple(network.pk for network in networks), period)


@shared_measurement
def _decision_makers_once(network_ids, period):
    rows = DecisionParticipant.objects.filter(
        decision__initiative__network__in=network_ids,
        decision__decided_on__gte=period.start,
        decision__decided_on__lt=period.end,
    ).values_list(
        "decision__initiative__network_id", "user_id", "decision__decided_on", "decision_id", "lived_experience"
    )
    by_network: dict = {}
    for network_id, *row in rows:
        by_network.setdefault(network_id, []).append(row)
    return {network_id: lived_experience_share(by_network.get(network_id, [])) for network_id in network_ids}


def decision_makers(networks, period):
    """Distinct team members who took part in the initiatives' decisions in the period."""
    return {pk: people for pk, (_, people) in _decision_makers(networks, period).items()}


def decision_makers_lived_share(networks, period):
    """Percentage of them with lived experience; None below five decision-makers."""
    return {
        pk: (round(100 * lived / people) if people >= MIN_RESPONSES else None)
        for pk, (lived, people) in _decision_makers(networks, period).items()
    }


SOURCE = "RecoveryNet pitches (members' ideas put to their network)"
INITIATIVES_SOURCE = "RecoveryNet initiatives and social enterprises (started from accepted pitches)"

INDICATORS = (
    Indicator(
        key="initiatives.pitches_published",
        outcomes=(8,),
        name="Community ideas pitched",
        definition="Pitches published to the network in the period, whatever their stage now.",
        unit="pitches",
        period="quarter",
        source=SOURCE,
        measure=pitches_published,
    ),
    *(
        Indicator(
            key=f"initiatives.pitches_now_{state}",
            outcomes=(8,),
            name=f"Community ideas pitched, now {label.lower()}",
            definition=f"Pitches published in the period whose stage is now “{label.lower()}”.",
            unit="pitches",
            period="quarter",
            source=SOURCE,
            measure=_pitches_in_state(state),
        )
        for state, label in Pitch.State.choices
        if state != Pitch.State.DRAFT
    ),
    Indicator(
        key="initiatives.pitches_decided",
        outcomes=(8,),
        name="Community ideas decided",
        definition="Pitches accepted or not taken forward in the period.",
        unit="pitches",
        period="quarter",
        source=SOURCE,
        measure=pitches_decided,
    ),
    Indicator(
        key="initiatives.initiatives_active",
        outcomes=(8,),
        name="Community initiatives and social enterprises active",
        definition="Initiatives and social enterprises started before the period's end and active at it.",
        unit="initiatives",
        period="snapshot",
        source=INITIATIVES_SOURCE,
        measure=initiatives_active,
    ),
    Indicator(
        key="initiatives.social_enterprises_active",
        outcomes=(8,),
        name="Social enterprises active",
        definition="Social enterprises (CIC, charity, co-operative, company limited by guarantee or "
        "unincorporated group) active at the period's end.",
        unit="enterprises",
        period="snapshot",
        source=INITIATIVES_SOURCE,
        measure=social_enterprises_active,
    ),
    Indicator(
        key="initiatives.people_in_roles",
        outcomes=(2,),
        name="People in initiative roles",
        definition="Distinct people who lead, belong to, support as allies or work as professionals in an active "
        "initiative at the period's end.",
        unit="people",
        period="snapshot",
        source=INITIATIVES_SOURCE,
        measure=people_in_roles,
    ),
    Indicator(
        key="initiatives.people_in_recovery_in_roles",
        outcomes=(2,),
        name="People in recovery in initiative roles",
        definition="Of the people in initiative roles, those who describe themselves as in recovery or recovering "
        "and agreed to their data being used to measure outcomes.",
        unit="people",
        period="snapshot",
        source=INITIATIVES_SOURCE,
        measure=people_in_recovery_in_roles,
    ),
    Indicator(
        key="initiatives.coproduction_respondents",
        outcomes=(8,),
        name="People answering the co-production self-assessment",
        definition="Distinct initiative team members who answered the co-production self-assessment in the period: "
        "the people its means are over.",
        unit="people",
        period="quarter",
        source=INITIATIVES_SOURCE,
        measure=coproduction_respondents,
    ),
    *(
        Indicator(
            key=f"initiatives.coproduction_{name}",
            outcomes=(8,),
            name=f"Co-production self-assessment: {label.lower()}",
            definition=f"Mean of initiative team members' own scores (1 to 4) for “{meaning}” in the period; "
            f"not shown below {MIN_RESPONSES} responses or {MIN_RESPONSES} people.",
            unit="score (1-4)",
            period="quarter",
            source=INITIATIVES_SOURCE,
            measure=_coproduction_mean(name),
            count=False,
            denominator="initiatives.coproduction_respondents",
        )
        for name, label, meaning in COMPONENTS
    ),
    Indicator(
        key="initiatives.decision_makers",
        outcomes=(8,),
        name="People taking initiatives' decisions",
        definition="Distinct team members recorded as taking part in an initiative's decisions in the period.",
        unit="people",
        period="quarter",
        source=INITIATIVES_SOURCE,
        measure=decision_makers,
    ),
    Indicator(
        key="initiatives.decision_makers_lived_experience",
        outcomes=(8,),
        name="Share of initiatives' decision-makers with lived experience",
        definition="Of the people taking part in initiatives' decisions in the period, the percentage with lived "
        f"experience (as marked on their latest decision); not shown below {MIN_RESPONSES} people.",
        unit="%",
        period="quarter",
        source=INITIATIVES_SOURCE,
        measure=decision_makers_lived_share,
        count=False,
        denominator="initiatives.decision_makers",
    ),
)
