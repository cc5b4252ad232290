"""How a person's own account, consents and sign-in records are exported and
erased (declared on the models, or registered here for allauth's and
Django's). See `core.personal_data`."""

import json

from django.contrib.auth import get_user_model
from django.utils import timezone

from recoverynet.core.models import AuditEntry
from recoverynet.core.personal_data import DELETE, ELSEWHERE, KEEP, PersonalData, register

ERASED_DISPLAY_NAME = "Former member"


def erased_email(user) -> str:
    return f"erased-{user.pk}@erased.invalid"


def _iso(value) -> str:
    return value.isoformat() if value else ""


# --- The person's own account ------------------------------------------------------


def export_profile(user) -> list:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    # Encrypted fields read back as None when empty: every value defaults to "".
    return [
        {
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
    ]


def erase_profile(*, actor, user, rows) -> None:
    """The user row stays (other people's records point at it) as "Former member"."""
    from recoverynet.federation import scoping

    user.groups.clear()
    user.user_permissions.clear()
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
    user.erased_at = timezone.now()
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


# --- Consent -------------------------------------------------------------------------


def export_consents(user) -> list:
    from .models import ConsentRecord

    return [
        {
            "purpose": r.purpose,
            "purpose_label": r.get_purpose_display(),
            "granted": r.granted,
            "wording_version": r.wording_version,
            "recorded_at": _iso(r.recorded_at),
        }
        for r in ConsentRecord.objects.filter(user=user).order_by("recorded_at", "id")
    ]


def withdraw_consents(*, actor, user, rows) -> None:
    """Consents in force are withdrawn; the records stay, as evidence of what was agreed."""
    from .privacy import current_consents
    from .services import record_consents

    withdrawals = {p: False for p, record in current_consents(user).items() if record and record.granted}
    if withdrawals:
        record_consents(actor=actor, user=user, decisions=withdrawals)


# --- The audit log -------------------------------------------------------------------


def export_activity(user) -> list:
    """What they did, and what was done to their account. Audit entries never
    hold personal data (see core.audit), so nobody else's details are here."""
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(get_user_model())
    entries = AuditEntry.objects.filter(actor=user) | AuditEntry.objects.filter(
        content_type=user_type, object_id=str(user.pk)
    )
    return [
        {
            "when": _iso(e.created_at),
            "action": e.get_action_display(),
            "object": e.object_repr,
            "summary": e.summary,
            "changes": json.dumps(e.changes, sort_keys=True),
        }
        for e in entries.order_by("created_at", "id")
    ]


# --- allauth and Django's own models ----------------------------------------------


def export_two_factor(user) -> list:
    from allauth.mfa.models import Authenticator

    # The kind and dates only: never the secrets.
    return [
        {"type": str(a.get_type_display()), "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
        for a in Authenticator.objects.filter(user=user).order_by("pk")
    ]


def anonymise_admin_history(*, actor, user, rows) -> None:
    """Django admin's history names an object by str() (a display name): entries
    about the person get their audit description instead. Entries the person
    made (as staff) stay, pointing at "Former member"."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(get_user_model())
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_repr=f"Person #{user.pk}", change_message=""
    )


register(
    "account.EmailAddress",
    PersonalData(
        owner="user",
        fields=("email",),
        on_erase=DELETE,
        export=("email", "verified", "primary"),
        section="email_addresses",
        description="the email addresses you sign in with",
    ),
)
register(
    "account.EmailConfirmation",
    PersonalData(
        owner="email_address",
        fields=("email_address",),
        on_erase=ELSEWHERE,
        export=None,
        reason="Deleted with its EmailAddress (on_delete=CASCADE); a pending confirmation key, nothing more.",
    ),
)
register(
    "mfa.Authenticator",
    PersonalData(
        owner="user",
        fields=("data",),
        on_erase=DELETE,
        export="recoverynet.accounts.personal_data.export_two_factor",
        section="two_factor",
        description="the kinds of two-factor authentication you set up (never their secrets)",
    ),
)
register(
    "admin.LogEntry",
    PersonalData(
        owner="user",
        fields=("object_repr", "change_message"),
        on_erase="recoverynet.accounts.personal_data.anonymise_admin_history",
        export=("action_time", "object_repr", "change_message"),
        section="admin_actions",
        description="changes you made in the administration site",
    ),
)
# Core's audit log: declared here, where its export lives.
register(
    "core.AuditEntry",
    PersonalData(
        owner="actor",
        on_erase=KEEP,
        export="recoverynet.accounts.personal_data.export_activity",
        section="activity",
        description="the changes you made, and those made to your account",
        public_text=("object_repr", "summary"),
        reason="Append-only, and holds no personal data by construction (core.audit redacts personal "
        "fields and free text, describes objects without names); entries point at 'Former member'.",
    ),
)
