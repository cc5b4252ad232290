"""Open Referral UK 3.0 shapes for the directory's rows.

Stored services (directory.Service and its Open Referral rows) map one to one.
Meetings are services of their fellowship: the fellowship is the organization,
the meeting's rule becomes a schedule, its types become attributes with terms
from the "RecoveryNet meeting types" taxonomy. Objects that are not stored rows
get stable ids: uuid5 of a fixed namespace and a name built from stored uuids.

Only public facts leave here: no meeting contact person, no user data.

Below them, the REST framework serializers that read each endpoint's query parameters.
"""

import datetime
import functools
import math
import re
import uuid

from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from .. import places
from ..models import DAY_NAMES, Meeting, Service
from ..reference import meeting_guide_types

# Never change: every derived id depends on it.
NAMESPACE = uuid.UUID("6f1c1a3e-53b0-4d8e-9a51-7a3a9d0e2c41")

MEETING_TYPES_TAXONOMY_NAME = "RecoveryNet meeting types"
MEETING_TYPES_TAXONOMY_DESCRIPTION = (
    "Types of mutual-aid meeting, from the Meeting Guide specification's type codes "
    "(code4recovery/spec): open or closed, format, language, accessibility and who the meeting is for."
)
MEETING_TYPES_TAXONOMY_URI = "https://github.com/code4recovery/spec"

ICAL_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]  # Meeting Guide numbering: 0 = Sunday
ATTENDING_TYPES = {
    Meeting.Attendance.IN_PERSON: "in person",
    Meeting.Attendance.ONLINE: "online",
    Meeting.Attendance.HYBRID: "hybrid",
}


def meeting_status(meeting) -> str:
    """As Meeting Guide reads it: a temporarily closed meeting with a conference
    link or phone still meets online, so it is an active service (attending online)."""
    if meeting.status == Meeting.Status.INACTIVE:
        return "inactive"
    if meeting.status == Meeting.Status.TEMPORARILY_CLOSED and not meeting.is_online:
        return "temporarily closed"
    return "active"


COUNTRY = "GB"


def derived_id(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


MEETING_TYPES_TAXONOMY_ID = derived_id("taxonomy:meeting-types")


def meeting_type_term_id(code: str) -> str:
    return derived_id(f"meeting-type:{code}")


@functools.cache
def meeting_type_codes_by_term_id() -> dict:
    """{term id: Meeting Guide code} for every code the spec knows (no query)."""
    return {meeting_type_term_id(code): code for code in meeting_guide_types()}


# A meeting's service_at_location id is its uuid with these bits flipped: stable, distinct from
# the meeting's own id, and reversible, so a request for it finds the meeting by its indexed
# uuid. The mask leaves the version and variant bits alone, so the result is as valid a uuid as the meeting's.
SAL_ID_MASK = 0x5A3C_96E1_0F0F_0B2D_3C71_E4A8_5D29_C6F0 & ~((0xF << 76) | (0x3 << 62))


def meeting_sal_id(meeting) -> str:
    return str(uuid.UUID(int=meeting.uuid.int ^ SAL_ID_MASK))


def meeting_uuid_for_sal_id(sal_id: uuid.UUID) -> uuid.UUID:
    """The uuid of the meeting whose service_at_location id is `sal_id` (if any meeting has it)."""
    return uuid.UUID(int=sal_id.int ^ SAL_ID_MASK)


def compact(data: dict, keep=("description",)) -> dict:
    """Drop empty optional values: the schemas type them (number, uri, email), so
    null or "" would be invalid. Keys in `keep` stay even when empty."""
    return {k: v for k, v in data.items() if k in keep or (v is not None and v != "" and v != [])}


def _iso(value):
    return value.isoformat() if value is not None else None


def _time(value):
    return value.strftime("%H:%M:%S") if value is not None else None


def absolute(request, path):
    return request.build_absolute_uri(path) if path else None


def safe_url(request, obj):
    try:
        return absolute(request, obj.get_absolute_url())
    except NoReverseMatch:  # the public pages may not be wired yet
        return None


# --- organizations -------------------------------------------------------------


def organisation(org) -> dict:
    return compact(
        {
            "id": str(org.uuid),
            "name": org.name,
            "description": org.description,
            "email": org.email,
            "website": org.website,
        }
    )


def fellowship(fellowship_obj) -> dict:
    description = fellowship_obj.description or f"{fellowship_obj.name}: {fellowship_obj.get_kind_display()}."
    return compact(
        {
            "id": str(fellowship_obj.uuid),
            "name": fellowship_obj.name,
            "description": description,
            "email": fellowship_obj.email,
            "website": fellowship_obj.website,
        }
    )


# --- taxonomies ------------------------------------------------------------------


def taxonomy(tax, terms=None) -> dict:
    data = compact(
        {
            "id": str(tax.uuid),
            "name": tax.name,
            "description": tax.description,
            "uri": tax.uri,
            "version": tax.version,
        }
    )
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(t, tax) for t in terms]
    return data


def meeting_types_taxonomy(types=None) -> dict:
    data = {
        "id": MEETING_TYPES_TAXONOMY_ID,
        "name": MEETING_TYPES_TAXONOMY_NAME,
        "description": MEETING_TYPES_TAXONOMY_DESCRIPTION,
        "uri": MEETING_TYPES_TAXONOMY_URI,
    }
    if types is not None:
        data["taxonomy_terms"] = [meeting_type_term(t) for t in types]
    return data


def taxonomy_term(term, tax=None) -> dict:
    tax = tax or term.taxonomy
    return compact(
        {
            "id": str(term.uuid),
            "name": term.name,
            "description": term.description,
            "parent_id": str(term.parent.uuid) if term.parent_id else None,
            "taxonomy": tax.name,
            "taxonomy_id": str(tax.uuid),
            "term_uri": term.term_uri,
            "term": term.code,
        }
    )


def meeting_type_term(meeting_type) -> dict:
    return {
        "id": meeting_type_term_id(meeting_type.code),
        "name": meeting_type.name,
        "description": f"Meeting Guide type code {meeting_type.code}: {meeting_type.name}.",
        "taxonomy": MEETING_TYPES_TAXONOMY_NAME,
        "taxonomy_id": MEETING_TYPES_TAXONOMY_ID,
        "term": meeting_type.code,
    }


# --- locations -------------------------------------------------------------------


def location(loc, full=True) -> dict:
    virtual = loc.approximate
    data = {
        "id": str(loc.uuid),
        "location_type": "virtual" if virtual else "physical",
        "name": loc.name or loc.town,
        "description": loc.notes,
        "latitude": float(loc.latitude) if loc.latitude is not None else None,
        "longitude": float(loc.longitude) if loc.longitude is not None else None,
    }
    if full and not virtual:
        data["addresses"] = [
            compact(
                {
                    "id": derived_id(f"location-address:{loc.uuid}"),
                    "location_id": str(loc.uuid),
                    "address_1": loc.address,
                    "city": loc.town,
                    "region": loc.region,
                    # Required by the schema; the network is the county-level area (Lancashire, Cumbria...).
                    "state_province": loc.network.name,
                    "postal_code": loc.postcode,
                    "country": COUNTRY,
                    "address_type": "physical",
                },
                keep=("address_1", "city", "state_province", "postal_code", "country", "address_type"),
            )
        ]
    return compact(data)


# --- stored services ---------------------------------------------------------------


def _service_core(svc, request) -> dict:
    return {
        "id": str(svc.uuid),
        "organization_id": str(svc.organisation.uuid),
        "name": svc.name,
        "description": svc.description,
        "url": svc.url,
        "email": svc.email,
        "status": svc.status,
        "fees": svc.fees,
        "accreditations": svc.accreditations,
        "minimum_age": svc.minimum_age,
        "maximum_age": svc.maximum_age,
        "assured_date": _iso(svc.assured_date),
        "alert": svc.alert,
        "last_modified": _iso(svc.updated_at),
    }


def service_basic(svc, request) -> dict:
    data = _service_core(svc, request)
    data["organization"] = organisation(svc.organisation)
    return compact(data)


def minimal(obj) -> dict:
    """The `minimal` variant: id and when it last changed (plus the fields the list schema requires)."""
    status = obj.status if isinstance(obj, Service) else meeting_status(obj)
    return {"id": str(obj.uuid), "name": obj.name, "status": status, "last_modified": _iso(obj.updated_at)}


def _phone(phone) -> dict:
    return compact(
        {
            "id": str(phone.uuid),
            "contact_id": str(phone.contact.uuid) if phone.contact_id else None,
            "number": phone.number,
            "description": phone.description,
        },
        keep=("number",),
    )


def _schedule(schedule, svc) -> dict:
    return compact(
        {
            "id": str(schedule.uuid),
            "service_id": str(svc.uuid),
            "service_at_location_id": (
                str(schedule.service_at_location.uuid) if schedule.service_at_location_id else None
            ),
            "valid_from": _iso(schedule.valid_from),
            "valid_to": _iso(schedule.valid_to),
            "freq": schedule.freq,
            "interval": 1,
            "byday": schedule.byday,
            "opens_at": _time(schedule.opens_at),
            "closes_at": _time(schedule.closes_at),
            "description": schedule.description,
            "attending_type": schedule.attending_type,
        }
    )


def service_at_location(sal, request, full=True, with_service=True) -> dict:
    data = {
        "id": str(sal.uuid),
        "service_id": str(sal.service.uuid),
        "location_id": str(sal.location.uuid),
        "location": location(sal.location, full=full),
    }
    if with_service:
        data["service"] = service_full(sal.service, request) if full else service_basic(sal.service, request)
    return data


def service_full(svc, request) -> dict:
    data = _service_core(svc, request)
    data["organization"] = organisation(svc.organisation)
    data["schedules"] = [_schedule(s, svc) for s in svc.schedules.all()]
    data["service_at_locations"] = [
        service_at_location(sal, request, full=True, with_service=False) for sal in svc.service_at_locations.all()
    ]
    phones = list(svc.phones.all())
    data["contacts"] = [
        compact(
            {
                "id": str(c.uuid),
                "service_id": str(svc.uuid),
                "name": c.name,
                "title": c.title,
                "email": c.email,
                "phones": [_phone(p) for p in phones if p.contact_id == c.pk],
            }
        )
        for c in svc.contacts.all()
    ]
    # Numbers for the service as a whole (HSDS 3.0 service.phones).
    data["phones"] = [_phone(p) for p in phones if p.contact_id is None]
    data["attributes"] = [
        {
            "id": derived_id(f"service-attribute:{svc.uuid}:{term.uuid}"),
            "link_id": str(svc.uuid),
            "link_type": "service",
            "taxonomy_term_id": str(term.uuid),
            "taxonomy_term": taxonomy_term(term),
        }
        for term in svc.taxonomy_terms.all()
    ]
    return compact(data, keep=("description", "schedules", "service_at_locations", "contacts", "attributes"))


# --- meetings as services --------------------------------------------------------------


def _meeting_core(meeting, request) -> dict:
    return {
        "id": str(meeting.uuid),
        "organization_id": str(meeting.fellowship.uuid),
        "name": meeting.name,
        "description": meeting.notes,
        "url": safe_url(request, meeting) or meeting.url,
        "status": meeting_status(meeting),
        "last_modified": _iso(meeting.updated_at),
    }


def meeting_basic(meeting, request) -> dict:
    data = _meeting_core(meeting, request)
    data["organization"] = fellowship(meeting.fellowship)
    return compact(data)


def meeting_byday(meeting) -> str:
    days = meeting.weekdays
    prefix = str(meeting.monthly_week) if meeting.monthly_week else ""
    return ",".join(f"{prefix}{ICAL_DAYS[d]}" for d in days)


def meeting_schedule(meeting) -> dict | None:
    days = meeting.weekdays
    if not days:
        return None
    monthly = meeting.monthly_week is not None
    when = ", ".join(DAY_NAMES[d] for d in days)
    when = f"{meeting.get_monthly_week_display()} {when} of the month" if monthly else f"Every {when}"
    if meeting.start_time:
        end = meeting.effective_end_time
        when += f", {meeting.start_time:%H:%M} to {end:%H:%M} ({meeting.timezone})"
    else:
        when += ", by appointment"
    return compact(
        {
            "id": derived_id(f"meeting-schedule:{meeting.uuid}"),
            "service_id": str(meeting.uuid),
            "service_at_location_id": meeting_sal_id(meeting) if meeting.location_id else None,
            "freq": "MONTHLY" if monthly else "WEEKLY",
            "interval": 1,
            "byday": meeting_byday(meeting),
            "opens_at": _time(meeting.start_time),
            "closes_at": _time(meeting.effective_end_time),
            "description": when + ".",
            "attending_type": ATTENDING_TYPES.get(meeting.attendance),
            "notes": meeting.conference_url_notes if meeting.is_online else None,
        }
    )


def meeting_service_at_location(meeting, request, full=True, with_service=True) -> dict:
    data = {
        "id": meeting_sal_id(meeting),
        "service_id": str(meeting.uuid),
        "location_id": str(meeting.location.uuid),
        "location": location(meeting.location, full=full),
    }
    # The meeting's "X" type describes its venue (types are prefetched for full views only).
    if full and not meeting.location.approximate and any(t.code == "X" for t in meeting.types.all()):
        data["location"]["accessibility"] = [
            {
                "id": derived_id(f"meeting-accessibility:{meeting.uuid}"),
                "location_id": str(meeting.location.uuid),
                "description": "Wheelchair access",
                "accessibility": "Wheelchair access",
            }
        ]
    if with_service:
        data["service"] = meeting_full(meeting, request) if full else meeting_basic(meeting, request)
    return data


def meeting_full(meeting, request) -> dict:
    data = _meeting_core(meeting, request)
    data["organization"] = fellowship(meeting.fellowship)
    schedule = meeting_schedule(meeting)
    data["schedules"] = [schedule] if schedule else []
    data["service_at_locations"] = (
        [meeting_service_at_location(meeting, request, full=True, with_service=False)] if meeting.location_id else []
    )
    contacts = []
    if meeting.conference_phone:
        contacts.append(
            compact(
                {
                    "id": derived_id(f"meeting-dial-in:{meeting.uuid}"),
                    "service_id": str(meeting.uuid),
                    "name": "Join by phone",
                    "phones": [
                        compact(
                            {
                                "id": derived_id(f"meeting-dial-in-phone:{meeting.uuid}"),
                                "contact_id": derived_id(f"meeting-dial-in:{meeting.uuid}"),
                                "number": meeting.conference_phone,
                                "description": meeting.conference_phone_notes,
                            },
                            keep=("number",),
                        )
                    ],
                }
            )
        )
    data["contacts"] = contacts
    data["attributes"] = [
        {
            "id": derived_id(f"meeting-attribute:{meeting.uuid}:{t.code}"),
            "link_id": str(meeting.uuid),
            "link_type": "service",
            "taxonomy_term_id": meeting_type_term_id(t.code),
            "taxonomy_term": meeting_type_term(t),
        }
        for t in meeting.types.all()
    ]
    return compact(data, keep=("description", "schedules", "service_at_locations", "contacts", "attributes"))


def any_basic(obj, request):
    return service_basic(obj, request) if isinstance(obj, Service) else meeting_basic(obj, request)


def any_full(obj, request):
    return service_full(obj, request) if isinstance(obj, Service) else meeting_full(obj, request)


# --- query parameters ------------------------------------------------------------------
#
# Each endpoint's query string is read by a REST framework Serializer of these fields.
# A value is the parameter's last occurrence, stripped; empty means absent. Any bad
# value is a 400 whose message names the parameter (views.exception_handler).

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_MINIMAL_PER_PAGE = 10_000  # `minimal` aims to return everything in one page
MAX_PAGE = 100_000
MAX_SEARCH = 200
MAX_PARAMETER_LENGTH = 1000
MAX_PROXIMITY_METRES = 1_000_000
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})?$")
FORMATS = ("json", "ndjson")


class Param(serializers.Field):
    """A query parameter: optional, its value stripped, an empty value the same as none (`default`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        value = dictionary.get(self.field_name, "").strip()
        return value or empty

    def to_internal_value(self, data):
        return data


class WholeNumber(Param):
    def __init__(self, *, minimum, maximum, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not re.fullmatch(r"[+-]?[0-9]{1,9}", data):
            raise serializers.ValidationError(f"{self.field_name} must be a whole number.")
        number = int(data)
        if not self.minimum <= number <= self.maximum:
            raise serializers.ValidationError(f"{self.field_name} must be between {self.minimum} and {self.maximum}.")
        return number


class Flag(Param):
    TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")

    def __init__(self, **kwargs):
        super().__init__(default=False, **kwargs)

    def to_internal_value(self, data):
        lowered = data.lower()
        if lowered in self.TRUE:
            return True
        if lowered in self.FALSE:
            return False
        raise serializers.ValidationError(f"{self.field_name} must be true or false.")


def parse_uuid(value, name="id") -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise serializers.ValidationError(f"{name} must be a UUID.") from None


class UUIDParam(Param):
    def to_internal_value(self, data):
        return parse_uuid(data, self.field_name)


class Search(Param):
    def to_internal_value(self, data):
        if len(data) > MAX_SEARCH:
            raise serializers.ValidationError(f"search must be at most {MAX_SEARCH} characters.")
        return data


class ModifiedAfter(Param):
    """A date (midnight in the site's time zone) or an ISO 8601 date and time (naive: the site's zone)."""

    def to_internal_value(self, data):
        try:
            moment = parse_datetime(data)
            if moment is None:
                day = parse_date(data)
                if day is not None:
                    moment = datetime.datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())
        except ValueError:
            moment = None
        if moment is None:
            raise serializers.ValidationError("modified_after must be a date or an ISO 8601 date and time.")
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Format(Param):
    """json (the paged envelope) or ndjson (every result, one a line); views.FormatParameterNegotiation
    picks the renderer by the same parameter."""

    def __init__(self, **kwargs):
        super().__init__(default="json", **kwargs)

    def to_internal_value(self, data):
        lowered = data.lower()
        if lowered not in FORMATS:
            raise serializers.ValidationError("format must be json or ndjson.")
        return lowered


class QuerySerializer(serializers.Serializer):
    """Every endpoint's base: no parameter name or value over-long or holding control characters."""

    def to_internal_value(self, data):
        for key, values in data.lists():
            for value in [key, *values]:
                if len(value) > MAX_PARAMETER_LENGTH or any(ord(c) < 32 for c in value):
                    message = f"The parameter {key[:50]!r} is too long or holds control characters."
                    raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
        return super().to_internal_value(data)


class PagingQuery(serializers.Serializer):
    """page and per_page (views.OpenReferralPagination), within the view's limits (context)."""

    def get_fields(self):
        return {
            "page": WholeNumber(minimum=1, maximum=MAX_PAGE, default=1),
            "per_page": WholeNumber(minimum=1, maximum=self.context["max_per_page"], default=self.context["per_page"]),
        }


class OrganizationDetailQuery(QuerySerializer):
    full_service = Flag()


class ServiceFilterQuery(QuerySerializer):
    """The standard's filters of services (views._service_filters), and `full`."""

    full = Flag()
    search = Search()
    taxonomy_term_id = UUIDParam()
    taxonomy_id = UUIDParam()
    organization_id = UUIDParam()
    modified_after = ModifiedAfter()


class ServiceListQuery(ServiceFilterQuery):
    minimal = Flag()
    format = Format()


class OrganizationListQuery(QuerySerializer):
    full = Flag()
    full_service = Flag()
    search = Search()
    format = Format()


def outcode_centre(postcode) -> tuple[float, float]:
    """(latitude, longitude) of a UK postcode or postcode district."""
    compacted = re.sub(r"\s+", "", postcode).upper()
    match = POSTCODE_RE.match(compacted)
    if not match:
        raise serializers.ValidationError(
            "postcode must be a UK postcode or postcode district, for example PR1 2AA or PR1."
        )
    outcode, incode = match.groups()
    # The finder's gazetteer: the outcode's centre (or, when the optional online
    # geocoder is configured, the full postcode's point).
    place = places.lookup(f"{outcode} {incode}" if incode else outcode)
    if place is None or isinstance(place, list):
        raise serializers.ValidationError(f"We do not know where the postcode district {outcode} is.")
    return float(place.latitude), float(place.longitude)


class ServiceAtLocationListQuery(ServiceFilterQuery):
    """The services' filters, with postcode (`centre`: where it is) and proximity (`radius_km`:
    the standard's metres, in the finder's kilometres)."""

    postcode = Param()
    proximity = Param()
    format = Format()

    def validate(self, attrs):
        postcode, proximity = attrs.pop("postcode"), attrs.pop("proximity")
        attrs["radius_km"] = attrs["centre"] = None
        if proximity is not None:
            if postcode is None:
                raise serializers.ValidationError("proximity needs a postcode to measure from.")
            try:
                metres = float(proximity)
            except ValueError:
                metres = math.nan
            if not 0 < metres <= MAX_PROXIMITY_METRES:  # also refuses nan and inf
                raise serializers.ValidationError(
                    f"proximity must be a distance in metres, up to {MAX_PROXIMITY_METRES}."
                )
            attrs["radius_km"] = metres / 1000
        if postcode is not None:
            attrs["centre"] = outcode_centre(postcode)
        return attrs


class TaxonomyListQuery(QuerySerializer):
    search = Search()
    format = Format()


class TaxonomyTermListQuery(QuerySerializer):
    search = Search()
    taxonomy_id = UUIDParam()
    parent_id = UUIDParam()
    top_only = Flag()
    format = Format()
