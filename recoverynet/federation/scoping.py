"""Who coordinates, hosts or works where, answered from memberships, and the
memberships each person may see."""

# The scope questions themselves live in core (every app asks them); this app answers them.
from recoverynet.core.scoping import (  # noqa: F401 - re-exported for the federation's own callers
    Scope,
    coordinated_network_ids,
    forget_scope,
    hosted_settlement_ids,
    is_coordinator,
    is_federation_coordinator,
    member_network_ids,
    professional_organisation_ids,
)

ACTIVE = "active"


def scope_from_memberships(user) -> Scope:
    """The provider registered with core.scoping: one query for the memberships, one for the federation."""
    from .models import Federation, Membership

    rows = list(
        Membership.objects.filter(user=user, status=ACTIVE).values_list(
            "network_id", "role", "settlement_id", "organisation_id"
        )
    )
    return Scope(
        federation=user.is_superuser or Federation.objects.filter(coordinators=user).exists(),
        coordinated=frozenset(n for n, role, _, _ in rows if role == "network_coordinator"),
        hosted=frozenset(s for _, role, s, _ in rows if role == "settlement_host" and s),
        member_of=frozenset(n for n, _, _, _ in rows),
        organisations=frozenset(o for _, role, _, o in rows if role == "professional" and o),
    )
