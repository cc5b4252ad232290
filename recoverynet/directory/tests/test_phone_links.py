"""Issue 13, items 6 to 8: directions in the phone's own maps, the help line on the meeting page, miles,
"Join on Zoom" and dial-in links, the in-progress row, and "my meetings" kept in the browser."""

import datetime
import itertools
import re
import zoneinfo

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.directory import links
from recoverynet.directory.factories import LocationFactory, MeetingFactory
from recoverynet.directory.models import Meeting
from recoverynet.federation.factories import NetworkFactory
from recoverynet.testing import assert_constant_queries

LONDON = zoneinfo.ZoneInfo("Europe/London")
WED = 3
PRESTON = ("53.76282", "-2.70452")


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def at(hour, minute=0):
    return datetime.datetime(2026, 12, 2, hour, minute, tzinfo=LONDON)  # a Wednesday


# --- Where an online meeting is held ---------------------------------------------------------------


@pytest.mark.parametrize(("host", "name"), sorted(links.CONFERENCE_PROVIDERS.items()))
def test_every_known_provider_is_named_from_its_host_and_subdomains(host, name):
    assert links.join_label(f"https://{host}/j/123") == f"Join on {name}"
    assert links.conference_provider(f"https://us02web.{host}/j/123?pwd=x") == name
    assert links.conference_provider(f"HTTPS://{host.upper()}./room") == name  # any case, a trailing dot
    assert links.conference_provider(f"https://not{host}/j/1") is None  # a look-alike is not the provider
    assert links.conference_provider(f"https://{host}.evil.example/j/1") is None


def test_the_providers_named_in_the_issue():
    assert links.join_label("https://us06web.zoom.us/j/8765?pwd=abc") == "Join on Zoom"
    assert links.join_label("https://teams.microsoft.com/l/meetup-join/19%3a") == "Join on Microsoft Teams"
    assert links.join_label("https://meet.google.com/abc-defg-hij") == "Join on Google Meet"
    # TSML-UI's 21 hosts (its settings' conference_providers) are all known.
    tsml_ui = [
        "bluejeans.com",
        "discord.gg",
        "freeconference.com",
        "freeconferencecall.com",
        "goto.com",
        "gotomeet.me",
        "gotomeeting.com",
        "horizon.meta.com",
        "maps.secondlife.com",
        "meet.google.com",
        "meet.jit.si",
        "meetings.dialpad.com",
        "signal.group",
        "skype.com",
        "slurl.com",
        "teams.live.com",
        "teams.microsoft.com",
        "vrchat.com",
        "webex.com",
        "zoho.com",
        "zoom.us",
    ]
    assert len(tsml_ui) == 21 and set(tsml_ui) <= set(links.CONFERENCE_PROVIDERS)


@pytest.mark.parametrize(
    "url",
    ["https://example.org/meet", "https://zoom.example/j/1", "", None, "not a link", "https://[zoom.us/j/1"],
)
def test_an_unknown_host_says_join_online(url):
    assert links.join_label(url) == "Join online"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)//https://zoom.us/",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//zoom.us/j/1",
        "https:///zoom.us",
        "https://zoom.us/j/1\n<script>",
    ],
)
def test_unsafe_links_are_never_links(url):
    assert links.safe_url(url) is None
    assert links.conference_provider(url) is None


@settings(max_examples=300, deadline=None)
@given(url=st.one_of(st.text(), st.from_regex(r"\A[a-zA-Z]{0,12}:[^\s]{0,40}\Z"), st.none(), st.integers()))
def test_hostile_urls_never_raise_and_never_become_script_links(url):
    label = links.join_label(url)
    assert label == "Join online" or label.startswith("Join on ")
    safe = links.safe_url(url)
    if safe is not None:
        assert re.match(r"https?://", safe, re.IGNORECASE)
        assert not re.search(r"[\x00-\x1f\x7f]", safe)


@settings(max_examples=300, deadline=None)
@given(phone=st.one_of(st.text(), st.none()))
def test_any_dial_in_gives_digits_only_or_no_link(phone):
    href = links.tel_href(phone)
    assert href is None or re.fullmatch(r"tel:\+?[0-9]{3,15}", href)


def test_dial_in_numbers_keep_the_number_and_drop_the_pin():
    assert links.tel_href("0161 496 0000") == "tel:01614960000"
    assert links.tel_href("+44 (0)161-496-0000") == "tel:+4401614960000"
    assert links.tel_href("0330 088 5830,,98765432#") == "tel:03300885830"
    assert links.tel_href("ring the secretary") is None


# --- Miles -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("km", "words"),
    [
        (0.01, "less than 0.1 miles"),
        (0.65, "0.4 miles"),
        (1.609344, "1 mile"),
        (1.65, "1 mile"),
        (4.1, "2.5 miles"),
        (16.09, "10 miles"),
        (19.3, "12 miles"),
        (None, ""),
    ],
)
def test_miles_read_as_people_say_them(km, words):
    assert links.format_miles(km) == words


def test_kilometres_when_chosen():
    assert links.format_distance(0.4, "km") == "400 m"
    assert links.format_distance(1.25, "km") == "1.2 km"
    assert links.format_distance(3.0, "km") == "3 km"
    assert links.format_distance(24.3, "km") == "24 km"
    assert links.format_radius(10, "km") == "10 km" and links.format_radius(10) == "6 miles"
    assert links.format_radius(1) == "0.6 miles"


@pytest.fixture
def network(db):
    return NetworkFactory(slug="lancashire")


def near_preston(network, name, start, **kwargs):
    location = LocationFactory(network=network, latitude=PRESTON[0], longitude=PRESTON[1], town="Preston")
    return MeetingFactory(network=network, location=location, name=name, days=[WED], start_time=start, **kwargs)


def test_finder_shows_miles_by_default_and_km_when_asked(client, network, places, time_machine):
    time_machine.move_to(at(18, 0), tick=False)
    near_preston(network, "Preston Group", datetime.time(19, 30))
    page = text(client.get("/meetings/", {"where": "Preston"}))
    assert "1 meeting within 6 miles of Preston" in page
    assert re.search(r"Preston &middot; (less than )?0\.\d miles away", page)
    assert "units=km" in page and 'Use km<span class="govuk-visually-hidden"> for distances</span>' in page
    page = text(client.get("/meetings/", {"where": "Preston", "units": "km"}))
    assert "1 meeting within 10 km of Preston" in page and re.search(r"\d+ m away", page)
    assert "Use miles<span" in page and re.search(r'value="km"[^>]*checked', page)
    assert '<details class="govuk-details rn-more-filters" data-more-filters>' in page  # units alone: closed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(units=st.text(max_size=30))
def test_any_units_value_gives_a_page_never_a_500(client, network, places, units):
    response = client.get("/meetings/", {"where": "Preston", "units": units})
    assert response.status_code == 200
    page = text(response)
    if units.strip() not in ("", "mi", "km"):
        assert "Choose miles or kilometres" in page
    assert "Samaritans" in page


def test_the_api_keeps_km_and_adds_miles_and_the_provider(network, api_as, places):
    near_preston(network, "Preston Group", datetime.time(19, 30), conference_url="https://teams.microsoft.com/l/x")
    rows = api_as("anonymous").get("/api/v1/meetings/", {"near": ",".join(PRESTON), "radius_km": 10}).json()
    row = rows["results"][0] if isinstance(rows, dict) else rows[0]
    assert row["distance_km"] is not None
    assert row["distance_miles"] == pytest.approx(row["distance_km"] / 1.609344, abs=0.01)
    assert row["conference_provider"] == "Microsoft Teams"


# --- In progress, the TSML-UI way ------------------------------------------------------------------


def test_online_meetings_under_way_sit_in_their_own_collapsed_row(client, network, places, time_machine):
    far = LocationFactory(network=network, latitude="54.9", longitude="-2.9", town="Carlisle", approximate=True)
    MeetingFactory(network=network, name="Early Zoom", location=far, days=[WED], start_time=datetime.time(20, 0),
                   conference_url="https://us02web.zoom.us/j/1")  # fmt: skip
    MeetingFactory(network=network, name="Fresh Meet", location=far, days=[WED], start_time=datetime.time(20, 40),
                   conference_url="https://meet.google.com/abc")  # fmt: skip
    near_preston(network, "Church Hall", datetime.time(21, 0))
    time_machine.move_to(at(20, 46), tick=False)
    page = text(client.get("/meetings/", {"where": "Preston"}))
    online = page.split('id="online"')[1]
    row = online.split("<details")[1].split("</details>")[0]
    assert "1 online meeting in progress" in row and "Early Zoom" in row and "on Zoom" in row
    assert "You can still join." in row
    listed = online.split("</details>")[1]
    assert "Fresh Meet" in listed and "on Google Meet" in listed  # started 6 minutes ago: still in the list
    time_machine.move_to(at(20, 51), tick=False)
    page = text(client.get("/meetings/", {"where": "Preston"}))
    assert "2 online meetings in progress" in page


# --- The meeting page ------------------------------------------------------------------------------


def test_meeting_page_offers_directions_in_the_phones_own_maps(client, network):
    meeting = near_preston(network, "Friends (Tuesday)", datetime.time(19, 30))
    page = client.get(meeting.get_absolute_url()).content.decode()
    directions = page.split("Get directions")[1].split("</ul>")[0]
    assert 'href="geo:53.76282,-2.70452?q=53.76282,-2.70452(Friends%20%20Tuesday)"' in directions
    assert 'href="https://maps.apple.com/?daddr=53.76282%2C-2.70452&amp;dirflg=d"' in directions
    assert 'href="https://www.google.com/maps/dir/?api=1&amp;destination=53.76282%2C-2.70452"' in directions
    assert 'href="https://www.openstreetmap.org/directions?route=%3B53.76282%2C-2.70452#map=16/53.76282/-2.70452"' in (
        directions
    )
    assert directions.count("<li>") == 4


def test_an_online_only_meeting_has_no_directions_and_joins_on_its_provider(client, network):
    far = LocationFactory(network=network, town="Carlisle", approximate=True)
    meeting = MeetingFactory(network=network, location=far, name="Online AA", conference_url="https://zoom.us/j/9",
                             conference_phone="+44 203 481 5240,,98765#")  # fmt: skip
    assert not meeting.is_in_person
    page = text(client.get(meeting.get_absolute_url()))
    assert "Get directions" not in page and "geo:" not in page and "maps.apple.com" not in page
    assert 'href="https://zoom.us/j/9"' in page and "Join on Zoom" in page
    assert 'Join by phone: <a class="govuk-link" href="tel:+442034815240">+44 203 481 5240,,98765#</a>' in page


@pytest.mark.parametrize("url", ["javascript:alert(document.domain)", "data:text/html,x", " javascript:x"])
def test_a_hostile_conference_or_website_link_is_shown_as_text_never_as_a_link(client, network, url):
    far = LocationFactory(network=network, approximate=True)
    meeting = MeetingFactory(network=network, location=far, name="Odd", conference_phone="0161 496 0000")
    Meeting.objects.filter(pk=meeting.pk).update(conference_url=url, url=url)  # as a feed might have left it
    page = client.get(meeting.get_absolute_url()).content.decode().lower()
    assert 'href="javascript' not in page and 'href=" javascript' not in page and 'href="data:' not in page
    assert "the link to join this meeting could not be shown" in page


def test_meeting_page_has_the_finders_help_line(client, network):
    meeting = near_preston(network, "Preston Group", datetime.time(19, 30))
    page = text(client.get(meeting.get_absolute_url()))
    finder = text(client.get("/meetings/"))
    help_line = re.search(r"<div class=\"govuk-inset-text\" data-help-now>.*?</div>", finder).group(0)
    assert help_line in page
    assert 'href="tel:116123"' in page and 'href="tel:999"' in page


def test_meeting_page_save_and_share_wait_for_javascript(client, network):
    meeting = near_preston(network, "Preston Group", datetime.time(19, 30))
    page = text(client.get(meeting.get_absolute_url()))
    assert "data-meeting-actions hidden" in page and "data-share hidden" in page and "data-copy-link hidden" in page
    assert 'data-name="Preston Group"' in page and 'data-path="/meetings/' in page
    assert 'data-when="Every Wednesday, 19:30 to 20:30, Preston"' in page
    assert "saved-meetings.js" in page and "<script>" not in page


def test_saved_meetings_page_says_saving_needs_javascript(client, db):
    response = client.get(reverse("directory:saved_meetings"))
    assert response.status_code == 200
    page = text(response)
    assert '<h1 class="govuk-heading-xl">My meetings</h1>' in page
    assert "Saving meetings needs JavaScript" in page and "bookmark its page" in page
    assert "never sent to RecoveryNet" in page
    assert "data-saved-list hidden" in page and "saved-meetings.js" in page
    assert "Set-Cookie" not in str(response.headers) or "sessionid" not in response.headers.get("Set-Cookie", "")


def test_a_meeting_called_saved_has_its_own_page(client, network):
    meeting = near_preston(network, "Saved", datetime.time(19, 30), slug="saved")
    assert meeting.get_absolute_url() == "/meetings/saved/"
    assert "Saved" in text(client.get(meeting.get_absolute_url()))
    assert reverse("directory:saved_meetings") == "/my-meetings/"


def test_meeting_page_queries_do_not_grow_with_types_and_days(client, network):
    meeting = near_preston(network, "Preston Group", datetime.time(19, 30), conference_url="https://zoom.us/j/1")
    numbers = itertools.count()

    def add(count):
        for number in itertools.islice(numbers, count):
            near_preston(network, f"Other {number}", datetime.time(19, 30))

    def fetch():
        response = client.get(meeting.get_absolute_url())
        assert response.status_code == 200

    assert_constant_queries(fetch, add)


def test_finder_queries_do_not_grow_with_online_meetings_in_miles(client, network, places, time_machine):
    time_machine.move_to(at(20, 46), tick=False)
    far = LocationFactory(network=network, latitude="54.9", longitude="-2.9", town="Carlisle", approximate=True)
    numbers = itertools.count()

    def add(count):
        for number in itertools.islice(numbers, count):
            near_preston(network, f"Near {number}", datetime.time(20, number % 60))
            MeetingFactory(network=network, name=f"Online {number}", location=far, days=[WED],
                           start_time=datetime.time(20, number % 60), conference_url="https://zoom.us/j/1")  # fmt: skip

    def fetch():
        response = client.get("/meetings/", {"where": "Preston", "units": "mi"})
        assert response.status_code == 200

    assert_constant_queries(fetch, add)
