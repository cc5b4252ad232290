"""Object-level permissions (django-rules), scoped to federation, network and
settlement. Views, the API and the admin all ask these same rules."""

import rules

from . import scoping


@rules.predicate
def is_federation_coordinator(user):
    return scoping.is_federation_coordinator(user)


@rules.predicate
def is_any_network_coordinator(user):
    return bool(scoping.coordinated_network_ids(user))


@rules.predicate
def coordinates_network_of(user, obj):
    """obj is a Network or anything with a `network_id` (settlement, membership, partnership)."""
    if obj is None:
        return False
    return getattr(obj, "network_id", None) in scoping.coordinated_network_ids(user)


@rules.predicate
def coordinates_a_network_of_organisation(user, organisation):
    if organisation is None:
        return False
    coordinated = scoping.coordinated_network_ids(user)
    return bool(coordinated) and organisation.networks.filter(pk__in=coordinated).exists()


@rules.predicate
def hosts_settlement(user, obj):
    """obj is a Settlement, or a Membership whose settlement the user hosts."""
    if obj is None:
        return False
    settlement_id = obj.pk if obj._meta.model_name == "settlement" else getattr(obj, "settlement_id", None)
    return settlement_id in scoping.hosted_settlement_ids(user)


@rules.predicate
def works_for_organisation(user, organisation):
    return organisation is not None and organisation.pk in scoping.professional_organisation_ids(user)


@rules.predicate
def is_own_membership(user, membership):
    return membership is not None and membership.user_id == user.pk


@rules.predicate
def commissions_federation(user):
    """A commissioner of the whole federation (access granted, in force today)."""
    return scoping.commissions_federation(user)


@rules.predicate
def commissions_network_of(user, obj):
    """obj is a Network: a commissioner whose access covers it (or the whole federation)."""
    if obj is None:
        return False
    return scoping.commissions_network(user, getattr(obj, "network_id", None))


coordinator = is_federation_coordinator | coordinates_network_of

rules.add_perm("federation.add_network", is_federation_coordinator)
rules.add_perm("federation.change_network", coordinator)
rules.add_perm("federation.manage_network", coordinator)
rules.add_perm("federation.view_network_audit", coordinator)

# obj is the network the settlement will belong to.
rules.add_perm("federation.add_settlement", coordinator)
rules.add_perm("federation.change_settlement", coordinator | hosts_settlement)

rules.add_perm("federation.add_organisation", coordinator)
rules.add_perm(
    "federation.change_organisation",
    is_federation_coordinator | coordinates_a_network_of_organisation | works_for_organisation,
)

rules.add_perm("federation.add_partnership", coordinator)
rules.add_perm("federation.change_partnership", coordinator)

rules.add_perm("federation.view_membership", is_own_membership | coordinator | hosts_settlement)
rules.add_perm("federation.decide_membership", coordinator | hosts_settlement)
rules.add_perm("federation.change_membership_role", coordinator)
rules.add_perm("federation.leave_membership", is_own_membership)

# Commissioners: someone from a commissioning body reads aggregated outcomes; only the
# federation coordinator gives and ends that access.
rules.add_perm("federation.manage_commissioners", is_federation_coordinator)

# The audit log list: each coordinator sees their own scope (see AuditEntryQuerySet.visible_to).
rules.add_perm("core.view_auditentry", is_federation_coordinator | is_any_network_coordinator)
# The queue of members' reports from every app (core.moderation): each coordinator sees their own scope.
rules.add_perm("core.review_reports", is_federation_coordinator | is_any_network_coordinator)

# The Django admin: coordinators work in it within their scope.
rules.add_perm("federation", is_federation_coordinator | is_any_network_coordinator)
rules.add_perm("federation.view_network", is_federation_coordinator | is_any_network_coordinator)
rules.add_perm("federation.view_settlement", is_federation_coordinator | is_any_network_coordinator)
rules.add_perm("federation.view_organisation", is_federation_coordinator | is_any_network_coordinator)
rules.add_perm("federation.view_partnership", is_federation_coordinator | is_any_network_coordinator)
rules.add_perm("core", is_federation_coordinator | is_any_network_coordinator)
