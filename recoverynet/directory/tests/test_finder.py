import datetime
import itertools
import zoneinfo

import pytest

from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory
from recoverynet.directory.finder import (
    FinderQuery,
    bounding_box,
    find_meetings,
    haversine_km,
    matches_monthly,
    next_occurrence,
    resolve_day,
)
from recoverynet.directory.models import Meeting
from recoverynet.federation.factories import NetworkFactory
from recoverynet.testing import assert_constant_queries

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC
SUN, MON, TUE, WED, THU, FRI, SAT = range(7)
PRESTON = (53.76282, -2.70452)
BLACKPOOL = (53.81667, -3.05)
LANCASTER = (54.04649, -2.79988)


def at(*args, tz=LONDON):
    return datetime.datetime(*args, tzinfo=tz)


def t(hour, minute=0):
    return datetime.time(hour, minute)


# --- next_occurrence ---------------------------------------------------------------------


def test_next_occurrence_later_today():
    now = at(2026, 11, 24, 18, 0)  # a Tuesday
    assert next_occurrence([TUE], t(19, 30), "Europe/London", None, now) == at(2026, 11, 24, 19, 30)


def test_next_occurrence_already_started_today_moves_a_week_on():
    now = at(2026, 11, 24, 19, 31)
    assert next_occurrence([TUE], t(19, 30), "Europe/London", None, now) == at(2026, 12, 1, 19, 30)


def test_next_occurrence_across_midnight_and_week_wrap():
    now = at(2026, 11, 28, 23, 30)  # Saturday night
    assert next_occurrence([SUN], t(0, 15), "Europe/London", None, now) == at(2026, 11, 29, 0, 15)
    assert next_occurrence([SAT, MON], t(7, 0), "Europe/London", None, now) == at(2026, 11, 30, 7, 0)


def test_next_occurrence_uses_the_earliest_of_several_days():
    now = at(2026, 11, 24, 20, 0)  # Tuesday after the meeting
    assert next_occurrence([TUE, THU], t(19, 30), "Europe/London", None, now) == at(2026, 11, 26, 19, 30)


def test_next_occurrence_by_appointment_is_none():
    now = at(2026, 11, 24, 20, 0)
    assert next_occurrence([TUE], None, "Europe/London", None, now) is None
    assert next_occurrence([], t(19, 30), "Europe/London", None, now) is None


@pytest.mark.parametrize(
    ("monthly_week", "day", "now", "expected"),
    [
        (1, MON, at(2026, 11, 24, 12, 0), at(2026, 12, 7, 19, 0)),  # first Monday of December
        (1, MON, at(2026, 12, 1, 12, 0), at(2026, 12, 7, 19, 0)),
        (2, TUE, at(2026, 11, 1, 12, 0), at(2026, 11, 10, 19, 0)),
        (-1, FRI, at(2026, 11, 24, 12, 0), at(2026, 11, 27, 19, 0)),  # last Friday of November
        (-1, FRI, at(2026, 11, 27, 19, 1), at(2026, 12, 25, 19, 0)),  # then the last Friday of December
        (4, SUN, at(2026, 11, 23, 12, 0), at(2026, 12, 27, 19, 0)),  # 4th Sunday; November's was the 22nd
    ],
)
def test_next_occurrence_monthly_rules(monthly_week, day, now, expected):
    assert next_occurrence([day], t(19, 0), "Europe/London", monthly_week, now) == expected


def test_matches_monthly_last_week():
    assert matches_monthly(datetime.date(2026, 11, 30), -1)  # last Monday
    assert not matches_monthly(datetime.date(2026, 11, 23), -1)
    assert matches_monthly(datetime.date(2026, 11, 2), 1)
    assert not matches_monthly(datetime.date(2026, 11, 9), 1)


def test_next_occurrence_across_the_spring_clock_change():
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026.
    now = at(2026, 3, 28, 20, 0)  # Saturday evening, GMT
    start = next_occurrence([SUN], t(19, 30), "Europe/London", None, now)
    assert start == at(2026, 3, 29, 19, 30)
    assert start.utcoffset() == datetime.timedelta(hours=1)  # BST
    assert start.astimezone(UTC).hour == 18
    # A 01:30 meeting that day does not exist on the clock: it happens at 02:30 BST (01:30 UTC).
    skipped = next_occurrence([SUN], t(1, 30), "Europe/London", None, now)
    assert skipped.astimezone(UTC) == datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_next_occurrence_across_the_autumn_clock_change():
    # Clocks go back at 02:00 BST on Sunday 25 October 2026.
    now = at(2026, 10, 24, 20, 0)
    start = next_occurrence([SUN], t(19, 30), "Europe/London", None, now)
    assert start == at(2026, 10, 25, 19, 30)
    assert start.utcoffset() == datetime.timedelta(0)  # GMT
    # Counted from a UTC instant the answer is the same.
    assert next_occurrence([SUN], t(19, 30), "Europe/London", None, now.astimezone(UTC)) == start


def test_next_occurrence_in_the_meetings_own_time_zone():
    now = at(2026, 11, 24, 23, 0)  # 23:00 in London = 18:00 in New York
    start = next_occurrence([TUE], t(19, 0), "America/New_York", None, now)
    assert start == datetime.datetime(2026, 11, 24, 19, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))


def test_resolve_day_today_and_tomorrow_use_london_time():
    # 23:30 UTC on a summer Tuesday is already Wednesday in London.
    now = datetime.datetime(2026, 7, 7, 23, 30, tzinfo=UTC)
    assert resolve_day("today", now) == WED
    assert resolve_day("tomorrow", now) == THU
    assert resolve_day("3", now) == 3
    assert resolve_day("", now) is None
    with pytest.raises(ValueError):
        resolve_day("9", now)


# --- Geometry ------------------------------------------------------------------------------


def test_haversine_preston_to_blackpool_and_lancaster():
    assert 22 < haversine_km(*PRESTON, *BLACKPOOL) < 26
    assert 30 < haversine_km(*PRESTON, *LANCASTER) < 34
    assert haversine_km(*PRESTON, *PRESTON) == 0


def test_bounding_box_contains_the_circle():
    min_lat, max_lat, min_lng, max_lng = bounding_box(*PRESTON, 10)
    assert haversine_km(min_lat, PRESTON[1], *PRESTON) == pytest.approx(10, rel=0.01)
    assert haversine_km(PRESTON[0], min_lng, *PRESTON) >= 10
    assert haversine_km(PRESTON[0], max_lng, *PRESTON) >= 10


# --- find_meetings -------------------------------------------------------------------------


@pytest.fixture
def network(db):
    return NetworkFactory(slug="lancs")


SEVEN_THIRTY = datetime.time(19, 30)


def meeting(network, name, days=(TUE,), start=SEVEN_THIRTY, point=PRESTON, types=(), **kwargs):
    location = kwargs.pop("location", None)
    if location is None and point is not None:
        location = LocationFactory(network=network, latitude=f"{point[0]:.5f}", longitude=f"{point[1]:.5f}")
    return MeetingFactory(
        network=network, name=name, days=list(days), start_time=start, location=location, types=list(types), **kwargs
    )


def names(results):
    return [r.meeting.name for r in results[: len(results)]]


NOW = at(2026, 11, 24, 18, 0)  # Tuesday 18:00 GMT


def test_default_sort_is_next_occurrence_with_by_appointment_last(network):
    meeting(network, "Wednesday morning", days=[WED], start=t(10, 0))
    meeting(network, "Tonight", days=[TUE], start=t(19, 30))
    meeting(network, "Tuesday lunch (next week)", days=[TUE], start=t(12, 0))
    meeting(network, "By appointment", days=[TUE], start=None)
    meeting(network, "Monday night", days=[MON], start=t(20, 0))
    assert names(find_meetings(FinderQuery(), NOW)) == [
        "Tonight",
        "Wednesday morning",
        "Monday night",
        "Tuesday lunch (next week)",
        "By appointment",
    ]


def test_results_carry_next_start_and_distance(network):
    meeting(network, "Blackpool", point=BLACKPOOL)
    results = find_meetings(FinderQuery(point=PRESTON, radius_km=50), NOW)
    result = results[0]
    assert result.next_start == at(2026, 11, 24, 19, 30)
    assert 22 < result.distance_km < 26
    assert result.meeting.next_start == result.next_start


def test_monthly_meeting_sorts_by_its_real_next_date(network):
    meeting(network, "First Monday", days=[MON], start=t(19, 0), monthly_week=1)  # 7 December
    meeting(network, "Every Thursday", days=[THU], start=t(19, 0))  # 26 November
    results = find_meetings(FinderQuery(), NOW)
    assert names(results) == ["Every Thursday", "First Monday"]
    assert results[1].next_start == at(2026, 12, 7, 19, 0)


def test_day_filter_matches_any_of_the_meetings_days(network):
    meeting(network, "Tue and Thu", days=[TUE, THU])
    meeting(network, "Wednesday", days=[WED])
    assert names(find_meetings(FinderQuery(days=(THU,)), NOW)) == ["Tue and Thu"]
    assert sorted(names(find_meetings(FinderQuery(days=(THU, WED)), NOW))) == ["Tue and Thu", "Wednesday"]


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        (("morning",), ["Breakfast"]),
        (("afternoon",), ["Noon", "Teatime"]),
        (("evening",), ["Five o'clock", "Late"]),
        (("morning", "evening"), ["Breakfast", "Five o'clock", "Late"]),
    ],
)
def test_time_of_day_boundaries(network, times, expected):
    for name, start in [("Breakfast", t(11, 59)), ("Noon", t(12, 0)), ("Teatime", t(16, 59))]:
        meeting(network, name, days=[WED], start=start)
    meeting(network, "Five o'clock", days=[WED], start=t(17, 0))
    meeting(network, "Late", days=[WED], start=t(22, 0))
    assert sorted(names(find_meetings(FinderQuery(time_of_day=times), NOW))) == sorted(expected)


def test_starting_within_hours_across_midnight(network):
    now = at(2026, 11, 24, 22, 30)  # Tuesday 22:30
    meeting(network, "Tuesday 23:00", days=[TUE], start=t(23, 0))
    meeting(network, "Wednesday 00:30", days=[WED], start=t(0, 30))
    meeting(network, "Wednesday 01:00", days=[WED], start=t(1, 0))
    meeting(network, "Tuesday 22:00 (started)", days=[TUE], start=t(22, 0))
    meeting(network, "Wednesday 07:00", days=[WED], start=t(7, 0))
    results = find_meetings(FinderQuery(starting_within_hours=2), now)
    assert names(results) == ["Tuesday 23:00", "Wednesday 00:30"]


def test_starting_within_hours_across_the_week_wrap(network):
    now = at(2026, 11, 28, 23, 0)  # Saturday 23:00
    meeting(network, "Sunday 00:30", days=[SUN], start=t(0, 30))
    meeting(network, "Saturday 22:00", days=[SAT], start=t(22, 0))
    assert names(find_meetings(FinderQuery(starting_within_hours=3), now)) == ["Sunday 00:30"]


def test_starting_within_hours_excludes_monthly_meetings_not_this_week(network):
    meeting(network, "First Tuesday", days=[TUE], start=t(19, 0), monthly_week=1)  # Nov 3, Dec 1
    meeting(network, "Last Tuesday", days=[TUE], start=t(19, 0), monthly_week=-1)  # Nov 24
    assert names(find_meetings(FinderQuery(starting_within_hours=3), NOW)) == ["Last Tuesday"]


def test_starting_within_hours_on_the_night_the_clocks_go_back(network):
    now = at(2026, 10, 25, 0, 30)  # Sunday 00:30 BST; at 02:00 BST it becomes 01:00 GMT
    meeting(network, "Sunday 02:30", days=[SUN], start=t(2, 30))  # 02:30 GMT = 3 hours after 00:30 BST
    assert names(find_meetings(FinderQuery(starting_within_hours=3), now)) == ["Sunday 02:30"]
    assert names(find_meetings(FinderQuery(starting_within_hours=2), now)) == []


def test_type_filter_needs_every_type(network):
    meeting(network, "Open, wheelchair", types=["O", "X"])
    meeting(network, "Open", types=["O"])
    meeting(network, "Closed, wheelchair", types=["C", "X"])
    assert sorted(names(find_meetings(FinderQuery(types=("O",)), NOW))) == ["Open", "Open, wheelchair"]
    assert names(find_meetings(FinderQuery(types=("O", "X")), NOW)) == ["Open, wheelchair"]
    assert sorted(names(find_meetings(FinderQuery(wheelchair=True), NOW))) == ["Closed, wheelchair", "Open, wheelchair"]
    assert names(find_meetings(FinderQuery(types=("O",), wheelchair=True), NOW)) == ["Open, wheelchair"]


def test_fellowship_network_and_name_filters(network):
    aa, na = FellowshipFactory(slug="aa"), FellowshipFactory(slug="na")
    meeting(network, "Primary Purpose", fellowship=aa)
    meeting(network, "Just for Today", fellowship=na, group_name="Preston NA")
    other = NetworkFactory(slug="cumbria")
    meeting(other, "Lakes Group", fellowship=aa)
    assert sorted(names(find_meetings(FinderQuery(fellowship="aa"), NOW))) == ["Lakes Group", "Primary Purpose"]
    assert names(find_meetings(FinderQuery(network="cumbria"), NOW)) == ["Lakes Group"]
    assert names(find_meetings(FinderQuery(q="preston"), NOW)) == ["Just for Today"]
    assert names(find_meetings(FinderQuery(q="primary PURPOSE"), NOW)) == ["Primary Purpose"]


def test_attendance_filter(network):
    meeting(network, "In person")
    meeting(network, "Hybrid", conference_url="https://zoom.example/j/1")
    online_location = LocationFactory(network=network, approximate=True, address="")
    meeting(network, "Online", location=online_location, conference_phone="0161 000 0000")
    assert names(find_meetings(FinderQuery(attendance=Meeting.Attendance.IN_PERSON), NOW)) == ["In person"]
    assert names(find_meetings(FinderQuery(attendance=Meeting.Attendance.HYBRID), NOW)) == ["Hybrid"]
    assert names(find_meetings(FinderQuery(attendance=Meeting.Attendance.ONLINE), NOW)) == ["Online"]


def test_inactive_closed_and_inactive_network_meetings_are_not_found(network):
    meeting(network, "Active")
    meeting(network, "Inactive", status=Meeting.Status.INACTIVE)
    meeting(network, "Closed, in person only", status=Meeting.Status.TEMPORARILY_CLOSED)
    meeting(
        network, "Closed but online", status=Meeting.Status.TEMPORARILY_CLOSED, conference_url="https://zoom.example/j"
    )
    meeting(NetworkFactory(is_active=False), "Inactive network")
    assert sorted(names(find_meetings(FinderQuery(), NOW))) == ["Active", "Closed but online"]


def test_radius_uses_exact_distance_after_the_bounding_box(network):
    meeting(network, "Preston", point=PRESTON)
    meeting(network, "Blackpool", point=BLACKPOOL)  # about 24 km
    meeting(network, "Lancaster", point=LANCASTER)  # about 32 km
    # A corner of the 25 km bounding box, but 33 km away as the crow flies.
    lat_min, _, lng_min, _ = bounding_box(*PRESTON, 25)
    meeting(network, "Corner", point=(lat_min + 0.01, lng_min + 0.01))
    meeting(network, "No location", point=None)
    assert names(find_meetings(FinderQuery(point=PRESTON, radius_km=10), NOW)) == ["Preston"]
    found = find_meetings(FinderQuery(point=PRESTON, radius_km=25, sort="distance"), NOW)
    assert names(found) == ["Preston", "Blackpool"]
    assert names(find_meetings(FinderQuery(point=PRESTON, radius_km=50, sort="distance"), NOW)) == [
        "Preston",
        "Blackpool",
        "Lancaster",
        "Corner",
    ]


def test_sort_by_distance_then_time(network):
    meeting(network, "Far, soon", point=BLACKPOOL, start=t(18, 30))
    meeting(network, "Near, later", point=PRESTON, start=t(21, 0))
    query = FinderQuery(point=PRESTON, radius_km=50)
    assert names(find_meetings(query, NOW)) == ["Far, soon", "Near, later"]
    assert names(find_meetings(FinderQuery(point=PRESTON, radius_km=50, sort="distance"), NOW)) == [
        "Near, later",
        "Far, soon",
    ]


def test_the_benchmark_query_shape(network):
    """Tuesday evening, wheelchair access, within 10 km, next 20 by start time."""
    for hour in range(17, 22):
        meeting(network, f"Match {hour}", start=t(hour, 0), types=["X"])
    meeting(network, "Morning", start=t(9, 0), types=["X"])
    meeting(network, "No X", start=t(19, 0))
    meeting(network, "Too far", point=BLACKPOOL, start=t(19, 0), types=["X"])
    meeting(network, "Wednesday", days=[WED], start=t(19, 0), types=["X"])
    query = FinderQuery(point=PRESTON, radius_km=10, days=(TUE,), time_of_day=("evening",), types=("X",))
    results = find_meetings(query, at(2026, 11, 24, 12, 0))
    assert names(results)[:20] == [f"Match {hour}" for hour in range(17, 22)]


def test_query_count_is_constant(network, django_assert_num_queries):
    fellowship = FellowshipFactory(slug="aa")
    numbers = itertools.count()
    query = FinderQuery(point=PRESTON, radius_km=10, days=(TUE,), types=("X",))
    found = []

    def add_rows(n):
        for number in itertools.islice(numbers, n):
            meeting(network, f"Meeting {number:02d}", days=[TUE, THU], types=["O", "X"], fellowship=fellowship)

    def fetch():
        # 1 for meetings outside Europe/London + 1 ordered search + 1 page of meetings
        with django_assert_num_queries(3):
            results = find_meetings(query, NOW)
            page = results[:20]
            for result in page:  # what a results row shows
                assert result.meeting.fellowship.name and result.meeting.location.town
                assert result.meeting.attendance and result.next_start
        found.append(len(results))

    assert_constant_queries(fetch, add_rows)
    assert found == [3, 30]
