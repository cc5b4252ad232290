"""State changes about people: profile, consent, subject access, erasure.

Only the person themselves may change their profile, record their consent,
download their data or erase their account (`_require_self`).
"""

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
from recoverynet.core.spreadsheets import spreadsheet_safe

from .consent import current_wording
from .models import ConsentPurpose, ConsentRecord, SelfDescription
from .privacy import current_consents

User = get_user_model()

PROFILE_FIELDS = ("display_name", "legal_name", "phone", "date_of_birth", "self_descriptions")
# Optional text fields the encrypted-fields library stores as NULL when empty.
OPTIONAL_TEXT_FIELDS = ("legal_name", "phone")

ERASED_DISPLAY_NAME = "Former member"


def erased_email(user) -> str:
    return f"erased-{user.pk}@erased.invalid"


def _require_self(actor, user):
    if actor is None or not actor.is_authenticated or actor.pk != user.pk:
        raise PermissionDenied("Only the person themselves can do this.")
    if user.is_erased or actor.is_erased:
        raise PermissionDenied("This account has been erased.")


# --- Profile --------------------------------------------------------------------


def update_profile(*, actor, user, data) -> dict:
    """Change one's own display name and optional (encrypted) details.
    Returns the {field: [old, new]} changes, personal values redacted."""
    _require_self(actor, user)
    data = dict(data)
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    if "display_name" in data:
        data["display_name"] = (data["display_name"] or "").strip()
        if not data["display_name"]:
            raise ValidationError({"display_name": "Enter a display name."})
    for name in OPTIONAL_TEXT_FIELDS:
        if name in data:
            # Empty is stored as NULL anyway: normalise so "" and None are the same value.
            data[name] = (data[name] or "").strip() or None
    if data.get("date_of_birth") is not None and data["date_of_birth"] > timezone.localdate():
        raise ValidationError({"date_of_birth": "Your date of birth must be in the past."})
    if "self_descriptions" in data:
        values = data["self_descriptions"] or []
        if isinstance(values, str) or not set(values) <= set(SelfDescription.values):
            raise ValidationError({"self_descriptions": "Choose from the list."})
        data["self_descriptions"] = sorted(set(values))
    return update_instance(actor=actor, instance=user, data=data)


# --- Consent --------------------------------------------------------------------


@transaction.atomic
def record_consents(*, actor, user, decisions: dict) -> list:
    """Record a decision for each purpose in `decisions` ({purpose: bool}).

    A record is written when the decision differs from the one in force, when
    the wording has changed since, or when the person is asked for the first
    time (a first "no" is recorded too, so the choice is evidenced).
    Returns the new records."""
    _require_self(actor, user)
    parsed = {}
    for purpose, granted in decisions.items():
        try:
            purpose = ConsentPurpose(purpose)
        except ValueError as exc:
            raise ValidationError(f"Unknown consent purpose: {purpose}.") from exc
        if not isinstance(granted, bool):
            raise ValidationError({purpose.value: "Choose yes or no."})
        parsed[purpose] = granted
    in_force = current_consents(user)
    now = timezone.now()
    created = []
    for purpose, granted in parsed.items():
        current = in_force[purpose.value]
        wording = current_wording(purpose)
        if current is not None and current.granted == granted and current.wording_version == wording.version:
            continue
        record = ConsentRecord(
            user=user, purpose=purpose.value, granted=granted, wording_version=wording.version, recorded_at=now
        )
        record.full_clean()
        record.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CONSENT,
            instance=record,
            changes={
                "purpose": [None, purpose.value],
                "granted": [current.granted if current else None, granted],
                "wording_version": [current.wording_version if current else None, wording.version],
            },
            summary="Consent given" if granted else "Consent refused or withdrawn",
        )
        created.append(record)
    return created


# --- Subject access -------------------------------------------------------------


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _export_sections(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.contenttypes.models import ContentType

    from recoverynet.federation.models import Membership

    # Encrypted fields read back as None when empty: every value defaults to "".
    profile = {
        "id": user.pk,
        "email": user.email or "",
        "display_name": user.display_name or "",
        "legal_name": user.legal_name or "",
        "phone": user.phone or "",
        "date_of_birth": _iso(user.date_of_birth),
        "self_descriptions": ";".join(user.get_self_descriptions_display()),
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": ";".join(
            f"{e.email} ({'verified' if e.verified else 'not verified'})"
            for e in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ),
        # Which kinds of two-factor authentication are set up: never the secrets.
        "two_factor_authentication": ";".join(
            sorted(str(a.get_type_display()) for a in Authenticator.objects.filter(user=user))
        ),
    }
    memberships = [
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
    consents = [
        {
            "purpose": r.purpose,
            "purpose_label": r.get_purpose_display(),
            "granted": r.granted,
            "wording_version": r.wording_version,
            "recorded_at": _iso(r.recorded_at),
        }
        for r in ConsentRecord.objects.filter(user=user).order_by("recorded_at", "id")
    ]
    # What they did, and what was done to their account. Audit entries never
    # hold personal data (see core.audit), so nobody else's details are here.
    user_type = ContentType.objects.get_for_model(User)
    entries = AuditEntry.objects.filter(actor=user) | AuditEntry.objects.filter(
        content_type=user_type, object_id=str(user.pk)
    )
    activity = [
        {
            "when": _iso(e.created_at),
            "action": e.get_action_display(),
            "object": e.object_repr,
            "summary": e.summary,
            "changes": json.dumps(e.changes, sort_keys=True),
        }
        for e in entries.order_by("created_at", "id")
    ]
    return {"profile": [profile], "memberships": memberships, "consents": consents, "activity": activity}


def _csv(rows) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return buffer.getvalue()


EXPORT_README = """Your data from RecoveryNet
==========================

data.json         everything below in one file
profile.csv       your account and the optional details you gave us
memberships.csv   the networks and settlements you joined or asked to join
consents.csv      every consent decision you made, with the wording version you saw
activity.csv      the changes you made, and those made to your account

Downloaded at {exported_at}.
"""


def export_personal_data(*, actor, user) -> bytes:
    """A zip of everything held about `user`: data.json plus one CSV per section."""
    _require_self(actor, user)
    sections = _export_sections(user)
    exported_at = timezone.now().isoformat()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", EXPORT_README.format(exported_at=exported_at))
        archive.writestr(
            "data.json",
            json.dumps({"exported_at": exported_at, **sections}, indent=2, ensure_ascii=False),
        )
        for name, rows in sections.items():
            archive.writestr(f"{name}.csv", _csv(rows))
    audit.record(actor=actor, action=AuditEntry.Action.EXPORT, instance=user, summary="Downloaded their data")
    return buffer.getvalue()


# --- Erasure --------------------------------------------------------------------


@transaction.atomic
def erase_user(*, actor, user) -> None:
    """Pseudonymise a person: their identity goes, other people's records stay
    whole (memberships remain as "left", audit entries keep their object).

    Consents in force are withdrawn (the records stay, as evidence), sign-in
    email addresses and two-factor authenticators are deleted, the password is
    made unusable (which also ends every session the person had open) and the
    account can never sign in again. This cannot be undone."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from recoverynet.federation import scoping
    from recoverynet.federation.models import Membership

    _require_self(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_erased:
        raise PermissionDenied("This account has been erased.")
    now = timezone.now()

    withdrawals = {p: False for p, record in current_consents(user).items() if record and record.granted}
    if withdrawals:
        record_consents(actor=actor, user=user, decisions=withdrawals)

    # Memberships stay (networks' numbers and other people's records keep
    # making sense), marked "left"; each network's log shows the departure.
    # Written directly (not through full_clean): erasure must never fail
    # because some other part of an old membership no longer validates.
    for membership in (
        Membership.objects.select_for_update()
        .filter(user=user)
        .exclude(status=Membership.Status.LEFT)
        .select_related("network")
    ):
        old_status, old_decided = membership.status, membership.decided_at
        membership.status = Membership.Status.LEFT
        membership.decided_at = now
        membership.save(update_fields=["status", "decided_at"])
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
    user.coordinated_federations.clear()
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()

    user.email = erased_email(user)
    user.display_name = ERASED_DISPLAY_NAME
    user.legal_name = None
    user.phone = None
    user.date_of_birth = None
    user.self_descriptions = []
    user.last_login = None
    # A new password hash also ends every session the person had open.
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = now
    user.save(
        update_fields=[
            "email",
            "display_name",
            "legal_name",
            "phone",
            "date_of_birth",
            "self_descriptions",
            "last_login",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "erased_at",
        ]
    )
    scoping.forget_scope(actor)
    audit.record(actor=None, action=AuditEntry.Action.ERASE, instance=user, summary="Erased at their request")
