"""Issue 13 item 5 in a real browser: every map draws the bundled base map (coast, borders, town
names) with nothing fetched from any host but the site's own; pins are 32 px targets that never
overlap, close pins become one numbered pin, and axe (with target-size) passes with the map on.
Without JavaScript the map stays hidden and the list is the content. Screenshots at 375 and 1280 px
go to /tmp/finder-map-shots/ for a person to look at."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from recoverynet.directory.factories import LocationFactory, MeetingFactory

from .test_directory import AXE_OPTIONS, directory, mg_day, open_page  # noqa: F401 (the fixture)

SHOTS = Path(os.environ.get("FINDER_MAP_SHOTS", "/tmp/finder-map-shots"))  # noqa: S108 (for people to look at)
WIDTHS = {"375px": {"width": 375, "height": 800}, "1280px": {"width": 1280, "height": 900}}
MIN_TARGET = 24


@pytest.fixture
def map_pages(directory):  # noqa: F811
    """The pages with maps, and a second meeting next door to tonight's (a few hundred metres away:
    two pins the finder does not merge, which the map must cluster)."""
    tonight = directory.tonight
    next_door = LocationFactory(
        network=tonight.network,
        name="St John's Centre",
        address="3 Church Row",
        town="Preston",
        postcode="PR1 3BN",
        latitude="53.76050",
        longitude="-2.69650",
    )
    MeetingFactory(
        network=tonight.network,
        fellowship=tonight.fellowship,
        location=next_door,
        name="Church Row Recovery",
        slug="church-row-recovery",
        start_time=tonight.start_time,
        days=[mg_day(directory.start.date())],
    )
    return {
        "home": "/",
        "network": directory.world.own_network.get_absolute_url(),
        "finder": "/meetings/?where=Preston",
        "meeting": tonight.get_absolute_url(),
    }


def wait_for_map(page):
    page.wait_for_selector(".rn-map[data-base-map-drawn] .leaflet-marker-pane .leaflet-marker-icon")
    page.wait_for_selector(".rn-map .rn-map__town-name")
    page.wait_for_load_state("networkidle")


def boxes(locator):
    return [box for box in (item.bounding_box() for item in locator.all()) if box is not None]


def overlap(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def assert_map_drawn_with_usable_pins(page, what):
    themap = page.locator(".rn-map").first
    assert themap.is_visible(), what
    # The base map: filled land and lines for the coast and borders, as SVG paths.
    paths = themap.locator(".leaflet-overlay-pane svg path")
    assert paths.count() >= 5, f"{what}: {paths.count()} base map paths"
    # Leaflet clips shapes to the view and leaves "M0 0" for a shape that is not in it.
    drawn = [d for d in (p.get_attribute("d") for p in paths.all()) if d and "L" in d]
    assert drawn, f"{what}: the base map's paths are empty"
    assert themap.locator(".rn-map__town-name").count() >= 1, f"{what}: no town names"
    assert "Natural Earth" in themap.locator(".leaflet-control-attribution").inner_text()
    # Pins and numbered cluster pins: at least 24 x 24 px, none on top of another.
    targets = boxes(themap.locator(".leaflet-marker-pane .leaflet-marker-icon"))
    assert targets, f"{what}: no pins"
    for box in targets:
        assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, (what, box)
    for i, a in enumerate(targets):
        for b in targets[i + 1 :]:
            assert not overlap(a, b), (what, a, b)
    return themap


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_maps_draw_the_bundled_base_map_with_usable_pins(new_context, url, live_server, map_pages, width):
    width_name = f"{width['width']}px"
    page = new_context(viewport=width).new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    console_errors = []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in map_pages.items():
        open_page(page, url, path)
        wait_for_map(page)
        themap = assert_map_drawn_with_usable_pins(page, f"{name} at {width_name}")
        if name in ("home", "finder"):
            # Home: the test networks share a place, as do their settlements. Finder: tonight's
            # meeting and the one next door.
            assert themap.locator(".rn-map__cluster").count() >= 1, f"{name}: close pins are not clustered"
        themap.scroll_into_view_if_needed()
        themap.screenshot(path=str(SHOTS / f"{name}-{width_name}-map.png"))
        page.screenshot(path=str(SHOTS / f"{name}-{width_name}-page.png"), full_page=True)
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{path} at {width_name}\n{results.generate_report()}"
    site = urlsplit(live_server.url).netloc
    elsewhere = [u for u in requested if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != site]
    assert elsewhere == [], elsewhere
    assert any(u.endswith(".geojson") for u in requested), "the base map was not fetched from the site"
    assert console_errors == [], console_errors


def test_map_pins_work_from_the_keyboard(new_context, url, map_pages):
    page = new_context(viewport=WIDTHS["1280px"]).new_page()
    open_page(page, url, map_pages["finder"])
    wait_for_map(page)
    themap = page.locator(".rn-map").first
    pin = themap.get_by_role("button", name=re.compile(r"^Church Row Recovery"))
    clusters = themap.get_by_role("button", name=re.compile(r"^\d+ places close together"))
    for _ in range(4):  # each Enter on a numbered pin zooms in to the places in it
        if pin.count():
            break
        clusters.first.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)  # the zoom animation
    pin.wait_for()
    assert_map_drawn_with_usable_pins(page, "finder after opening the cluster")
    pin.focus()
    page.keyboard.press("Enter")
    popup_link = themap.locator(".leaflet-popup-content").get_by_role("link", name="Church Row Recovery")
    popup_link.wait_for()
    assert popup_link.get_attribute("href") == "/meetings/church-row-recovery/"


def test_without_javascript_the_list_is_the_content(new_context, url, map_pages):
    page = new_context(java_script_enabled=False, viewport=WIDTHS["375px"]).new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, url, map_pages["finder"])
    assert not page.locator(".rn-map").first.is_visible()
    assert page.get_by_text("The map needs JavaScript.").first.is_visible()
    assert page.locator("main ul.rn-results").get_by_role("link", name="Church Row Recovery").is_visible()
    assert not any(u.endswith((".geojson", "leaflet.js", "leaflet.markercluster.js")) for u in requested), requested


def test_configured_tiles_replace_the_bundled_base_map(new_context, url, map_pages, settings):
    settings.MAP_TILE_URL = "/static/recoverynet/map/tiles/{z}/{x}/{y}.png"  # same site; none exist
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"
    page = new_context(viewport=WIDTHS["1280px"]).new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, url, map_pages["network"])
    themap = page.locator(".rn-map").first
    themap.locator(".leaflet-tile-pane img.leaflet-tile").first.wait_for(state="attached")
    themap.locator(".leaflet-marker-pane .leaflet-marker-icon").first.wait_for()
    assert "Example tiles" in themap.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" not in themap.locator(".leaflet-control-attribution").inner_text()
    assert not any(u.endswith(".geojson") for u in requested), requested
    assert any("/static/recoverynet/map/tiles/" in u for u in requested), requested
