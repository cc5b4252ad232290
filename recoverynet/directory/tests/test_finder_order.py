"""The finder's ordered query against a plain-Python answer, and the copies of
start time and coordinates on MeetingDay that let the database order it."""

import datetime
import itertools
import json
import os
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory
from recoverynet.directory.finder import (
    NO_TIME,
    SORT_DISTANCE,
    TIMES_OF_DAY,
    FinderQuery,
    distance_km,
    find_meetings,
    haversine_km,
    next_occurrence,
)
from recoverynet.directory.models import DEFAULT_TIMEZONE, Location, Meeting, MeetingDay
from recoverynet.directory.services import feeds, listings
from recoverynet.federation.factories import NetworkFactory
from recoverynet.testing import assert_constant_queries

from .feed_world import make_source

LONDON = zoneinfo.ZoneInfo("Europe/London")
PRESTON = (53.76282, -2.70452)


# --- the Python answer ---------------------------------------------------------------------


def expected_order(query, now):
    """Every listed meeting checked one by one in Python: the answer find_meetings must give."""
    today = now.astimezone(LONDON).date()
    window_end = None
    if query.starting_within_hours:
        window_end = now + datetime.timedelta(hours=query.starting_within_hours)
    found = []
    meetings = Meeting.objects.listed().select_related("location").prefetch_related("days")
    for meeting in meetings:
        days = meeting.weekdays
        if query.days and not set(days) & set(query.days):
            continue
        if query.time_of_day and not in_time_of_day(meeting.start_time, query.time_of_day):
            continue
        distance = None
        if query.point is not None:
            location = meeting.location
            if location is None or location.latitude is None:
                continue
            distance = distance_km(query.point, location.latitude, location.longitude)
            if distance > query.radius_km:
                continue
        matching_days = [d for d in days if not query.days or d in query.days]
        start = next_occurrence(matching_days, meeting.start_time, meeting.timezone, meeting.monthly_week, now)
        if window_end is not None and (start is None or start > window_end):
            continue
        if start is None:
            key = (NO_TIME, datetime.time.max)
        else:
            wall = start.astimezone(LONDON)
            key = ((wall.date() - today).days, wall.time().replace(tzinfo=None))
        if query.sort == SORT_DISTANCE and query.point is not None:
            found.append(((round(distance, 6), *key, meeting.pk), meeting.name))
        else:
            found.append(((*key, round(distance or 0, 6), meeting.pk), meeting.name))
    return [name for _key, name in sorted(found)]


def in_time_of_day(start, names):
    return start is not None and any(
        low <= start and (high is None or start < high) for low, high in (TIMES_OF_DAY[name] for name in names)
    )


def names(results):
    return [r.meeting.name for r in results[: len(results)]]


meeting_shapes = st.fixed_dictionaries(
    {
        "days": st.lists(st.integers(0, 6), min_size=0, max_size=3, unique=True),
        "start": st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0))),
        "monthly_week": st.sampled_from([None, None, None, 1, 2, 3, 4, -1]),
        "timezone": st.sampled_from([DEFAULT_TIMEZONE] * 5 + ["America/New_York", "Europe/Dublin"]),
        # Up to ~0.4 degrees from Preston: some inside 10 km, some outside, a few with no place.
        "offset": st.one_of(st.none(), st.tuples(st.floats(-0.4, 0.4), st.floats(-0.6, 0.6))),
    }
)
queries = st.builds(
    FinderQuery,
    point=st.sampled_from([None, PRESTON]),
    radius_km=st.sampled_from([5.0, 10.0, 25.0]),
    days=st.lists(st.integers(0, 6), max_size=2, unique=True).map(tuple),
    time_of_day=st.lists(st.sampled_from(list(TIMES_OF_DAY)), max_size=2, unique=True).map(tuple),
    starting_within_hours=st.sampled_from([None, None, 2.0, 5.0, 30.0]),
    sort=st.sampled_from(["time", "distance"]),
)
# Any instant, and often one within five hours of the clocks changing.
CLOCK_CHANGES = [
    datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 25, 1, 0, tzinfo=datetime.UTC),
    datetime.datetime(2027, 3, 28, 1, 0, tzinfo=datetime.UTC),
]
instants = st.one_of(
    st.datetimes(
        min_value=datetime.datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis adds the zone
        max_value=datetime.datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(LONDON),
    ),
    st.builds(
        lambda change, minutes: change + datetime.timedelta(minutes=minutes),
        st.sampled_from(CLOCK_CHANGES),
        st.integers(-300, 300),
    ),
)


@pytest.mark.django_db
@settings(
    max_examples=int(os.environ.get("FINDER_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(shapes=st.lists(meeting_shapes, min_size=1, max_size=12), query=queries, now=instants)
def test_find_meetings_gives_the_python_answer(shapes, query, now):
    with transaction.atomic():
        network = NetworkFactory()
        for number, shape in enumerate(shapes):
            days = shape["days"] if shape["start"] is not None else []
            location = None
            if shape["offset"] is not None:
                lat, lng = PRESTON[0] + shape["offset"][0], PRESTON[1] + shape["offset"][1]
                location = LocationFactory(network=network, latitude=f"{lat:.5f}", longitude=f"{lng:.5f}")
            MeetingFactory(
                network=network,
                location=location,
                name=f"Meeting {number}",
                days=days,
                start_time=shape["start"],
                monthly_week=shape["monthly_week"] if days else None,
                timezone=shape["timezone"],
            )
        MeetingDay.objects.filter(meeting__start_time__isnull=True).delete()  # no day without a time
        assert names(find_meetings(query, now)) == expected_order(query, now)
        transaction.set_rollback(True)


def test_distance_km_is_close_to_haversine_across_great_britain():
    for lat in (50.0, 53.76, 58.5):
        for dlat, dlng in ((0.09, 0), (0, 0.15), (0.5, 0.8), (-1.5, 2.5), (1.8, 0)):
            exact = haversine_km(lat, -2.7, lat + dlat, -2.7 + dlng)
            assert distance_km((lat, -2.7), lat + dlat, -2.7 + dlng) == pytest.approx(exact, rel=0.005)
    assert distance_km(PRESTON, PRESTON[0] + 0.09, PRESTON[1]) == pytest.approx(
        haversine_km(*PRESTON, PRESTON[0] + 0.09, PRESTON[1]), abs=0.002
    )


@pytest.mark.django_db
def test_pages_are_fetched_without_reading_every_match(django_assert_max_num_queries):
    network = NetworkFactory()
    location = LocationFactory(network=network, latitude="53.76282", longitude="-2.70452")
    for number in range(45):
        MeetingFactory(network=network, location=location, name=f"M{number:02d}", days=[number % 7])
    now = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)
    results = find_meetings(FinderQuery(point=PRESTON), now)
    with django_assert_max_num_queries(3):  # other zones, one ordered chunk, the page
        first = results[0:10]
    assert len(first) == 10
    assert len(results) == 45
    assert [r.meeting.name for r in results[40:45]] == expected_order(FinderQuery(point=PRESTON), now)[40:45]


# --- the copies on MeetingDay ----------------------------------------------------------------


def copies_are_current():
    """Every MeetingDay's copies equal its meeting's start time and location's coordinates."""
    wrong = []
    for day in MeetingDay.objects.select_related("meeting__location"):
        location = day.meeting.location
        expected = (
            day.meeting.start_time,
            day.meeting.monthly_week,
            float(location.latitude) if location and location.latitude is not None else None,
            float(location.longitude) if location and location.longitude is not None else None,
        )
        copies = (day.start_time, day.monthly_week, day.latitude, day.longitude)
        if copies != expected:
            wrong.append((day.meeting.slug, day.day, copies, expected))
    return wrong


@pytest.fixture
def coordinator(world):
    return world.users["network_coordinator"]


def test_services_keep_the_copies_current(world, coordinator):
    network = world.own_network
    place = listings.create_location(
        actor=coordinator,
        network=network,
        data={"address": "1 Fishergate", "town": "Preston", "latitude": "53.75800", "longitude": "-2.70300"},
    )
    other = listings.create_location(
        actor=coordinator,
        network=network,
        data={"address": "2 Lune Street", "town": "Preston", "latitude": "53.76000", "longitude": "-2.71000"},
    )
    fellowship = FellowshipFactory()
    meeting = listings.create_meeting(
        actor=coordinator,
        network=network,
        data={"name": "Copies", "fellowship": fellowship, "location": place, "start_time": datetime.time(19, 0)},
        days=[1, 3],
    )
    assert copies_are_current() == []
    listings.update_meeting(actor=coordinator, meeting=meeting, data={"start_time": datetime.time(20, 15)})
    assert copies_are_current() == []
    listings.update_meeting(actor=coordinator, meeting=meeting, data={"location": other}, days=[1, 5])
    assert copies_are_current() == []
    listings.update_location(actor=coordinator, location=other, data={"latitude": "53.70000"})
    assert copies_are_current() == []
    assert MeetingDay.objects.filter(meeting=meeting, latitude=53.7).count() == 2


def test_feed_import_keeps_the_copies_current(world, coordinator):
    source = make_source(world.own_network)
    row = {
        "name": "Imported",
        "slug": "imported",
        "day": [2, 4],
        "time": "19:30",
        "address": "1 Church Street",
        "city": "Carlisle",
        "postal_code": "CA1 1AA",
        "latitude": 54.891,
        "longitude": -2.934,
    }
    feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([row]).encode())
    assert MeetingDay.objects.filter(meeting__slug="imported").count() == 2
    assert copies_are_current() == []
    moved = {**row, "time": "18:00", "day": [2, 6], "latitude": 54.9, "longitude": -2.95}
    feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([moved]).encode())
    assert copies_are_current() == []
    assert set(MeetingDay.objects.filter(meeting__slug="imported").values_list("start_time", flat=True)) == {
        datetime.time(18, 0)
    }


@pytest.mark.django_db
def test_the_demo_loader_keeps_the_copies_current():
    call_command("seed_demo", verbosity=0, force=True)
    assert MeetingDay.objects.exclude(start_time=None).exists()
    assert copies_are_current() == []
    # Moving a venue by hand (admin or shell) through save() moves its meetings too.
    location = Location.objects.filter(meetings__isnull=False, latitude__isnull=False).first()
    location.latitude = "54.00000"
    location.save()
    assert copies_are_current() == []


# --- the nights the clocks change ------------------------------------------------------------

UTC = datetime.UTC


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "hours"),
    [
        (datetime.datetime(2027, 3, 28, 1, 10, tzinfo=UTC), None),  # 02:10 BST, just after the clocks go forward
        (datetime.datetime(2026, 10, 25, 1, 10, tzinfo=UTC), None),  # 01:10 GMT, the repeated hour's second pass
        (datetime.datetime(2026, 10, 24, 23, 30, tzinfo=UTC), 3.0),  # a window ending in the repeated hour
        (datetime.datetime(2027, 3, 27, 23, 30, tzinfo=UTC), 2.5),  # a window across the skipped hour
    ],
)
def test_early_meetings_on_the_nights_the_clocks_change(now, hours):
    network = NetworkFactory()
    for start in (datetime.time(0, 45), datetime.time(1, 30), datetime.time(2, 15), datetime.time(19, 0)):
        MeetingFactory(network=network, name=f"Sunday {start:%H:%M}", days=[0], start_time=start)
    MeetingFactory(network=network, name="Daily 01:30", days=list(range(7)), start_time=datetime.time(1, 30))
    query = FinderQuery(starting_within_hours=hours)
    results = find_meetings(query, now)
    assert names(results) == expected_order(query, now)
    for result in results[: len(results)]:
        assert result.next_start >= now
        meeting = result.meeting
        assert result.next_start == next_occurrence(meeting.weekdays, meeting.start_time, meeting.timezone, None, now)


def test_new_days_from_a_feed_get_the_venues_new_coordinates(world, coordinator):
    source = make_source(world.own_network)
    row = {"name": "Imported", "slug": "imported", "day": [2], "time": "19:30", "address": "1 Church Street",
           "city": "Carlisle", "postal_code": "CA1 1AA", "latitude": 54.891, "longitude": -2.934}  # fmt: skip
    feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([row]).encode())
    # Same time, a new day, and the venue moved: the new day's row must not keep the old place.
    moved = {**row, "day": [2, 6], "latitude": 54.9, "longitude": -2.95}
    feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([moved]).encode())
    assert copies_are_current() == []
    assert set(MeetingDay.objects.values_list("latitude", flat=True)) == {54.9}


@pytest.mark.django_db
def test_finder_page_queries_do_not_grow_with_monthly_meetings(client):
    from django.urls import reverse

    network = NetworkFactory()
    location = LocationFactory(network=network)
    numbers = itertools.count()

    def add(count):
        for number in itertools.islice(numbers, count):
            MeetingFactory(
                network=network, location=location, name=f"Monthly {number}", days=[number % 7], monthly_week=1
            )
            MeetingFactory(network=network, location=location, name=f"Weekly {number}", days=[number % 7])

    def fetch():
        response = client.get(reverse("directory:finder"), {"q": "ly"})
        assert response.status_code == 200
        return response

    assert_constant_queries(fetch, add)
