"""The Open Referral UK 3.0 API at /openreferral/: every response validated
against the standard's JSON schemas (bundled in directory/data/openreferral-uk-3.0),
meetings as services of their fellowship, postcode and proximity, paging,
hostile parameters and a constant number of queries."""

import datetime
import json
import math
import urllib.parse
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory, ServiceFactory
from recoverynet.directory.models import (
    Meeting,
    MeetingType,
    Place,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceContact,
    ServicePhone,
    Taxonomy,
    TaxonomyTerm,
)
from recoverynet.federation.factories import NetworkFactory, OrganisationFactory
from recoverynet.testing import assert_constant_queries

from ..formats import openreferral as s

pytestmark = pytest.mark.django_db

# The standard's schemas are bundled (BSD-3-Clause, data/openreferral-uk-3.0/LICENSE): CI never skips them.
STANDARD_DIR = Path(__file__).resolve().parents[1] / "data" / "openreferral-uk-3.0"
SCHEMA_DIR = STANDARD_DIR / "schema"
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"

# --- strict schema validation ------------------------------------------------------------

format_checker = FormatChecker()


@format_checker.checks("uri", raises=ValueError)
def _is_uri(value):
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    return bool(parts.scheme in ("http", "https") and parts.netloc)


@format_checker.checks("date-time", raises=ValueError)
def _is_datetime(value):
    if not isinstance(value, str):
        return True
    moment = datetime.datetime.fromisoformat(value)
    return moment.tzinfo is not None


def _registry():
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((SCHEMA_BASE + path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(instance, schema_name):
    """Every error, not just the first: fail with all of them."""
    schema = REGISTRY.contents(SCHEMA_BASE + schema_name)
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=format_checker)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def validate_list(data, list_schema, item_schema):
    validate(data, list_schema)
    for key in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"):
        assert key in data, key
    for item in data["contents"]:
        validate(item, item_schema)


pytestmark = pytest.mark.django_db


# --- a small directory ---------------------------------------------------------------------


def get(client, name, *, id=None, **params):
    url = reverse(f"directory:openreferral:{name}", kwargs={"id": id} if id is not None else None)
    return client.get(url, params)


def ok(client, name, *, id=None, **params):
    response = get(client, name, id=id, **params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture
def places(db):
    Place.objects.create(kind="outcode", name="PR1", search_name="pr1", latitude="53.75900", longitude="-2.69900")
    Place.objects.create(kind="outcode", name="CA1", search_name="ca1", latitude="54.89000", longitude="-2.93000")


@pytest.fixture
def directory(db):
    network = NetworkFactory(name="Lancashire", slug="lancashire")
    org = OrganisationFactory(name="Preston Recovery Trust", description="Peer-led recovery.", networks=[network])
    taxonomy = Taxonomy.objects.create(name="Support types", description="What kind of help.")
    parent = TaxonomyTerm.objects.create(taxonomy=taxonomy, code="peer", name="Peer support", description="Peers.")
    child = TaxonomyTerm.objects.create(
        taxonomy=taxonomy, parent=parent, code="cafe", name="Recovery café", description="A café."
    )
    near = LocationFactory(network=network, name="Harris Hall", address="1 Market St", postcode="PR1 2AA")
    service = ServiceFactory(
        network=network,
        organisation=org,
        name="Recovery café",
        url="https://example.org/cafe",
        minimum_age=18,
        email="cafe@example.org",
    )
    service.taxonomy_terms.set([child])
    sal = ServiceAtLocation.objects.create(service=service, location=near)
    Schedule.objects.create(
        service=service,
        service_at_location=sal,
        byday="MO,WE",
        opens_at=datetime.time(10),
        closes_at=datetime.time(16),
        attending_type="in person",
    )
    contact = ServiceContact.objects.create(service=service, title="Café lead")
    ServicePhone.objects.create(service=service, contact=contact, number="01772 000000")
    ServicePhone.objects.create(service=service, number="0800 000000", description="Helpline")

    aa = FellowshipFactory(name="Alcoholics Anonymous", short_name="AA", slug="aa", description="A fellowship.")
    far = LocationFactory(
        network=network,
        name="Kendal Hall",
        address="2 Stramongate",
        town="Kendal",
        latitude="54.32800",
        longitude="-2.74600",
    )
    weekly = MeetingFactory(
        network=network,
        fellowship=aa,
        location=near,
        name="Tuesday Night Group",
        slug="tuesday-night",
        days=[2],
        types=["O", "X"],
        start_time=datetime.time(19, 30),
    )
    online_town = LocationFactory(network=network, name="", address="", approximate=True, town="Preston")
    monthly = MeetingFactory(
        network=network,
        fellowship=aa,
        location=online_town,
        name="First Monday Online",
        slug="first-monday",
        days=[1],
        monthly_week=1,
        conference_url="https://zoom.us/j/123456789",
        conference_phone="0203 000 0000",
        start_time=datetime.time(20, 0),
        end_time=datetime.time(21, 30),
    )
    hybrid = MeetingFactory(
        network=network,
        fellowship=aa,
        location=far,
        name="Kendal Hybrid",
        slug="kendal-hybrid",
        days=[5],
        monthly_week=-1,
        conference_url="https://zoom.us/j/987654321",
    )
    closed = MeetingFactory(
        network=network,
        fellowship=aa,
        location=far,
        name="Closed for now",
        slug="closed-for-now",
        status=Meeting.Status.TEMPORARILY_CLOSED,
    )
    return {
        "network": network,
        "org": org,
        "taxonomy": taxonomy,
        "parent": parent,
        "child": child,
        "service": service,
        "sal": sal,
        "aa": aa,
        "weekly": weekly,
        "monthly": monthly,
        "hybrid": hybrid,
        "closed": closed,
        "near": near,
        "far": far,
    }


@pytest.fixture
def hidden(directory):
    """Things that must never appear."""
    network = directory["network"]
    gone_network = NetworkFactory(is_active=False)
    return {
        "inactive_meeting": MeetingFactory(
            network=network, fellowship=directory["aa"], name="Gone", slug="gone", status=Meeting.Status.INACTIVE
        ),
        "meeting_in_inactive_network": MeetingFactory(network=gone_network, name="Closed network", slug="gone-net"),
        "inactive_service": ServiceFactory(network=network, organisation=directory["org"], status="inactive"),
        "defunct_service": ServiceFactory(network=network, organisation=directory["org"], status="defunct"),
        "service_of_inactive_org": ServiceFactory(
            network=network, organisation=OrganisationFactory(is_active=False, name="Closed org")
        ),
        "service_in_inactive_network": ServiceFactory(network=gone_network),
        "unused_fellowship": FellowshipFactory(name="No meetings here"),
    }


# --- / -------------------------------------------------------------------------------------


def test_api_details(client):
    data = ok(client, "api_details")
    validate(data, "api_details.json")
    assert data["version"] == "3.0"


# --- services ----------------------------------------------------------------------------


def test_service_list_holds_services_then_meetings_and_validates(client, directory, hidden):
    data = ok(client, "service_list")
    validate_list(data, "service_list.json", "service.json")
    ids = [item["id"] for item in data["contents"]]
    assert ids[0] == str(directory["service"].uuid)
    expected_meetings = sorted(
        [directory[k] for k in ("weekly", "monthly", "hybrid", "closed")], key=lambda m: (m.name, m.pk)
    )
    assert ids[1:] == [str(m.uuid) for m in expected_meetings]
    for thing in hidden.values():
        assert str(thing.uuid) not in ids
    assert data["total_items"] == 5 and data["total_pages"] == 1 and data["size"] == 5
    assert data["first_page"] and data["last_page"] and not data["empty"]
    statuses = {item["id"]: item["status"] for item in data["contents"]}
    assert statuses[str(directory["closed"].uuid)] == "temporarily closed"


def test_stored_service_detail_is_fully_nested(client, directory):
    service, sal = directory["service"], directory["sal"]
    data = ok(client, "service_detail", id=str(service.uuid))
    validate(data, "service.json")
    assert data["organization"]["id"] == str(directory["org"].uuid)
    assert data["organization_id"] == str(directory["org"].uuid)
    assert data["minimum_age"] == 18 and "maximum_age" not in data
    (schedule,) = data["schedules"]
    assert schedule | {} == schedule and schedule["byday"] == "MO,WE" and schedule["opens_at"] == "10:00:00"
    assert schedule["service_at_location_id"] == str(sal.uuid)
    (at,) = data["service_at_locations"]
    assert at["id"] == str(sal.uuid)
    assert at["location"]["location_type"] == "physical"
    (address,) = at["location"]["addresses"]
    assert address["postal_code"] == "PR1 2AA" and address["country"] == "GB"
    (contact,) = data["contacts"]
    assert contact["title"] == "Café lead" and contact["phones"][0]["number"] == "01772 000000"
    assert [p["number"] for p in data["phones"]] == ["0800 000000"]
    (attribute,) = data["attributes"]
    assert attribute["taxonomy_term"]["id"] == str(directory["child"].uuid)
    assert attribute["taxonomy_term"]["parent_id"] == str(directory["parent"].uuid)


def test_weekly_meeting_is_a_service_of_its_fellowship(client, directory):
    meeting = directory["weekly"]
    data = ok(client, "service_detail", id=str(meeting.uuid))
    validate(data, "service.json")
    assert data["organization"]["id"] == str(directory["aa"].uuid)
    assert data["organization"]["name"] == "Alcoholics Anonymous"
    assert data["status"] == "active"
    (schedule,) = data["schedules"]
    assert schedule["freq"] == "WEEKLY" and schedule["byday"] == "TU"
    assert schedule["opens_at"] == "19:30:00" and schedule["closes_at"] == "20:30:00"  # the spec's +60 minutes
    assert schedule["attending_type"] == "in person"
    assert "Europe/London" in schedule["description"]
    (at,) = data["service_at_locations"]
    assert at["id"] == s.meeting_sal_id(meeting)
    assert at["location"]["id"] == str(directory["near"].uuid)
    assert at["location"]["accessibility"][0]["description"] == "Wheelchair access"
    codes = {a["taxonomy_term"]["term"] for a in data["attributes"]}
    assert codes == {"O", "X"}
    for attribute in data["attributes"]:
        assert attribute["taxonomy_term"]["taxonomy_id"] == s.MEETING_TYPES_TAXONOMY_ID


def test_monthly_online_and_hybrid_meetings(client, directory):
    monthly = ok(client, "service_detail", id=str(directory["monthly"].uuid))
    validate(monthly, "service.json")
    (schedule,) = monthly["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["attending_type"]) == ("MONTHLY", "1MO", "online")
    assert schedule["closes_at"] == "21:30:00"
    assert monthly["service_at_locations"][0]["location"]["location_type"] == "virtual"
    assert "addresses" not in monthly["service_at_locations"][0]["location"]
    assert monthly["contacts"][0]["phones"][0]["number"] == "0203 000 0000"

    hybrid = ok(client, "service_detail", id=str(directory["hybrid"].uuid))
    (schedule,) = hybrid["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["attending_type"]) == ("MONTHLY", "-1FR", "hybrid")


def test_service_filters(client, directory, hidden):
    aa = ok(client, "service_list", organization_id=str(directory["aa"].uuid))
    assert aa["total_items"] == 4
    org = ok(client, "service_list", organization_id=str(directory["org"].uuid))
    assert [i["id"] for i in org["contents"]] == [str(directory["service"].uuid)]
    wheelchair = ok(client, "service_list", taxonomy_term_id=s.meeting_type_term_id("X"))
    assert [i["id"] for i in wheelchair["contents"]] == [str(directory["weekly"].uuid)]
    cafe = ok(client, "service_list", taxonomy_term_id=str(directory["child"].uuid))
    assert [i["id"] for i in cafe["contents"]] == [str(directory["service"].uuid)]
    by_taxonomy = ok(client, "service_list", taxonomy_id=str(directory["taxonomy"].uuid))
    assert [i["id"] for i in by_taxonomy["contents"]] == [str(directory["service"].uuid)]
    typed = ok(client, "service_list", taxonomy_id=s.MEETING_TYPES_TAXONOMY_ID)
    assert [i["id"] for i in typed["contents"]] == [str(directory["weekly"].uuid)]
    search = ok(client, "service_list", search="kendal")
    assert [i["id"] for i in search["contents"]] == [str(directory["hybrid"].uuid)]
    future = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)).isoformat()
    assert ok(client, "service_list", modified_after=future)["empty"] is True
    assert ok(client, "service_list", modified_after="2000-01-01")["total_items"] == 5


def test_service_list_full_and_minimal(client, directory):
    full = ok(client, "service_list", full="true")
    validate_list(full, "service_list.json", "service.json")
    assert all("schedules" in item for item in full["contents"])
    minimal = ok(client, "service_list", minimal="true")
    validate(minimal, "service_list.json")
    assert set(minimal["contents"][0]) == {"id", "name", "status", "last_modified"}


def test_paging_runs_across_services_and_meetings(client, directory):
    first = ok(client, "service_list", per_page=2)
    second = ok(client, "service_list", per_page=2, page=2)
    third = ok(client, "service_list", per_page=2, page=3)
    beyond = ok(client, "service_list", per_page=2, page=9)
    for page in (first, second, third, beyond):
        validate_list(page, "service_list.json", "service.json")
    assert (first["total_items"], first["total_pages"], first["size"]) == (5, 3, 2)
    assert first["first_page"] and not first["last_page"]
    assert not second["first_page"] and not second["last_page"] and second["page_number"] == 2
    assert third["last_page"] and third["size"] == 1
    assert beyond["empty"] and beyond["contents"] == [] and beyond["last_page"]
    everything = [i["id"] for p in (first, second, third) for i in p["contents"]]
    assert everything == [i["id"] for i in ok(client, "service_list")["contents"]]


# --- organizations -------------------------------------------------------------------------


def test_organizations_are_organisations_with_services_and_fellowships_with_meetings(client, directory, hidden):
    data = ok(client, "organization_list")
    validate_list(data, "organization_list.json", "organization.json")
    assert [i["id"] for i in data["contents"]] == [str(directory["org"].uuid), str(directory["aa"].uuid)]
    full = ok(client, "organization_list", full="true")
    validate_list(full, "organization_list.json", "organization.json")
    assert len(full["contents"][1]["services"]) == 4


def test_organization_detail(client, directory, hidden):
    data = ok(client, "organization_detail", id=str(directory["aa"].uuid))
    validate(data, "organization.json")
    assert {i["id"] for i in data["services"]} == {
        str(directory[k].uuid) for k in ("weekly", "monthly", "hybrid", "closed")
    }
    full = ok(client, "organization_detail", id=str(directory["org"].uuid), full_service="true")
    validate(full, "organization.json")
    (service,) = full["services"]
    validate(service, "service.json")
    assert service["schedules"]
    assert get(client, "organization_detail", id=str(hidden["unused_fellowship"].uuid)).status_code == 404
    closed_org = hidden["service_of_inactive_org"].organisation
    assert get(client, "organization_detail", id=str(closed_org.uuid)).status_code == 404


# --- service at locations ------------------------------------------------------------------


def test_service_at_locations_list_and_detail(client, directory):
    data = ok(client, "service_at_location_list")
    validate_list(data, "service_at_location_list.json", "service_at_location.json")
    assert data["total_items"] == 5  # the stored one and the four meetings (each has a location)
    meeting_sal = s.meeting_sal_id(directory["weekly"])
    assert meeting_sal in [i["id"] for i in data["contents"]]
    for sal_id in (meeting_sal, str(directory["sal"].uuid)):
        detail = ok(client, "service_at_location_detail", id=sal_id)
        validate(detail, "service_at_location.json")
        validate(detail["service"], "service.json")
        assert detail["location"]["addresses"]
    full = ok(client, "service_at_location_list", full="true")
    validate_list(full, "service_at_location_list.json", "service_at_location.json")


def _distance_metres(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def test_postcode_and_proximity_filter_and_sort_by_distance(client, directory, places):
    near_ids = {str(directory["sal"].uuid), s.meeting_sal_id(directory["weekly"])}
    far_ids = {s.meeting_sal_id(directory[k]) for k in ("hybrid", "closed")}
    # Preston (PR1) to Kendal is about 63 km; the online meeting's place is not physical.
    within_10km = ok(client, "service_at_location_list", postcode="PR1 2AA", proximity="10000")
    validate_list(within_10km, "service_at_location_list.json", "service_at_location.json")
    assert {i["id"] for i in within_10km["contents"]} == near_ids
    within_100km = ok(client, "service_at_location_list", postcode="pr12aa", proximity="100000")
    ids = [i["id"] for i in within_100km["contents"]]
    assert set(ids) == near_ids | far_ids
    distances = [
        _distance_metres(53.759, -2.699, i["location"]["latitude"], i["location"]["longitude"])
        for i in within_100km["contents"]
    ]
    assert distances == sorted(distances)
    assert all(d <= 100_000 for d in distances)
    # From Carlisle (CA1) the Kendal meetings come first.
    from_carlisle = ok(client, "service_at_location_list", postcode="CA1", per_page=2)
    assert {i["id"] for i in from_carlisle["contents"]} == far_ids
    assert from_carlisle["total_items"] == 4 and from_carlisle["total_pages"] == 2
    second = ok(client, "service_at_location_list", postcode="CA1", per_page=2, page=2)
    assert {i["id"] for i in second["contents"]} == near_ids


@pytest.mark.parametrize(
    "params",
    [
        {"postcode": "ZZ99 9ZZ"},
        {"postcode": "not a postcode"},
        {"proximity": "1000"},
        {"postcode": "PR1", "proximity": "far"},
        {"postcode": "PR1", "proximity": "-5"},
        {"postcode": "PR1", "proximity": "nan"},
        {"postcode": "PR1", "proximity": "1e400"},
    ],
)
def test_bad_postcode_or_proximity_is_a_400(client, directory, places, params):
    response = get(client, "service_at_location_list", **params)
    assert response.status_code == 400
    assert response.json()["message"]


# --- taxonomies --------------------------------------------------------------------------------


def test_taxonomies(client, directory):
    data = ok(client, "taxonomy_list")
    validate_list(data, "taxonomy_list.json", "taxonomy.json")
    assert [i["id"] for i in data["contents"]] == [s.MEETING_TYPES_TAXONOMY_ID, str(directory["taxonomy"].uuid)]
    types = ok(client, "taxonomy_detail", id=s.MEETING_TYPES_TAXONOMY_ID)
    validate(types, "taxonomy.json")
    assert len(types["taxonomy_terms"]) == MeetingType.objects.count()
    assert {t["term"] for t in types["taxonomy_terms"]} >= {"O", "C", "X", "D"}
    stored = ok(client, "taxonomy_detail", id=str(directory["taxonomy"].uuid))
    validate(stored, "taxonomy.json")
    assert {t["id"] for t in stored["taxonomy_terms"]} == {str(directory["parent"].uuid), str(directory["child"].uuid)}


def test_taxonomy_terms(client, directory):
    data = ok(client, "taxonomy_term_list", per_page=200)
    validate_list(data, "taxonomy_term_list.json", "taxonomy_term.json")
    assert data["total_items"] == 2 + MeetingType.objects.count()
    wheelchair = ok(client, "taxonomy_term_detail", id=s.meeting_type_term_id("X"))
    validate(wheelchair, "taxonomy_term.json")
    assert wheelchair["name"] == "Wheelchair Access"
    child = ok(client, "taxonomy_term_detail", id=str(directory["child"].uuid))
    validate(child, "taxonomy_term.json")
    assert child["parent_id"] == str(directory["parent"].uuid)
    in_taxonomy = ok(client, "taxonomy_term_list", taxonomy_id=str(directory["taxonomy"].uuid))
    assert in_taxonomy["total_items"] == 2
    top = ok(client, "taxonomy_term_list", taxonomy_id=str(directory["taxonomy"].uuid), top_only="true")
    assert [t["id"] for t in top["contents"]] == [str(directory["parent"].uuid)]
    children = ok(client, "taxonomy_term_list", parent_id=str(directory["parent"].uuid))
    assert [t["id"] for t in children["contents"]] == [str(directory["child"].uuid)]
    assert ok(client, "taxonomy_term_list", taxonomy_id=s.MEETING_TYPES_TAXONOMY_ID)["total_items"] == (
        MeetingType.objects.count()
    )
    assert ok(client, "taxonomy_term_list", search="wheelchair")["total_items"] >= 1


# --- hidden things, 404 and 400 ----------------------------------------------------------------


def test_hidden_things_are_404(client, hidden):
    for thing in hidden.values():
        if isinstance(thing, Meeting | Service):
            assert get(client, "service_detail", id=str(thing.uuid)).status_code == 404
    inactive = hidden["inactive_meeting"]
    sal_id = s.meeting_sal_id(inactive)
    assert get(client, "service_at_location_detail", id=sal_id).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["service_detail", "organization_detail", "service_at_location_detail", "taxonomy_detail", "taxonomy_term_detail"],
)
def test_unknown_and_malformed_ids(client, directory, name):
    unknown = get(client, name, id="00000000-0000-4000-8000-000000000000")
    assert unknown.status_code == 404 and unknown.json()["message"]
    for bad in ("abc", "1' OR '1'='1", "x" * 10_000, "-1"):
        response = get(client, name, id=bad)
        assert response.status_code == 400, bad[:20]
        assert response["Content-Type"].startswith("application/json")


HOSTILE = [
    {"page": "abc"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "99999999999999999999"},
    {"per_page": "100000"},
    {"per_page": "0"},
    {"search": "x" * 10_000},
    {"search": "nul\x00byte"},
    {"taxonomy_term_id": "'; DROP TABLE directory_service; --"},
    {"organization_id": "nope"},
    {"taxonomy_id": "1"},
    {"modified_after": "yesterday"},
    {"modified_after": "2024-13-45T99:00:00"},
    {"full": "maybe"},
    {"format": "xml"},
]


@pytest.mark.parametrize("params", HOSTILE)
@pytest.mark.parametrize("name", ["service_list", "service_at_location_list"])
def test_hostile_parameters_are_a_400_never_a_500(client, directory, name, params):
    response = get(client, name, **params)
    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.parametrize("name", ["organization_list", "taxonomy_list", "taxonomy_term_list"])
def test_hostile_paging_on_other_lists(client, directory, name):
    for params in ({"page": "abc"}, {"per_page": "100000"}, {"search": "x" * 10_000}):
        assert get(client, name, **params).status_code == 400


def test_sql_in_search_is_just_text(client, directory):
    data = ok(client, "service_list", search="' OR 1=1 --")
    assert data["empty"] is True
    assert Service.objects.count() >= 1


def test_markup_is_escaped_in_the_body(client, directory):
    meeting = directory["weekly"]
    Meeting.objects.filter(pk=meeting.pk).update(notes="<script>alert(1)</script> & more")
    response = get(client, "service_detail", id=str(meeting.uuid))
    assert b"<script>" not in response.content
    assert response.json()["description"] == "<script>alert(1)</script> & more"


def test_only_get(client, directory):
    assert client.post(reverse("directory:openreferral:service_list")).status_code == 405


# --- a constant number of queries ---------------------------------------------------------------


def _grow(directory, n):
    network, org, aa = directory["network"], directory["org"], directory["aa"]
    for i in range(n):
        service = ServiceFactory(network=network, organisation=org)
        service.taxonomy_terms.set([directory["child"]])
        location = LocationFactory(network=network)
        sal = ServiceAtLocation.objects.create(service=service, location=location)
        Schedule.objects.create(service=service, service_at_location=sal, byday="FR")
        contact = ServiceContact.objects.create(service=service, name=f"Desk {i}")
        ServicePhone.objects.create(service=service, contact=contact, number="01234 567890")
        MeetingFactory(network=network, fellowship=aa, location=location, days=[1, 3], types=["O", "D"])


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("service_list", {}),
        ("service_list", {"full": "true"}),
        ("service_list", {"minimal": "true"}),
        ("service_at_location_list", {}),
        ("service_at_location_list", {"full": "true"}),
        ("service_at_location_list", {"postcode": "PR1", "proximity": "50000"}),
        ("organization_list", {"full_service": "true"}),
        ("taxonomy_term_list", {}),
    ],
)
def test_query_count_does_not_grow_with_rows(client, directory, places, name, params):
    # Pages large enough to hold both kinds, with 3 then 30 more of each.
    params = {"per_page": "200", **params}
    data = assert_constant_queries(lambda: ok(client, name, **params), lambda n: _grow(directory, n))
    assert data["size"] >= 30 or name == "organization_list"


def test_meeting_service_at_location_detail_query_count_does_not_grow_with_meetings(client, directory):
    sal_id = s.meeting_sal_id(directory["weekly"])
    data = assert_constant_queries(
        lambda: ok(client, "service_at_location_detail", id=sal_id), lambda n: _grow(directory, n)
    )
    assert data["id"] == sal_id
    validate(data, "service_at_location.json")


def test_the_schema_check_is_not_vacuous(client, directory):
    """The validator follows $refs into nested objects and checks formats."""
    data = ok(client, "service_detail", id=str(directory["weekly"].uuid))
    broken = json.loads(json.dumps(data))
    broken["organization"]["id"] = "not-a-uuid"
    with pytest.raises(AssertionError, match="not-a-uuid"):
        validate(broken, "service.json")
    broken = json.loads(json.dumps(data))
    del broken["attributes"][0]["taxonomy_term"]["name"]
    with pytest.raises(AssertionError, match="name"):
        validate(broken, "service.json")
    broken = json.loads(json.dumps(data))
    broken["schedules"][0]["freq"] = "DAILY"
    with pytest.raises(AssertionError, match="DAILY"):
        validate(broken, "service.json")
    listing = ok(client, "service_list")
    listing["contents"][0]["url"] = "not a url"
    with pytest.raises(AssertionError, match="not a url"):
        validate(listing, "service_list.json")


def _ndjson(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def test_ndjson_streams_every_result_without_paging(client, directory, places):
    rows = _ndjson(get(client, "service_list", format="ndjson", per_page=1))
    assert [r["id"] for r in rows] == [i["id"] for i in ok(client, "service_list")["contents"]]
    for row in rows:
        validate(row, "service.json")
    near_first = _ndjson(get(client, "service_at_location_list", format="ndjson", postcode="CA1"))
    assert [r["id"] for r in near_first] == [
        i["id"] for i in ok(client, "service_at_location_list", postcode="CA1")["contents"]
    ]
    terms = _ndjson(get(client, "taxonomy_term_list", format="ndjson"))
    assert len(terms) == 2 + MeetingType.objects.count()


def test_minimal_returns_everything_in_one_page(client, directory):
    _grow(directory, 30)
    data = ok(client, "service_list", minimal="true")
    validate(data, "service_list.json")
    assert data["total_pages"] == 1 and data["size"] == data["total_items"] == 65


def test_meeting_url_is_its_page(client, directory):
    data = ok(client, "service_detail", id=str(directory["weekly"].uuid))
    assert data["url"] == "http://testserver" + directory["weekly"].get_absolute_url()


def test_temporarily_closed_meeting_that_meets_online_is_active_online(client, directory):
    closed = directory["closed"]
    Meeting.objects.filter(pk=closed.pk).update(conference_url="https://zoom.us/j/111222333")
    data = ok(client, "service_detail", id=str(closed.uuid))
    validate(data, "service.json")
    assert data["status"] == "active"
    assert data["schedules"][0]["attending_type"] == "online"
    minimal = ok(client, "service_list", minimal="true")
    assert {i["id"]: i["status"] for i in minimal["contents"]}[str(closed.uuid)] == "active"


def test_meeting_service_at_location_ids_are_valid_uuids_and_reversible():
    for _ in range(50):
        meeting_uuid = uuid.uuid4()
        sal_id = uuid.UUID(s.meeting_sal_id(type("M", (), {"uuid": meeting_uuid})))
        assert sal_id != meeting_uuid
        assert (sal_id.version, sal_id.variant) == (4, uuid.RFC_4122)
        assert s.meeting_uuid_for_sal_id(sal_id) == meeting_uuid
