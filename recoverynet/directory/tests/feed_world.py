"""Helpers for the Meeting Guide feed tests: a varied set of meetings and a
feed source (imported by test_meeting_guide*.py and test_feed_import*.py)."""

import datetime

from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory
from recoverynet.directory.models import FeedSource, Meeting


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
