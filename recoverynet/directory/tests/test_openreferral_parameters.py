"""The Open Referral API's query parameters (its serializers), whatever a client
sends: every parameter of every list, any text, a 200 or the standard's 400,
never a 500; each kind of value read as the standard means it; the finder's
distance rule for postcode and proximity; and REST framework's machinery
(negotiation, methods, throttling, the schema) kept to the standard's ways."""

import datetime
import json
import math
import os
import re
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle

from recoverynet.directory import finder
from recoverynet.directory.factories import LocationFactory, MeetingFactory
from recoverynet.directory.models import Meeting
from recoverynet.testing import assert_constant_queries

from ..formats import openreferral as s
from .test_openreferral import _grow, directory, places  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("OPENREFERRAL_PARAMETER_EXAMPLES", "40"))
LISTS = ["service_list", "organization_list", "service_at_location_list", "taxonomy_list", "taxonomy_term_list"]
SLOW = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def parameters_of(name):
    """Every query parameter a list endpoint reads: its serializer's, and the pager's."""
    view = resolve(reverse(f"directory:openreferral:{name}")).func.view_class
    return sorted([*view.query_serializer_class().fields, "page", "per_page"])


def _ok_or_400(response):
    """A 200 of the right type, or the standard's error body; never anything else."""
    assert response.status_code in (200, 400), response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    if response.status_code == 400:
        assert response["Content-Type"] == "application/json; charset=utf-8"
        body = response.json()
        assert set(body) == {"code", "message"} and body["code"] == 400 and body["message"]
        return body
    if response.streaming:
        assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
        return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


# Values a client might mean, and anything at all (control characters and very long text included).
MEANT = st.sampled_from(
    [
        "1",
        "2",
        "0",
        "-1",
        "200",
        "201",
        "true",
        "no",
        "json",
        "ndjson",
        "PR1",
        "PR1 2AA",
        "CA1",
        "ZZ9",
        "5000",
        "1e400",
        "nan",
        "2024-01-01",
        "2024-01-01T10:00:00+01:00",
        s.MEETING_TYPES_TAXONOMY_ID,
        s.meeting_type_term_id("X"),
        str(uuid.UUID(int=0)),
    ]
)
# Without control characters (each value's own rule; the endpoint tests send those too).
PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))
ANY_TEXT = st.text(max_size=40) | st.text(alphabet="0123456789+- .eE", max_size=12) | st.just("x" * 1001)


@pytest.mark.parametrize("name", LISTS)
def test_every_parameter_of_every_list_is_a_200_or_a_400(client, directory, places, name):  # noqa: F811
    names = parameters_of(name)

    @SLOW
    @given(st.dictionaries(st.sampled_from(names), MEANT | ANY_TEXT, max_size=4))
    @example({})
    @example({"format": "ndjson", "page": "abc"})  # paging is for the paged envelope only
    def check(params):
        data = _ok_or_400(client.get(reverse(f"directory:openreferral:{name}"), params))
        if isinstance(data, dict) and "contents" in data:
            assert data["size"] == len(data["contents"]) <= data["total_items"]

    check()


@SLOW
@given(st.dictionaries(st.text(min_size=1, max_size=20), ANY_TEXT, max_size=3))
def test_unknown_parameters_are_ignored_unless_malformed(client, directory, params):  # noqa: F811
    response = client.get(reverse("directory:openreferral:api_details"), params)
    body = _ok_or_400(response)
    malformed = any(len(v) > 1000 or any(ord(c) < 32 for c in k + v) for k, v in params.items())
    assert (response.status_code == 400) == malformed, body
    if malformed:
        assert "too long or holds control characters" in body["message"]


# --- each kind of value, at the serializer ----------------------------------------------------


def _read(serializer_class, params, **context):
    """(validated data, None) or (None, the 400's message), as a request's query string is read."""
    query_string = QueryDict(mutable=True)
    query_string.update(params)
    query = serializer_class(data=query_string, context=context)
    if query.is_valid():
        return query.validated_data, None
    (messages,) = query.errors.values()
    return None, str(messages[0])


def _paging(params, per_page=s.DEFAULT_PER_PAGE, max_per_page=s.MAX_PER_PAGE):
    return _read(s.PagingQuery, params, per_page=per_page, max_per_page=max_per_page)


@FAST
@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["", " ", "+"]))
def test_page_and_per_page_are_whole_numbers_within_their_limits(number, decoration):
    text = f"{decoration}{number}" if number >= 0 else str(number)
    for name, maximum in (("page", s.MAX_PAGE), ("per_page", s.MAX_PER_PAGE)):
        data, message = _paging({name: text})
        if 1 <= number <= maximum:
            assert data[name] == number
        elif len(str(abs(number))) > 9:
            assert message == f"{name} must be a whole number."
        else:
            assert message == f"{name} must be between 1 and {maximum}."


@FAST
@given(st.text(PRINTABLE, max_size=12))
@example("1.5")
@example("١")  # an Arabic-Indic digit: not a whole number here
@example(" 7 ")
def test_page_is_read_from_ascii_digits_only(text):
    data, message = _paging({"page": text})
    stripped = text.strip()
    if not stripped:
        assert data == {"page": 1, "per_page": s.DEFAULT_PER_PAGE}
    elif re.fullmatch(r"[+-]?[0-9]{1,9}", stripped, re.ASCII) and 1 <= int(stripped) <= s.MAX_PAGE:
        assert data["page"] == int(stripped)
    else:
        assert message.startswith("page must be")


def test_minimal_pages_hold_everything():
    data, _ = _paging({}, per_page=s.MAX_MINIMAL_PER_PAGE, max_per_page=s.MAX_MINIMAL_PER_PAGE)
    assert data["per_page"] == s.MAX_MINIMAL_PER_PAGE
    assert _paging({"per_page": "10001"}, per_page=10_000, max_per_page=10_000)[1] == (
        "per_page must be between 1 and 10000."
    )


@FAST
@given(st.text(PRINTABLE, max_size=8) | st.sampled_from(["true", "TRUE", "Yes", "1", "false", "No", "0", " true "]))
def test_flags_are_true_or_false(text):
    for name in ("full", "minimal"):
        data, message = _read(s.ServiceListQuery, {name: text})
        lowered = text.strip().lower()
        if lowered in ("", "false", "0", "no"):
            assert data[name] is False
        elif lowered in ("true", "1", "yes"):
            assert data[name] is True
        else:
            assert message == f"{name} must be true or false."


@FAST
@given(st.uuids() | st.text(PRINTABLE, max_size=40), st.sampled_from([str, lambda u: str(u).upper(), lambda u: u.hex]))
def test_ids_are_uuids(value, spelling):
    text = spelling(value) if isinstance(value, uuid.UUID) else value
    for name in ("taxonomy_term_id", "taxonomy_id", "organization_id"):
        data, message = _read(s.ServiceListQuery, {name: text})
        if isinstance(value, uuid.UUID):
            assert data[name] == value
        elif message is not None:
            assert message == f"{name} must be a UUID."
        else:  # some other spelling of a UUID ("{...}", "urn:uuid:...") or nothing
            assert data[name] is None or data[name] == uuid.UUID(text.strip())


@FAST
@given(st.text(PRINTABLE, max_size=300))
def test_search_is_at_most_200_characters(text):
    data, message = _read(s.TaxonomyListQuery, {"search": text})
    stripped = text.strip()
    if len(stripped) > s.MAX_SEARCH:
        assert message == "search must be at most 200 characters."
    elif any(ord(c) < 32 for c in text):
        assert "control characters" in message
    else:
        assert data["search"] == (stripped or None)


@FAST
@given(
    st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2999, 1, 1))  # noqa: DTZ001
    | st.dates(min_value=datetime.date(1900, 1, 1)),
    st.booleans(),
)
def test_modified_after_is_a_date_or_a_moment(value, aware):
    if isinstance(value, datetime.datetime) and aware:
        value = value.replace(tzinfo=datetime.UTC)
    data, message = _read(s.ServiceListQuery, {"modified_after": value.isoformat()})
    assert message is None
    moment = data["modified_after"]
    assert timezone.is_aware(moment)
    if isinstance(value, datetime.datetime):
        assert moment.replace(tzinfo=None) == value.replace(tzinfo=None)
    else:
        assert moment.date() == value and moment.time() == datetime.time(0)


@FAST
@given(st.text(PRINTABLE, max_size=30))
@example("2024-02-30")
@example("2024-01-01T25:00")
def test_modified_after_otherwise_is_a_400(text):
    data, message = _read(s.ServiceListQuery, {"modified_after": text})
    if message is None:
        assert data["modified_after"] is None or timezone.is_aware(data["modified_after"])
    else:
        assert message == "modified_after must be a date or an ISO 8601 date and time."


@FAST
@given(st.text(PRINTABLE, max_size=10) | st.sampled_from(["json", "NDJSON", " ndjson ", "xml", "csv"]))
def test_format_is_json_or_ndjson(text):
    data, message = _read(s.TaxonomyListQuery, {"format": text})
    lowered = text.strip().lower()
    if lowered in ("", "json", "ndjson"):
        assert data["format"] == (lowered or "json")
    else:
        assert message == "format must be json or ndjson."


@given(
    st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(min_value=-10, max_value=2_000_000)
    | st.text(PRINTABLE, max_size=10)
)
@example(1_000_000)
@example(1_000_000.0001)
@example(0)
@SLOW
def test_proximity_is_metres_up_to_a_thousand_km(places, value):  # noqa: F811
    data, message = _read(s.ServiceAtLocationListQuery, {"postcode": "PR1", "proximity": str(value)})
    try:
        metres = float(str(value).strip())
    except ValueError:
        metres = math.nan
    if not str(value).strip():
        assert data["radius_km"] is None and data["centre"] == (53.759, -2.699)
    elif 0 < metres <= s.MAX_PROXIMITY_METRES:
        assert data["radius_km"] == pytest.approx(metres / 1000) and data["centre"] == (53.759, -2.699)
    elif any(ord(c) < 32 for c in str(value)):
        assert "control characters" in message
    else:
        assert message == "proximity must be a distance in metres, up to 1000000."
    # Without a postcode there is nothing to measure from, whatever the distance.
    if str(value).strip() and not any(ord(c) < 32 for c in str(value)):
        assert _read(s.ServiceAtLocationListQuery, {"proximity": str(value)})[1] == (
            "proximity needs a postcode to measure from."
        )


@FAST
@given(st.from_regex(r"\A[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?([0-9][A-Za-z]{2})?\Z") | st.text(PRINTABLE, max_size=10))
def test_postcodes_are_uk_postcodes_or_districts_we_know(places, text):  # noqa: F811
    data, message = _read(s.ServiceAtLocationListQuery, {"postcode": text})
    compacted = re.sub(r"\s+", "", text).upper()
    if not compacted:
        assert data["centre"] is None
    elif data is not None:
        assert compacted.startswith(("PR1", "CA1")) and data["centre"] in ((53.759, -2.699), (54.89, -2.93))
    else:
        assert (
            message.startswith(("postcode must be a UK postcode", "We do not know where"))
            or "control characters" in message
        )


# --- the finder's distance rule -----------------------------------------------------------------


def test_proximity_and_order_are_the_finders_distance(client, directory, places):  # noqa: F811
    """Meetings on a ring of distances around PR1: exactly those the finder puts within
    the radius come back, nearest first by the finder's own distance_km."""
    centre = (53.759, -2.699)
    network, fellowship = directory["network"], directory["aa"]
    for i, km in enumerate((0.5, 2, 4.9, 5.1, 8, 12, 30)):
        bearing = math.radians(37 * i)
        lat = centre[0] + km * math.cos(bearing) / finder.KM_PER_DEGREE_LATITUDE
        lng = centre[1] + km * math.sin(bearing) / (finder.KM_PER_DEGREE_LATITUDE * math.cos(math.radians(lat)))
        location = LocationFactory(
            network=network, latitude=Decimal(f"{lat:.5f}"), longitude=Decimal(f"{lng:.5f}"), name=f"Ring {km}"
        )
        MeetingFactory(network=network, fellowship=fellowship, location=location, name=f"Ring {km}")
    for radius_m in (1000, 5000, 10_000, 100_000):
        data = _ok_or_400(
            client.get(
                reverse("directory:openreferral:service_at_location_list"),
                {"postcode": "PR1", "proximity": str(radius_m), "per_page": "200"},
            )
        )
        distances = [
            finder.distance_km(centre, item["location"]["latitude"], item["location"]["longitude"])
            for item in data["contents"]
        ]
        assert distances == sorted(distances)
        assert all(d <= radius_m / 1000 for d in distances)
        expected = {
            meeting.name
            for meeting in Meeting.objects.filter(name__startswith="Ring ").select_related("location")
            if finder.distance_km(centre, meeting.location.latitude, meeting.location.longitude) <= radius_m / 1000
        }
        assert expected == {item["service"]["name"] for item in data["contents"]} & set(
            Meeting.objects.filter(name__startswith="Ring ").values_list("name", flat=True)
        )
        assert len(expected) == sum(1 for km in (0.5, 2, 4.9, 5.1, 8, 12, 30) if km <= radius_m / 1000)


# --- REST framework's machinery, kept to the standard's ways ---------------------------------------


def test_the_accept_header_does_not_change_the_answer(client, directory):  # noqa: F811
    url = reverse("directory:openreferral:service_list")
    plain = client.get(url)
    for accept in ("text/html", "application/xml", "application/json; indent=4", "*/*"):
        response = client.get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 200 and response.content == plain.content
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert "accept" not in re.split(r"\s*,\s*", response.get("Vary", "").lower())


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_are_405_with_allow(client, method):
    response = getattr(client, method)(reverse("directory:openreferral:taxonomy_list"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"code": 405, "message": "Only GET and HEAD are allowed."}


def test_head_is_allowed(client, directory):  # noqa: F811
    assert client.head(reverse("directory:openreferral:service_list")).status_code == 200


def test_an_error_with_format_ndjson_is_json(client, directory):  # noqa: F811
    response = client.get(reverse("directory:openreferral:service_list"), {"format": "ndjson", "search": "x" * 201})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"code": 400, "message": "search must be at most 200 characters."}


def test_a_refused_method_is_not_counted_against_the_rate(client, monkeypatch):
    cache.clear()
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"openreferral": "2/min"})
    url = reverse("directory:openreferral:api_details")
    assert [client.post(url).status_code for _ in range(3)] == [405] * 3
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


def test_the_views_are_not_in_the_apis_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not [path for path in schema["paths"] if "openreferral" in path]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("service_list", {"format": "ndjson", "full": "true"}),
        ("service_at_location_list", {"format": "ndjson", "postcode": "PR1", "proximity": "50000"}),
        ("organization_list", {"format": "ndjson", "full_service": "true"}),
    ],
)
def test_ndjson_query_count_does_not_grow_with_rows(client, directory, places, name, params):  # noqa: F811
    def fetch():
        return _ok_or_400(client.get(reverse(f"directory:openreferral:{name}"), params))

    rows = assert_constant_queries(fetch, lambda n: _grow(directory, n))
    assert len(rows) >= 2
