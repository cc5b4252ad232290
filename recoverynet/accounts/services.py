"""State changes about people: profile, consent, subject access, erasure."""

import csv
import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from recoverynet.core import audit
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import update_instance

from .consent import current_wording
from .models import ConsentPurpose, ConsentRecord, SelfDescription
from .privacy import current_consents

User = get_user_model()

PROFILE_FIELDS = ("display_name", "legal_name", "phone", "date_of_birth", "self_descriptions")


def _require_self(actor, user):
    if actor is None or not actor.is_authenticated or actor.pk != user.pk:
        raise PermissionDenied("Only the person themselves can do this.")
    if user.is_erased:
        raise PermissionDenied("This account has been erased.")


def update_profile(*, actor, user, data) -> dict:
    _require_self(actor, user)
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    if "self_descriptions" in data:
        valid = set(SelfDescription.values)
        if not set(data["self_descriptions"]) <= valid:
            raise ValidationError({"self_descriptions": "Choose from the list."})
        data["self_descriptions"] = sorted(set(data["self_descriptions"]))
    return update_instance(actor=actor, instance=user, data=data)


@transaction.atomic
def record_consents(*, actor, user, decisions: dict) -> list:
    """Record a decision for each purpose in `decisions` ({purpose: bool}) that
    differs from the one in force. Returns the new records."""
    _require_self(actor, user)
    in_force = current_consents(user)
    now = timezone.now()
    created = []
    for purpose, granted in decisions.items():
        purpose = ConsentPurpose(purpose)
        current = in_force[purpose]
        wording = current_wording(purpose)
        if current is not None and current.granted == granted and current.wording_version == wording.version:
            continue
        if current is None and not granted:
            # Never asked before and still "no": record it, so the choice is evidenced.
            pass
        record = ConsentRecord.objects.create(
            user=user, purpose=purpose, granted=bool(granted), wording_version=wording.version, recorded_at=now
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CONSENT,
            instance=record,
            changes={"purpose": [None, purpose.value], "granted": [None, bool(granted)],
                     "wording_version": [None, wording.version]},
        )
        created.append(record)
    return created


# --- Subject access -------------------------------------------------------------


def _export_sections(user) -> dict:
    from recoverynet.federation.models import Membership

    profile = {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "legal_name": user.legal_name,
        "phone": user.phone,
        "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else "",
        "self_descriptions": ";".join(user.self_descriptions or []),
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else "",
    }
    memberships = [
        {
            "network": m.network.name,
            "settlement": m.settlement.name if m.settlement else "",
            "organisation": m.organisation.name if m.organisation else "",
            "role": m.get_role_display(),
            "status": m.get_status_display(),
            "joined_at": m.joined_at.isoformat(),
            "decided_at": m.decided_at.isoformat() if m.decided_at else "",
            "decision_reason": m.decision_reason,
        }
        for m in Membership.objects.filter(user=user).select_related("network", "settlement", "organisation")
    ]
    consents = [
        {
            "purpose": r.purpose,
            "granted": r.granted,
            "wording_version": r.wording_version,
            "recorded_at": r.recorded_at.isoformat(),
        }
        for r in ConsentRecord.objects.filter(user=user).order_by("recorded_at", "id")
    ]
    activity = [
        {
            "when": e.created_at.isoformat(),
            "action": e.action,
            "object": e.object_repr,
            "summary": e.summary,
            "changes": json.dumps(e.changes, sort_keys=True),
        }
        for e in AuditEntry.objects.filter(actor=user).order_by("created_at", "id")
    ]
    return {"profile": [profile], "memberships": memberships, "consents": consents, "activity": activity}


def _csv(rows) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            # Neutralise spreadsheet formulas in free text.
            writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()})
    return buffer.getvalue()


def export_personal_data(*, actor, user) -> bytes:
    """A zip of everything held about `user`: data.json plus one CSV per section."""
    _require_self(actor, user)
    sections = _export_sections(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps({"exported_at": timezone.now().isoformat(), **sections}, indent=2, ensure_ascii=False),
        )
        for name, rows in sections.items():
            archive.writestr(f"{name}.csv", _csv(rows))
    audit.record(actor=actor, action=AuditEntry.Action.EXPORT, instance=user, summary="Downloaded their data")
    return buffer.getvalue()


# --- Erasure --------------------------------------------------------------------


@transaction.atomic
def erase_user(*, actor, user) -> None:
    """Pseudonymise a person: their identity goes, other people's records stay
    whole (memberships remain as "left", audit entries keep their object)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from recoverynet.federation.models import Membership

    _require_self(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    withdrawals = {p: False for p, record in current_consents(user).items() if record and record.granted}
    if withdrawals:
        record_consents(actor=actor, user=user, decisions=withdrawals)
    Membership.objects.filter(user=user).exclude(status=Membership.Status.LEFT).update(
        status=Membership.Status.LEFT, decided_at=now
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.display_name = "Former member"
    user.legal_name = ""
    user.phone = ""
    user.date_of_birth = None
    user.self_descriptions = []
    # A new password hash also ends every session the person had open.
    user.set_unusable_password()
    user.is_active = False
    user.erased_at = now
    user.save()
    audit.record(actor=None, action=AuditEntry.Action.ERASE, instance=user, summary="Erased at their request")
