"""Who coordinates, hosts or works where, answered from memberships, and the
memberships each person may see."""

# The scope questions themselves live in core (every app asks them); this app answers them.
from recoverynet.core.scoping import (  # noqa: F401 - re-exported for the federation's own callers
    Scope,
    can_manage,
    commissioned_network_ids,
    commissions_federation,
    commissions_network,
    coordinated_network_ids,
    forget_scope,
    hosted_settlement_ids,
    is_commissioner,
    is_coordinator,
    is_federation_coordinator,
    is_privileged,
    member_network_ids,
    professional_organisation_ids,
)

ACTIVE = "active"
COMMISSIONER = "commissioner"


def scope_from_memberships(user) -> Scope:
    """The provider registered with core.scoping: one query for the memberships and the
    commissioner access in force (a union, so every signed-in request pays no extra
    query for the rare commissioner), one for the federation."""
    from django.db.models import CharField, IntegerField, Value

    from .models import CommissionerAccess, Federation, Membership

    memberships = (
        Membership.objects.filter(user=user, status=ACTIVE)
        .order_by()
        .values_list("network_id", "role", "settlement_id", "organisation_id")
    )
    accesses = (
        CommissionerAccess.objects.current()
        .order_by()
        .filter(user=user)
        .values_list(
            "network_id",
            Value(COMMISSIONER, output_field=CharField()),
            Value(None, output_field=IntegerField()),
            Value(None, output_field=IntegerField()),
        )
    )
    rows = list(memberships.union(accesses, all=True))
    commissions = [n for n, role, _, _ in rows if role == COMMISSIONER]
    rows = [row for row in rows if row[1] != COMMISSIONER]
    return Scope(
        federation=user.is_superuser or Federation.objects.filter(coordinators=user).exists(),
        coordinated=frozenset(n for n, role, _, _ in rows if role == "network_coordinator"),
        hosted=frozenset(s for _, role, s, _ in rows if role == "settlement_host" and s),
        member_of=frozenset(n for n, _, _, _ in rows),
        organisations=frozenset(o for _, role, _, o in rows if role == "professional" and o),
        commissions_federation=None in commissions,
        commissioned=frozenset(n for n in commissions if n is not None),
    )
