"""Template helpers for linking the directory from the federation's manage pages."""

from django import template
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

register = template.Library()


def _count(queryset):
    counted = queryset.order_by().values("network_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@register.simple_tag
def directory_counts(network):
    """{% directory_counts network as counts %}: meetings, locations, services and
    open change requests, in one query."""
    from recoverynet.federation.models import Network

    from ..models import ChangeRequest, Location, Meeting, Service

    open_changes = (
        ChangeRequest.objects.filter(meeting__network_id=OuterRef("pk"), status=ChangeRequest.Status.OPEN)
        .order_by()
        .values("meeting__network_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Network.objects.filter(pk=network.pk)
        .annotate(
            meeting_count=_count(Meeting.objects.filter(network_id=OuterRef("pk"))),
            location_count=_count(Location.objects.filter(network_id=OuterRef("pk"))),
            service_count=_count(Service.objects.filter(network_id=OuterRef("pk"))),
            open_changes=Coalesce(Subquery(open_changes, output_field=IntegerField()), 0),
        )
        .values("meeting_count", "location_count", "service_count", "open_changes")
        .first()
    ) or {}
