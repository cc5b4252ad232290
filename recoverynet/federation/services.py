"""Every state change in the federation goes through these functions:
permission check, validation, write, audit entry, side effects."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from recoverynet.core.models import AuditEntry
from recoverynet.core.services import create_instance, made_at_the_same_moment, require, update_instance

from . import scoping
from .models import CommissionerAccess, Membership, Network, Organisation, Partnership, Settlement


def unique_slug(model, text, *, exclude_pk=None, max_length=80):
    """A slug for `text` not yet used by `model` (adds -2, -3, ... when taken)."""
    base = (slugify(text) or model._meta.model_name)[: max_length - 6]
    slug, n = base, 1
    taken = model.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- Networks -------------------------------------------------------------------


def create_network(*, actor, federation, data) -> Network:
    require(actor, "federation.add_network")
    network = Network(federation=federation, **data)
    network.slug = network.slug or unique_slug(Network, network.name)
    return create_instance(actor=actor, instance=network, network=None, summary="Network set up")


def update_network(*, actor, network, data) -> dict:
    require(actor, "federation.change_network", network)
    return update_instance(actor=actor, instance=network, data=data, network=network)


# --- Settlements ----------------------------------------------------------------


def create_settlement(*, actor, network, data) -> Settlement:
    require(actor, "federation.add_settlement", network)
    settlement = Settlement(network=network, **data)
    settlement.slug = settlement.slug or unique_slug(Settlement, settlement.name)
    return create_instance(actor=actor, instance=settlement, network=network)


def update_settlement(*, actor, settlement, data) -> dict:
    require(actor, "federation.change_settlement", settlement)
    if "network" in data and data["network"] != settlement.network:
        # Moving a hub between networks takes a coordinator of both.
        require(actor, "federation.add_settlement", data["network"])
    return update_instance(actor=actor, instance=settlement, data=data, network=settlement.network)


# --- Organisations --------------------------------------------------------------


def _organisation_audit_network(actor, networks):
    coordinated = scoping.coordinated_network_ids(actor)
    for network in networks:
        if network.pk in coordinated:
            return network
    return networks[0] if len(networks) == 1 else None


def create_organisation(*, actor, data) -> Organisation:
    networks = list(data.pop("networks", []))
    if not networks:
        raise ValidationError({"networks": "Choose at least one network."})
    for network in networks:
        require(actor, "federation.add_organisation", network)
    organisation = Organisation(**data)
    organisation.slug = organisation.slug or unique_slug(Organisation, organisation.name)
    return create_instance(
        actor=actor,
        instance=organisation,
        network=_organisation_audit_network(actor, networks),
        m2m={"networks": networks},
    )


def update_organisation(*, actor, organisation, data) -> dict:
    require(actor, "federation.change_organisation", organisation)
    if "networks" in data:
        old = set(organisation.networks.all())
        new = set(data["networks"])
        if not new:
            raise ValidationError({"networks": "Choose at least one network."})
        # Adding or removing a network is that network's coordinators' decision.
        for network in old ^ new:
            require(actor, "federation.add_organisation", network)
    networks = list(data.get("networks") or organisation.networks.all())
    return update_instance(
        actor=actor, instance=organisation, data=data, network=_organisation_audit_network(actor, networks)
    )


# --- Partnerships ---------------------------------------------------------------


def create_partnership(*, actor, data) -> Partnership:
    lead = data["lead_network"]
    require(actor, "federation.add_partnership", lead)
    m2m = {"organisations": list(data.pop("organisations", [])), "networks": list(data.pop("networks", []))}
    if lead not in m2m["networks"]:
        m2m["networks"].append(lead)
    partnership = Partnership(**data)
    partnership.slug = partnership.slug or unique_slug(Partnership, partnership.name)
    return create_instance(actor=actor, instance=partnership, network=lead, m2m=m2m)


def update_partnership(*, actor, partnership, data) -> dict:
    require(actor, "federation.change_partnership", partnership)
    if "lead_network" in data and data["lead_network"] != partnership.lead_network:
        require(actor, "federation.add_partnership", data["lead_network"])
    return update_instance(actor=actor, instance=partnership, data=data, network=partnership.lead_network)


# --- Memberships ----------------------------------------------------------------


@transaction.atomic
def join_network(*, actor, network, settlement=None) -> Membership:
    """A person asks to join a network (and optionally one of its settlements).
    Networks that do not require approval let them straight in."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to join a network.")
    if not network.is_active:
        raise ValidationError({"network": "This network is not taking new members."})
    existing = Membership.objects.select_for_update().filter(user=actor, network=network).first()
    if existing and existing.status in (Membership.Status.ACTIVE, Membership.Status.PENDING):
        raise ValidationError({"network": "You have already joined or asked to join this network."})
    status = Membership.Status.PENDING if network.requires_approval else Membership.Status.ACTIVE
    if existing:
        update_instance(
            actor=actor,
            instance=existing,
            data={"status": status, "settlement": settlement, "role": Membership.Role.MEMBER, "decision_reason": ""},
            network=network,
            summary="Asked to rejoin",
        )
        membership = existing
    else:
        membership = Membership(user=actor, network=network, settlement=settlement, status=status)
        already = ValidationError({"network": "You have already joined or asked to join this network."})
        with made_at_the_same_moment(already), transaction.atomic():
            create_instance(actor=actor, instance=membership, network=network, summary="Asked to join")
    scoping.forget_scope(actor)
    return membership


@transaction.atomic
def decide_membership(*, actor, membership, approve: bool, reason="") -> Membership:
    require(actor, "federation.decide_membership", membership)
    # Lock the row so two coordinators deciding at once make one decision.
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.status = locked.status
    if membership.status != Membership.Status.PENDING:
        raise ValidationError("This request has already been decided.")
    if not approve and not reason.strip():
        raise ValidationError({"reason": "Give a reason so the person knows why."})
    update_instance(
        actor=actor,
        instance=membership,
        data={
            "status": Membership.Status.ACTIVE if approve else Membership.Status.DECLINED,
            "decided_at": timezone.now(),
            "decision_reason": reason.strip(),
        },
        network=membership.network,
        action=AuditEntry.Action.APPROVE if approve else AuditEntry.Action.DECLINE,
    )
    return membership


def change_membership(*, actor, membership, data) -> dict:
    """Change role, settlement or organisation of a membership (coordinators)."""
    require(actor, "federation.change_membership_role", membership)
    allowed = {"role", "settlement", "organisation"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    changes = update_instance(actor=actor, instance=membership, data=data, network=membership.network)
    scoping.forget_scope(membership.user)
    return changes


def leave_network(*, actor, membership) -> Membership:
    # Only the person themselves: not even a superuser leaves on someone's behalf.
    if membership.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the person themselves can leave a network.")
    if membership.status == Membership.Status.LEFT:
        return membership
    update_instance(
        actor=actor,
        instance=membership,
        data={"status": Membership.Status.LEFT, "decided_at": timezone.now()},
        network=membership.network,
        summary="Left the network",
    )
    scoping.forget_scope(actor)
    return membership


# --- Commissioners --------------------------------------------------------------


@transaction.atomic
def grant_commissioner_access(*, actor, user, network=None, body, ends_on=None) -> CommissionerAccess:
    """Give someone from a commissioning body read access to the aggregated outcomes
    of one network, or of the whole federation when `network` is None."""
    require(actor, "federation.manage_commissioners")
    if user is None or not user.is_active:
        raise ValidationError({"email": "There is no active account with that email address."})
    if network is not None and not network.is_active:
        raise ValidationError({"network": "Choose a network that is running."})
    if ends_on is not None and ends_on < timezone.localdate():
        raise ValidationError({"ends_on": "The end date must be today or in the future."})
    # Lock the person's access rows so two grants at once cannot both pass the check below.
    current = list(CommissionerAccess.objects.select_for_update().filter(user=user).current())
    if any(access.network_id == (network.pk if network else None) for access in current):
        raise ValidationError("They already have access to these outcomes. End it first to change it.")
    access = CommissionerAccess(user=user, network=network, body=body.strip(), ends_on=ends_on, granted_by=actor)
    create_instance(actor=actor, instance=access, network=network, summary="Commissioner access given")
    scoping.forget_scope(user)
    return access


@transaction.atomic
def revoke_commissioner_access(*, actor, access) -> CommissionerAccess:
    """End a commissioner's access now."""
    require(actor, "federation.manage_commissioners")
    locked = CommissionerAccess.objects.select_for_update().get(pk=access.pk)
    if locked.revoked_at is not None:
        raise ValidationError("This access has already been ended.")
    update_instance(
        actor=actor,
        instance=locked,
        data={"revoked_at": timezone.now(), "revoked_by": actor},
        network=locked.network,
        summary="Commissioner access ended",
    )
    scoping.forget_scope(locked.user)
    return locked
