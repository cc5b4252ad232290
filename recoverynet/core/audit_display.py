"""What the audit page shows for an entry's changes.

An entry's `changes` is JSON written over the years by many versions of the
code, so nothing about it is trusted: fields may have been renamed or removed,
models deleted, keys may name reverse relations, and values may be anything
JSON holds. Whatever it holds, each change becomes a row a coordinator can
read — the field's label, related records by name (looked up in one query per
related model for a whole page, never per row), choices by their labels,
booleans as Yes/No and missing values as "(none)" — and nothing raises.
"""

import contextlib
import json
from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.utils.text import capfirst

from .audit import REDACTED

NONE = "(none)"
MAX_TEXT = 300  # characters of any one value shown on the page
MAX_LABEL = 80


def _humanise(name) -> str:
    return capfirst(str(name).replace("_", " ").strip())[:MAX_LABEL] or "(unnamed)"


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _field(model, name):
    """The model field `name` names (forward, reverse or many-to-many), or None."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(field, name) -> str:
    # Reverse relations have no verbose_name: their accessor name is the label.
    verbose = getattr(field, "verbose_name", None)
    return capfirst(str(verbose))[:MAX_LABEL] if verbose else _humanise(name)


def _links_to(field):
    """The related model whose primary keys this field's values are, if any."""
    if field is None or not field.is_relation or field.auto_created:
        return None  # reverse relations record other things (a meeting's days are day numbers)
    if field.concrete and (field.many_to_one or field.one_to_one or field.many_to_many):
        return field.related_model
    return None


def _as_pk(model, value):
    """`value` as a valid primary key of `model`, or None when it cannot be one."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    pk_field = model._meta.pk
    try:
        pk = pk_field.to_python(value)
    except (ValidationError, TypeError, ValueError, OverflowError):
        return None
    if isinstance(pk, int):
        low, high = connection.ops.integer_field_range(pk_field.get_internal_type())
        if (low is not None and pk < low) or (high is not None and pk > high):
            return None
    if isinstance(pk, str) and ("\x00" in pk or len(pk) > 255):
        return None
    return pk


def _pair(value):
    """(old, new) from a change: a two-item list, or just a new value."""
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1]
    return None, value


def _items(changes):
    """(name, value) for each change, whatever shape `changes` has."""
    if isinstance(changes, dict):
        return sorted(changes.items(), key=lambda item: str(item[0]))
    if changes in (None, "", [], {}):
        return []
    return [("changes", changes)]


class ChangeDisplay:
    """Builds the rows for a page of entries: `ChangeDisplay(entries).rows(entry)`."""

    def __init__(self, entries):
        self.entries = list(entries)
        self.names = self._related_names()

    def _parsed(self, entry):
        model = entry.content_type.model_class() if entry.content_type_id else None
        for name, value in _items(entry.changes):
            field = _field(model, name) if isinstance(name, str) else None
            yield model, name, field, _pair(value)

    def _related_names(self) -> dict:
        """{related model: {pk: str(record)}} for every record the page's changes name."""
        wanted = defaultdict(set)
        for entry in self.entries:
            for _model, _name, field, pair in self._parsed(entry):
                related = _links_to(field)
                if related is None:
                    continue
                for value in pair:
                    for item in value if isinstance(value, list) else [value]:
                        pk = _as_pk(related, item)
                        if pk is not None:
                            wanted[related].add(pk)
        names = {}
        for related, pks in wanted.items():
            # One level of foreign keys, for names built from them ("Service at Location").
            forward = [f.name for f in related._meta.concrete_fields if f.many_to_one]
            records = related._base_manager.select_related(*forward).filter(pk__in=pks)
            names[related] = {record.pk: str(record) for record in records}
        return names

    def rows(self, entry) -> list:
        """[(label, old, new)] for an entry."""
        return [
            (_label(field, name), self._value(model, name, field, old), self._value(model, name, field, new))
            for model, name, field, (old, new) in self._parsed(entry)
        ]

    def _value(self, model, name, field, value) -> str:
        if value == REDACTED:
            return REDACTED
        if value is None or value == "" or value == [] or value == {}:
            return NONE
        if isinstance(value, list):
            return _truncate(", ".join(self._one(model, name, field, item) for item in value))
        return _truncate(self._one(model, name, field, value))

    def _one(self, model, name, field, value) -> str:
        if value is None or value == "":
            return NONE
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, dict | list):
            return _truncate(json.dumps(value, ensure_ascii=False, sort_keys=True))
        related = _links_to(field)
        if related is not None:
            pk = _as_pk(related, value)
            name_of = self.names.get(related, {})
            return name_of[pk] if pk in name_of else f"#{_truncate(str(value))} (no longer exists)"
        labels = _value_labels(model, name, field)
        if value in labels:
            return str(labels[value])
        if isinstance(field, models.TimeField) and isinstance(value, str):
            with contextlib.suppress(ValidationError, ValueError, TypeError):
                return field.to_python(value).strftime("%H:%M")
        return _truncate(str(value))


def _value_labels(model, name, field) -> dict:
    """Stored value → label: the field's choices, or the model's `audit_value_labels`
    for changes that are not a field's own values (a meeting's day numbers)."""
    if field is not None and getattr(field, "flatchoices", None):
        return dict(field.flatchoices)
    extra = getattr(model, "audit_value_labels", None) or {}
    return extra.get(name, {}) if isinstance(name, str) else {}
