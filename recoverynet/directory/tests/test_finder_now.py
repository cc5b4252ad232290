"""Issue 13, item 1: "today" is what is left of today, and meetings under way are shown as TSML-UI does."""

import datetime
import re
import zoneinfo

import pytest

from recoverynet.directory.factories import LocationFactory, MeetingFactory
from recoverynet.directory.finder import FinderQuery, find_meetings, meetings_in_progress
from recoverynet.federation.factories import NetworkFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
SUN, MON, TUE, WED, THU, FRI, SAT = range(7)
PRESTON = ("53.76282", "-2.70452")


def at(hour, minute=0, day=2):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=LONDON)  # 2 December 2026 is a Wednesday


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def network():
    return NetworkFactory(slug="lancashire")


def meeting(network, name, days, start, **kwargs):
    location = LocationFactory(network=network, latitude=PRESTON[0], longitude=PRESTON[1], town="Preston")
    return MeetingFactory(network=network, location=location, name=name, days=days, start_time=start, **kwargs)


@pytest.fixture
def wednesday(network):
    meeting(network, "Wednesday morning", [WED], datetime.time(10, 0))
    meeting(network, "Wednesday early evening", [WED], datetime.time(19, 30))  # 19:30-20:30
    meeting(network, "Under way", [WED], datetime.time(20, 0), end_time=datetime.time(21, 30))
    meeting(network, "Just started", [WED], datetime.time(20, 40))
    meeting(network, "Late", [WED], datetime.time(21, 0))
    meeting(network, "Preston Pathways NA", [THU], datetime.time(20, 30))


def names(results):
    return [r.meeting.name for r in results[: len(results)]]


def test_today_is_what_is_left_of_today_with_the_just_started_first(wednesday):
    query = FinderQuery(days=(WED,), date_offset=0, include_started=True)
    now = at(20, 46)
    assert names(find_meetings(query, now)) == ["Just started", "Late"]
    assert [r.meeting.name for r in meetings_in_progress(query, now)] == ["Under way"]


def test_a_meeting_more_than_ten_minutes_in_moves_to_in_progress_until_it_ends(wednesday):
    query = FinderQuery(days=(WED,), date_offset=0, include_started=True)
    assert "Just started" in names(find_meetings(query, at(20, 50)))
    assert "Just started" not in names(find_meetings(query, at(20, 51)))
    assert [r.meeting.name for r in meetings_in_progress(query, at(20, 51))] == ["Just started", "Under way"]
    assert [r.meeting.name for r in meetings_in_progress(query, at(21, 29))] == ["Late", "Just started", "Under way"]
    assert [r.meeting.name for r in meetings_in_progress(query, at(21, 31))] == ["Late", "Just started"]


def test_without_a_day_the_list_starts_now_and_later_days_follow(wednesday):
    query = FinderQuery(include_started=True)
    found = names(find_meetings(query, at(20, 46)))
    assert found[:3] == ["Just started", "Late", "Preston Pathways NA"]
    assert "Under way" not in found  # in the in-progress row, not next week
    assert found[-2:] == ["Wednesday morning", "Wednesday early evening"]  # next week


def test_the_api_query_is_unchanged_without_include_started(wednesday):
    found = names(find_meetings(FinderQuery(days=(WED,)), at(20, 46)))
    assert found[:2] == ["Late", "Wednesday morning"] and len(found) == 5


def test_tomorrow_is_one_date(network):
    meeting(network, "Thursday", [THU], datetime.time(9, 0))
    meeting(network, "First Thursday", [THU], datetime.time(9, 0), monthly_week=1)  # 3 December: tomorrow
    meeting(network, "Second Thursday", [THU], datetime.time(9, 0), monthly_week=2)  # 10 December
    found = names(find_meetings(FinderQuery(days=(THU,), date_offset=1), at(20, 46)))
    assert sorted(found) == ["First Thursday", "Thursday"]


def test_finder_page_today_shows_in_progress_collapsed(client, wednesday, places, time_machine):
    time_machine.move_to(at(20, 46), tick=False)
    page = text(client.get("/meetings/", {"where": "Preston", "day": "today", "attendance": "in_person"}))
    assert "2 meetings within" in page
    assert "Started 20:40" in page and "Tonight 21:00" in page
    assert "Wednesday morning" not in page and "Wednesday early evening" not in page
    assert '<details class="govuk-details rn-in-progress"' in page
    assert "1 meeting in progress" in page and "Under way" in page and "Started 20:00" in page


def test_finder_page_says_when_nothing_is_left_today_and_offers_tomorrow(client, wednesday, places, time_machine):
    time_machine.move_to(at(22, 35), tick=False)
    page = text(client.get("/meetings/", {"where": "Preston", "day": "today", "attendance": "in_person"}))
    assert "There are no more meetings today near Preston." in page
    assert "Tomorrow" in page and "Preston Pathways NA" in page and "Tomorrow 20:30" in page
    assert "day=tomorrow" in page and "See all tomorrow" in page
    assert "Find an online meeting starting soon" in page
    assert "Wednesday morning" not in page


def test_finder_page_without_a_day_starts_now(client, wednesday, places, time_machine):
    time_machine.move_to(at(20, 46), tick=False)
    page = text(client.get("/meetings/", {"where": "Preston"}))
    assert "Soonest first." in page
    assert page.index("Just started") < page.index("Late") < page.index("Preston Pathways NA")
    assert "1 meeting in progress" in page


# --- Item 4: online is not near ------------------------------------------------------------------


@pytest.fixture
def online_and_in_person(network):
    meeting(network, "Church Hall Group", [WED], datetime.time(21, 0))
    hybrid = meeting(network, "Hybrid Group", [WED], datetime.time(21, 15))
    hybrid.conference_url = "https://zoom.us/j/123"
    hybrid.save()
    far = LocationFactory(network=network, latitude="54.9", longitude="-2.9", town="Carlisle", approximate=True)
    MeetingFactory(
        network=network,
        name="Online AA",
        location=far,
        days=[WED],
        start_time=datetime.time(21, 30),
        conference_url="https://zoom.us/j/456",
    )


def test_near_a_place_online_meetings_are_a_group_of_their_own_without_distance(
    client, online_and_in_person, places, time_machine
):
    time_machine.move_to(at(20, 46), tick=False)
    page = text(client.get("/meetings/", {"where": "Preston"}))
    assert "2 meetings within 6 miles of Preston" in page
    results, online = page.split('id="online"')
    assert "Church Hall Group" in results and "Hybrid Group" in results and "Online AA" not in results
    assert "1 online meeting" in online and "Online AA" in online
    assert "away" not in online.split("If you need help now")[0]


def test_online_chosen_near_a_place_is_not_limited_by_distance(client, online_and_in_person, places, time_machine):
    time_machine.move_to(at(20, 46), tick=False)
    page = text(client.get("/meetings/", {"where": "Preston", "attendance": "online"}))
    assert "1 meeting online" in page and "Online AA" in page and "Church Hall Group" not in page
    assert " away" not in page
