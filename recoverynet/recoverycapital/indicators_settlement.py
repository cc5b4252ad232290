"""Recovery capital assessments counted by settlement, for the outcomes dashboard's
settlement filter (core.registry.Indicator.measure_settlements), in one aggregate query.

An assessment counts at the settlement of the member's membership of the network
it was taken in (one membership per person and network), accepted whether or not
they have left since, so earlier quarters keep the assessments taken then. A
member who belongs to no settlement is at none: the dashboard shows what is left
over only as part of the network's figure. Only people whose outcome-measurement
consent stands now are counted, as in the network's figure (selectors.consented)."""

from django.db.models import Count, F

from recoverynet.federation.models import Membership

from .models import Assessment
from .selectors import consented

AT_SETTLEMENT = "person__memberships__settlement_id"


def assessments_completed_by_settlement(settlements, period):
    rows = (
        consented(Assessment.objects)
        .filter(
            completed_at__isnull=False,
            completed_at__gte=period.start_at,
            completed_at__lt=period.end_at,
            person__memberships__settlement__in=settlements,
            person__memberships__network=F("network"),
            person__memberships__status__in=(Membership.Status.ACTIVE, Membership.Status.LEFT),
        )
        .order_by()
        .values(AT_SETTLEMENT)
        .annotate(n=Count("pk"))
    )
    found = {row[AT_SETTLEMENT]: row["n"] for row in rows}
    return {settlement.pk: found.get(settlement.pk, 0) for settlement in settlements}
