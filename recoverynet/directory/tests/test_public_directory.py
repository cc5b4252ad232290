import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from recoverynet.directory.factories import (
    FellowshipFactory,
    LocationFactory,
    MeetingFactory,
    ServiceFactory,
)
from recoverynet.directory.models import Meeting, ServiceAtLocation, ServicePhone
from recoverynet.directory.templatetags.directory_tags import when_label
from recoverynet.federation.factories import NetworkFactory, SettlementFactory
from recoverynet.testing import assert_constant_queries

from ..formats.schedule_pdf import types_used
from ..views.public import active_network_schedule

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
PRESTON = ("53.76282", "-2.70452")
BLACKPOOL = ("53.81667", "-3.05000")
ALL_DAYS = list(range(7))


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def in_preston(network, name, point=PRESTON, **kwargs):
    location = LocationFactory(network=network, latitude=point[0], longitude=point[1], town="Preston")
    kwargs.setdefault("days", ALL_DAYS)
    return MeetingFactory(network=network, location=location, name=name, **kwargs)


@pytest.fixture
def network():
    return NetworkFactory(slug="lancashire", name="Lancashire Recovery Network")


# --- /meetings/ ----------------------------------------------------------------------------------


def test_finder_without_a_search_lists_every_listed_meeting(client, network):
    in_preston(network, "Open Door")
    in_preston(network, "Gone", status=Meeting.Status.INACTIVE)
    response = client.get(reverse("directory:finder"))
    assert response.status_code == 200
    page = text(response)
    assert "Find a meeting or support near you" in page
    assert "1 meeting" in page and "Open Door" in page and "Gone" not in page
    assert "data-geolocate hidden" in page  # "Use my location" only appears with JavaScript
    assert 'name="lat"' in page and 'type="hidden"' in page


def test_finder_by_town_shows_distance_and_leaves_out_far_meetings(client, network, places):
    in_preston(network, "Preston Group")
    in_preston(network, "Blackpool Group", point=BLACKPOOL)
    page = text(client.get("/meetings/", {"where": "preston"}))
    assert "1 meeting within 6 miles of Preston" in page  # 10 km, in miles by default
    assert "Preston Group" in page and "Blackpool Group" not in page
    page = text(client.get("/meetings/", {"where": "Preston", "distance": "25", "sort": "distance", "units": "km"}))
    assert "2 meetings within 25 km of Preston" in page
    assert page.index("Preston Group") < page.index("Blackpool Group")
    assert re.search(r"2[2-6] km away", page)


def test_finder_by_postcode_and_by_my_location(client, network, places):
    in_preston(network, "Preston Group")
    assert "within 6 miles of PR1" in text(client.get("/meetings/", {"where": "PR1 2HE"}))
    page = text(client.get("/meetings/", {"lat": "53.7600", "lng": "-2.7000"}))
    assert "1 meeting within 6 miles of your location" in page and "Preston Group" in page


def test_ambiguous_place_offers_choices_and_runs_no_search(client, network, places):
    in_preston(network, "Preston Group")
    response = client.get("/meetings/", {"where": "Bolton", "day": "2"})
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "There is more than one place called Bolton" in page
    assert "Did you mean" in page
    assert "?day=2&amp;where=Bolton%2C%20Greater%20Manchester" in page
    assert "Preston Group" not in page
    chosen = text(client.get("/meetings/", {"where": "Bolton, Greater Manchester"}))
    assert "within 6 miles of Bolton" in chosen


def test_unknown_place_shows_an_error_and_suggestions(client, places):
    page = text(client.get("/meetings/", {"where": "Prestn"}))
    assert "We could not find that place" in page
    assert "Preston, Lancashire" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"day": "9"}, "Choose a day from the list"),
        ({"day": "<script>"}, "Choose a day from the list"),
        ({"time": "midnight"}, "Choose morning, afternoon or evening"),
        ({"soon": "-4"}, "Choose a time from the list"),
        ({"distance": "100000"}, "Choose a distance from the list"),
        ({"type": "NOPE"}, "Choose types from the list"),
        ({"attendance": "teleport"}, "Choose in person, online or both"),
        ({"fellowship": "nope"}, "Choose a fellowship from the list"),
        ({"network": "nope"}, "Choose a network from the list"),
        ({"sort": "random"}, "Choose how to sort"),
        ({"where": "x" * 101}, "Town or postcode must be 100 characters or fewer"),
        ({"lat": "53.7"}, "Your location could not be read"),
        ({"lat": "nan", "lng": "inf"}, "There is a problem"),
        ({"lat": "999", "lng": "-2"}, "There is a problem"),
    ],
)
def test_hostile_input_shows_errors_never_a_500(client, network, places, params, message):
    in_preston(network, "Preston Group")
    response = client.get("/meetings/", params)
    assert response.status_code == 200
    assert message in text(response)


@pytest.mark.parametrize(
    "params",
    [
        {"where": "<script>alert(1)</script>"},
        {"where": "'; DROP TABLE directory_meeting; --"},
        {"q": "%' OR 1=1 --"},
        {"page": "999"},
        {"page": "-1"},
        {"page": "abc"},
        {"where": "\x00"},
        {"show": "services", "where": "M4", "distance": "zz"},
        {"type": ["O", "O", "X"], "more_types": ["NOPE"]},
    ],
)
def test_more_hostile_input_never_500s(client, network, places, params):
    in_preston(network, "Preston Group")
    response = client.get("/meetings/", params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_finder_filters_through_the_page(client, network, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 2, 12, 0, tzinfo=LONDON), tick=False)  # before 19:00 today
    in_preston(network, "Wheelchair evening", types=["X"], start_time=datetime.time(19, 0))
    in_preston(network, "Dawn Group", start_time=datetime.time(8, 0))
    in_preston(network, "Zoom Group", conference_url="https://zoom.example/j/1")
    page = text(client.get("/meetings/", {"wheelchair": "on"}))
    assert "Wheelchair evening" in page and "Dawn Group" not in page
    page = text(client.get("/meetings/", {"time": "morning"}))
    assert "1 meeting " in page and "Dawn Group" in page
    page = text(client.get("/meetings/", {"attendance": "hybrid"}))
    assert "Zoom Group" in page and "govuk-tag--purple" in page and "Dawn Group" not in page
    assert "Wheelchair evening" in text(client.get("/meetings/", {"type": "X", "day": "today"}))


def test_finder_puts_the_results_before_the_filters_after_a_search(client, network, places):
    """On a phone the filters would push the results off the first screen: after a search the results come
    first in the page, under a summary of the search that links to the filters."""
    in_preston(network, "Preston Group", start_time=datetime.time(19, 0), types=["O"])
    page = text(client.get("/meetings/", {"where": "Preston", "day": "2", "time": "evening", "type": "O"}))
    assert page.index('id="results"') < page.index("data-finder-form")
    assert "Meetings near Preston, Tuesday, evening, Open. " in page
    assert '<a class="govuk-link" href="#search">Change your search</a>' in page
    assert page.index('id="search"') > page.index('id="results"') and "Skip to results" not in page
    page = text(client.get("/meetings/", {"where": "Preston", "show": "services", "q": "hub"}))
    assert "Support services near Preston, named “hub”. " in page
    assert page.index('id="results"') < page.index("data-finder-form")
    page = text(client.get("/meetings/", {"lat": "53.76", "lng": "-2.70", "day": "today", "wheelchair": "on"}))
    assert "Meetings near your location, today, wheelchair accessible. " in page


@pytest.mark.parametrize("params", [{}, {"where": "Bolton"}], ids=["before-a-search", "place-to-choose"])
def test_finder_puts_the_filters_first_before_a_search_or_when_a_place_needs_choosing(client, network, places, params):
    page = text(client.get("/meetings/", params))
    assert page.index("data-finder-form") < page.index('id="results"')
    assert "Change your search" not in page and 'id="search"' not in page


def test_no_results_offers_ways_to_widen_the_search(client, network, places):
    in_preston(network, "Blackpool Group", point=BLACKPOOL, types=["O"])
    page = text(client.get("/meetings/", {"where": "Preston", "type": "C"}))
    assert "No meetings match your search" in page
    assert "Search within 16 miles" in page
    assert "Search at any time, for any kind of meeting" in page
    assert "Find an online meeting" in page


def test_next_occurrence_wording():
    now = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)  # Tuesday noon
    assert when_label(datetime.datetime(2026, 11, 24, 19, 30, tzinfo=LONDON), now) == "Tonight 19:30"
    assert when_label(datetime.datetime(2026, 11, 24, 13, 0, tzinfo=LONDON), now) == "Today 13:00"
    assert when_label(datetime.datetime(2026, 11, 25, 7, 0, tzinfo=LONDON), now) == "Tomorrow 07:00"
    assert when_label(datetime.datetime(2026, 11, 28, 10, 0, tzinfo=LONDON), now) == "Saturday 10:00"
    assert when_label(datetime.datetime(2026, 12, 7, 19, 0, tzinfo=LONDON), now) == "Monday 7 December 19:00"
    assert when_label(None, now) == "By appointment"


def test_finder_paginates_20_a_page_and_keeps_the_filters(client, network):
    for number in range(25):
        in_preston(network, f"Group {number:02d}", types=["O"])
    first = text(client.get("/meetings/", {"type": "O"}))
    link = '<a class="govuk-link" href="/meetings/meeting-'
    assert "25 meetings" in first
    assert first.count(link) == 20
    assert "?type=O&amp;page=2" in first
    second = text(client.get("/meetings/", {"type": "O", "page": "2"}))
    assert second.count(link) == 5


def test_services_tab_lists_services_near_the_place(client, network, places):
    near = ServiceFactory(network=network, name="Preston Recovery Hub")
    ServiceAtLocation.objects.create(service=near, location=LocationFactory(network=network))
    far = ServiceFactory(network=network, name="Carlisle Hub")
    ServiceAtLocation.objects.create(
        service=far, location=LocationFactory(network=network, latitude="54.89", longitude="-2.93")
    )
    page = text(client.get("/meetings/", {"where": "Preston", "show": "services"}))
    assert "1 service within 6 miles of Preston" in page
    assert "Preston Recovery Hub" in page and "Carlisle Hub" not in page


@pytest.mark.parametrize("url", ["finder", "fellowship", "schedule", "network", "settlement"])
def test_query_count_is_constant_in_the_number_of_meetings(client, network, places, url):
    fellowship = FellowshipFactory(slug="aa")
    settlement = SettlementFactory(network=network, slug="hub")

    def add(count):
        for _ in range(count):
            location = LocationFactory(network=network, settlement=settlement)
            MeetingFactory(network=network, location=location, fellowship=fellowship, days=[1, 3], types=["O", "X"])

    urls = {
        "finder": "/meetings/?where=Preston&type=O",
        "fellowship": "/fellowships/aa/",
        "schedule": "/networks/lancashire/schedule/",
        "network": "/networks/lancashire/",
        "settlement": "/settlements/hub/",
    }

    def fetch():
        response = client.get(urls[url])
        assert response.status_code == 200
        return response

    assert_constant_queries(fetch, add)


# --- Meeting, service and fellowship pages ----------------------------------------------------------


def test_meeting_detail_shows_when_where_how_to_join_and_links(client, network):
    settlement = SettlementFactory(network=network, name="The Hub", slug="the-hub")
    location = LocationFactory(
        network=network,
        settlement=settlement,
        name="Friends Meeting House",
        address="1 Meeting House Lane",
        town="Preston",
        postcode="PR1 2HE",
        notes="Side door, ring the bell",
    )
    meeting = MeetingFactory(
        network=network,
        location=location,
        name="Tuesday Step",
        slug="tuesday-step",
        days=[2, 4],
        start_time=datetime.time(19, 30),
        end_time=datetime.time(21, 0),
        types=["O", "X"],
        conference_url="https://zoom.example/j/123",
        conference_url_notes="Passcode 1234",
        conference_phone="0161 496 0000",
        last_verified=datetime.date(2026, 10, 1),
        contact_email="secretary@example.org",
        contact_phone="07700 900000",
        contact_name="Sam",
    )
    page = text(client.get("/meetings/tuesday-step/"))
    assert "Every Tuesday and Thursday, 19:30 to 21:00" in page
    assert "UK time" in page
    assert "Friends Meeting House" in page and "1 Meeting House Lane" in page and "Side door, ring the bell" in page
    assert "https://www.openstreetmap.org/directions?route=%3B53.759%2C-2.699" in page
    assert 'href="https://zoom.example/j/123" class="govuk-button' in page and "Passcode 1234" in page
    assert 'href="tel:01614960000"' in page
    assert "Open" in page and "Wheelchair Access" in page  # types in words
    assert "In person and online" in page
    assert meeting.fellowship.get_absolute_url() in page and "/networks/lancashire/" in page
    assert "/settlements/the-hub/" in page
    assert "1 October 2026" in page
    assert "/meetings/tuesday-step.ics" in page and "Add to calendar" in page
    assert "Report a change" in page and "/changes/meetings/tuesday-step/" in page
    # Private contact details are never shown on the public page.
    assert "secretary@example.org" not in page and "07700 900000" not in page


def test_meeting_detail_monthly_wording_and_closed_banner(client, network):
    MeetingFactory(
        network=network,
        slug="first-monday",
        days=[1],
        start_time=datetime.time(19, 0),
        monthly_week=1,
        status=Meeting.Status.TEMPORARILY_CLOSED,
        conference_url="https://zoom.example/j/9",
    )
    page = text(client.get("/meetings/first-monday/"))
    assert "First Monday of the month, 19:00 to 20:00" in page
    assert "temporarily not meeting in person" in page and "You can still join online" in page
    assert "Get directions" not in page


def test_meeting_detail_404_for_inactive_meetings_and_networks(client, network):
    MeetingFactory(network=network, slug="gone", status=Meeting.Status.INACTIVE)
    MeetingFactory(network=NetworkFactory(is_active=False), slug="hidden")
    assert client.get("/meetings/gone/").status_code == 404
    assert client.get("/meetings/hidden/").status_code == 404
    assert client.get("/meetings/nothing-here/").status_code == 404


def test_service_detail(client, network):
    service = ServiceFactory(network=network, name="Drop-in Advice", slug="drop-in", fees="", alert="Closed on Friday")
    ServicePhone.objects.create(service=service, number="01772 000000", description="Helpline")
    ServiceAtLocation.objects.create(service=service, location=LocationFactory(network=network, town="Preston"))
    page = text(client.get("/services/drop-in/"))
    assert "Drop-in Advice" in page and "Closed on Friday" in page
    assert 'href="tel:01772000000"' in page and "Free" in page and "Preston" in page
    service.status = "inactive"
    service.save(update_fields=["status"])
    assert client.get("/services/drop-in/").status_code == 404


def test_fellowship_detail_lists_its_meetings(client, network):
    aa = FellowshipFactory(slug="aa", name="Alcoholics Anonymous", description="A fellowship of people.")
    MeetingFactory(network=network, fellowship=aa, name="AA Preston")
    MeetingFactory(network=network, name="Other fellowship meeting")
    page = text(client.get("/fellowships/aa/"))
    assert "Alcoholics Anonymous" in page and "1 meeting" in page and "AA Preston" in page
    assert "Other fellowship meeting" not in page
    assert client.get("/fellowships/nope/").status_code == 404


def test_network_schedule_groups_by_day_and_time_with_print_stylesheet(client, network):
    MeetingFactory(network=network, name="Late Tuesday", days=[2], start_time=datetime.time(20, 0))
    MeetingFactory(network=network, name="Early Tuesday", days=[2], start_time=datetime.time(7, 0))
    MeetingFactory(network=network, name="Sunday and Tuesday", days=[0, 2], start_time=datetime.time(12, 0))
    MeetingFactory(name="Another network")
    page = text(client.get("/networks/lancashire/schedule/"))
    assert 'href="/static/recoverynet/css/print.css" media="print"' in page
    tuesday = page.split(">Tuesday</h2>")[1].split("</table>")[0]
    assert tuesday.index("Early Tuesday") < tuesday.index("Sunday and Tuesday") < tuesday.index("Late Tuesday")
    assert "Sunday and Tuesday" in page.split(">Sunday</h2>")[1].split("</table>")[0]
    assert page.index(">Monday</h2>") < page.index(">Sunday</h2>")  # Monday first
    assert "Another network" not in page
    assert client.get("/networks/unknown/schedule/").status_code == 404


def schedule_type_codes(page):
    """The codes in the schedule page's key, in order."""
    key = page.split(">Meeting type codes</h2>")[1].split("</table>")[0]
    row = r'<th scope="row" class="govuk-table__header">([^<]+)</th> <td class="govuk-table__cell">([^<]+)</td>'
    return re.findall(row, key)


def test_network_schedule_explains_the_type_codes_it_uses_as_the_pdf_does(client, network):
    url = "/networks/lancashire/schedule/"
    MeetingFactory(network=network, days=[1], types=["X", "O"])
    MeetingFactory(network=network, days=[3], types=["O"])
    MeetingFactory(network=NetworkFactory(), types=["C"])  # another network's types stay out of the key
    legend = types_used(active_network_schedule("lancashire")[1])  # the PDF's, for these meetings
    pages = []

    def fetch():
        pages.append(text(client.get(url)))
        return pages[-1]

    def add_rows(n):  # n meetings of three more types, across the week
        for day in range(n):
            MeetingFactory(network=network, days=[day % 7, (day + 2) % 7], types=["C", "ST", "B"])

    # The two meetings above first (no rows added), then a week of the new types.
    page = assert_constant_queries(fetch, add_rows, few=0, many=7)
    codes = schedule_type_codes(pages[0])
    assert [code for code, _ in codes] == ["O", "X"]
    assert dict(codes)["O"] == "Open"
    assert codes == legend
    assert [code for code, _ in schedule_type_codes(page)] == ["B", "C", "O", "ST", "X"]


def test_network_schedule_has_no_type_key_when_no_meeting_has_a_type(client, network):
    MeetingFactory(network=network, name="Untyped")
    page = text(client.get("/networks/lancashire/schedule/"))
    assert "Untyped" in page and "Meeting type codes" not in page


def test_network_and_settlement_pages_list_their_meetings(client, network):
    settlement = SettlementFactory(network=network, slug="hub")
    location = LocationFactory(network=network, settlement=settlement)
    MeetingFactory(network=network, location=location, name="At the Hub")
    MeetingFactory(network=network, name="Elsewhere in the network")
    network_page = text(client.get("/networks/lancashire/"))
    assert "At the Hub" in network_page and "Elsewhere in the network" in network_page
    assert "/networks/lancashire/schedule/" in network_page
    settlement_page = text(client.get("/settlements/hub/"))
    assert "At the Hub" in settlement_page and "Elsewhere in the network" not in settlement_page


def test_data_sources_page_gives_the_required_attribution_and_is_linked(client):
    page = text(client.get("/about/data/"))
    for credit in [
        "Contains OS data © Crown copyright and database right 2025",
        "Contains Royal Mail data © Royal Mail copyright and database right 2025",
        "Office for National Statistics licensed under the",
        "Open Government Licence v.3.0",
        "GeoNames",
        "CC BY 4.0",
    ]:
        assert credit.replace("©", "&copy;") in page or credit in page
    assert 'href="/about/data/"' in text(client.get("/meetings/"))
    assert 'href="/about/data/"' in text(client.get("/"))  # footer


@pytest.mark.parametrize(
    ("now", "start", "label"),
    [
        (datetime.datetime(2026, 6, 2, 19, 0, tzinfo=LONDON), datetime.time(19, 30), "Tonight 19:30"),  # Tuesday, BST
        (datetime.datetime(2026, 12, 1, 19, 0, tzinfo=LONDON), datetime.time(19, 30), "Tonight 19:30"),  # Tuesday, GMT
        (
            datetime.datetime(2026, 12, 1, 23, 45, tzinfo=LONDON),
            datetime.time(0, 15),
            "Tomorrow 00:15",
        ),  # over midnight
    ],
)
def test_finder_uses_now_for_tonight(client, network, time_machine, now, start, label):
    time_machine.move_to(now, tick=False)
    in_preston(network, "Soon", start_time=start, days=[2, 3])  # Tuesday and Wednesday
    in_preston(network, "Later", start_time=datetime.time(12, 0), days=[2, 3])  # not within the hour
    page = text(client.get("/meetings/", {"soon": "1"}))
    assert "Soon" in page and "Later" not in page
    assert label in page
