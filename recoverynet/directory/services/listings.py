"""Meetings, locations, services and fellowships."""

from django.core.exceptions import ValidationError
from django.db import transaction

from recoverynet.core.services import create_instance, require, update_instance
from recoverynet.federation.services import unique_slug

from ..models import Fellowship, Location, Meeting, MeetingDay, Service


def _meeting_slug(name, exclude_pk=None):
    return unique_slug(Meeting, name, exclude_pk=exclude_pk, max_length=64)


def _set_days(meeting, days) -> list | None:
    """Replace the meeting's weekdays; returns [old, new] when they changed."""
    days = sorted(set(days))
    if any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days):
        raise ValidationError({"days": "Days are numbers from 0 (Sunday) to 6 (Saturday)."})
    old = sorted(meeting.days.values_list("day", flat=True))
    if old == days:
        return None
    meeting.days.exclude(day__in=days).delete()
    MeetingDay.objects.add(meeting, [d for d in days if d not in old])
    return [old, days]


def _check_schedule(data, days):
    if data.get("start_time") is not None and not days:
        raise ValidationError({"days": "Choose the day or days the meeting happens on."})
    if days and data.get("start_time") is None:
        raise ValidationError({"start_time": "Enter the time the meeting starts."})


@transaction.atomic
def create_meeting(*, actor, network, data, days=(), types=()) -> Meeting:
    require(actor, "directory.add_meeting", network)
    _check_schedule(data, days)
    meeting = Meeting(network=network, **data)
    meeting.slug = meeting.slug or _meeting_slug(meeting.name)
    create_instance(actor=actor, instance=meeting, network=network, m2m={"types": list(types)})
    _set_days(meeting, list(days))
    return meeting


@transaction.atomic
def update_meeting(*, actor, meeting, data, days=None, types=None) -> dict:
    """Change a meeting. `days` and `types` are replaced when given."""
    require(actor, "directory.change_meeting", meeting)
    if "network" in data and data["network"] != meeting.network:
        require(actor, "directory.add_meeting", data["network"])
    if types is not None:
        data = {**data, "types": list(types)}
    _check_schedule(
        {"start_time": data.get("start_time", meeting.start_time)}, days if days is not None else meeting.weekdays
    )
    day_change = _set_days(meeting, list(days)) if days is not None else None
    return update_instance(
        actor=actor,
        instance=meeting,
        data=data,
        network=meeting.network,
        extra_changes={"days": day_change} if day_change else None,
    )


def create_location(*, actor, network, data) -> Location:
    require(actor, "directory.add_location", network)
    return create_instance(actor=actor, instance=Location(network=network, **data), network=network)


def update_location(*, actor, location, data) -> dict:
    require(actor, "directory.change_location", location)
    return update_instance(actor=actor, instance=location, data=data, network=location.network)


def create_service(*, actor, network, data, taxonomy_terms=()) -> Service:
    require(actor, "directory.add_service", network)
    service = Service(network=network, **data)
    service.slug = service.slug or unique_slug(Service, service.name)
    return create_instance(actor=actor, instance=service, network=network, m2m={"taxonomy_terms": list(taxonomy_terms)})


def update_service(*, actor, service, data) -> dict:
    require(actor, "directory.change_service", service)
    # Moving a service to another network or organisation is the coordinators' call,
    # not something its own organisation's staff can do.
    moved_network = "network" in data and data["network"] != service.network
    moved_organisation = "organisation" in data and data["organisation"] != service.organisation
    if moved_network or moved_organisation:
        require(actor, "directory.add_service", service.network)
        require(actor, "directory.add_service", data.get("network", service.network))
    return update_instance(actor=actor, instance=service, data=data, network=service.network)


def create_fellowship(*, actor, data) -> Fellowship:
    require(actor, "directory.manage_fellowships")
    fellowship = Fellowship(**data)
    fellowship.slug = fellowship.slug or unique_slug(Fellowship, fellowship.name)
    return create_instance(actor=actor, instance=fellowship)


def update_fellowship(*, actor, fellowship, data) -> dict:
    require(actor, "directory.manage_fellowships")
    return update_instance(actor=actor, instance=fellowship, data=data)
