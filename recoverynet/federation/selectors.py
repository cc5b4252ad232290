"""Who may see what among the federation's records: the reads that decide
what a person is shown, built on core.scoping (the federation answers who
coordinates, hosts or works where; these apply it to querysets)."""

from django.db.models import Q

from recoverynet.core.scoping import coordinated_network_ids, hosted_settlement_ids, is_federation_coordinator

from .models import Membership


def memberships_visible_to(user, queryset=None):
    """Memberships a user may see: their own; their settlement's when hosting;
    their networks' when coordinating; all for federation coordinators."""
    queryset = Membership.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if is_federation_coordinator(user):
        return queryset
    return queryset.filter(
        Q(user=user)
        | Q(network_id__in=coordinated_network_ids(user))
        | Q(settlement_id__in=hosted_settlement_ids(user))
    )
