"""The Meeting Guide feed out, checked against every rule of the spec."""

import copy
import json

import pytest
from django.urls import reverse

from recoverynet.directory.factories import LocationFactory, MeetingFactory
from recoverynet.testing import assert_constant_queries

from ..formats import meeting_guide
from ..formats.meeting_guide import clean_text, validate_meeting
from .feed_world import assert_follows_spec, varied_meetings

pytestmark = pytest.mark.django_db


def feed_for(client, url=None):
    response = client.get(url or reverse("directory:feeds:meeting_guide"))
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_feed_of_varied_meetings_follows_every_rule(client, world):
    meetings = varied_meetings(world.own_network)
    response, rows = feed_for(client)
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_follows_spec(rows)
    by_slug = {r["slug"]: r for r in rows}
    # Monthly and inactive meetings are not in a weekly feed.
    assert "first-monday" not in by_slug and "gone" not in by_slug
    assert len(rows) == len(meetings) - 2

    single = by_slug["tuesday-serenity"]
    assert single["day"] == 2 and single["time"] == "19:30" and single["end_time"] == "20:30"
    assert single["types"] == ["D", "O", "X"]
    assert single["address"] == "1 Church Street" and single["city"] == "Carlisle"
    assert single["postal_code"] == "CA1 1AA" and single["country"] == "GB"
    assert single["formatted_address"] == "1 Church Street, Carlisle, CA1 1AA, UK"
    assert single["latitude"] == 54.89123 and single["longitude"] == -2.93456
    assert single["approximate"] == "no" and single["location"] == "St Mary's Hall"
    assert single["location_notes"] == "Side door, first floor" and single["region"] == "City centre"
    assert single["group"] == "Serenity Group" and single["notes"] == "Bring a friend"
    assert single["entity"] == "Cumbria"
    assert single["contact_1_name"] == "Sam" and single["contact_1_email"] == "sam@example.org"
    assert single["url"].startswith("http://testserver/")
    assert by_slug["lunchtime-hope"]["day"] == [1, 3, 5]
    assert by_slug["lunchtime-hope"]["end_time"] == "13:30"
    online = by_slug["online-kendal"]
    assert online["approximate"] == "yes" and online["formatted_address"] == "Kendal, UK"
    assert online["conference_url"] == "https://us02web.zoom.us/j/123456789"
    assert online["conference_phone"] == "+441314601196,,123456789#"
    assert "TC" in by_slug["closed-for-repairs"]["types"]
    assert "day" not in by_slug["by-appointment"]
    assert by_slug["phone-meeting"]["formatted_address"] == "Cumbria, UK"


def test_network_feed_has_only_that_network(client, world):
    MeetingFactory(network=world.own_network, slug="ours")
    MeetingFactory(network=world.other_network, slug="theirs")
    _, rows = feed_for(client, reverse("directory:feeds:network_meeting_guide", kwargs={"slug": "merseyside"}))
    assert [r["slug"] for r in rows] == ["theirs"]
    assert client.get(reverse("directory:feeds:network_meeting_guide", kwargs={"slug": "nowhere"})).status_code == 404


def test_feed_is_cached_by_conditional_get(client, world):
    meeting = MeetingFactory(network=world.own_network)
    response, _ = feed_for(client)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(reverse("directory:feeds:meeting_guide"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(reverse("directory:feeds:meeting_guide"), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    meeting.name = "Renamed"
    meeting.save()
    assert client.get(reverse("directory:feeds:meeting_guide"), HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert client.post(reverse("directory:feeds:meeting_guide")).status_code == 405


@pytest.mark.parametrize(
    ("accept_encoding", "compressed"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("identity", False),
        ("", False),
        ("gzip;q=0", False),
        ("deflate", False),
    ],
)
def test_feed_is_served_compressed_to_apps_that_accept_gzip(client, world, accept_encoding, compressed):
    """The same feed either way: the gzip bytes decompress to the identity bytes,
    each representation has its own ETag, and both vary on Accept-Encoding."""
    import gzip

    MeetingFactory(network=world.own_network)
    url = reverse("directory:feeds:meeting_guide")
    plain = client.get(url)
    response = client.get(url, HTTP_ACCEPT_ENCODING=accept_encoding)
    assert "Accept-Encoding" in response["Vary"]
    if compressed:
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert response["ETag"] == plain["ETag"][:-1] + '-gzip"'
        again = client.get(url, HTTP_ACCEPT_ENCODING=accept_encoding, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
    else:
        assert not response.has_header("Content-Encoding")
        assert response.content == plain.content
        assert response["ETag"] == plain["ETag"]


def test_empty_feed_is_an_empty_array(client, db):
    _, rows = feed_for(client)
    assert rows == []


def test_feed_query_count_is_constant(client, world, django_assert_num_queries):
    location = LocationFactory(network=world.own_network)
    shown = []

    def add_rows(n):
        MeetingFactory.create_batch(n, network=world.own_network, location=location, days=[1, 2], types=["O", "D"])

    def fetch():
        # aggregate for the ETag, meetings with location/network/fellowship, days, types
        with django_assert_num_queries(4):
            _, rows = feed_for(client)
        shown.append(len(rows))

    assert_constant_queries(fetch, add_rows)
    assert shown == [3, 30]


def test_hostile_text_is_plain_in_the_feed(client, world):
    MeetingFactory(network=world.own_network, slug="hostile", notes='</script><script>alert("x")</script>')
    response, rows = feed_for(client)
    assert rows[0]["notes"] == '</script><script>alert("x")</script>'  # data, served as JSON, never as HTML
    assert response["Content-Type"] == "application/json"


# --- Every rule has a failing example -----------------------------------------------

GOOD = {
    "name": "Tuesday Serenity",
    "slug": "tuesday-serenity",
    "day": 2,
    "time": "19:30",
    "end_time": "20:30",
    "timezone": "Europe/London",
    "address": "1 Church Street",
    "city": "Carlisle",
    "postal_code": "CA1 1AA",
    "formatted_address": "1 Church Street, Carlisle, CA1 1AA, UK",
    "approximate": "no",
    "latitude": 54.89,
    "longitude": -2.93,
    "types": ["O", "X"],
    "conference_url": "https://zoom.us/j/123",
    "conference_phone": "+441314601196,,123#",
}


def errors_for(**changes):
    row = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is ...:
            row.pop(key)
        else:
            row[key] = value
    return validate_meeting(row)[0]


def test_good_row_has_no_errors():
    assert validate_meeting(GOOD) == ([], [])


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": ...}, "name is required"),
        ({"name": ""}, "name is required"),
        ({"name": 42}, "name is required"),
        ({"name": "x" * 256}, "name is too long"),
        ({"slug": ...}, "slug is required"),
        ({"slug": "x" * 65}, "slug is longer than 64"),
        ({"slug": "no spaces/here"}, "slug may only hold"),
        ({"day": 7}, "day must be"),
        ({"day": -1}, "day must be"),
        ({"day": "Tuesday"}, "day must be"),
        ({"day": [1, 9]}, "day must be"),
        ({"day": True}, "day must be"),
        ({"day": []}, "day must be"),
        ({"time": "7:30pm"}, "time must be"),
        ({"time": "24:00"}, "time must be"),
        ({"end_time": "25:61"}, "end_time must be"),
        ({"time": ..., "end_time": ...}, "day and time go together"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"address": ..., "formatted_address": ...}, "address or formatted_address is required"),
        ({"approximate": "maybe"}, "approximate"),
        ({"latitude": 91}, "latitude must be between"),
        ({"longitude": -181}, "longitude must be between"),
        ({"latitude": "north"}, "latitude must be a number"),
        ({"conference_url": "http://zoom.us/j/1"}, "https"),
        ({"conference_url": "https://evil.example/zoom.us"}, "recognised meeting provider"),
        ({"conference_url": "javascript:alert(1)"}, "https"),
        ({"conference_phone": "call 0800 123"}, "conference_phone may hold only"),
        ({"conference_phone": "+12"}, "7 to 30 digits"),
        ({"conference_phone": "1" * 31}, "7 to 30 digits"),
        ({"types": "O"}, "types must be a list"),
        ({"notes": "x" * 10_001}, "notes is too long"),
        ({"notes": ["a list"]}, "notes must be text"),
        ({"url": "ftp://example.org"}, "url must be a web address"),
    ],
)
def test_each_rule_has_a_failing_example(changes, expected):
    errors = errors_for(**changes)
    assert any(expected in e for e in errors), errors


def test_slug_unique_in_the_feed():
    seen = set()
    assert validate_meeting(GOOD, seen_slugs=seen)[0] == []
    assert "slug is used by another row in this feed" in validate_meeting(GOOD, seen_slugs=seen)[0]


def test_unknown_types_are_a_warning_not_a_rejection():
    row = {**GOOD, "types": ["O", "ZZZ", "<b>"]}
    errors, warnings = validate_meeting(row)
    assert errors == []
    assert warnings == ["unknown type codes dropped: b, ZZZ"] or "ZZZ" in warnings[0]
    assert meeting_guide.row_to_data(row)["types"] == ["O"]


def test_row_that_is_not_an_object():
    assert validate_meeting(["a", "list"])[0] == ["the row is not a JSON object"]


def test_every_provider_in_the_list_is_accepted():
    for host in meeting_guide.CONFERENCE_PROVIDERS:
        assert validate_meeting({**GOOD, "conference_url": f"https://{host}/x"})[0] == [], host


def test_clean_text_strips_tags_and_control_characters():
    assert clean_text("<b>Bold</b> <script>alert(1)</script>\x00\x07 text\u202e ") == "Bold alert(1) text"
    assert clean_text("Line one\r\nLine two\tend") == "Line one\nLine two\tend"
    assert clean_text(clean_text("<i>a</i> < b")) == clean_text("<i>a</i> < b")


def test_row_to_data_maps_back():
    data = meeting_guide.row_to_data({**GOOD, "types": ["O", "TC"], "day": [3, 1, 3]})
    assert data["days"] == [1, 3]
    assert data["meeting"]["status"] == "temporarily_closed"
    assert data["types"] == ["O"]
    assert data["meeting"]["end_time"] is None  # 19:30 + the spec's 60 minutes
    assert data["location"]["town"] == "Carlisle" and data["location"]["approximate"] is False


def test_formatted_address_only_is_split_and_approximate():
    row = {"name": "Online", "slug": "online", "formatted_address": "Preston, PR1, UK"}
    location = meeting_guide.row_to_data(row)["location"]
    assert location == {**location, "address": "", "town": "Preston", "postcode": "PR1", "approximate": True}
    full = meeting_guide.split_formatted_address("2 Fishergate, Preston, PR1 2AA, United Kingdom")
    assert full == {"address": "2 Fishergate", "town": "Preston", "postcode": "PR1 2AA"}


def test_the_feed_carries_only_the_specs_own_type_codes(client, world):
    # Proposed codes (BV-I, D-HOH, LO-I, QSL, RSL) are not yet in the spec: apps reading the
    # feed would not know them. They stay on our own pages.
    MeetingFactory(network=world.own_network, slug="signed", types=["O", "BV-I", "D-HOH", "LO-I", "QSL", "RSL"])
    _, rows = feed_for(client)
    assert rows[0]["types"] == ["O"]
    assert_follows_spec(rows)


def test_a_location_with_half_its_coordinates_has_none_in_the_feed(client, world):
    venue = LocationFactory(network=world.own_network, latitude="54.5", longitude=None)
    MeetingFactory(network=world.own_network, slug="half", location=venue)
    _, rows = feed_for(client)
    assert "latitude" not in rows[0] and "longitude" not in rows[0]
