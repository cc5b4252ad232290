"""Declarations of where personal data lives, so that erasure and subject
access (`accounts.services.erase_user`, `export_personal_data`) and the audit
log's redaction are driven by them, not by hand-kept lists.

A model that holds personal data declares it on the class::

    class ChangeRequest(models.Model):
        personal_data = PersonalData(
            owner="reporter",              # the field linking a row to its person
            fields=("reporter_email", "reason"),
            on_erase=ANONYMISE,
            export=("meeting", "field", "reason", "reporter_email", "status", "created_at"),
            section="change_requests",
            free_text=("reason",),         # never copied into the audit log
        )

(a list of declarations when more than one field links to a person), or, for
models of other apps (allauth, Django's own), with `register(label, ...)` in
the declaring app's `personal_data.py`, which `CoreConfig.ready` imports.

A model that looks personal but is not (an organisation's public contact
email) says why: `NoPersonalData(reason=..., fields=(...))`.

`accounts/tests/test_personal_data.py` walks every installed model and fails
when one with a link to a person, or an email field, is not declared.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

# What erasure does with a person's rows.
ANONYMISE = "anonymise"  # empty each of `fields` (NULL, "", or ERASED_TEXT where a value is required)
DELETE = "delete"  # delete the rows
KEEP = "keep"  # keep them as they are (say why in `reason`): they point at "Former member"
ELSEWHERE = "handled elsewhere"  # another declaration, or a cascade, takes care of them (say which)
ERASE_ACTIONS = (ANONYMISE, DELETE, KEEP, ELSEWHERE)

# What the audit log records for a change to a free-text field.
TEXT_NOT_RECORDED = "(text, not recorded)"


@dataclass(frozen=True)
class PersonalData:
    """Rows of a model that belong to a person, found through `owner`."""

    # A foreign key, one-to-one or many-to-many field to the user model; "pk" on the user model itself.
    owner: str
    # Fields holding personal data: emptied by ANONYMISE, redacted in the audit log.
    fields: tuple = ()
    # ANONYMISE, DELETE, KEEP, ELSEWHERE, or a callable(*, actor, user, rows) doing it
    # (or its dotted path, so models need not import services).
    on_erase: str | Callable = ANONYMISE
    # Field names (display values of choices, str() of relations), or a callable(user)
    # -> list of dicts (or its dotted path); None only with a `reason`.
    export: tuple | str | Callable | None = ()
    # The export's section (its key in data.json and its CSV's name) and what it holds.
    section: str = ""
    description: str = ""
    # Text people type (reasons, notes): the audit log records that it changed, not what it says.
    free_text: tuple = ()
    # Long text that is public by nature (a listing's description): recorded in the audit log as it is.
    public_text: tuple = ()
    # Fields holding an email address: a row whose value is the person's email is theirs too
    # (someone reporting while signed out). Compared in Python, so encrypted fields work.
    matches_email: tuple = ()
    reason: str = ""
    # Erase after the other declarations (the user row itself: the email is needed until then).
    erase_last: bool = False

    def rows_of(self, model, user) -> list:
        """This declaration's rows for `user` (a list, evaluated once)."""
        if self.owner == "pk":
            rows = {row.pk: row for row in model._default_manager.filter(pk=user.pk)}
        else:
            rows = {row.pk: row for row in model._default_manager.filter(**{self.owner: user}).order_by("pk")}
        email = (user.email or "").strip().lower()
        for name in self.matches_email:
            if not email:
                break
            for row in model._default_manager.exclude(**{f"{name}__isnull": True}).order_by("pk"):
                if (getattr(row, name) or "").strip().lower() == email:
                    rows.setdefault(row.pk, row)
        return [rows[pk] for pk in sorted(rows)]


@dataclass(frozen=True)
class NoPersonalData:
    """A model (or some of its fields, when `fields` is given) that looks personal but is not."""

    reason: str
    fields: tuple = ()
    free_text: tuple = field(default=(), repr=False)


_registry: dict[str, list] = {}


def register(label: str, *declarations) -> None:
    """Declare personal data for a model of another app ("account.EmailAddress")."""
    _registry.setdefault(label.lower(), []).extend(declarations)


def declarations_for(model) -> list:
    declared = getattr(model, "personal_data", None)
    if declared is None:
        declared = []
    elif not isinstance(declared, (list, tuple)):
        declared = [declared]
    return list(declared) + _registry.get(model._meta.label_lower, [])


def all_declarations():
    """(model, declaration) for every installed model, user model last."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    pairs = [(model, d) for model in apps.get_models() for d in declarations_for(model)]
    return sorted(pairs, key=lambda pair: (getattr(pair[1], "erase_last", False), pair[0] is user_model))


def free_text_fields(model) -> set:
    return {name for d in declarations_for(model) for name in d.free_text}


def personal_fields(model) -> set:
    return {name for d in declarations_for(model) if isinstance(d, PersonalData) for name in d.fields}


# --- Export and erasure ---------------------------------------------------------


def _display(row, name) -> str:
    getter = getattr(row, f"get_{name}_display", None)
    value = getter() if getter else getattr(row, name)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    return str(value)


def resolve_callable(value):
    if isinstance(value, str) and value not in ERASE_ACTIONS:
        return import_string(value)
    return value if callable(value) else None


def export_rows(model, declaration, user) -> list:
    exporter = resolve_callable(declaration.export)
    if exporter:
        return exporter(user)
    names = declaration.export or declaration.fields
    return [{name: _display(row, name) for name in names} for row in declaration.rows_of(model, user)]


def export_sections(user) -> dict:
    """{section: rows} for every declaration that exports."""
    sections = {}
    for model, declaration in all_declarations():
        if isinstance(declaration, NoPersonalData) or declaration.export is None:
            continue
        section = declaration.section or model._meta.model_name
        sections.setdefault(section, []).extend(export_rows(model, declaration, user))
    return sections


def section_descriptions() -> dict:
    return {
        d.section or model._meta.model_name: d.description
        for model, d in all_declarations()
        if isinstance(d, PersonalData) and d.export is not None
    }


# What ANONYMISE leaves in a field that may not be empty (so the row still validates).
ERASED_TEXT = "(removed: the account was erased)"


def _empty(model, name):
    model_field = model._meta.get_field(name)
    if model_field.null:
        return None
    return "" if model_field.blank else ERASED_TEXT


def erase(*, actor, user) -> None:
    """Apply every declaration's `on_erase` to the person's rows (in one transaction: the caller's)."""
    for model, declaration in all_declarations():
        if isinstance(declaration, NoPersonalData) or declaration.on_erase in (KEEP, ELSEWHERE):
            continue
        rows = declaration.rows_of(model, user)
        eraser = resolve_callable(declaration.on_erase)
        if eraser:
            eraser(actor=actor, user=user, rows=rows)
        elif declaration.on_erase == DELETE:
            model._default_manager.filter(pk__in=[row.pk for row in rows]).delete()
        elif declaration.on_erase == ANONYMISE:
            for row in rows:
                for name in declaration.fields:
                    setattr(row, name, _empty(model, name))
                # Written directly: erasure must never fail on an old row that no longer validates.
                row.save(update_fields=list(declaration.fields))
