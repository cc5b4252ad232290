"""Who coordinates, hosts or works where: the facts every permission rule and
every scoped queryset is built on. Computed once per user object (one query
each), so a page that checks many objects does not repeat them."""

import contextlib

from django.db.models import Q

ACTIVE = "active"


def _scope(user):
    cached = getattr(user, "_recoverynet_scope", None)
    if cached is not None:
        return cached
    from .models import Federation, Membership

    scope = {
        "federation": False,
        "coordinated": frozenset(),
        "hosted": frozenset(),
        "member_of": frozenset(),
        "organisations": frozenset(),
    }
    if user is not None and user.is_authenticated and user.is_active:
        rows = list(
            Membership.objects.filter(user=user, status=ACTIVE).values_list(
                "network_id", "role", "settlement_id", "organisation_id"
            )
        )
        scope = {
            "federation": user.is_superuser or Federation.objects.filter(coordinators=user).exists(),
            "coordinated": frozenset(n for n, role, _, _ in rows if role == "network_coordinator"),
            "hosted": frozenset(s for _, role, s, _ in rows if role == "settlement_host" and s),
            "member_of": frozenset(n for n, _, _, _ in rows),
            "organisations": frozenset(o for _, role, _, o in rows if role == "professional" and o),
        }
    with contextlib.suppress(AttributeError):  # AnonymousUser takes no attributes; nothing to cache
        user._recoverynet_scope = scope
    return scope


def forget_scope(user):
    """Call after changing a user's memberships within the same request."""
    if hasattr(user, "_recoverynet_scope"):
        del user._recoverynet_scope


def is_federation_coordinator(user) -> bool:
    return _scope(user)["federation"]


def coordinated_network_ids(user) -> frozenset:
    return _scope(user)["coordinated"]


def hosted_settlement_ids(user) -> frozenset:
    return _scope(user)["hosted"]


def member_network_ids(user) -> frozenset:
    return _scope(user)["member_of"]


def professional_organisation_ids(user) -> frozenset:
    return _scope(user)["organisations"]


def is_coordinator(user) -> bool:
    """Coordinates anything: the roles that must use two-factor authentication."""
    return is_federation_coordinator(user) or bool(coordinated_network_ids(user))


def memberships_visible_to(user, queryset=None):
    """Memberships a user may see: their own; their settlement's when hosting;
    their networks' when coordinating; all for federation coordinators."""
    from .models import Membership

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
