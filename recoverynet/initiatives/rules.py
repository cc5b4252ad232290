"""Who may pitch, change a pitch and move it through its states."""

import rules

from recoverynet.core import scoping
from recoverynet.federation.rules import coordinator


@rules.predicate
def member_of_network(user, obj):
    """obj is a Network, or anything with a network_id (a pitch)."""
    if obj is None:
        return False
    network_id = obj.pk if obj._meta.model_name == "network" else getattr(obj, "network_id", None)
    return network_id in scoping.member_network_ids(user)


@rules.predicate
def is_author(user, pitch):
    return pitch is not None and pitch.author_id is not None and pitch.author_id == getattr(user, "pk", None)


# obj: the network the pitch is put to
rules.add_perm("initiatives.add_pitch", member_of_network)
# obj: the pitch
rules.add_perm("initiatives.change_pitch", is_author)
rules.add_perm("initiatives.publish_pitch", is_author)
rules.add_perm("initiatives.withdraw_pitch", is_author)
rules.add_perm("initiatives.review_pitch", coordinator)
rules.add_perm("initiatives.decide_pitch", coordinator)
# obj: the pitch. Its author counts on the others' support, not their own.
rules.add_perm("initiatives.support_pitch", member_of_network & ~is_author)
rules.add_perm("initiatives.pledge_to_pitch", member_of_network)
# obj: the network
rules.add_perm("initiatives.change_network_settings", coordinator)


@rules.predicate
def sits_on_panel(user, review_round):
    if review_round is None or not getattr(user, "is_authenticated", False):
        return False
    return review_round.panel.filter(user=user).exists()


# obj: the network (to start a round) or the round
rules.add_perm("initiatives.manage_review_round", coordinator)
rules.add_perm("initiatives.sit_on_panel", sits_on_panel)


@rules.predicate
def leads_initiative(user, initiative):
    if initiative is None or not getattr(user, "is_authenticated", False):
        return False
    return initiative.team.filter(user=user, role="lead").exists()


@rules.predicate
def on_team(user, initiative):
    if initiative is None or not getattr(user, "is_authenticated", False):
        return False
    return initiative.team.filter(user=user).exists()


# obj: the accepted pitch
rules.add_perm("initiatives.start_initiative", coordinator)
# obj: the initiative
rules.add_perm("initiatives.manage_initiative", coordinator | leads_initiative)
rules.add_perm("initiatives.post_update", coordinator | on_team)
# obj: the report (its network_id is the reported item's network)
rules.add_perm("initiatives.moderate", coordinator)
rules.add_perm("initiatives.assess_coproduction", on_team)
