"""The pitches' figures for the outcomes framework (core.registry.Indicator):
each one aggregate query per call, whatever the number of networks."""

from django.db.models import Count, Q

from recoverynet.core.registry import Indicator

from .models import Pitch


def _per_network(networks, rows, key="n"):
    found = {row["network_id"]: row[key] for row in rows}
    return {network.pk: found.get(network.pk, 0) for network in networks}


def _published_in(networks, period):
    return Pitch.objects.public().filter(
        network__in=networks, published_at__date__gte=period.start, published_at__date__lt=period.end
    )


def pitches_published(networks, period):
    rows = _published_in(networks, period).values("network_id").annotate(n=Count("pk"))
    return _per_network(networks, rows)


def _pitches_in_state(state):
    def measure(networks, period):
        """Pitches published in the period that are now in `state`."""
        rows = _published_in(networks, period).filter(state=state).values("network_id").annotate(n=Count("pk"))
        return _per_network(networks, rows)

    return measure


def pitches_decided(networks, period):
    """Pitches decided (accepted or not taken forward) in the period."""
    rows = (
        Pitch.objects.filter(network__in=networks, decided_at__date__gte=period.start, decided_at__date__lt=period.end)
        .values("network_id")
        .annotate(
            n=Count("pk", filter=Q(state__in=[Pitch.State.ACCEPTED, Pitch.State.NOT_TAKEN_FORWARD])),
        )
    )
    return _per_network(networks, rows)


SOURCE = "RecoveryNet pitches (members' ideas put to their network)"

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
)
