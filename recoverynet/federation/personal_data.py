"""How a person's memberships and coordinator roles are exported and erased
(declared on the models; see `core.personal_data`)."""

from django.utils import timezone

from recoverynet.core import audit
from recoverynet.core.models import AuditEntry


def _iso(value) -> str:
    return value.isoformat() if value else ""


def export_memberships(user) -> list:
    from .models import Membership

    return [
        {
            "network": m.network.name,
            "settlement": m.settlement.name if m.settlement else "",
            "organisation": m.organisation.name if m.organisation else "",
            "role": m.get_role_display(),
            "status": m.get_status_display(),
            "joined_at": _iso(m.joined_at),
            "decided_at": _iso(m.decided_at),
            "decision_reason": m.decision_reason or "",
        }
        for m in Membership.objects.filter(user=user)
        .select_related("network", "settlement", "organisation")
        .order_by("joined_at", "id")
    ]


def leave_networks(*, actor, user, rows) -> None:
    """Memberships stay (networks' numbers and other people's records keep
    making sense), marked "left", with the coordinator's reason about the
    person emptied; each network's log shows the departure. Written directly
    (not through full_clean): erasure must never fail because some other part
    of an old membership no longer validates."""
    from .models import Membership

    now = timezone.now()
    for membership in Membership.objects.select_for_update().filter(user=user).select_related("network"):
        if membership.status == Membership.Status.LEFT:
            if membership.decision_reason:
                membership.decision_reason = ""
                membership.save(update_fields=["decision_reason"])
            continue
        old_status, old_decided = membership.status, membership.decided_at
        membership.status = Membership.Status.LEFT
        membership.decided_at = now
        membership.decision_reason = ""
        membership.save(update_fields=["status", "decided_at", "decision_reason"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=membership,
            network=membership.network,
            changes={
                "status": [old_status, Membership.Status.LEFT.value],
                "decided_at": [str(old_decided) if old_decided else None, str(now)],
            },
            summary="Left the network (account erased)",
        )


def stop_coordinating(*, actor, user, rows) -> None:
    user.coordinated_federations.clear()
