"""Recovery capital's figures for the outcomes framework (core.registry.Indicator),
per network over a period, each one aggregate query.

The change in recovery capital compares like with like: BARC-10 totals (any
version), in the network where they were taken, between a member's first ever
and their latest completed in the period. With reminders every three months a
member rarely takes two in one quarter, so the first may come from any earlier
period. Members whose only BARC-10 is in the period are not in it, and the
denominator indicator counts those who are, so groups under 5 are hidden."""

from django.db.models import Avg, Count, Exists, F, OuterRef, Subquery

from recoverynet.core.registry import Indicator

from .indicators_settlement import assessments_completed_by_settlement
from .models import Assessment

CHANGE_INSTRUMENT = "barc-10"


def _completed(networks, period):
    return Assessment.objects.filter(
        network__in=networks,
        completed_at__isnull=False,
        completed_at__gte=period.start_at,
        completed_at__lt=period.end_at,
    )


def _per_network(networks, rows, key, default=0):
    found = {row["network_id"]: row[key] for row in rows}
    return {network.pk: found.get(network.pk, default) for network in networks}


def _latest_with_a_first(networks, period):
    """Each member's latest BARC-10 of the period in a network where they took one before (at any
    time), annotated with the total of their first there."""
    barc = Assessment.objects.filter(completed_at__isnull=False, instrument__slug=CHANGE_INSTRUMENT)
    same = barc.filter(person=OuterRef("person"), network=OuterRef("network"))
    later_in_period = same.filter(completed_at__gt=OuterRef("completed_at"), completed_at__lt=period.end_at)
    earlier = same.filter(completed_at__lt=OuterRef("completed_at"))
    first = same.order_by("completed_at", "pk").values("total_score")[:1]
    in_period = _completed(networks, period).filter(instrument__slug=CHANGE_INSTRUMENT)
    return in_period.filter(~Exists(later_in_period), Exists(earlier)).annotate(first=Subquery(first))


def members_with_repeat_assessments(networks, period):
    rows = _latest_with_a_first(networks, period).values("network_id").annotate(n=Count("person", distinct=True))
    return _per_network(networks, rows, "n")


def recovery_capital_change(networks, period):
    """Mean change in BARC-10 total (latest in the period minus first ever), None where nobody has two."""
    rows = (
        _latest_with_a_first(networks, period)
        .values("network_id")
        .annotate(change=Avg(F("total_score") - F("first")))
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
        name="Members whose recovery capital change can be measured",
        definition=(
            "Members who completed the BARC-10 in the period, in the network, and had completed it there before."
        ),
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
            "Of members who completed the BARC-10 (10 to 60) in the period and had completed it before, the "
            "mean of their latest total in the period minus their first ever, in the same network."
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
        measure_settlements=assessments_completed_by_settlement,
    ),
)
