"""A service's parts in Open Referral UK: where it is offered
(service_at_location), when (schedule), and who to contact (contact, phone).

Whoever may change the service may change or remove its parts; every write
is validated, audited against the service's network, and done in one
transaction. A removal is audited with the values removed, so the trail
shows what was there."""

from django.core.exceptions import ValidationError
from django.db import transaction

from recoverynet.core import audit
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import create_instance, require, update_instance

from ..models import Schedule, ServiceAtLocation, ServiceContact, ServicePhone

CONTACT_FIELDS = ("name", "title", "email")
SCHEDULE_CHECKED_FIELDS = ("service_at_location", "opens_at", "closes_at", "valid_from", "valid_to")


def _record_removal(*, actor, instance, network, summary=""):
    """Audit `instance` before it is deleted: each non-empty field as [value, None],
    redacted as core.audit redacts any change to a personal field."""
    before = {k: v for k, v in audit.snapshot(instance).items() if v not in (None, "", [], {})}
    audit.record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        instance=instance,
        network=network,
        changes=audit.diff(instance, before, dict.fromkeys(before)),
        summary=summary,
    )


def _locked(model, instance, gone_message):
    """The row, locked for the rest of the transaction; a clear error if someone removed it first."""
    row = model.objects.select_for_update().filter(pk=instance.pk).first()
    if row is None:
        raise ValidationError(gone_message)
    return row


@transaction.atomic
def add_service_location(*, actor, service, location) -> ServiceAtLocation:
    require(actor, "directory.change_service", service)
    if location.network_id != service.network_id:
        raise ValidationError({"location": "Choose one of this network's locations."})
    if ServiceAtLocation.objects.filter(service=service, location=location).exists():
        raise ValidationError({"location": "The service is already listed at this location."})
    return create_instance(
        actor=actor, instance=ServiceAtLocation(service=service, location=location), network=service.network
    )


@transaction.atomic
def remove_service_location(*, actor, service_at_location) -> list[Schedule]:
    """Stop listing the service at a location. Opening times given for that
    location only make sense there, so they are removed with it (each one
    audited); the service's other opening times stay. Returns the schedules removed."""
    service = service_at_location.service
    require(actor, "directory.change_service", service)
    service_at_location = _locked(
        ServiceAtLocation, service_at_location, "The service is no longer listed at this location."
    )
    schedules = list(service_at_location.schedules.select_for_update().order_by("pk"))
    for schedule in schedules:
        _record_removal(actor=actor, instance=schedule, network=service.network, summary="Removed with its location")
    _record_removal(
        actor=actor,
        instance=service_at_location,
        network=service.network,
        summary=f"{service.audit_repr()} no longer listed at {service_at_location.location.audit_repr()}",
    )
    service_at_location.delete()  # the database cascades to the schedules audited above
    return schedules


def _check_schedule(service, data):
    """Cross-field rules for a schedule; `data` holds every value the schedule will have."""
    service_at_location = data.get("service_at_location")
    if service_at_location is not None and service_at_location.service_id != service.pk:
        raise ValidationError({"service_at_location": "Choose one of this service's locations."})
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        raise ValidationError({"closes_at": "The closing time must be after the opening time."})
    if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
        raise ValidationError({"valid_to": "The end date must be on or after the start date."})


@transaction.atomic
def create_schedule(*, actor, service, data, service_at_location=None) -> Schedule:
    require(actor, "directory.change_service", service)
    _check_schedule(service, {**data, "service_at_location": service_at_location})
    schedule = Schedule(service=service, service_at_location=service_at_location, **data)
    return create_instance(actor=actor, instance=schedule, network=service.network)


@transaction.atomic
def update_schedule(*, actor, schedule, data) -> dict:
    """Change a schedule's fields (`service_at_location` too); returns the {field: [old, new]} changes."""
    service = schedule.service
    require(actor, "directory.change_service", service)
    if "service" in data and data["service"] != service:
        raise ValidationError("Opening times cannot be moved to another service.")
    schedule = _locked(Schedule, schedule, "These opening times have been removed.")
    current = {name: getattr(schedule, name) for name in SCHEDULE_CHECKED_FIELDS}
    _check_schedule(service, {**current, **data})
    return update_instance(actor=actor, instance=schedule, data=data, network=service.network)


@transaction.atomic
def delete_schedule(*, actor, schedule) -> None:
    service = schedule.service
    require(actor, "directory.change_service", service)
    schedule = _locked(Schedule, schedule, "These opening times have already been removed.")
    _record_removal(actor=actor, instance=schedule, network=service.network, summary=f"From {service.audit_repr()}")
    schedule.delete()


def _check_contact(data, has_phone):
    if not any((data.get(k) or "").strip() for k in CONTACT_FIELDS) and not has_phone:
        raise ValidationError("Enter a name, job title, email address or phone number.")


@transaction.atomic
def create_service_contact(*, actor, service, data, phone=None) -> ServiceContact:
    """A public contact for the service, with an optional phone number ({"number", "description"})."""
    require(actor, "directory.change_service", service)
    _check_contact(data, bool((phone or {}).get("number")))
    contact = create_instance(actor=actor, instance=ServiceContact(service=service, **data), network=service.network)
    if phone and phone.get("number"):
        create_service_phone(actor=actor, service=service, data=phone, contact=contact)
    return contact


@transaction.atomic
def update_service_contact(*, actor, contact, data, phone=None) -> dict:
    """Change a contact and, when `phone` ({"number", "description"}) is given, its
    phone number: the contact's first phone is changed, added when it has none,
    or removed when the number is empty; any further phones (from an import)
    stay. Returns the contact's changes, plus "phone": "added", "changed" or
    "removed" when the phone number was."""
    service = contact.service
    require(actor, "directory.change_service", service)
    contact = _locked(ServiceContact, contact, "This contact has already been removed.")
    phones = list(contact.phones.select_for_update().order_by("pk"))
    first_phone = phones[0] if phones else None
    keeps_a_phone = bool(phone.get("number") or phones[1:]) if phone is not None else bool(phones)
    _check_contact({k: data.get(k, getattr(contact, k)) for k in CONTACT_FIELDS}, keeps_a_phone)
    changes = update_instance(actor=actor, instance=contact, data=data, network=service.network)
    if phone is None:
        return changes
    if first_phone is None and phone.get("number"):
        create_service_phone(actor=actor, service=service, data=phone, contact=contact)
        changes["phone"] = "added"
    elif first_phone is not None and not phone.get("number"):
        _record_removal(actor=actor, instance=first_phone, network=service.network, summary="Removed from its contact")
        first_phone.delete()
        changes["phone"] = "removed"
    elif first_phone is not None:
        phone_data = {"number": phone["number"], "description": phone.get("description") or ""}
        if update_instance(actor=actor, instance=first_phone, data=phone_data, network=service.network):
            changes["phone"] = "changed"
    return changes


@transaction.atomic
def delete_service_contact(*, actor, contact) -> None:
    """Remove a contact and its phone numbers (each audited)."""
    service = contact.service
    require(actor, "directory.change_service", service)
    contact = _locked(ServiceContact, contact, "This contact has already been removed.")
    for phone in contact.phones.select_for_update().order_by("pk"):
        _record_removal(actor=actor, instance=phone, network=service.network, summary="Removed with its contact")
    _record_removal(actor=actor, instance=contact, network=service.network, summary=f"From {service.audit_repr()}")
    contact.delete()  # the database cascades to the phones audited above


@transaction.atomic
def create_service_phone(*, actor, service, data, contact=None) -> ServicePhone:
    require(actor, "directory.change_service", service)
    if contact is not None and contact.service_id != service.pk:
        raise ValidationError({"contact": "Choose one of this service's contacts."})
    return create_instance(
        actor=actor, instance=ServicePhone(service=service, contact=contact, **data), network=service.network
    )
