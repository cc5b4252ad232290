"""Who may see what in the directory. The public rule lives on the models'
querysets (Meeting.objects.listed(), Service.objects.listed()); these are the
private records: change reports and feed sources, seen by the coordinators of
their network and by federation coordinators."""

from recoverynet.core import scoping

from .models import ChangeRequest, FeedSource


def visible_network_ids(user):
    """None for every network (federation coordinators), else the coordinated ones."""
    if scoping.is_federation_coordinator(user):
        return None
    return scoping.coordinated_network_ids(user)


def sources_visible_to(user, queryset=None):
    queryset = FeedSource.objects.all() if queryset is None else queryset
    ids = visible_network_ids(user)
    return queryset if ids is None else queryset.filter(network_id__in=ids)


def change_requests_visible_to(user, queryset=None):
    """Change requests are private to their network: coordinators see their networks', federation coordinators all."""
    queryset = ChangeRequest.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if scoping.is_federation_coordinator(user):
        return queryset
    return queryset.filter(meeting__network_id__in=scoping.coordinated_network_ids(user))


def may_review_any(user) -> bool:
    return scoping.is_federation_coordinator(user) or bool(scoping.coordinated_network_ids(user))
