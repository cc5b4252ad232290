"""Who may organise volunteering, and who sees DBS records."""

import rules

from recoverynet.core import scoping
from recoverynet.federation.rules import coordinates_network_of, coordinator, is_federation_coordinator
from recoverynet.initiatives.models import TeamMember


def _role_of(obj):
    """The role behind a role, shift or sign-up."""
    name = obj._meta.model_name
    if name == "signup":
        return obj.shift.role
    if name == "shift":
        return obj.role
    return obj


def initiative_ids_on_team(user) -> set:
    """The initiatives whose team the person is on (any role in the team: lead, member, ally, professional)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(TeamMember.objects.filter(user=user).values_list("initiative_id", flat=True))


@rules.predicate
def organises(user, obj):
    """Hosts the settlement, works for the organisation, or is on the team of the initiative
    that offers the role (obj: role, shift or sign-up)."""
    if obj is None:
        return False
    role = _role_of(obj)
    if role.settlement_id and role.settlement_id in scoping.hosted_settlement_ids(user):
        return True
    if role.initiative_id:
        return role.initiative_id in initiative_ids_on_team(user)
    return bool(role.organisation_id) and role.organisation_id in scoping.professional_organisation_ids(user)


@rules.predicate
def coordinates_role_network(user, obj):
    return obj is not None and coordinator(user, _role_of(obj))


@rules.predicate
def is_signup_owner(user, signup):
    return signup is not None and signup.user_id == getattr(user, "pk", None)


organiser = coordinates_role_network | organises

# obj: the network the role (or job) is offered in
rules.add_perm("volunteering.add_role", coordinator)
rules.add_perm("volunteering.add_job", coordinator)
# obj: a role, shift or sign-up
rules.add_perm("volunteering.manage_role", organiser)
rules.add_perm("volunteering.cancel_signup", is_signup_owner | organiser)
rules.add_perm("volunteering.confirm_hours", is_signup_owner)
# Setting or changing the time of a place on a flexible shift: the member, or an organiser.
rules.add_perm("volunteering.choose_time", is_signup_owner | organiser)
# DBS records: only coordinators of that very network, not even the federation's (obj: the network).
rules.add_perm("volunteering.record_dbs", coordinates_network_of)
# Finding members by skill (those who allowed it): the same people (obj: the network).
rules.add_perm("volunteering.find_by_skill", coordinates_network_of)
# The federation-wide list of interests (no obj): the federation's coordinators look after it.
rules.add_perm("volunteering.manage_interests", is_federation_coordinator)
