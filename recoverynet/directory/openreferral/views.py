"""The Open Referral UK 3.0 API (read only, public): /openreferral/.

Plain Django views returning JSON. Every list is the standard's paged envelope
over two kinds of record (stored services, then meetings as services of their
fellowship; stored taxonomies and the meeting-type taxonomy; ...), each kind
fetched with a fixed number of queries per page. Bad parameters give a 400
with a message, unknown or hidden ids a 404, never a 500.
"""

import datetime
import heapq
import itertools
import json
import math
import re
import uuid

from django.db.models import Exists, F, FloatField, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from recoverynet.core.throttling import UserRateThrottle
from recoverynet.federation.models import Organisation

from .. import places
from ..models import (
    Fellowship,
    Meeting,
    MeetingType,
    Schedule,
    Service,
    ServiceAtLocation,
    ServicePhone,
    Taxonomy,
    TaxonomyTerm,
)
from . import serializers as s

API_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
OPENAPI_URL = "https://docs.openreferraluk.org/en/latest/openapi30.json"

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_MINIMAL_PER_PAGE = 10_000  # `minimal` aims to return everything in one page
NDJSON_CHUNK = 200
MAX_PAGE = 100_000
MAX_SEARCH = 200
MAX_PROXIMITY_METRES = 1_000_000
METRES_PER_DEGREE = 111_195  # on a sphere of the Earth's mean radius
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})?$")


class BadRequest(Exception):
    pass


# --- responses ------------------------------------------------------------------------


def dumps(data):
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # As core.api.SafeJSONRenderer: no markup characters in the body, whatever the data.
    return body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_response(data, status=200):
    response = HttpResponse(dumps(data), status=status, content_type="application/json; charset=utf-8")
    # Public open data, no credentials: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error(status, message):
    return json_response({"code": status, "message": message}, status=status)


class OpenReferralRateThrottle(UserRateThrottle):
    """REST framework's throttle, per person signed in or else per IP address, with
    its own rate ("openreferral"): harvesting open data does not use up /api/v1/'s."""

    scope = "openreferral"


def too_many_requests(throttle):
    wait = math.ceil(throttle.wait() or 1)
    response = error(429, f"Too many requests. Try again in {wait} second{'s' if wait != 1 else ''}.")
    response["Retry-After"] = str(wait)
    return response


def api_view(func):
    """GET/HEAD only (else 405); over the rate → 429, BadRequest → 400 and Http404 → 404, all as JSON."""

    def view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error(405, "Only GET and HEAD are allowed.")
            response["Allow"] = "GET, HEAD"
            return response
        throttle = OpenReferralRateThrottle()
        if not throttle.allow_request(request, None):
            return too_many_requests(throttle)
        try:
            _check_params(request)
            return func(request, *args, **kwargs)
        except BadRequest as exc:
            return error(400, str(exc))
        except Http404 as exc:
            return error(404, str(exc) or "Not found.")

    view.__name__ = func.__name__
    view.__doc__ = func.__doc__
    return view


# --- parameters -----------------------------------------------------------------------


def _check_params(request):
    for key, values in request.GET.lists():
        for value in [key, *values]:
            if len(value) > 1000 or any(ord(c) < 32 for c in value):
                raise BadRequest(f"The parameter {key[:50]!r} is too long or holds control characters.")


def param(request, name):
    value = request.GET.get(name, "").strip()
    return value or None


def param_uuid(request, name):
    value = param(request, name)
    if value is None:
        return None
    return parse_uuid(value, name)


def parse_uuid(value, name="id"):
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise BadRequest(f"{name} must be a UUID.") from None


def param_int(request, name, default, minimum, maximum):
    value = param(request, name)
    if value is None:
        return default
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", value):
        raise BadRequest(f"{name} must be a whole number.")
    number = int(value)
    if not minimum <= number <= maximum:
        raise BadRequest(f"{name} must be between {minimum} and {maximum}.")
    return number


def param_bool(request, name):
    value = param(request, name)
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise BadRequest(f"{name} must be true or false.")


def param_search(request):
    value = param(request, "search")
    if value is not None and len(value) > MAX_SEARCH:
        raise BadRequest(f"search must be at most {MAX_SEARCH} characters.")
    return value


def param_modified_after(request):
    value = param(request, "modified_after")
    if value is None:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = datetime.datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest("modified_after must be a date or an ISO 8601 date and time.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def wants_ndjson(request):
    value = (param(request, "format") or "json").lower()
    if value not in ("json", "ndjson"):
        raise BadRequest("format must be json or ndjson.")
    return value == "ndjson"


def paging(request, default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE):
    page = param_int(request, "page", 1, 1, MAX_PAGE)
    per_page = param_int(request, "per_page", default, 1, maximum)
    return page, per_page


def _chunks(source):
    """Every row of a queryset (or list), NDJSON_CHUNK at a time: a fixed number of queries per chunk."""
    if isinstance(source, list):
        yield from source
        return
    start = 0
    while True:
        rows = list(source[start : start + NDJSON_CHUNK])
        yield from rows
        if len(rows) < NDJSON_CHUNK:
            return
        start += NDJSON_CHUNK


def ndjson_response(sources, serialize, key=None):
    """format=ndjson: every result, one JSON object a line, streamed without paging.
    With `key` the (already sorted) sources are merged by it."""
    iterators = [_chunks(source) for source in sources]
    rows = heapq.merge(*iterators, key=key) if key else itertools.chain(*iterators)
    response = StreamingHttpResponse(
        (dumps(serialize(row)) + "\n" for row in rows), content_type="application/x-ndjson; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def listing(request, first, second, serialize, *, default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE):
    """The paged envelope over `first` then `second`, or with format=ndjson all of them."""
    if wants_ndjson(request):
        return ndjson_response([first, second], serialize)
    page, per_page = paging(request, default, maximum)
    rows, total = page_of_two(first, second, page, per_page)
    return json_response(envelope([serialize(r) for r in rows], total, page, per_page))


# --- paging over two kinds of record ----------------------------------------------------


def _count(source):
    return len(source) if isinstance(source, list) else source.count()


def page_of_two(first, second, page, per_page):
    """Rows start..end of `first` followed by `second` (querysets or lists):
    two counts and at most two slices, whatever the page."""
    total_first, total_second = _count(first), _count(second)
    start, end = (page - 1) * per_page, page * per_page
    rows = list(first[start : min(end, total_first)]) if start < total_first else []
    second_start, second_end = max(0, start - total_first), max(0, end - total_first)
    if second_end > second_start and second_start < total_second:
        rows += list(second[second_start:second_end])
    return rows, total_first + total_second


def envelope(contents, total, page, per_page):
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


# --- what is public ----------------------------------------------------------------------

# The directory's one rule (Service.objects.listed(), Meeting.objects.listed()), as for its pages and API.


def services_qs(full=False):
    qs = Service.objects.listed().select_related("organisation").order_by("name", "pk")
    if full:
        qs = qs.prefetch_related(*_service_prefetches())
    return qs


def _service_prefetches(prefix=""):
    return [
        Prefetch(f"{prefix}schedules", queryset=_schedules()),
        Prefetch(f"{prefix}service_at_locations", queryset=_sals()),
        f"{prefix}contacts",
        Prefetch(f"{prefix}phones", queryset=_phones()),
        Prefetch(f"{prefix}taxonomy_terms", queryset=TaxonomyTerm.objects.select_related("taxonomy", "parent")),
    ]


def _schedules():
    return Schedule.objects.select_related("service_at_location").order_by("id")


def _sals():
    return ServiceAtLocation.objects.select_related("location__network", "service").order_by("pk")


def _phones():
    return ServicePhone.objects.select_related("contact").order_by("pk")


def meetings_qs(full=False):
    qs = (
        Meeting.objects.listed()
        .select_related("fellowship", "location__network")
        .prefetch_related("days")
        .order_by("name", "pk")
    )
    if full:
        qs = qs.prefetch_related("types")
    return qs


def _service_filters(request, services, meetings, prefix=""):
    """The standard's filters, applied to stored services and to meetings.
    `prefix` reaches the service from the queryset's model ("service__" for service_at_location)."""
    search = param_search(request)
    if search:
        services = services.filter(
            Q(**{f"{prefix}name__icontains": search}) | Q(**{f"{prefix}description__icontains": search})
        )
        meetings = meetings.filter(
            Q(name__icontains=search) | Q(notes__icontains=search) | Q(group_name__icontains=search)
        )
    term_id = param_uuid(request, "taxonomy_term_id")
    if term_id:
        code = s.meeting_type_codes_by_term_id().get(str(term_id))
        if code:
            services = services.none()
            meetings = meetings.filter(types__code=code)
        else:
            services = services.filter(**{f"{prefix}taxonomy_terms__uuid": term_id})
            meetings = meetings.none()
    taxonomy_id = param_uuid(request, "taxonomy_id")
    if taxonomy_id:
        if str(taxonomy_id) == s.MEETING_TYPES_TAXONOMY_ID:
            services = services.none()
            meetings = meetings.filter(Exists(Meeting.types.through.objects.filter(meeting=OuterRef("pk"))))
        else:
            tagged = Service.taxonomy_terms.through.objects.filter(
                service=OuterRef(f"{prefix}pk"), taxonomyterm__taxonomy__uuid=taxonomy_id
            )
            services = services.filter(Exists(tagged))
            meetings = meetings.none()
    organization_id = param_uuid(request, "organization_id")
    if organization_id:
        services = services.filter(**{f"{prefix}organisation__uuid": organization_id})
        meetings = meetings.filter(fellowship__uuid=organization_id)
    modified_after = param_modified_after(request)
    if modified_after:
        services = services.filter(**{f"{prefix}updated_at__gte": modified_after})
        meetings = meetings.filter(updated_at__gte=modified_after)
    return services, meetings


# --- /  ---------------------------------------------------------------------------------------


@api_view
def api_details(request):
    """Information about this API and its relationship with HSDS."""
    return json_response({"version": API_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL})


# --- services ------------------------------------------------------------------------------


@api_view
def service_list(request):
    full, minimal = param_bool(request, "full"), param_bool(request, "minimal")
    services, meetings = _service_filters(request, services_qs(full), meetings_qs(full))
    if minimal:
        fields = ("pk", "uuid", "name", "status", "updated_at")
        services = services.select_related(None).prefetch_related(None).only(*fields)
        meetings = (
            meetings.select_related(None)
            .prefetch_related(None)
            .only(*fields, "conference_url", "conference_phone")  # for meeting_status()
        )
        return listing(
            request, services, meetings, s.minimal, default=MAX_MINIMAL_PER_PAGE, maximum=MAX_MINIMAL_PER_PAGE
        )
    serialize = s.any_full if full else s.any_basic
    return listing(request, services, meetings, lambda row: serialize(row, request))


def _get_service_or_meeting(id_value, full=True):
    key = parse_uuid(id_value)
    found = services_qs(full).filter(uuid=key).first()
    if found is None:
        found = meetings_qs(full).filter(uuid=key).first()
    if found is None:
        raise Http404("No service with this id.")
    return found


@api_view
def service_detail(request, id):
    return json_response(s.any_full(_get_service_or_meeting(id), request))


# --- organizations --------------------------------------------------------------------------


def organisations_qs():
    has_services = Service.objects.listed().filter(organisation=OuterRef("pk"))
    return Organisation.objects.filter(is_active=True).filter(Exists(has_services)).order_by("name", "pk")


def fellowships_qs():
    has_meetings = Meeting.objects.listed().filter(fellowship=OuterRef("pk"))
    return Fellowship.objects.filter(Exists(has_meetings)).order_by("name", "pk")


def _with_services(orgs, fellowships, full_service):
    orgs = orgs.prefetch_related(Prefetch("services", queryset=services_qs(full_service), to_attr="public_services"))
    fellowships = fellowships.prefetch_related(
        Prefetch("meetings", queryset=meetings_qs(full_service), to_attr="public_meetings")
    )
    return orgs, fellowships


def _organization(obj, request, services, full_service):
    is_org = isinstance(obj, Organisation)
    data = s.organisation(obj) if is_org else s.fellowship(obj)
    if services:
        rows = obj.public_services if is_org else obj.public_meetings
        data["services"] = [s.any_full(r, request) if full_service else s.any_basic(r, request) for r in rows]
    return data


@api_view
def organization_list(request):
    full, full_service = param_bool(request, "full"), param_bool(request, "full_service")
    orgs, fellowships = organisations_qs(), fellowships_qs()
    search = param_search(request)
    if search:
        match = Q(name__icontains=search) | Q(description__icontains=search)
        orgs, fellowships = orgs.filter(match), fellowships.filter(match)
    with_services = full or full_service
    if with_services:
        orgs, fellowships = _with_services(orgs, fellowships, full_service)
    return listing(request, orgs, fellowships, lambda row: _organization(row, request, with_services, full_service))


@api_view
def organization_detail(request, id):
    key = parse_uuid(id)
    full_service = param_bool(request, "full_service")
    orgs, fellowships = _with_services(organisations_qs(), fellowships_qs(), full_service)
    found = orgs.filter(uuid=key).first() or fellowships.filter(uuid=key).first()
    if found is None:
        raise Http404("No organization with this id.")
    return json_response(_organization(found, request, True, full_service))


# --- service at locations ---------------------------------------------------------------------


def stored_sals_qs(full=False):
    qs = (
        ServiceAtLocation.objects.filter(Service.listed_q("service__"))
        .select_related("service__organisation", "location__network")
        .order_by("service__name", "pk")
    )
    if full:
        qs = qs.prefetch_related(*_service_prefetches("service__"))
    return qs


def outcode_centre(postcode):
    """(latitude, longitude) of a UK postcode or postcode district."""
    compacted = re.sub(r"\s+", "", postcode).upper()
    match = POSTCODE_RE.match(compacted)
    if not match:
        raise BadRequest("postcode must be a UK postcode or postcode district, for example PR1 2AA or PR1.")
    outcode, incode = match.groups()
    # The finder's gazetteer: the outcode's centre (or, when the optional online
    # geocoder is configured, the full postcode's point).
    place = places.lookup(f"{outcode} {incode}" if incode else outcode)
    if place is None or isinstance(place, list):
        raise BadRequest(f"We do not know where the postcode district {outcode} is.")
    return float(place.latitude), float(place.longitude)


def _near(qs, centre, radius_metres):
    """Physical locations with coordinates, annotated with their squared distance
    from `centre` in degrees² (equirectangular: exact enough at these scales)."""
    lat0, lon0 = centre
    squash = math.cos(math.radians(lat0))
    dlat = Cast(F("location__latitude"), FloatField()) - Value(lat0)
    dlon = (Cast(F("location__longitude"), FloatField()) - Value(lon0)) * Value(squash)
    qs = qs.filter(
        location__approximate=False, location__latitude__isnull=False, location__longitude__isnull=False
    ).annotate(distance2=dlat * dlat + dlon * dlon)
    if radius_metres is not None:
        qs = qs.filter(distance2__lte=(radius_metres / METRES_PER_DEGREE) ** 2)
    return qs.order_by("distance2", "pk")


def _page_by_distance(stored, meetings, page, per_page):
    """The two kinds merged by distance: ids and distances of the first `end` of
    each, merged; then the page's rows. A fixed number of queries per page."""
    total = stored.count() + meetings.count()
    start, end = (page - 1) * per_page, page * per_page
    if start >= total:
        return [], total
    ranked = [(d, 0, pk) for pk, d in stored.values_list("pk", "distance2")[:end]]
    ranked += [(d, 1, pk) for pk, d in meetings.values_list("pk", "distance2")[:end]]
    ranked.sort()
    wanted = ranked[start:end]
    stored_rows = stored.in_bulk([pk for _, kind, pk in wanted if kind == 0]) if wanted else {}
    meeting_rows = meetings.in_bulk([pk for _, kind, pk in wanted if kind == 1]) if wanted else {}
    return [(stored_rows if kind == 0 else meeting_rows)[pk] for _, kind, pk in wanted], total


def _sal(obj, request, full):
    if isinstance(obj, ServiceAtLocation):
        return s.service_at_location(obj, request, full=full)
    return s.meeting_service_at_location(obj, request, full=full)


@api_view
def service_at_location_list(request):
    full = param_bool(request, "full")
    stored, meetings = _service_filters(
        request, stored_sals_qs(full), meetings_qs(full).filter(location__isnull=False), prefix="service__"
    )
    postcode = param(request, "postcode")
    proximity = param(request, "proximity")
    if proximity is not None:
        if postcode is None:
            raise BadRequest("proximity needs a postcode to measure from.")
        try:
            radius = float(proximity)
        except ValueError:
            radius = math.nan
        if not 0 < radius <= MAX_PROXIMITY_METRES:  # also refuses nan and inf
            raise BadRequest(f"proximity must be a distance in metres, up to {MAX_PROXIMITY_METRES}.")
    else:
        radius = None
    serialize = lambda row: _sal(row, request, full)  # noqa: E731
    if postcode is None:
        return listing(request, stored, meetings, serialize)
    centre = outcode_centre(postcode)
    stored, meetings = _near(stored, centre, radius), _near(meetings, centre, radius)
    if wants_ndjson(request):
        return ndjson_response([stored, meetings], serialize, key=lambda row: row.distance2)
    page, per_page = paging(request)
    rows, total = _page_by_distance(stored, meetings, page, per_page)
    return json_response(envelope([serialize(r) for r in rows], total, page, per_page))


@api_view
def service_at_location_detail(request, id):
    key = parse_uuid(id)
    found = stored_sals_qs(full=True).filter(uuid=key).first()
    if found is None:
        # A meeting's id is its uuid, reversibly masked: one indexed lookup.
        meeting_uuid = s.meeting_uuid_for_sal_id(key)
        found = meetings_qs(full=True).filter(uuid=meeting_uuid, location__isnull=False).first()
    if found is None:
        raise Http404("No service at location with this id.")
    return json_response(_sal(found, request, full=True))


# --- taxonomies ---------------------------------------------------------------------------------


def _meeting_types_taxonomy_matches(search):
    if not search:
        return True
    needle = search.lower()
    return needle in s.MEETING_TYPES_TAXONOMY_NAME.lower() or needle in s.MEETING_TYPES_TAXONOMY_DESCRIPTION.lower()


@api_view
def taxonomy_list(request):
    search = param_search(request)
    stored = Taxonomy.objects.order_by("name", "pk")
    if search:
        stored = stored.filter(Q(name__icontains=search) | Q(description__icontains=search))
    virtual = ["meeting-types"] if _meeting_types_taxonomy_matches(search) else []
    return listing(
        request, virtual, stored, lambda row: s.meeting_types_taxonomy() if row == "meeting-types" else s.taxonomy(row)
    )


@api_view
def taxonomy_detail(request, id):
    key = str(parse_uuid(id))
    if key == s.MEETING_TYPES_TAXONOMY_ID:
        return json_response(s.meeting_types_taxonomy(MeetingType.objects.order_by("name", "pk")))
    tax = Taxonomy.objects.filter(uuid=key).first()
    if tax is None:
        raise Http404("No taxonomy with this id.")
    terms = tax.terms.select_related("parent").order_by("name", "pk")
    return json_response(s.taxonomy(tax, terms))


@api_view
def taxonomy_term_list(request):
    stored = TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("taxonomy__name", "name", "pk")
    types = MeetingType.objects.order_by("name", "pk")
    search = param_search(request)
    if search:
        stored = stored.filter(Q(name__icontains=search) | Q(code__icontains=search))
        types = types.filter(Q(name__icontains=search) | Q(code__icontains=search))
    taxonomy_id = param_uuid(request, "taxonomy_id")
    if taxonomy_id:
        if str(taxonomy_id) == s.MEETING_TYPES_TAXONOMY_ID:
            stored = stored.none()
        else:
            stored, types = stored.filter(taxonomy__uuid=taxonomy_id), types.none()
    parent_id = param_uuid(request, "parent_id")
    if parent_id:  # meeting types have no parents
        stored, types = stored.filter(parent__uuid=parent_id), types.none()
    if param_bool(request, "top_only"):
        stored = stored.filter(parent__isnull=True)
    return listing(
        request,
        stored,
        types,
        lambda row: s.taxonomy_term(row) if isinstance(row, TaxonomyTerm) else s.meeting_type_term(row),
    )


@api_view
def taxonomy_term_detail(request, id):
    key = str(parse_uuid(id))
    code = s.meeting_type_codes_by_term_id().get(key)
    if code:
        meeting_type = MeetingType.objects.filter(code=code).first()
        if meeting_type is not None:
            return json_response(s.meeting_type_term(meeting_type))
    term = TaxonomyTerm.objects.select_related("taxonomy", "parent").filter(uuid=key).first()
    if term is None:
        raise Http404("No taxonomy term with this id.")
    return json_response(s.taxonomy_term(term))
