"""Shared building blocks for every app's services layer.

A service function: checks permission (`require`), validates
(`model.full_clean`), writes, records the audit entry and does its side
effects, all in one transaction, so a failure never half-writes.
"""

import contextlib

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from . import audit
from .models import AuditEntry


def require(actor, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless the rules give `actor` `perm` (on `obj`).

    Asks the rules directly rather than `user.has_perm`, which lets a
    superuser pass every check: here a superuser is a federation coordinator
    (see scoping), and self-only actions stay self-only."""
    if actor is None or not actor.is_active or not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(f"You do not have permission to do this ({perm}).")


_UNIQUE_CODES = {"unique", "unique_together"}


@contextlib.contextmanager
def made_at_the_same_moment(error: ValidationError):
    """Raise `error` when another request made the same row at the same moment.

    Which check notices depends on timing: the database constraint
    (IntegrityError) when both got past validation, or `full_clean`'s unique
    check when the other request committed first. To the person both mean the
    same thing, so both become the service's own message. Wrap it around a
    savepoint (`transaction.atomic()`) so the outer transaction survives."""
    try:
        yield
    except IntegrityError as exc:
        raise error from exc
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            errors = [e for field_errors in exc.error_dict.values() for e in field_errors]
        else:
            errors = exc.error_list
        if errors and all(e.code in _UNIQUE_CODES for e in errors):
            raise error from exc
        raise


@transaction.atomic
def create_instance(*, actor, instance, network=None, summary="", m2m=None):
    """Validate and save a new instance, set many-to-many values, audit it."""
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    after = {k: v for k, v in audit.snapshot(instance).items() if v not in (None, "", [], {})}
    changes = audit.diff(instance, {}, after)
    for name, values in (m2m or {}).items():
        changes[name] = [[], sorted(v.pk for v in values)]
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        instance=instance,
        network=network,
        changes=changes,
        summary=summary,
    )
    return instance


@transaction.atomic
def update_instance(
    *, actor, instance, data: dict, network=None, action=AuditEntry.Action.UPDATE, summary="", extra_changes=None
):
    """Apply `data` (field name → value) to `instance`, validate, save only what
    changed, audit the difference. Many-to-many fields are set after the save;
    `extra_changes` records changes the caller made to related rows.
    Returns the {field: [old, new]} changes (empty when nothing changed)."""
    m2m_names = {f.name for f in instance._meta.many_to_many}
    scalar = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    before = audit.snapshot(instance, scalar.keys())
    for name, value in scalar.items():
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except ValidationError:
        instance.refresh_from_db()
        raise
    after = audit.snapshot(instance, scalar.keys())
    changes = audit.diff(instance, before, after)
    # save(update_fields=...) skips auto_now fields unless named: name them, so
    # "last modified" (feeds' ETags, Open Referral's modified_after) stays true.
    stamps = [f.attname for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
    if changes:
        instance.save(update_fields=[instance._meta.get_field(n).attname for n in changes] + stamps)
    for name, values in m2m.items():
        manager = getattr(instance, name)
        old = sorted(manager.values_list("pk", flat=True))
        new = sorted(v.pk for v in values)
        if old != new:
            manager.set(values)
            changes[name] = [old, new]
    if stamps and not set(changes) - set(m2m) and (set(changes) & set(m2m) or extra_changes):
        instance.save(update_fields=stamps)  # only related rows changed: the object did too
    changes.update(extra_changes or {})
    if changes or action != AuditEntry.Action.UPDATE:
        audit.record(actor=actor, action=action, instance=instance, network=network, changes=changes, summary=summary)
    return changes


def record_audit_export(*, actor, filters: dict) -> AuditEntry:
    """Downloading the audit trail is itself an auditable act."""
    require(actor, "core.view_auditentry")
    described = ", ".join(f"{k}={v}" for k, v in sorted(filters.items()) if v not in (None, "")) or "no filters"
    return audit.record(actor=actor, action=AuditEntry.Action.EXPORT, summary=f"Audit log exported ({described})")
