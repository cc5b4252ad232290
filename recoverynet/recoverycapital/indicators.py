"""Recovery capital's figures for the outcomes framework (core.registry.Indicator),
per network over a period, each one aggregate query.

The change in recovery capital compares like with like: BARC-10 totals (any
version), a member's first and latest completed in the period, in the network
where they took them. Members with fewer than two are not in it, and the
denominator indicator counts those who are, so groups under 5 are hidden."""

from django.db.models import Avg, Count, Exists, F, OuterRef, Subquery

from recoverynet.core.registry import Indicator

from .models import Assessment

CHANGE_INSTRUMENT = "barc-10"


def _completed(networks, period):
    return Assessment.objects.filter(
        network__in=networks,
        completed_at__isnull=False,
        completed_at__date__gte=period.start,
        completed_at__date__lt=period.end,
    )


def _per_network(networks, rows, key, default=0):
    found = {row["network_id"]: row[key] for row in rows}
    return {network.pk: found.get(network.pk, default) for network in networks}


def _first_of_pairs(networks, period):
    """Each member's first BARC-10 of the period in a network where they took a later one,
    annotated with that latest one's total."""
    barc = _completed(networks, period).filter(instrument__slug=CHANGE_INSTRUMENT)
    same = barc.filter(person=OuterRef("person"), network=OuterRef("network"))
    earlier = same.filter(completed_at__lt=OuterRef("completed_at"))
    later = same.filter(completed_at__gt=OuterRef("completed_at"))
    latest = same.order_by("-completed_at", "-pk").values("total_score")[:1]
    return barc.filter(~Exists(earlier), Exists(later)).annotate(latest=Subquery(latest))


def members_with_repeat_assessments(networks, period):
    rows = _first_of_pairs(networks, period).values("network_id").annotate(n=Count("person", distinct=True))
    return _per_network(networks, rows, "n")


def recovery_capital_change(networks, period):
    """Mean change in BARC-10 total (latest minus first), None where nobody took two."""
    rows = (
        _first_of_pairs(networks, period)
        .values("network_id")
        .annotate(change=Avg(F("latest") - F("total_score")))
        .order_by()
    )
    return {
        pk: (None if value is None else round(value, 1))
        for pk, value in _per_network(networks, rows, "change", None).items()
    }


def assessments_completed(networks, period):
    rows = _completed(networks, period).values("network_id").annotate(n=Count("pk")).order_by()
    return _per_network(networks, rows, "n")


SOURCE = "Recovery capital assessments members completed with their outcome-measurement consent."

INDICATORS = (
    Indicator(
        key="recoverycapital.members_with_repeat_assessments",
        outcomes=(1, 4),
        name="Members with two or more recovery capital assessments",
        definition="Members who completed the BARC-10 at least twice in the period, in the network.",
        unit="people",
        period="quarter",
        source=SOURCE,
        measure=members_with_repeat_assessments,
    ),
    Indicator(
        key="recoverycapital.recovery_capital_change",
        outcomes=(1, 4),
        name="Change in recovery capital",
        definition=(
            "Of members who completed the BARC-10 (10 to 60) at least twice in the period, the mean of "
            "their latest total minus their first."
        ),
        unit="BARC-10 points",
        period="quarter",
        source=SOURCE,
        measure=recovery_capital_change,
        count=False,
        denominator="recoverycapital.members_with_repeat_assessments",
    ),
    Indicator(
        key="recoverycapital.assessments_completed",
        outcomes=(9,),
        name="Recovery capital and wellbeing assessments completed",
        definition="Assessments (any instrument) completed in the network in the period.",
        unit="assessments",
        period="quarter",
        source=SOURCE,
        measure=assessments_completed,
    ),
)
