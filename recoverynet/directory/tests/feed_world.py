"""Helpers for the Meeting Guide feed tests: a varied set of meetings and a
feed source (imported by test_meeting_guide*.py and test_feed_import*.py)."""

import datetime
import json
import zoneinfo
from pathlib import Path

from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory
from recoverynet.directory.models import FeedSource, Meeting

from ..formats import meeting_guide
from ..formats.meeting_guide import validate_meeting


def make_source(network, **kwargs) -> FeedSource:
    defaults = {"name": f"{network.name} intergroup", "default_fellowship": FellowshipFactory()}
    return FeedSource.objects.create(network=network, **{**defaults, **kwargs})


def varied_meetings(network) -> dict:
    """Weekly single and multi-day, online, hybrid, temporarily closed,
    approximate, by appointment, monthly, and inactive."""
    venue = LocationFactory(
        network=network,
        name="St Mary's Hall",
        address="1 Church Street",
        town="Carlisle",
        postcode="CA1 1AA",
        region="City centre",
        notes="Side door, first floor",
        latitude="54.89123",
        longitude="-2.93456",
    )
    area = LocationFactory(
        network=network,
        name="",
        address="",
        town="Kendal",
        postcode="",
        approximate=True,
        latitude=None,
        longitude=None,
    )
    meetings = {
        "single": MeetingFactory(
            network=network,
            location=venue,
            name="Tuesday Serenity",
            slug="tuesday-serenity",
            days=[2],
            types=["O", "X", "D"],
            notes="Bring a friend",
            group_name="Serenity Group",
            contact_name="Sam",
            contact_email="sam@example.org",
        ),
        "multi": MeetingFactory(
            network=network,
            location=venue,
            name="Lunchtime Hope",
            slug="lunchtime-hope",
            days=[1, 3, 5],
            start_time=datetime.time(12, 30),
            end_time=datetime.time(13, 30),
            types=["C"],
        ),
        "online": MeetingFactory(
            network=network,
            location=area,
            name="Online Kendal",
            slug="online-kendal",
            days=[0],
            start_time=datetime.time(20, 0),
            end_time=datetime.time(21, 30),
            conference_url="https://us02web.zoom.us/j/123456789",
            conference_url_notes="Password 1234",
            conference_phone="+441314601196,,123456789#",
        ),
        "hybrid": MeetingFactory(
            network=network,
            location=venue,
            name="Hybrid Friday",
            slug="hybrid-friday",
            days=[5],
            conference_url="https://meet.google.com/abc-defg-hij",
        ),
        "closed": MeetingFactory(
            network=network,
            location=venue,
            name="Closed for repairs",
            slug="closed-for-repairs",
            days=[4],
            status=Meeting.Status.TEMPORARILY_CLOSED,
            conference_url="https://teams.microsoft.com/l/meetup-join/19%3ameeting",
        ),
        "appointment": MeetingFactory(
            network=network,
            location=venue,
            name="By appointment",
            slug="by-appointment",
            days=[],
            start_time=None,
        ),
        "no_location": MeetingFactory(
            network=network,
            location=None,
            name="Phone meeting",
            slug="phone-meeting",
            days=[6],
            conference_phone="+442030512874",
        ),
        "monthly": MeetingFactory(
            network=network, location=venue, name="First Monday", slug="first-monday", days=[1], monthly_week=1
        ),
        "inactive": MeetingFactory(
            network=network, location=venue, name="Gone", slug="gone", days=[1], status=Meeting.Status.INACTIVE
        ),
    }
    meetings["appointment"].days.all().delete()  # the factory's default day: by appointment has none
    return meetings


# The spec's own codes (the bundled copy of code4recovery/spec's types.json),
# not the proposed ones: apps reading the feed know only these.
SPEC_TYPES = Path(meeting_guide.__file__).resolve().parents[1] / "data" / "meeting_guide_types.json"


def assert_follows_spec(rows):
    """Every rule of the spec, checked independently of validate_meeting."""
    spec_codes = set(json.loads(SPEC_TYPES.read_text(encoding="utf-8")))
    slugs = [r["slug"] for r in rows]
    assert len(slugs) == len(set(slugs)), "slugs are unique in the feed"
    for row in rows:
        assert isinstance(row["name"], str) and 0 < len(row["name"]) <= 255
        assert isinstance(row["slug"], str) and 0 < len(row["slug"]) <= 64
        assert meeting_guide.SLUG_RE.match(row["slug"])
        if "day" in row:
            days = row["day"] if isinstance(row["day"], list) else [row["day"]]
            assert all(isinstance(d, int) and 0 <= d <= 6 for d in days)
            assert meeting_guide.TIME_RE.match(row["time"])
            assert meeting_guide.TIME_RE.match(row["end_time"])
        else:
            assert "time" not in row
        assert row["timezone"] in zoneinfo.available_timezones()
        assert row.get("address") or row.get("formatted_address")
        assert row["approximate"] in ("yes", "no")
        if row["approximate"] == "no":
            assert row.get("address"), "in-person meetings have a specific address"
        if "latitude" in row:
            assert -90 <= row["latitude"] <= 90 and -180 <= row["longitude"] <= 180
            assert round(row["latitude"], 5) == row["latitude"]
        if "conference_url" in row:
            assert row["conference_url"].startswith("https://")
        if "conference_phone" in row:
            assert meeting_guide.PHONE_RE.match(row["conference_phone"])
            assert 7 <= sum(c.isdigit() for c in row["conference_phone"]) <= 30
        assert set(row["types"]) <= spec_codes
        assert len(row["updated"]) == 19
        assert validate_meeting(row) == ([], []), row
