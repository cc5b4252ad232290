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

from recoverynet.core import audit, personal_data
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


def _csv(rows) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return buffer.getvalue()


def _readme(exported_at: str, sections: dict) -> str:
    """What each file holds; a section with nothing in it has no CSV, and says so."""
    lines = ["Your data from RecoveryNet", "==========================", "", "data.json  everything below in one file"]
    empty = []
    for section, description in personal_data.section_descriptions().items():
        if sections.get(section):
            lines.append(f"{section}.csv  {description}")
        else:
            empty.append(f"  {section}: {description}")
    if empty:
        lines += ["", "We hold nothing of these, so there is no file for them:", *empty]
    return "\n".join([*lines, "", f"Downloaded at {exported_at}.", ""])


def export_personal_data(*, actor, user) -> bytes:
    """A zip of everything held about `user`: data.json plus one CSV per
    section, one section per personal-data declaration (core.personal_data)."""
    _require_self(actor, user)
    sections = personal_data.export_sections(user)
    exported_at = timezone.now().isoformat()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(exported_at, sections))
        archive.writestr(
            "data.json",
            json.dumps({"exported_at": exported_at, **sections}, indent=2, ensure_ascii=False),
        )
        for name, rows in sections.items():
            if rows:  # an empty spreadsheet says nothing; the README lists what is empty
                archive.writestr(f"{name}.csv", _csv(rows))
    audit.record(actor=actor, action=AuditEntry.Action.EXPORT, instance=user, summary="Downloaded their data")
    return buffer.getvalue()


# --- Erasure --------------------------------------------------------------------


@transaction.atomic
def erase_user(*, actor, user) -> None:
    """Pseudonymise a person: their identity goes, other people's records stay
    whole (memberships remain as "left", audit entries keep their object).

    Driven by every model's personal-data declaration (core.personal_data):
    consents in force are withdrawn (the records stay, as evidence), sign-in
    email addresses and two-factor authenticators are deleted, the email and
    reason on their change reports are emptied (so no decision is emailed),
    coordinator roles end, and last the account itself is pseudonymised, its
    password made unusable (which also ends every session the person had
    open); it can never sign in again. This cannot be undone."""
    _require_self(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_erased:
        raise PermissionDenied("This account has been erased.")
    personal_data.erase(actor=actor, user=user)
    audit.record(actor=None, action=AuditEntry.Action.ERASE, instance=user, summary="Erased at their request")
