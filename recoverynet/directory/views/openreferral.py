"""The Open Referral UK 3.0 API (read only, public): /openreferral/.

REST framework views. Every list is the standard's paged envelope
(OpenReferralPagination) over two kinds of record (stored services, then
meetings as services of their fellowship; stored taxonomies and the
meeting-type taxonomy; ...), each kind fetched with a fixed number of queries
per page, or with format=ndjson every result streamed, one a line. Query
parameters are read by a serializer per endpoint (serializers.py). Bad
parameters give a 400 with a message, unknown or hidden ids a 404, other
methods a 405 and too many requests a 429, all as the standard's error body
{"code": ..., "message": ...}; never a 500.

These views follow the standard's own OpenAPI description (OPENAPI_URL), so
they are left out of /api/schema/.
"""

import heapq
import itertools

from django.db.models import Exists, FloatField, OuterRef, Prefetch, Q
from django.db.models.functions import Cast
from django.http import Http404, StreamingHttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, pagination, permissions, renderers
from rest_framework.authentication import SessionAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.settings import api_settings

from recoverynet.core.renderers import SafeJSONRenderer
from recoverynet.core.throttling import UserRateThrottle
from recoverynet.federation.models import Organisation

from .. import finder
from ..formats import openreferral as s
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

API_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
OPENAPI_URL = "https://docs.openreferraluk.org/en/latest/openapi30.json"

NDJSON_CHUNK = 200
ONLY_GET = "Only GET and HEAD are allowed."


# --- rendering, negotiation, throttling, errors -----------------------------------------------


class OpenReferralJSONRenderer(SafeJSONRenderer):
    """The API's safe JSON (no <, > or & in a body), typed "application/json; charset=utf-8"."""

    charset = "utf-8"


class NDJSONRenderer(renderers.BaseRenderer):
    """format=ndjson: one JSON object a line. Views stream `lines()` (StreamingHttpResponse)."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"
    json = OpenReferralJSONRenderer()

    def lines(self, rows):
        for row in rows:
            yield self.json.render(row) + b"\n"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"".join(self.lines(data if isinstance(data, list) else [data]))


class FormatParameterNegotiation(BaseContentNegotiation):
    """The renderer named by ?format= (the serializers refuse other values), else the first:
    the standard's clients get the same answer whatever Accept header they send."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get("format", "").strip().lower()
        renderer = next((r for r in renderers if r.format == wanted), renderers[0])
        return renderer, renderer.media_type


class OpenReferralRateThrottle(UserRateThrottle):
    """REST framework's throttle, per person signed in or else per IP address, with
    its own rate ("openreferral"): harvesting open data does not use up /api/v1/'s."""

    scope = "openreferral"


def _first_message(detail) -> str:
    while isinstance(detail, dict | list) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail)


def exception_handler(exc, context):
    """Errors as the standard's body, {"code": status, "message": "..."}; anything
    that is not an HTTP error is left to the site's JSON 500 (core.error_views)."""
    headers = {}
    if isinstance(exc, Http404):
        status, message = 404, str(exc) or "Not found."
    elif isinstance(exc, exceptions.MethodNotAllowed):
        status, message = 405, ONLY_GET
        headers["Allow"] = "GET, HEAD"
    elif isinstance(exc, exceptions.Throttled):
        wait = exc.wait or 1
        status, message = 429, f"Too many requests. Try again in {wait} second{'s' if wait != 1 else ''}."
        headers["Retry-After"] = str(wait)
    elif isinstance(exc, exceptions.APIException):
        status, message = exc.status_code, _first_message(exc.detail)
    else:
        return None
    return Response({"code": status, "message": message}, status=status, headers=headers)


# --- paging over two kinds of record --------------------------------------------------------


def _count(source):
    return len(source) if isinstance(source, list) else source.count()


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


class OneThenOther:
    """The rows of `first` followed by those of `second` (querysets or lists)."""

    def __init__(self, first, second):
        self.first, self.second = first, second
        self.counts = None

    def count(self):
        if self.counts is None:
            self.counts = _count(self.first), _count(self.second)
        return sum(self.counts)

    def page(self, start, end):
        """Rows start..end: at most two slices, whatever the page."""
        total_first, total_second = self.counts
        rows = list(self.first[start : min(end, total_first)]) if start < total_first else []
        second_start, second_end = max(0, start - total_first), max(0, end - total_first)
        if second_end > second_start and second_start < total_second:
            rows += list(self.second[second_start:second_end])
        return rows

    def __iter__(self):
        return itertools.chain(_chunks(self.first), _chunks(self.second))


class NearestFirst(OneThenOther):
    """The two kinds merged by distance: querysets annotated with `distance_sq` (near()) and ordered by it."""

    def page(self, start, end):
        """The ids and distances of the first `end` of each kind, merged; then the page's rows."""
        ranked = [(d, 0, pk) for pk, d in self.first.values_list("pk", "distance_sq")[:end]]
        ranked += [(d, 1, pk) for pk, d in self.second.values_list("pk", "distance_sq")[:end]]
        ranked.sort()
        wanted = ranked[start:end]
        if not wanted:
            return []
        found = (
            self.first.in_bulk([pk for _, kind, pk in wanted if kind == 0]),
            self.second.in_bulk([pk for _, kind, pk in wanted if kind == 1]),
        )
        return [found[kind][pk] for _, kind, pk in wanted]

    def __iter__(self):
        return heapq.merge(_chunks(self.first), _chunks(self.second), key=lambda row: row.distance_sq)


class OpenReferralPagination(pagination.BasePagination):
    """The standard's paged envelope over OneThenOther or NearestFirst rows: two counts
    and a fixed number of queries per page. page and per_page as serializers.PagingQuery."""

    per_page = s.DEFAULT_PER_PAGE
    max_per_page = s.MAX_PER_PAGE

    def paginate_queryset(self, queryset, request, view=None):
        query = s.PagingQuery(
            data=request.query_params, context={"per_page": self.per_page, "max_per_page": self.max_per_page}
        )
        query.is_valid(raise_exception=True)
        self.page_number, self.page_size = query.validated_data["page"], query.validated_data["per_page"]
        self.total = queryset.count()
        start, end = (self.page_number - 1) * self.page_size, self.page_number * self.page_size
        return queryset.page(start, end) if start < self.total else []

    def get_paginated_response(self, data):
        total_pages = -(-self.total // self.page_size)
        return Response(
            {
                "total_items": self.total,
                "total_pages": total_pages,
                "page_number": self.page_number,
                "size": len(data),
                "first_page": self.page_number == 1,
                "last_page": self.page_number >= total_pages,
                "empty": not data,
                "contents": data,
            }
        )


class MinimalPagination(OpenReferralPagination):
    """`minimal` aims to return everything in one page."""

    per_page = max_per_page = s.MAX_MINIMAL_PER_PAGE


# --- the views' base ------------------------------------------------------------------------


@extend_schema(exclude=True)  # the standard's own OpenAPI describes them
class OpenReferralView(generics.GenericAPIView):
    """GET/HEAD only (else 405, before the rate is counted), anyone (AllowAny), the
    "openreferral" rate per person or IP address (the session only tells who is
    signed in), errors by exception_handler. `query_serializer_class` reads the
    query string into `self.params` before the handler runs; a detail's `id` is read into
    `self.key` (a UUID)."""

    http_method_names = ["get", "head"]
    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.AllowAny]
    throttle_classes = [OpenReferralRateThrottle]
    parser_classes = []
    renderer_classes = [OpenReferralJSONRenderer]
    content_negotiation_class = FormatParameterNegotiation
    pagination_class = None
    filter_backends = []
    query_serializer_class = s.QuerySerializer

    @property
    def default_response_headers(self):
        # Public open data, no credentials: any site may read it.
        return {"Access-Control-Allow-Origin": "*"}

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
        query = self.query_serializer_class(data=request.query_params)
        valid = query.is_valid()
        if "id" in kwargs and (valid or api_settings.NON_FIELD_ERRORS_KEY not in query.errors):
            # A detail's id before its other parameters; after any malformed parameter at all.
            self.key = s.parse_uuid(kwargs["id"])
        if not valid:
            raise exceptions.ValidationError(query.errors)
        self.params = query.validated_data

    def handle_exception(self, exc):
        # An error is JSON, even when format=ndjson chose the NDJSON renderer.
        self.request.accepted_renderer = OpenReferralJSONRenderer()
        self.request.accepted_media_type = OpenReferralJSONRenderer.media_type
        return super().handle_exception(exc)


class ListView(OpenReferralView):
    renderer_classes = [OpenReferralJSONRenderer, NDJSONRenderer]
    pagination_class = OpenReferralPagination

    def listing(self, rows, serialize):
        """The paged envelope over `rows` (OneThenOther or NearestFirst), or with format=ndjson all of them."""
        if self.params["format"] == "ndjson":
            renderer = self.request.accepted_renderer
            return StreamingHttpResponse(
                renderer.lines(serialize(row) for row in rows),
                content_type=f"{renderer.media_type}; charset={renderer.charset}",
            )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([serialize(row) for row in page])


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


def _service_filters(params, services, meetings, prefix=""):
    """The standard's filters, applied to stored services and to meetings.
    `prefix` reaches the service from the queryset's model ("service__" for service_at_location)."""
    search = params["search"]
    if search:
        services = services.filter(
            Q(**{f"{prefix}name__icontains": search}) | Q(**{f"{prefix}description__icontains": search})
        )
        meetings = meetings.filter(
            Q(name__icontains=search) | Q(notes__icontains=search) | Q(group_name__icontains=search)
        )
    term_id = params["taxonomy_term_id"]
    if term_id:
        code = s.meeting_type_codes_by_term_id().get(str(term_id))
        if code:
            services = services.none()
            meetings = meetings.filter(types__code=code)
        else:
            services = services.filter(**{f"{prefix}taxonomy_terms__uuid": term_id})
            meetings = meetings.none()
    taxonomy_id = params["taxonomy_id"]
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
    organization_id = params["organization_id"]
    if organization_id:
        services = services.filter(**{f"{prefix}organisation__uuid": organization_id})
        meetings = meetings.filter(fellowship__uuid=organization_id)
    modified_after = params["modified_after"]
    if modified_after:
        services = services.filter(**{f"{prefix}updated_at__gte": modified_after})
        meetings = meetings.filter(updated_at__gte=modified_after)
    return services, meetings


# --- /  ---------------------------------------------------------------------------------------


class ApiDetails(OpenReferralView):
    """Information about this API and its relationship with HSDS."""

    def get(self, request):
        return Response({"version": API_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL})


# --- services ------------------------------------------------------------------------------


class ServiceList(ListView):
    query_serializer_class = s.ServiceListQuery

    @property
    def pagination_class(self):
        return MinimalPagination if self.params["minimal"] else OpenReferralPagination

    def get(self, request):
        full, minimal = self.params["full"], self.params["minimal"]
        services, meetings = _service_filters(self.params, services_qs(full), meetings_qs(full))
        if minimal:
            fields = ("pk", "uuid", "name", "status", "updated_at")
            services = services.select_related(None).prefetch_related(None).only(*fields)
            meetings = (
                meetings.select_related(None)
                .prefetch_related(None)
                .only(*fields, "conference_url", "conference_phone")  # for meeting_status()
            )
            return self.listing(OneThenOther(services, meetings), s.minimal)
        serialize = s.any_full if full else s.any_basic
        return self.listing(OneThenOther(services, meetings), lambda row: serialize(row, request))


class ServiceDetail(OpenReferralView):
    def get(self, request, id):
        key = self.key
        found = services_qs(full=True).filter(uuid=key).first()
        if found is None:
            found = meetings_qs(full=True).filter(uuid=key).first()
        if found is None:
            raise Http404("No service with this id.")
        return Response(s.any_full(found, request))


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


class OrganizationList(ListView):
    query_serializer_class = s.OrganizationListQuery

    def get(self, request):
        full, full_service, search = self.params["full"], self.params["full_service"], self.params["search"]
        orgs, fellowships = organisations_qs(), fellowships_qs()
        if search:
            match = Q(name__icontains=search) | Q(description__icontains=search)
            orgs, fellowships = orgs.filter(match), fellowships.filter(match)
        with_services = full or full_service
        if with_services:
            orgs, fellowships = _with_services(orgs, fellowships, full_service)
        return self.listing(
            OneThenOther(orgs, fellowships), lambda row: _organization(row, request, with_services, full_service)
        )


class OrganizationDetail(OpenReferralView):
    query_serializer_class = s.OrganizationDetailQuery

    def get(self, request, id):
        key = self.key
        full_service = self.params["full_service"]
        orgs, fellowships = _with_services(organisations_qs(), fellowships_qs(), full_service)
        found = orgs.filter(uuid=key).first() or fellowships.filter(uuid=key).first()
        if found is None:
            raise Http404("No organization with this id.")
        return Response(_organization(found, request, True, full_service))


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


def near(qs, centre, radius_km=None):
    """Physical locations with coordinates, nearest `centre` first, within `radius_km` if given:
    the finder's distance (finder.distance_sq_expression, `distance_sq` in km²) and bounding box."""
    qs = qs.filter(location__approximate=False, location__latitude__isnull=False, location__longitude__isnull=False)
    if radius_km is not None:
        qs = qs.filter(finder.bbox_q("location__", centre[0], centre[1], radius_km))
    latitude, longitude = (Cast(f"location__{name}", FloatField()) for name in ("latitude", "longitude"))
    qs = qs.annotate(distance_sq=finder.distance_sq_expression(centre, latitude, longitude))
    if radius_km is not None:
        qs = qs.filter(distance_sq__lte=radius_km * radius_km)
    return qs.order_by("distance_sq", "pk")


def _sal(obj, request, full):
    if isinstance(obj, ServiceAtLocation):
        return s.service_at_location(obj, request, full=full)
    return s.meeting_service_at_location(obj, request, full=full)


class ServiceAtLocationList(ListView):
    query_serializer_class = s.ServiceAtLocationListQuery

    def get(self, request):
        full, centre = self.params["full"], self.params["centre"]
        stored, meetings = _service_filters(
            self.params, stored_sals_qs(full), meetings_qs(full).filter(location__isnull=False), prefix="service__"
        )
        if centre is None:
            rows = OneThenOther(stored, meetings)
        else:
            radius_km = self.params["radius_km"]
            rows = NearestFirst(near(stored, centre, radius_km), near(meetings, centre, radius_km))
        return self.listing(rows, lambda row: _sal(row, request, full))


class ServiceAtLocationDetail(OpenReferralView):
    def get(self, request, id):
        key = self.key
        found = stored_sals_qs(full=True).filter(uuid=key).first()
        if found is None:
            # A meeting's id is its uuid, reversibly masked: one indexed lookup.
            meeting_uuid = s.meeting_uuid_for_sal_id(key)
            found = meetings_qs(full=True).filter(uuid=meeting_uuid, location__isnull=False).first()
        if found is None:
            raise Http404("No service at location with this id.")
        return Response(_sal(found, request, full=True))


# --- taxonomies ---------------------------------------------------------------------------------


def _meeting_types_taxonomy_matches(search):
    if not search:
        return True
    needle = search.lower()
    return needle in s.MEETING_TYPES_TAXONOMY_NAME.lower() or needle in s.MEETING_TYPES_TAXONOMY_DESCRIPTION.lower()


class TaxonomyList(ListView):
    query_serializer_class = s.TaxonomyListQuery

    def get(self, request):
        search = self.params["search"]
        stored = Taxonomy.objects.order_by("name", "pk")
        if search:
            stored = stored.filter(Q(name__icontains=search) | Q(description__icontains=search))
        virtual = ["meeting-types"] if _meeting_types_taxonomy_matches(search) else []
        return self.listing(
            OneThenOther(virtual, stored),
            lambda row: s.meeting_types_taxonomy() if row == "meeting-types" else s.taxonomy(row),
        )


class TaxonomyDetail(OpenReferralView):
    def get(self, request, id):
        key = str(self.key)
        if key == s.MEETING_TYPES_TAXONOMY_ID:
            return Response(s.meeting_types_taxonomy(MeetingType.objects.order_by("name", "pk")))
        tax = Taxonomy.objects.filter(uuid=key).first()
        if tax is None:
            raise Http404("No taxonomy with this id.")
        terms = tax.terms.select_related("parent").order_by("name", "pk")
        return Response(s.taxonomy(tax, terms))


class TaxonomyTermList(ListView):
    query_serializer_class = s.TaxonomyTermListQuery

    def get(self, request):
        stored = TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("taxonomy__name", "name", "pk")
        types = MeetingType.objects.order_by("name", "pk")
        search = self.params["search"]
        if search:
            stored = stored.filter(Q(name__icontains=search) | Q(code__icontains=search))
            types = types.filter(Q(name__icontains=search) | Q(code__icontains=search))
        taxonomy_id = self.params["taxonomy_id"]
        if taxonomy_id:
            if str(taxonomy_id) == s.MEETING_TYPES_TAXONOMY_ID:
                stored = stored.none()
            else:
                stored, types = stored.filter(taxonomy__uuid=taxonomy_id), types.none()
        parent_id = self.params["parent_id"]
        if parent_id:  # meeting types have no parents
            stored, types = stored.filter(parent__uuid=parent_id), types.none()
        if self.params["top_only"]:
            stored = stored.filter(parent__isnull=True)
        return self.listing(
            OneThenOther(stored, types),
            lambda row: s.taxonomy_term(row) if isinstance(row, TaxonomyTerm) else s.meeting_type_term(row),
        )


class TaxonomyTermDetail(OpenReferralView):
    def get(self, request, id):
        key = str(self.key)
        code = s.meeting_type_codes_by_term_id().get(key)
        if code:
            meeting_type = MeetingType.objects.filter(code=code).first()
            if meeting_type is not None:
                return Response(s.meeting_type_term(meeting_type))
        term = TaxonomyTerm.objects.select_related("taxonomy", "parent").filter(uuid=key).first()
        if term is None:
            raise Http404("No taxonomy term with this id.")
        return Response(s.taxonomy_term(term))
