"""Writing audit entries.

Personal fields never reach the audit log: their changes are recorded as
"(changed)" so the trail shows *that* a pseudonym or phone number changed,
never what it was. Free text people type (a change request's reason) is
recorded as "(text, not recorded)". Both come from the models' personal-data
declarations (`core.personal_data`). Erasure therefore leaves nothing personal
behind here.
"""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry
from .personal_data import TEXT_NOT_RECORDED, free_text_fields, personal_fields

REDACTED = "(changed)"


def is_personal_field(model_field) -> bool:
    """Encrypted fields, and the `fields` of a model's personal-data declarations, are personal."""
    from encrypted_fields.fields import EncryptedFieldMixin

    if isinstance(model_field, EncryptedFieldMixin):
        return True
    return model_field.name in personal_fields(model_field.model)


def is_free_text_field(model_field) -> bool:
    return model_field.name in free_text_fields(model_field.model)


def _text_marker(value):
    return TEXT_NOT_RECORDED if value not in (None, "") else value


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time, decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance, field_names=None) -> dict:
    """The concrete field values of `instance`, for diffing before and after a change."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field_names is not None and field.name not in field_names:
            continue
        values[field.name] = _plain(getattr(instance, field.attname))
    return values


def diff(instance, before: dict, after: dict) -> dict:
    """{field: [old, new]} for each changed field, personal values redacted."""
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if old == new:
            continue
        field = instance._meta.get_field(name)
        if is_free_text_field(field):
            changes[name] = [_text_marker(old), _text_marker(new)]
        elif is_personal_field(field):
            changes[name] = [REDACTED, REDACTED]
        else:
            changes[name] = [old, new]
    return changes


def describe(instance) -> str:
    """A description with no personal data: models may define `audit_repr`."""
    if hasattr(instance, "audit_repr"):
        return instance.audit_repr()[:200]
    return f"{instance._meta.verbose_name} #{instance.pk}"[:200]


def record(*, actor, action, instance=None, network=None, changes=None, summary="") -> AuditEntry:
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=actor,
        action=action,
        network=network,
        changes=changes or {},
        summary=summary[:300],
    )
    if instance is not None:
        entry.content_type = ContentType.objects.get_for_model(instance)
        entry.object_id = str(instance.pk)
        entry.object_repr = describe(instance)
    entry.save()
    return entry
