"""The directory REST API (/api/v1/meetings, fellowships, services, locations):
public reads, writes through the services layer with audit, 400s for bad
input, the finder's filters, constant queries."""

import datetime
import json
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from recoverynet.core.models import AuditEntry
from recoverynet.directory import finder
from recoverynet.directory.api.filters import resolve_near
from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory, ServiceFactory
from recoverynet.directory.finder import LONDON
from recoverynet.directory.models import (
    Meeting,
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

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
CARLISLE = ("54.89123", "-2.93456")
PENRITH = ("54.66400", "-2.75200")  # about 27 km from Carlisle


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(response):
    return [row["slug"] for row in results(response)]


def audit_entries(instance):
    return AuditEntry.objects.filter(content_type__model=instance._meta.model_name, object_id=str(instance.pk))


@pytest.fixture
def aa(world):
    return FellowshipFactory(name="Alcoholics Anonymous", short_name="AA", slug="aa")


@pytest.fixture
def venue(world):
    return LocationFactory(
        network=world.own_network,
        name="St Cuthbert's Hall",
        address="1 Church Street",
        town="Carlisle",
        postcode="CA1 1AA",
        latitude=CARLISLE[0],
        longitude=CARLISLE[1],
    )


@pytest.fixture
def meetings(world, aa, venue):
    """A handful of Cumbria meetings plus one in Merseyside."""
    penrith = LocationFactory(
        network=world.own_network, town="Penrith", latitude=PENRITH[0], longitude=PENRITH[1], postcode="CA11 7AA"
    )
    online_area = LocationFactory(
        network=world.own_network, name="", address="", town="Kendal", approximate=True, latitude=None, longitude=None
    )
    smart = FellowshipFactory(name="SMART Recovery", short_name="SMART", slug="smart-recovery")
    return {
        "tuesday": MeetingFactory(
            network=world.own_network, fellowship=aa, location=venue, name="Carlisle Tuesday Serenity",
            slug="carlisle-tuesday", days=[2], start_time=datetime.time(19, 30), types=["O", "X", "D"],
        ),
        "morning": MeetingFactory(
            network=world.own_network, fellowship=smart, location=venue, name="Carlisle Morning SMART",
            slug="carlisle-morning", days=[1, 3, 5], start_time=datetime.time(10, 0), types=["C"],
        ),
        "penrith": MeetingFactory(
            network=world.own_network, fellowship=aa, location=penrith, name="Penrith Step Group",
            slug="penrith-step", days=[2], start_time=datetime.time(20, 0), types=["O", "ST"],
            conference_url="https://zoom.us/j/123456789",
        ),
        "online": MeetingFactory(
            network=world.own_network, fellowship=aa, location=online_area, name="Lakes Online",
            slug="lakes-online", days=[0], start_time=datetime.time(21, 0), types=["O"],
            conference_url="https://zoom.us/j/987654321",
        ),
        "closed": MeetingFactory(
            network=world.own_network, fellowship=aa, location=venue, name="Closed For Repairs",
            slug="closed-for-repairs", days=[4], start_time=datetime.time(18, 0),
            status=Meeting.Status.TEMPORARILY_CLOSED,
        ),
        "inactive": MeetingFactory(
            network=world.own_network, fellowship=aa, location=venue, name="Old Group",
            slug="old-group", days=[4], status=Meeting.Status.INACTIVE,
        ),
        "merseyside": MeetingFactory(
            network=world.other_network, fellowship=aa, name="Bootle Friday", slug="bootle-friday", days=[5],
            start_time=datetime.time(19, 0),
        ),
    }  # fmt: skip


# --- Reads --------------------------------------------------------------------------


def test_meeting_detail_shows_derived_fields_and_summaries(world, api_as, meetings, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=False)  # a Wednesday
    data = api_as("anonymous").get("/api/v1/meetings/penrith-step/").json()

    assert data["name"] == "Penrith Step Group"
    assert data["id"] == str(meetings["penrith"].uuid)
    assert data["url"].endswith("/api/v1/meetings/penrith-step/")
    assert data["days"] == [2]
    assert data["day_names"] == ["Tuesday"]
    assert data["start_time"] == "20:00"
    assert data["end_time"] is None
    assert data["effective_end_time"] == "21:00"  # the spec's +60 minutes
    assert data["timezone"] == "Europe/London"
    assert data["types"] == ["O", "ST"]
    assert data["attendance"] == "hybrid"
    assert data["conference_url"] == "https://zoom.us/j/123456789"
    assert data["fellowship"] == {"slug": "aa", "name": "Alcoholics Anonymous", "short_name": "AA"}
    assert data["network"] == {"slug": "cumbria", "name": "Cumbria"}
    assert data["location"]["town"] == "Penrith"
    assert data["location"]["latitude"] == "54.66400"
    assert data["location"]["formatted_address"].endswith("CA11 7AA, UK")
    assert data["status"] == "active"
    assert set(data["links"]) == {"html", "ics"}
    next_start = datetime.datetime.fromisoformat(data["next_start"])
    assert next_start == datetime.datetime(2026, 12, 8, 20, 0, tzinfo=datetime.UTC)  # next Tuesday, 20:00 GMT
    assert data["distance_km"] is None


def test_attendance_is_derived_for_each_meeting(world, api_as, meetings):
    client = api_as("anonymous")
    assert client.get("/api/v1/meetings/carlisle-tuesday/").json()["attendance"] == "in_person"
    assert client.get("/api/v1/meetings/lakes-online/").json()["attendance"] == "online"
    closed = client.get("/api/v1/meetings/closed-for-repairs/").json()
    assert (closed["status"], closed["attendance"]) == ("temporarily_closed", "inactive")


def test_inactive_meetings_and_inactive_networks_are_not_found(world, api_as, meetings):
    client = api_as("anonymous")
    assert client.get("/api/v1/meetings/old-group/").status_code == 404
    assert client.get("/api/v1/meetings/no-such-meeting/").status_code == 404
    world.other_network.is_active = False
    world.other_network.save(update_fields=["is_active"])
    assert client.get("/api/v1/meetings/bootle-friday/").status_code == 404
    assert "bootle-friday" not in slugs(client.get("/api/v1/meetings/"))


def test_meeting_list_is_the_finder_sorted_by_next_occurrence(world, api_as, meetings):
    listed = slugs(api_as("anonymous").get("/api/v1/meetings/"))
    # Inactive, and temporarily closed without an online option, are left out (as on the finder page).
    assert set(listed) == {"carlisle-tuesday", "carlisle-morning", "penrith-step", "lakes-online", "bootle-friday"}
    starts = [
        datetime.datetime.fromisoformat(row["next_start"])
        for row in results(api_as("anonymous").get("/api/v1/meetings/"))
    ]
    assert starts == sorted(starts)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"day": "2"}, {"carlisle-tuesday", "penrith-step"}),
        ({"day": ["0", "5"]}, {"lakes-online", "carlisle-morning", "bootle-friday"}),
        ({"time_of_day": "morning"}, {"carlisle-morning"}),
        ({"time_of_day": ["morning", "evening"], "day": "2"}, {"carlisle-tuesday", "penrith-step"}),
        ({"type": "O"}, {"carlisle-tuesday", "penrith-step", "lakes-online"}),
        ({"type": ["O", "ST"]}, {"penrith-step"}),
        ({"wheelchair": "true"}, {"carlisle-tuesday"}),
        ({"fellowship": "smart-recovery"}, {"carlisle-morning"}),
        ({"attendance": "online"}, {"lakes-online"}),
        ({"attendance": "hybrid"}, {"penrith-step"}),
        ({"attendance": "in_person"}, {"carlisle-tuesday", "carlisle-morning", "bootle-friday"}),
        ({"network": "merseyside"}, {"bootle-friday"}),
        ({"q": "serenity"}, {"carlisle-tuesday"}),
        ({"near": ",".join(CARLISLE), "radius_km": "5"}, {"carlisle-tuesday", "carlisle-morning"}),
        ({"near": ",".join(CARLISLE), "radius_km": "40"}, {"carlisle-tuesday", "carlisle-morning", "penrith-step"}),
        ({"near": ",".join(CARLISLE), "radius_km": "40", "day": "2", "type": "X"}, {"carlisle-tuesday"}),
        ({"network": "no-such-network"}, set()),
    ],
)
def test_meeting_filters(world, api_as, meetings, params, expected):
    assert set(slugs(api_as("anonymous").get("/api/v1/meetings/", params))) == expected


def test_near_sorts_by_distance_and_reports_it(world, api_as, meetings):
    rows = results(
        api_as("anonymous").get("/api/v1/meetings/", {"near": "54.6,-2.7", "radius_km": 50, "sort": "distance"})
    )
    assert [row["slug"] for row in rows][0] == "penrith-step"
    distances = [row["distance_km"] for row in rows]
    assert distances == sorted(distances)
    assert 7 < distances[0] < 9


def test_near_a_named_place_uses_the_gazetteer(world, api_as, meetings):
    Place.objects.create(kind="place", name="Carlisle", search_name="carlisle", county="Cumbria",
                         latitude="54.89100", longitude="-2.93600", population=75000)  # fmt: skip
    Place.objects.create(kind="outcode", name="CA11", search_name="ca11", latitude="54.66", longitude="-2.75")
    assert resolve_near("Carlisle") == pytest.approx((54.891, -2.936))
    client = api_as("anonymous")
    assert set(slugs(client.get("/api/v1/meetings/", {"near": "Carlisle", "radius_km": 5}))) == {
        "carlisle-tuesday",
        "carlisle-morning",
    }
    assert slugs(client.get("/api/v1/meetings/", {"near": "CA11", "radius_km": 3})) == ["penrith-step"]
    response = client.get("/api/v1/meetings/", {"near": "Atlantis"})
    assert response.status_code == 400
    assert "near" in response.json()
    Place.objects.create(kind="place", name="Newton", search_name="newton", county="Cumbria",
                         latitude="54.1", longitude="-3.1")  # fmt: skip
    Place.objects.create(kind="place", name="Newton", search_name="newton", county="Lancashire",
                         latitude="53.9", longitude="-2.5")  # fmt: skip
    response = client.get("/api/v1/meetings/", {"near": "Newton"})
    assert response.status_code == 400
    assert "Newton, Cumbria" in response.json()["near"][0]
    assert client.get("/api/v1/meetings/", {"near": "Newton, Lancashire"}).status_code == 200


def test_starting_within_hours(world, api_as, meetings, monkeypatch):
    # A Tuesday at 19:00 in London: the Penrith meeting (20:00) is within two hours, Carlisle's (19:30) too.
    tuesday_evening = datetime.datetime(2026, 6, 2, 18, 0, tzinfo=datetime.UTC)  # 19:00 BST
    monkeypatch.setattr(finder.timezone, "now", lambda: tuesday_evening)
    client = api_as("anonymous")
    assert set(slugs(client.get("/api/v1/meetings/", {"starting_within_hours": 2}))) == {
        "carlisle-tuesday",
        "penrith-step",
    }
    assert slugs(client.get("/api/v1/meetings/", {"starting_within_hours": 0.75})) == ["carlisle-tuesday"]


@pytest.mark.parametrize(
    "params",
    [
        {"day": "7"},
        {"day": "tuesday"},
        {"time_of_day": "midnight"},
        {"type": "NOT-A-TYPE"},
        {"attendance": "telepathy"},
        {"wheelchair": "perhaps"},
        {"radius_km": "-1"},
        {"radius_km": "far"},
        {"radius_km": "100000"},
        {"starting_within_hours": "0"},
        {"near": "x" * 101},
        {"near": "91,0"},
        {"q": "x" * 101},
        {"network": "<script>"},
        {"sort": "random"},
    ],
)
def test_bad_meeting_filters_are_400_not_500(world, api_as, meetings, params):
    response = api_as("anonymous").get("/api/v1/meetings/", params)
    assert response.status_code == 400, response.content
    assert set(params) & set(response.json())


def test_page_out_of_range_is_404(world, api_as, meetings):
    assert api_as("anonymous").get("/api/v1/meetings/", {"page": 99}).status_code == 404


def test_meeting_list_is_paginated(world, api_as, meetings):
    data = api_as("anonymous").get("/api/v1/meetings/", {"page_size": 2}).json()
    assert data["count"] == 5
    assert len(data["results"]) == 2
    assert data["next"] and "page=2" in data["next"]


def test_fellowships_are_public_with_meeting_counts(world, api_as, meetings):
    rows = {row["slug"]: row for row in results(api_as("anonymous").get("/api/v1/fellowships/"))}
    assert rows["aa"]["meeting_count"] == 5  # the inactive one is not counted
    assert rows["aa"]["name"] == "Alcoholics Anonymous"
    assert rows["smart-recovery"]["meeting_count"] == 1
    assert slugs(api_as("anonymous").get("/api/v1/fellowships/", {"q": "smart"})) == ["smart-recovery"]
    assert api_as("anonymous").get("/api/v1/fellowships/aa/").json()["short_name"] == "AA"
    assert api_as("anonymous").post("/api/v1/fellowships/", {"name": "X"}, format="json").status_code == 405


def test_locations_are_public_by_id(world, api_as, venue):
    client = api_as("anonymous")
    rows = results(client.get("/api/v1/locations/", {"network": "cumbria"}))
    assert [row["id"] for row in rows] == [str(venue.uuid)]
    detail = client.get(f"/api/v1/locations/{venue.uuid}/").json()
    assert detail["network"] == "cumbria"
    assert detail["formatted_address"] == "1 Church Street, Carlisle, CA1 1AA, UK"
    assert client.get("/api/v1/locations/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/api/v1/locations/not-a-uuid/").status_code == 404


# --- Meeting writes -------------------------------------------------------------------


def new_meeting(venue, **overrides):
    return {
        "network": "cumbria",
        "fellowship": "aa",
        "location": str(venue.uuid),
        "name": "Carlisle Saturday Big Book",
        "days": [6],
        "start_time": "11:00",
        "types": ["O", "B", "X"],
        "notes": "Ring the bell.",
        **overrides,
    }


def test_coordinator_creates_meeting_with_days_types_and_audit(world, api_as, aa, venue):
    response = api_as("network_coordinator").post("/api/v1/meetings/", new_meeting(venue), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "carlisle-saturday-big-book"
    assert data["days"] == [6]
    assert data["types"] == ["B", "O", "X"]
    assert data["effective_end_time"] == "12:00"
    meeting = Meeting.objects.get(slug="carlisle-saturday-big-book")
    assert meeting.network == world.own_network and meeting.location == venue
    entry = audit_entries(meeting).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == world.users["network_coordinator"]
    assert entry.network == world.own_network


def test_monthly_online_meeting(world, api_as, aa, venue):
    body = new_meeting(venue, location=None, name="First Monday Online", days=[1], monthly_week=1,
                       conference_url="https://zoom.us/j/5551234567", types=["O"])  # fmt: skip
    response = api_as("federation_coordinator").post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["monthly_week"] == 1
    assert data["attendance"] == "online"
    assert datetime.datetime.fromisoformat(data["next_start"]).day <= 7


@pytest.mark.parametrize("role", ["anonymous", "member", "professional", "settlement_host"])
def test_only_coordinators_add_meetings(world, api_as, aa, venue, role):
    response = api_as(role).post("/api/v1/meetings/", new_meeting(venue), format="json")
    assert response.status_code == 403
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.exists()


def test_coordinator_cannot_add_meetings_to_another_network(world, api_as, aa):
    elsewhere = LocationFactory(network=world.other_network)
    response = api_as("network_coordinator").post(
        "/api/v1/meetings/", new_meeting(elsewhere, network="merseyside"), format="json"
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"days": [7]}, "days"),
        ({"days": [1, 1]}, "days"),
        ({"days": "monday"}, "days"),
        ({"days": []}, "days"),
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": None}, "start_time"),
        ({"end_time": "nine"}, "end_time"),
        ({"types": ["NOPE"]}, "types"),
        ({"types": "O"}, "types"),
        ({"fellowship": "no-such-fellowship"}, "fellowship"),
        ({"network": "atlantis"}, "network"),
        ({"location": "00000000-0000-0000-0000-000000000000"}, "location"),
        ({"location": "not-a-uuid"}, "location"),
        ({"name": ""}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": 42}, "name"),
        ({"name": ["a"]}, "name"),
        ({"name": "Big\x00Book"}, "name"),
        ({"slug": "not a slug!"}, "slug"),
        ({"slug": "x" * 65}, "slug"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"conference_url": "javascript:alert(1)"}, "conference_url"),
        ({"status": "open"}, "status"),
        ({"monthly_week": 5}, "monthly_week"),
        ({"contact_email": "nope"}, "contact_email"),
        ({"last_verified": "yesterday"}, "last_verified"),
    ],
)
def test_bad_meeting_input_is_400_with_field_errors_and_writes_nothing(world, api_as, aa, venue, overrides, field):
    response = api_as("network_coordinator").post("/api/v1/meetings/", new_meeting(venue, **overrides), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.exists()


def test_location_in_another_network_is_refused(world, api_as, aa):
    elsewhere = LocationFactory(network=world.other_network)
    response = api_as("network_coordinator").post("/api/v1/meetings/", new_meeting(elsewhere), format="json")
    assert response.status_code == 400
    assert "location" in response.json()


def test_slug_taken_is_400(world, api_as, meetings, venue):
    response = api_as("network_coordinator").post(
        "/api/v1/meetings/", new_meeting(venue, slug="carlisle-tuesday"), format="json"
    )
    assert response.status_code == 400
    assert "slug" in response.json()


def test_coordinator_patches_days_and_types_with_one_audit_entry(world, api_as, meetings):
    meeting = meetings["tuesday"]
    response = api_as("network_coordinator").patch(
        "/api/v1/meetings/carlisle-tuesday/", {"days": [2, 4], "types": ["C"], "notes": "New door"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["days"] == [2, 4]
    assert response.json()["types"] == ["C"]
    meeting.refresh_from_db()
    assert meeting.notes == "New door"
    entry = audit_entries(meeting).get()
    assert entry.changes["days"] == [[2], [2, 4]]
    assert "types" in entry.changes and "notes" in entry.changes


def test_coordinator_closes_a_meeting_and_still_sees_it_in_the_answer(world, api_as, meetings):
    response = api_as("network_coordinator").patch(
        "/api/v1/meetings/carlisle-tuesday/", {"status": "inactive"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "inactive"
    assert response.json()["attendance"] == "inactive"
    assert api_as("anonymous").get("/api/v1/meetings/carlisle-tuesday/").status_code == 404


@pytest.mark.parametrize(
    ("role", "slug", "status"),
    [
        ("anonymous", "carlisle-tuesday", 403),
        ("member", "carlisle-tuesday", 403),
        ("professional", "carlisle-tuesday", 403),
        ("settlement_host", "carlisle-tuesday", 403),
        ("network_coordinator", "bootle-friday", 403),
        ("network_coordinator", "no-such-meeting", 404),
    ],
)
def test_meeting_changes_forbidden_by_role(world, api_as, meetings, role, slug, status):
    response = api_as(role).patch(f"/api/v1/meetings/{slug}/", {"notes": "Changed"}, format="json")
    assert response.status_code == status
    assert not Meeting.objects.filter(notes="Changed").exists()
    assert not AuditEntry.objects.exists()


def test_federation_coordinator_changes_any_meeting(world, api_as, meetings):
    response = api_as("federation_coordinator").patch(
        "/api/v1/meetings/bootle-friday/", {"start_time": "18:30"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["start_time"] == "18:30"


def test_invalid_patch_changes_nothing(world, api_as, meetings):
    response = api_as("network_coordinator").patch(
        "/api/v1/meetings/carlisle-tuesday/", {"days": [3], "name": ""}, format="json"
    )
    assert response.status_code == 400
    meeting = Meeting.objects.get(slug="carlisle-tuesday")
    assert meeting.weekdays == [2]
    assert meeting.name == "Carlisle Tuesday Serenity"
    # A schedule rule the service enforces (days without a start time) also rolls back the days.
    response = api_as("network_coordinator").patch(
        "/api/v1/meetings/carlisle-tuesday/", {"days": [3], "start_time": None}, format="json"
    )
    assert response.status_code == 400
    assert Meeting.objects.get(slug="carlisle-tuesday").weekdays == [2]
    assert not AuditEntry.objects.exists()


def test_put_and_delete_are_not_offered(world, api_as, meetings):
    client = api_as("network_coordinator")
    assert client.put("/api/v1/meetings/carlisle-tuesday/", {}, format="json").status_code == 405
    assert client.delete("/api/v1/meetings/carlisle-tuesday/").status_code == 405


def test_malformed_and_form_encoded_bodies_are_refused(world, api_as, aa, venue):
    client = api_as("network_coordinator")
    assert client.post("/api/v1/meetings/", data="{oops", content_type="application/json").status_code == 400
    assert client.post("/api/v1/meetings/", data="[1]", content_type="application/json").status_code == 400
    assert client.post("/api/v1/meetings/", {"name": "X"}).status_code == 415


def test_hostile_text_is_stored_as_text_and_escaped_in_json(world, api_as, aa, venue):
    response = api_as("network_coordinator").post(
        "/api/v1/meetings/", new_meeting(venue, name="Serenity & Co", notes=HOSTILE), format="json"
    )
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(name="Serenity & Co")
    assert meeting.notes == HOSTILE
    body = api_as("anonymous").get(f"/api/v1/meetings/{meeting.slug}/").content
    assert b"<" not in body and b">" not in body
    assert json.loads(body)["notes"] == HOSTILE


# --- Services -----------------------------------------------------------------------------


@pytest.fixture
def service(world, venue):
    taxonomy = Taxonomy.objects.create(name="RecoveryNet", description="Kinds of support.")
    term = TaxonomyTerm.objects.create(taxonomy=taxonomy, code="peer-support", name="Peer support", description="-")
    service = ServiceFactory(
        network=world.own_network, organisation=world.own_organisation, name="Drop-in Advice", slug="drop-in-advice"
    )
    service.taxonomy_terms.set([term])
    at = ServiceAtLocation.objects.create(service=service, location=venue)
    Schedule.objects.create(service=service, service_at_location=at, byday="MO,WE", opens_at=datetime.time(10))
    contact = ServiceContact.objects.create(service=service, title="Duty worker")
    ServicePhone.objects.create(service=service, contact=contact, number="01632 960123")
    return service


def test_services_are_public_in_the_open_referral_shape(world, api_as, service):
    ServiceFactory(network=world.own_network, organisation=world.own_organisation, slug="gone", status="defunct")
    client = api_as("anonymous")
    assert slugs(client.get("/api/v1/services/")) == ["drop-in-advice"]
    assert client.get("/api/v1/services/gone/").status_code == 404
    data = client.get("/api/v1/services/drop-in-advice/").json()
    assert data["organisation"] == {"slug": "eden-recovery", "name": "Eden Recovery"}
    assert data["network"]["slug"] == "cumbria"
    assert data["taxonomy_terms"][0]["code"] == "peer-support"
    assert data["taxonomy_terms"][0]["taxonomy"] == "RecoveryNet"
    assert data["locations"][0]["town"] == "Carlisle"
    assert data["schedules"][0]["byday"] == "MO,WE"
    assert data["contacts"][0]["phones"][0]["number"] == "01632 960123"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"network": "cumbria"}, ["drop-in-advice"]),
        ({"network": "merseyside"}, []),
        ({"taxonomy_term": "peer-support"}, ["drop-in-advice"]),
        ({"taxonomy_term": "housing"}, []),
        ({"sector": "voluntary"}, ["drop-in-advice"]),
        ({"q": "advice"}, ["drop-in-advice"]),
        ({"near": "54.89,-2.93", "radius_km": 2}, ["drop-in-advice"]),
        ({"near": "53.4,-2.9", "radius_km": 2}, []),
    ],
)
def test_service_filters(world, api_as, service, params, expected):
    assert slugs(api_as("anonymous").get("/api/v1/services/", params)) == expected


def test_coordinator_creates_service_with_audit(world, api_as, service):
    term = TaxonomyTerm.objects.get()
    response = api_as("network_coordinator").post(
        "/api/v1/services/",
        {"network": "cumbria", "organisation": "eden-recovery", "name": "Family Support Evening",
         "taxonomy_terms": [str(term.uuid)], "minimum_age": 16},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["taxonomy_terms"][0]["code"] == "peer-support"
    created = Service.objects.get(slug="family-support-evening")
    entry = audit_entries(created).get()
    assert entry.actor == world.users["network_coordinator"]
    assert entry.network == world.own_network


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"network": "merseyside", "organisation": "mersey-works"}, 403, None),
        ({"organisation": "mersey-works"}, 400, "organisation"),  # not in Cumbria
        ({"organisation": "no-such-org"}, 400, "organisation"),
        ({"minimum_age": 18, "maximum_age": 16}, 400, "maximum_age"),
        ({"status": "sometimes"}, 400, "status"),
        ({"website": "javascript:alert(1)"}, 400, "website"),
        ({"taxonomy_terms": ["not-a-uuid"]}, 400, "taxonomy_terms"),
        ({"name": ""}, 400, "name"),
    ],
)
def test_service_create_refusals(world, api_as, body, status, field):
    payload = {"network": "cumbria", "organisation": "eden-recovery", "name": "Refused", **body}
    response = api_as("network_coordinator").post("/api/v1/services/", payload, format="json")
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()
    assert not Service.objects.exists()
    assert not AuditEntry.objects.exists()


def test_professional_changes_their_organisations_service_but_not_its_organisation(world, api_as, service):
    client = api_as("professional")
    assert client.post("/api/v1/services/", {"network": "cumbria", "organisation": "eden-recovery",
                                             "name": "Mine"}, format="json").status_code == 403  # fmt: skip
    response = client.patch("/api/v1/services/drop-in-advice/", {"fees": "Free", "alert": "Closed 25 Dec"},
                            format="json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["alert"] == "Closed 25 Dec"
    assert audit_entries(service).get().actor == world.users["professional"]

    other = OrganisationFactory(name="Other Org", slug="other-org", networks=[world.own_network])
    response = client.patch("/api/v1/services/drop-in-advice/", {"organisation": other.slug}, format="json")
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.organisation == world.own_organisation


@pytest.mark.parametrize("role", ["anonymous", "member", "settlement_host"])
def test_others_cannot_change_services(world, api_as, service, role):
    response = api_as(role).patch("/api/v1/services/drop-in-advice/", {"fees": "£5"}, format="json")
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.fees == ""


# --- The API agrees with the finder -------------------------------------------------------


@pytest.mark.parametrize(
    ("page_params", "api_params"),
    [
        ({}, {}),
        ({"day": "2", "time": "evening"}, {"day": "2", "time_of_day": "evening"}),
        ({"day": "today"}, {"day": "today"}),
        ({"where": "Carlisle", "distance": "25", "type": "O"}, {"near": "Carlisle", "radius_km": 25, "type": "O"}),
        ({"where": "Carlisle", "distance": "50", "sort": "distance"}, {"near": "Carlisle", "radius_km": 50,
                                                                      "sort": "distance"}),
        ({"lat": CARLISLE[0], "lng": CARLISLE[1], "distance": "5"}, {"near": ",".join(CARLISLE), "radius_km": 5}),
        ({"attendance": "online"}, {"attendance": "online"}),
        ({"fellowship": "aa", "wheelchair": "on"}, {"fellowship": "aa", "wheelchair": "true"}),
        ({"soon": "24"}, {"starting_within_hours": 24}),
        ({"network": "merseyside", "q": "bootle"}, {"network": "merseyside", "q": "bootle"}),
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 12, 6, 21, 5, tzinfo=LONDON),  # Sunday: Lakes Online started 5 minutes ago
        datetime.datetime(2026, 12, 6, 21, 40, tzinfo=LONDON),  # ... and 40 minutes ago, still on
        datetime.datetime(2026, 12, 8, 20, 46, tzinfo=LONDON),  # Tuesday evening: both started
        datetime.datetime(2026, 12, 9, 9, 0, tzinfo=LONDON),  # Wednesday morning, before the 10:00
        datetime.datetime(2026, 12, 12, 23, 55, tzinfo=LONDON),  # Saturday, just before midnight
    ],
    ids=["sun-2105", "sun-2140", "tue-2046", "wed-0900", "sat-2355"],
)
def test_the_api_and_the_finder_page_give_the_same_meetings(world, client, api_as, meetings, page_params,
                                                            api_params, moment, time_machine):  # fmt: skip
    time_machine.move_to(moment, tick=False)
    Place.objects.create(kind="place", name="Carlisle", search_name="carlisle", county="Cumbria",
                         latitude="54.89100", longitude="-2.93600", population=75000)  # fmt: skip
    page = client.get("/meetings/", page_params)
    assert page.status_code == 200
    on_page = [row.meeting.slug for row in page.context["results"]]
    from_api = slugs(api_as("anonymous").get("/api/v1/meetings/", api_params))
    assert on_page == from_api
    assert page.context["page_obj"].paginator.count == len(from_api)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"day": "2", "time_of_day": "evening"},
        {"near": ",".join(CARLISLE), "radius_km": 30, "type": "O"},
        {"attendance": "online"},
        {"fellowship": "aa", "wheelchair": True},
    ],
)
def test_the_api_gives_the_finders_answer(world, api_as, meetings, params):
    from recoverynet.directory.api.filters import MeetingQuerySerializer

    serializer = MeetingQuerySerializer(data=QueryDict(urlencode(params, doseq=True)))
    assert serializer.is_valid(), serializer.errors
    expected = [row.meeting_id for row in finder.find_meetings(serializer.to_query())]
    got = [Meeting.objects.get(slug=s).pk for s in slugs(api_as("anonymous").get("/api/v1/meetings/", params))]
    assert got == expected


# --- Constant queries ---------------------------------------------------------------------


def make_rows(world, n):
    """n more meetings and services, each with every relation filled in."""
    for i in range(n):
        network = NetworkFactory(federation=world.federation)
        fellowship = FellowshipFactory()
        location = LocationFactory(network=network, latitude="54.89000", longitude="-2.93000")
        MeetingFactory(network=network, fellowship=fellowship, location=location, days=[1, 3], types=["O", "D"],
                       conference_url="https://zoom.us/j/1" if i % 2 else "")  # fmt: skip
        organisation = OrganisationFactory(networks=[network])
        service = ServiceFactory(network=network, organisation=organisation)
        ServiceAtLocation.objects.create(service=service, location=location)
        Schedule.objects.create(service=service, byday="TU")
        contact = ServiceContact.objects.create(service=service, name="Sam")
        ServicePhone.objects.create(service=service, contact=contact, number="01632 960000")


LIST_URLS = [
    "/api/v1/meetings/",
    "/api/v1/meetings/?near=54.89,-2.93&radius_km=20&type=O",
    "/api/v1/fellowships/",
    "/api/v1/services/",
    "/api/v1/locations/",
]


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("role", ["anonymous", "network_coordinator"])
def test_lists_run_a_constant_number_of_queries(world, api_as, url, role):
    client = api_as(role)

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    response = assert_constant_queries(fetch, lambda n: make_rows(world, n))
    assert response.json()["count"] >= 30
