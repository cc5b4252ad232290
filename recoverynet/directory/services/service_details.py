"""A service's parts in Open Referral UK: where it is offered
(service_at_location), when (schedule), and who to contact (contact, phone).

Whoever may change the service may change its parts; every write is
validated, audited against the service's network, and done in one
transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from recoverynet.core.services import create_instance, require

from ..models import Schedule, ServiceAtLocation, ServiceContact, ServicePhone


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
def create_schedule(*, actor, service, data, service_at_location=None) -> Schedule:
    require(actor, "directory.change_service", service)
    if service_at_location is not None and service_at_location.service_id != service.pk:
        raise ValidationError({"service_at_location": "Choose one of this service's locations."})
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        raise ValidationError({"closes_at": "The closing time must be after the opening time."})
    if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
        raise ValidationError({"valid_to": "The end date must be on or after the start date."})
    schedule = Schedule(service=service, service_at_location=service_at_location, **data)
    return create_instance(actor=actor, instance=schedule, network=service.network)


@transaction.atomic
def create_service_contact(*, actor, service, data, phone=None) -> ServiceContact:
    """A public contact for the service, with an optional phone number ({"number", "description"})."""
    require(actor, "directory.change_service", service)
    if not any((data.get(k) or "").strip() for k in ("name", "title", "email")) and not (phone or {}).get("number"):
        raise ValidationError("Enter a name, job title, email address or phone number.")
    contact = create_instance(actor=actor, instance=ServiceContact(service=service, **data), network=service.network)
    if phone and phone.get("number"):
        create_service_phone(actor=actor, service=service, data=phone, contact=contact)
    return contact


@transaction.atomic
def create_service_phone(*, actor, service, data, contact=None) -> ServicePhone:
    require(actor, "directory.change_service", service)
    if contact is not None and contact.service_id != service.pk:
        raise ValidationError({"contact": "Choose one of this service's contacts."})
    return create_instance(
        actor=actor, instance=ServicePhone(service=service, contact=contact, **data), network=service.network
    )
