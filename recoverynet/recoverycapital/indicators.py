"""Recovery capital's figures for the outcomes framework (core.registry.Indicator),
per network over a period, each one aggregate query; over several periods
(``measure_periods``: a dashboard's quarters) one query for all of them.

The change in recovery capital compares like with like: BARC-10 totals (any
version), in the network where they were taken, between a member's first ever
and their latest completed in the period. With reminders every three months a
member rarely takes two in one quarter, so the first may come from any earlier
period. Members whose only BARC-10 is in the period are not in it, and the
denominator indicator counts those who are, so groups under 5 are hidden.

Only members whose outcome-measurement consent stands now are counted (their
latest decision is yes): the consent wording promises that answers are used
only while it stands, so a withdrawal takes every assessment of theirs out of
every figure, earlier quarters included, and a renewed consent brings them
back. The condition is inside each query (``selectors.consented``),
so it costs no query of its own."""

from django.db import connection
from django.db.models import Count, Q

from recoverynet.accounts.models import ConsentPurpose
from recoverynet.accounts.privacy import consent_stands_sql
from recoverynet.core.registry import Indicator, shared_measurement

from .indicators_settlement import assessments_completed_by_settlement
from .models import Assessment, Instrument
from .selectors import consented

CHANGE_INSTRUMENT = "barc-10"


def _completed(networks, period):
    return consented(
        Assessment.objects.filter(
            network__in=networks,
            completed_at__isnull=False,
            completed_at__gte=period.start_at,
            completed_at__lt=period.end_at,
        )
    )


def _per_network(networks, rows, key, default=0):
    found = {row["network_id"]: row[key] for row in rows}
    return {network.pk: found.get(network.pk, default) for network in networks}


# Each member's latest BARC-10 in each period, in a network where they took one before (at any
# time), with the total of their first ever there. One pass of window functions over each
# member's BARC-10s in the network up to the last period's end (one sort), rather than three
# correlated subqueries per assessment: the first (earliest completed, then lowest id) and the
# latest completion in each period; two completed at the very same instant are both latest, as
# before. SQLite 3.28+ and PostgreSQL alike. Only people whose consent stands now: the condition
# is on the final rows (one per member and period), not on every assessment.
CHANGE_SQL = """
WITH barc AS (
    SELECT a.person_id, a.network_id, a.completed_at, a.total_score,
           FIRST_VALUE(a.completed_at) OVER mine AS first_at,
           FIRST_VALUE(a.total_score) OVER mine AS first_total,
           CASE {period} END AS period
    FROM {assessment} a
    WHERE a.instrument_id IN (SELECT i.id FROM {instrument} i WHERE i.slug = %s)
      AND a.completed_at IS NOT NULL AND a.completed_at < %s AND a.network_id IN ({networks})
    WINDOW mine AS (PARTITION BY a.person_id, a.network_id ORDER BY a.completed_at, a.id)
),
dated AS (
    SELECT person_id, network_id, completed_at, total_score, first_at, first_total, period,
           MAX(completed_at) OVER (PARTITION BY person_id, network_id, period) AS latest_at
    FROM barc
    WHERE period IS NOT NULL
)
SELECT network_id, period, COUNT(DISTINCT person_id), AVG(total_score - first_total)
FROM dated
WHERE completed_at = latest_at AND first_at < completed_at AND {consent}
GROUP BY network_id, period
"""
WHEN_IN_PERIOD = "WHEN completed_at >= %s AND completed_at < %s THEN %s"


def _overlap(periods):
    ordered = sorted(periods, key=lambda period: period.start)
    return any(later.start < earlier.end for earlier, later in zip(ordered, ordered[1:], strict=False))


def change_query(network_ids, periods):
    """The SQL and parameters of CHANGE_SQL for these networks and (not overlapping) periods."""
    adapt = connection.ops.adapt_datetimefield_value
    consent_sql, consent_params = consent_stands_sql(ConsentPurpose.OUTCOME_MEASUREMENT, "dated.person_id")
    sql = CHANGE_SQL.format(
        assessment=connection.ops.quote_name(Assessment._meta.db_table),
        instrument=connection.ops.quote_name(Instrument._meta.db_table),
        networks=", ".join(["%s"] * len(network_ids)),
        period=" ".join([WHEN_IN_PERIOD] * len(periods)),
        consent=consent_sql,
    )
    params = []
    for n, period in enumerate(periods):
        params += [adapt(period.start_at), adapt(period.end_at), n]
    params += [CHANGE_INSTRUMENT, adapt(max(period.end_at for period in periods)), *network_ids]
    return sql, params + consent_params


@shared_measurement
def _changes(network_ids, periods):
    """{(network id, period index): (members, mean change)} where members have a change, one
    query (shared by the two indicators below when the outcomes framework measures both)."""
    if not network_ids or not periods:
        return {}
    if _overlap(periods):  # an assessment belongs to one period in the query
        return {
            (network, n): found
            for n, period in enumerate(periods)
            for (network, _), found in _changes(network_ids, (period,)).items()
        }
    with connection.cursor() as cursor:
        cursor.execute(*change_query(network_ids, periods))
        return {(network, period): (members, change) for network, period, members, change in cursor.fetchall()}


def _changes_for(networks, periods):
    return _changes(tuple(network.pk for network in networks), tuple(periods))


def members_with_repeat_assessments_over(networks, periods):
    found = _changes_for(networks, periods)
    return [{network.pk: found.get((network.pk, n), (0, None))[0] for network in networks} for n in range(len(periods))]


def members_with_repeat_assessments(networks, period):
    return members_with_repeat_assessments_over(networks, [period])[0]


def _mean(value):
    return None if value is None else round(float(value), 1)


def recovery_capital_change_over(networks, periods):
    found = _changes_for(networks, periods)
    return [
        {network.pk: _mean(found.get((network.pk, n), (0, None))[1]) for network in networks}
        for n in range(len(periods))
    ]


def recovery_capital_change(networks, period):
    """Mean change in BARC-10 total (latest in the period minus first ever), None where nobody has two."""
    return recovery_capital_change_over(networks, [period])[0]


def assessments_completed(networks, period):
    rows = _completed(networks, period).values("network_id").annotate(n=Count("pk")).order_by()
    return _per_network(networks, rows, "n")


def assessments_completed_over(networks, periods):
    """assessments_completed for each period, one query: a filtered count per period."""
    if not periods:
        return []
    counts = {
        f"n{index}": Count("pk", filter=Q(completed_at__gte=period.start_at, completed_at__lt=period.end_at))
        for index, period in enumerate(periods)
    }
    rows = list(
        consented(
            Assessment.objects.filter(
                network__in=networks,
                completed_at__gte=min(period.start_at for period in periods),
                completed_at__lt=max(period.end_at for period in periods),
            )
        )
        .values("network_id")
        .annotate(**counts)
        .order_by()
    )
    return [_per_network(networks, rows, f"n{index}") for index in range(len(periods))]


SOURCE = (
    "Recovery capital assessments members completed with their outcome-measurement consent, counted only while "
    "that consent stands."
)

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
        measure_periods=members_with_repeat_assessments_over,
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
        measure_periods=recovery_capital_change_over,
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
        measure_periods=assessments_completed_over,
    ),
)
