"""Issue 5 in a real browser: a person finds tonight's nearest meeting near
Preston and adds it to their calendar, with JavaScript on and off; "use my
location" fills the search; axe-core finds no WCAG 2.2 A/AA violation on the
directory's new pages (public and coordinators')."""

import datetime
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory, ServiceFactory
from recoverynet.directory.models import Meeting, ServiceAtLocation
from recoverynet.federation.factories import NetworkFactory

from .checks import follow, signed_in_context

# WCAG 2.0, 2.1 and 2.2 at levels A and AA (as in test_public_pages.py).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
    "resultTypes": ["violations"],
}
LONDON = zoneinfo.ZoneInfo("Europe/London")
ICAL_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]  # Meeting Guide numbering: 0 = Sunday
PRESTON_CENTRE = (53.76282, -2.70452)  # the gazetteer's Preston


def mg_day(date):
    return (date.weekday() + 1) % 7


@dataclass
class Directory:
    world: object
    lancashire: object
    fellowship: object
    tonight: Meeting  # the nearest meeting to Preston centre, starting in about 90 minutes
    later: Meeting  # a little farther out, a couple of hours later
    other_day: Meeting  # near Preston, but in two days' time
    monthly: Meeting  # first Monday of the month, in Leyland
    own_meeting: Meeting  # in the coordinator's network (Cumbria)
    service: object
    start: datetime.datetime  # tonight's start, aware, Europe/London


def next_start(minutes):
    """A local start `minutes` from now, rounded up to five minutes (may be after midnight)."""
    moment = timezone.now().astimezone(LONDON) + datetime.timedelta(minutes=minutes)
    moment = moment.replace(second=0, microsecond=0)
    return moment + datetime.timedelta(minutes=(5 - moment.minute % 5) % 5)


@pytest.fixture
def directory(world):
    """The gazetteer and a few realistic meetings around Preston, on the live server's database."""
    from recoverynet.directory import places

    places.load_places()
    lancashire = NetworkFactory(federation=world.federation, name="Lancashire", slug="lancashire")
    aa = FellowshipFactory(name="Alcoholics Anonymous", short_name="AA", slug="aa")
    na = FellowshipFactory(name="Narcotics Anonymous", short_name="NA", slug="na")
    start = next_start(90)
    later_start = next_start(150)

    def venue(name, address, town, postcode, lat, lng, network=lancashire):
        return LocationFactory(
            network=network, name=name, address=address, town=town, postcode=postcode, latitude=lat, longitude=lng
        )

    minster = venue("Minster Hall", "1 Church Street", "Preston", "PR1 3BQ", "53.75920", "-2.69890")
    fulwood = venue("Fulwood Methodist Church", "Watling Street Road", "Fulwood", "PR2 8EA", "53.78470", "-2.70810")
    ashton = venue("Ashton Community Centre", "Pedder Street", "Ashton-on-Ribble", "PR2 2QH", "53.76930", "-2.73190")
    leyland = venue("Leyland Library", "Lancastrian House", "Leyland", "PR25 2EX", "53.69240", "-2.69490")
    carlisle = venue("Carlisle Hub", "5 Botchergate", "Carlisle", "CA1 1QS", "54.89100", "-2.93100", world.own_network)

    tonight = MeetingFactory(
        network=lancashire,
        fellowship=aa,
        location=minster,
        name="Preston Minster Group",
        slug="preston-minster-group",
        start_time=start.time(),
        days=[mg_day(start.date())],
        types=["O", "X", "D"],
        notes="Use the side door on Church Street.",
    )
    later = MeetingFactory(
        network=lancashire,
        fellowship=na,
        location=fulwood,
        name="Fulwood Just for Today",
        slug="fulwood-just-for-today",
        start_time=later_start.time(),
        days=[mg_day(later_start.date())],
        types=["C"],
    )
    other_day = MeetingFactory(
        network=lancashire,
        fellowship=aa,
        location=ashton,
        name="Ashton Step Group",
        slug="ashton-step-group",
        start_time=datetime.time(19, 30),
        days=[mg_day(start.date() + datetime.timedelta(days=2))],
        types=["C", "ST"],
    )
    monthly = MeetingFactory(
        network=lancashire,
        fellowship=aa,
        location=leyland,
        name="Leyland First Monday Speaker",
        slug="leyland-first-monday",
        start_time=datetime.time(20, 0),
        days=[1],
        monthly_week=Meeting.MonthlyWeek.FIRST,
        types=["O", "SP"],
        conference_url="https://zoom.us/j/5551234567",
    )
    own_meeting = MeetingFactory(
        network=world.own_network,
        fellowship=aa,
        location=carlisle,
        name="Carlisle Serenity",
        slug="carlisle-serenity",
        start_time=datetime.time(18, 0),
        days=[3],
        types=["O"],
    )
    service = ServiceFactory(
        network=world.own_network,
        organisation=world.own_organisation,
        name="Eden drop-in",
        slug="eden-drop-in",
        description="Peer support, a hot drink and advice, no appointment needed.",
    )
    ServiceAtLocation.objects.create(service=service, location=carlisle)
    return Directory(world, lancashire, aa, tonight, later, other_day, monthly, own_meeting, service, start)


def open_page(page, url, path):
    response = page.goto(url(path))
    assert response is not None
    assert response.status == 200, f"GET {path} answered {response.status}"
    return response


def search_preston(page, url):
    open_page(page, url, reverse("directory:finder"))
    form = page.locator("main form[data-finder-form]")
    form.get_by_label("Town or postcode").fill("Preston")
    follow(page, form.get_by_role("button", name="Search", exact=True))
    assert "where=Preston" in page.url
    return page.locator("main ul.rn-results > li")


def check_ics(text, meeting, start):
    assert text.startswith("BEGIN:VCALENDAR"), text[:200]
    assert "BEGIN:VEVENT" in text
    unfolded = text.replace("\r\n ", "").replace("\n ", "")
    assert re.search(rf"^RRULE:FREQ=WEEKLY;[^\r\n]*BYDAY={ICAL_DAYS[mg_day(start.date())]}\b", unfolded, re.M), text
    assert re.search(rf"^DTSTART;TZID=Europe/London:\d{{8}}T{start:%H%M}00\r?$", unfolded, re.M), text
    assert meeting.name in unfolded


def find_and_add_to_calendar(page, url, directory, tmp_path):
    results = search_preston(page, url)
    main = page.locator("main#main-content")
    assert re.search(r"meetings? within \d+ (?:miles?|km) of Preston", main.inner_text()), main.inner_text()
    first = results.first
    assert directory.tonight.name in first.inner_text(), main.inner_text()
    follow(page, first.get_by_role("link", name=directory.tonight.name))
    assert page.url.endswith(directory.tonight.get_absolute_url())
    assert page.locator("main h1").inner_text().strip() == directory.tonight.name
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Add to calendar")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    check_ics(Path(saved).read_text(encoding="utf-8"), directory.tonight, directory.start)


def test_find_tonights_nearest_meeting_and_add_it_to_a_calendar(new_context, url, directory, tmp_path):
    page = new_context(accept_downloads=True).new_page()
    find_and_add_to_calendar(page, url, directory, tmp_path)


def test_find_tonights_nearest_meeting_and_add_it_to_a_calendar_without_javascript(
    new_context, url, directory, tmp_path
):
    page = new_context(java_script_enabled=False, accept_downloads=True).new_page()
    find_and_add_to_calendar(page, url, directory, tmp_path)


def test_finder_searches_10_km_unless_told_otherwise(new_context, url, directory):
    """Typing a town and pressing Search (JavaScript off) searches the default 10 km, not the
    first distance in the list, and finds the other meetings around Preston too."""
    page = new_context(java_script_enabled=False).new_page()
    results = search_preston(page, url)
    assert "distance=10" in page.url or "distance=" not in page.url, page.url
    main = page.locator("main#main-content").inner_text()
    assert "within 6 miles of Preston" in main, main  # 10 km, shown in miles
    names = [results.nth(i).get_by_role("link").first.inner_text() for i in range(results.count())]
    assert names[0] == directory.tonight.name, names
    assert {directory.later.name, directory.other_day.name, directory.monthly.name} <= set(names), names


PHONE = {"width": 375, "height": 800}
SMALL_PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def finder_columns(page):
    """The bounding boxes of the finder's filters column and results column."""
    filters = page.locator("main .govuk-grid-row > div", has=page.locator("form[data-finder-form]"))
    results = page.locator("main .govuk-grid-row > div", has=page.locator("#results"))
    return filters.bounding_box(), results.bounding_box()


@pytest.mark.parametrize(
    ("viewport", "javascript"),
    # Without JavaScript the site's menu stands open above the page: at 320px it fills the first screen.
    [(PHONE, True), (PHONE, False), (SMALL_PHONE, True)],
    ids=["375px-javascript", "375px-no-javascript", "320px-javascript"],
)
def test_finder_shows_the_results_first_on_a_phone_after_a_search(new_context, url, directory, viewport, javascript):
    """After a search the results come before the long filter form, in the page itself (so for keyboards and
    screen readers too): the first result is on the first screen, under a summary of the search whose
    "Change your search" link leads to the filters below the results."""
    page = new_context(viewport=viewport, java_script_enabled=javascript).new_page()
    results = search_preston(page, url)
    first_box = results.first.bounding_box()
    assert first_box["y"] >= 0 and first_box["y"] + first_box["height"] <= viewport["height"], first_box
    assert directory.tonight.name in results.first.inner_text()
    filters_box, results_box = finder_columns(page)
    assert filters_box["y"] >= results_box["y"] + results_box["height"], (filters_box, results_box)
    summary = page.locator("main .rn-finder-summary")
    assert summary.inner_text().startswith("Meetings near Preston"), summary.inner_text()
    summary.get_by_role("link", name="Change your search").click()
    assert page.url.endswith("#search"), page.url
    assert page.evaluate("document.activeElement.id") == "search"
    where = page.locator("main form[data-finder-form]").get_by_label("Town or postcode")
    assert 0 <= where.bounding_box()["y"] < viewport["height"]
    assert where.input_value() == "Preston"
    page.keyboard.press("Tab")  # a keyboard carries on into the form
    assert page.evaluate("document.activeElement.name") == "where"


def test_finder_puts_the_filters_first_before_a_search(new_context, url, directory):
    page = new_context(viewport=PHONE).new_page()
    open_page(page, url, reverse("directory:finder"))
    filters_box, results_box = finder_columns(page)
    assert results_box["y"] >= filters_box["y"] + filters_box["height"], (filters_box, results_box)
    assert page.get_by_role("link", name="Change your search").count() == 0


def test_finder_keeps_the_filters_in_the_left_column_on_a_desktop(new_context, url, directory):
    page = new_context(viewport=DESKTOP).new_page()
    search_preston(page, url)
    filters_box, results_box = finder_columns(page)
    assert filters_box["x"] + filters_box["width"] <= results_box["x"] + 1, (filters_box, results_box)
    assert abs(filters_box["y"] - results_box["y"]) < 1, (filters_box, results_box)
    summary = page.locator("main .rn-finder-summary")
    assert summary.bounding_box()["width"] <= 1  # for screen readers; sighted people see the filters
    change = summary.get_by_role("link", name="Change your search")
    change.focus()
    assert summary.bounding_box()["width"] > 1  # shown while its link has the keyboard focus
    change.press("Enter")
    assert page.evaluate("document.activeElement.id") == "search"


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["375px", "320px"])
def test_network_schedule_fits_a_phone_without_sideways_scrolling(new_context, url, directory, viewport):
    """The day tables fit the screen (the type codes go under the meeting's name), so the page never scrolls
    sideways; printed, the schedule keeps its four columns."""
    page = new_context(viewport=viewport).new_page()
    path = reverse("directory:network_schedule", kwargs={"slug": directory.lancashire.slug})
    open_page(page, url, path)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    tables = page.locator("main table.rn-schedule-table")
    # A table for each day with a Lancashire meeting (fewer when "tonight" falls on the monthly meeting's
    # Monday, or after midnight), and the key to the type codes.
    meetings = (directory.tonight, directory.later, directory.other_day, directory.monthly)
    assert tables.count() == len({day for meeting in meetings for day in meeting.weekdays}) + 1
    for table in tables.all():
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    codes = page.locator("main tr", has_text=directory.tonight.name).get_by_text("D O X")
    assert [c.inner_text() for c in codes.all() if c.is_visible()] == ["Types: D O X"]
    assert_no_axe_violations(page, path)
    page.emulate_media(media="print")
    headers = page.locator("main table.rn-schedule-table").first.locator("thead th")
    assert [h.inner_text() for h in headers.all() if h.is_visible()] == ["Time", "Meeting", "Where", "Types"]
    assert [c.inner_text() for c in codes.all() if c.is_visible()] == ["D O X"]


def test_monthly_meeting_calendar_file_has_a_monthly_rule(new_context, url, directory):
    page = new_context().new_page()
    response = page.request.get(url(reverse("directory:meeting_ics", kwargs={"slug": directory.monthly.slug})))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    text = response.text().replace("\r\n ", "")
    assert re.search(r"^RRULE:FREQ=MONTHLY;[^\r\n]*BYDAY=1MO\b", text, re.M), text
    assert re.search(r"^DTSTART;TZID=Europe/London:\d{8}T200000\r?$", text, re.M), text


def test_use_my_location_fills_the_search(new_context, url, directory):
    context = new_context(
        geolocation={"latitude": PRESTON_CENTRE[0], "longitude": PRESTON_CENTRE[1]}, permissions=["geolocation"]
    )
    page = context.new_page()
    open_page(page, url, reverse("directory:finder"))
    button = page.get_by_role("button", name="Use my location")
    assert button.is_visible()
    follow(page, button)
    assert "lat=53.76282" in page.url and "lng=-2.70452" in page.url, page.url
    main = page.locator("main#main-content")
    assert "of your location" in main.inner_text()
    assert directory.tonight.name in page.locator("main ul.rn-results > li").first.inner_text()


def test_use_my_location_is_hidden_without_javascript(new_context, url, directory):
    page = new_context(java_script_enabled=False).new_page()
    open_page(page, url, reverse("directory:finder"))
    assert page.get_by_role("button", name="Use my location").count() == 0


# --- axe-core on every new page --------------------------------------------------------


def reverse_any(name, *kwargs_options):
    """reverse() with the first set of kwargs the URL accepts (pages still being built)."""
    for kwargs in kwargs_options or ({},):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    pytest.fail(f"no URL named {name!r} (yet)")


PUBLIC_PAGES = [
    ("finder-empty", lambda d: reverse("directory:finder")),
    ("finder-results", lambda d: reverse("directory:finder") + "?where=Preston"),
    ("finder-error", lambda d: reverse("directory:finder") + "?where=Nowhere+Atlantis&distance=3000"),
    ("finder-services", lambda d: reverse("directory:finder") + "?show=services&where=Carlisle"),
    ("meeting", lambda d: d.tonight.get_absolute_url()),
    ("meeting-online", lambda d: d.monthly.get_absolute_url()),
    ("service", lambda d: d.service.get_absolute_url()),
    ("fellowship", lambda d: d.fellowship.get_absolute_url()),
    ("network-schedule", lambda d: reverse("directory:network_schedule", kwargs={"slug": d.lancashire.slug})),
    ("report-change", lambda d: reverse("directory:changes:report", kwargs={"slug": d.tonight.slug})),
    ("data-sources", lambda d: reverse_any("directory:data_sources")),
    ("network-with-meetings", lambda d: d.lancashire.get_absolute_url()),
]


def own(directory):
    return {"slug": directory.world.own_network.slug}


COORDINATOR_PAGES = [
    ("manage-meetings", lambda d: reverse("directory:manage:meeting_list", kwargs=own(d))),
    ("manage-meeting-new", lambda d: reverse("directory:manage:meeting_create", kwargs=own(d))),
    ("manage-meeting-edit", lambda d: reverse("directory:manage:meeting_edit", kwargs={"slug": d.own_meeting.slug})),
    ("manage-imports", lambda d: reverse_any("directory:imports:source_list", {}, own(d))),
    ("manage-import-source-new", lambda d: reverse("directory:imports:source_create", kwargs=own(d))),
    ("manage-import", lambda d: reverse("directory:imports:import", kwargs={"pk": feed_source(d).pk})),
    ("manage-service-edit", lambda d: service_part_url(d, "service_edit")),
    ("manage-service-schedule-edit", lambda d: service_part_url(d, "service_schedule_edit")),
    ("manage-service-contact-edit", lambda d: service_part_url(d, "service_contact_edit")),
    ("manage-service-location-remove", lambda d: service_part_url(d, "service_location_remove")),
]


def service_part_url(directory, name):
    """A coordinator's page for the service or one of its parts (an opening time and a contact are added first)."""
    service = directory.service
    schedule = service.schedules.get_or_create(
        byday="MO,WE", defaults={"service_at_location": service.service_at_locations.first()}
    )[0]
    contact = service.contacts.get_or_create(title="Duty worker")[0]
    parts = {"service_schedule_edit": schedule, "service_contact_edit": contact}
    part = parts.get(name, service.service_at_locations.first())
    kwargs = {"slug": service.slug} if name == "service_edit" else {"slug": service.slug, "pk": part.pk}
    return reverse(f"directory:manage:{name}", kwargs=kwargs)


def feed_source(directory):
    from recoverynet.directory.models import FeedSource

    return FeedSource.objects.get_or_create(
        network=directory.world.own_network,
        name="Cumbria intergroup feed",
        # A long address, as real intergroup feeds have: the page must still fit a phone.
        defaults={
            "default_fellowship": directory.fellowship,
            "url": "https://example.org/intergroups/cumbria-and-north-lancashire-area/meeting-guide-feed.json",
        },
    )[0]


FEED = [
    {  # changed: a new start time
        "name": "Carlisle Serenity",
        "slug": "carlisle-serenity",
        "day": 3,
        "time": "18:30",
        "location": "Carlisle Hub",
        "address": "5 Botchergate",
        "city": "Carlisle",
        "postal_code": "CA1 1QS",
        "country": "UK",
        "latitude": 54.891,
        "longitude": -2.931,
        "types": ["O"],
    },
    {  # added
        "name": "Penrith <b>Friday</b> Night",
        "slug": "penrith-friday-night",
        "day": 5,
        "time": "19:30",
        "location": "Penrith Methodist Church",
        "address": "Wordsworth Street",
        "city": "Penrith",
        "postal_code": "CA11 7QY",
        "country": "UK",
        "latitude": 54.6641,
        "longitude": -2.7524,
        "types": ["C", "X"],
    },
    {"name": "Broken row", "slug": "broken-row", "day": 9, "time": "25:61", "types": ["NOPE"]},  # rejected
]


def assert_no_axe_violations(page, path):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{path}\n{results.generate_report()}"


@pytest.mark.parametrize("path_for", [p for _, p in PUBLIC_PAGES], ids=[n for n, _ in PUBLIC_PAGES])
def test_public_directory_page_has_no_axe_violations(page, url, directory, path_for):
    path = path_for(directory)
    open_page(page, url, path)
    assert_no_axe_violations(page, path)


@pytest.mark.parametrize("path_for", [p for _, p in PUBLIC_PAGES], ids=[n for n, _ in PUBLIC_PAGES])
def test_public_directory_page_works_without_javascript(new_context, url, directory, path_for):
    path = path_for(directory)
    page = new_context(java_script_enabled=False).new_page()
    open_page(page, url, path)
    assert page.locator("main#main-content h1").count() == 1, path
    assert page.title().endswith("RecoveryNet")


@pytest.mark.parametrize("path_for", [p for _, p in COORDINATOR_PAGES], ids=[n for n, _ in COORDINATOR_PAGES])
def test_coordinator_directory_page_has_no_axe_violations(new_context, live_server, url, directory, path_for):
    page = signed_in_context(new_context, live_server, directory.world.users["network_coordinator"], {}).new_page()
    path = path_for(directory)
    open_page(page, url, path)
    assert "/accounts/" not in page.url, page.url
    assert_no_axe_violations(page, path)


MANAGE_PAGES_ON_A_PHONE = [
    *COORDINATOR_PAGES,
    ("audit-log", lambda d: reverse("core:audit_list")),
    ("manage-changes", lambda d: reverse("directory:manage:change_list")),
]


@pytest.mark.parametrize(
    "path_for", [p for _, p in MANAGE_PAGES_ON_A_PHONE], ids=[n for n, _ in MANAGE_PAGES_ON_A_PHONE]
)
def test_coordinator_page_fits_a_phone(new_context, live_server, url, directory, path_for):
    """Wide tables scroll in their own region and long values wrap: the page never scrolls sideways."""
    from recoverynet.core import audit

    long_link = "https://zoom.us/j/" + "1234567890" * 8
    audit.record(
        actor=directory.world.users["network_coordinator"],
        action="update",
        instance=directory.own_meeting,
        network=directory.own_meeting.network,
        changes={"conference_url": ["", long_link], "notes": ["(changed)", "(changed)"]},
    )
    page = signed_in_context(
        new_context, live_server, directory.world.users["network_coordinator"], {"viewport": PHONE}
    ).new_page()
    path = path_for(directory)
    open_page(page, url, path)
    assert "/accounts/" not in page.url, page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{path} is {width}px wide on a 375px phone"


def upload_feed(page, url, directory, content: bytes):
    open_page(page, url, reverse("directory:imports:import", kwargs={"pk": feed_source(directory).pk}))
    form = page.locator("main form", has=page.locator("input[type=file]"))
    upload = form.get_by_label("Upload a file")
    if upload.count():
        upload.check()
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "feed.json", "mimeType": "application/json", "buffer": content}]
    )
    follow(page, form.get_by_role("button", name="Check the feed"))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_coordinator_import_dry_run_report_works_and_has_no_axe_violations(
    new_context, live_server, url, directory, javascript
):
    import json

    page = signed_in_context(
        new_context, live_server, directory.world.users["network_coordinator"], {"java_script_enabled": javascript}
    ).new_page()
    upload_feed(page, url, directory, json.dumps(FEED).encode())
    main = page.locator("main#main-content")
    text = main.inner_text()
    assert "/runs/" in page.url, text
    assert "penrith-friday-night" in text or "Penrith <b>Friday</b> Night" in text, text
    assert main.locator("b", has_text="Friday").count() == 0  # hostile text never becomes markup
    assert "broken-row" in text or "Broken row" in text
    if javascript:  # axe-core runs as JavaScript in the page
        assert_no_axe_violations(page, page.url)
    # A feed that is not a JSON array is refused whole, with an error on the form.
    upload_feed(page, url, directory, b'{"not": "an array"}')
    assert page.locator(".govuk-error-summary").is_visible()
    if javascript:
        assert_no_axe_violations(page, page.url)


def test_coordinator_meeting_form_errors_have_no_axe_violations(new_context, live_server, url, directory):
    page = signed_in_context(new_context, live_server, directory.world.users["network_coordinator"], {}).new_page()
    path = reverse("directory:manage:meeting_create", kwargs={"slug": directory.world.own_network.slug})
    open_page(page, url, path)
    follow(page, page.locator("main form[method=post] button[type=submit]").first)
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_axe_violations(page, path + " (with errors)")
