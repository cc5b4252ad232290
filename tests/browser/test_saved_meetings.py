"""Issue 13, items 6 to 8 in a real browser at 375 px: "my meetings" kept in the browser only (saved,
listed, removed, and never sent anywhere), directions and the help line without JavaScript, and
axe finds nothing. Screenshots of the meeting page and the finder at 375 and 1280 px go to
/tmp/finder-phone-shots/ for a person to look at."""

import json
import os
from pathlib import Path
from urllib.parse import quote, quote_plus

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from .checks import follow
from .test_directory import AXE_OPTIONS, PHONE, directory, open_page  # noqa: F401 (the fixture)

SHOTS = Path(os.environ.get("FINDER_PHONE_SHOTS", "/tmp/finder-phone-shots"))  # noqa: S108 (for people to look at)
DESKTOP = {"width": 1280, "height": 900}
KEY = "recoverynet.savedMeetings"


def assert_axe_clean(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def record_requests(page):
    """Every request the page makes: its URL, headers and body, to look for the saved data in."""
    seen = []

    def on_request(request):
        seen.append(" ".join([request.url, json.dumps(request.headers), request.post_data or ""]))

    page.on("request", on_request)
    return seen


def test_save_a_meeting_see_it_and_remove_it_in_this_browser_only(new_context, url, directory):  # noqa: F811
    meeting = directory.tonight
    context = new_context(viewport=PHONE)
    page = context.new_page()
    requests = record_requests(page)
    open_page(page, url, meeting.get_absolute_url())
    actions = page.locator("main [data-meeting-actions]")
    save = actions.get_by_role("button", name="Save to my meetings")
    save.wait_for()
    assert_axe_clean(page)
    save.click()
    assert actions.get_by_role("button", name="Remove from my meetings").get_attribute("aria-pressed") == "true"
    assert "Saved to your meetings" in actions.inner_text()
    stored = page.evaluate(f"localStorage.getItem('{KEY}')")
    assert meeting.name in stored and meeting.get_absolute_url() in stored
    # Share appears only where the browser offers it; "Copy link" where the clipboard can be written.
    has_share = page.evaluate("typeof navigator.share === 'function'")
    assert actions.locator("[data-share]").is_visible() == has_share
    assert_axe_clean(page)

    follow(page, actions.get_by_role("link", name="See my meetings"))
    assert page.url.endswith(reverse("directory:saved_meetings"))
    main = page.locator("main")
    assert not main.get_by_text("Saving meetings needs JavaScript").is_visible()
    item = main.locator("[data-saved-items] li")
    assert item.count() == 1
    assert item.get_by_role("link", name=meeting.name).get_attribute("href") == meeting.get_absolute_url()
    assert "Every" in item.inner_text()
    assert_axe_clean(page)
    shot(page, "saved-375")

    item.get_by_role("button", name=f"Remove {meeting.name}").click()
    assert main.locator("[data-saved-items] li").count() == 0
    assert main.get_by_text("You have not saved any meetings in this browser yet").is_visible()
    assert f"Removed {meeting.name}." in main.inner_text()
    assert page.evaluate(f"localStorage.getItem('{KEY}')") == "[]"
    assert_axe_clean(page)

    # Nothing saved ever left the browser: not in a request's address, headers or body, nor in a cookie.
    page.wait_for_load_state("networkidle")
    assert requests, "the requests were not recorded"
    for needle in (KEY, meeting.name, quote(meeting.name), quote_plus(meeting.name)):
        assert not [request for request in requests if needle in request], needle
    assert all(meeting.name not in cookie["value"] for cookie in context.cookies())


def test_without_javascript_the_meeting_page_gives_directions_and_help_and_no_save(new_context, url, directory):  # noqa: F811
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    open_page(page, url, directory.tonight.get_absolute_url())
    main = page.locator("main")
    assert main.get_by_role("heading", name="Get directions").is_visible()
    directions = main.locator("[data-directions] a")
    assert directions.count() == 4
    hrefs = [directions.nth(i).get_attribute("href") for i in range(4)]
    assert hrefs[0].startswith("geo:") and "maps.apple.com/?daddr=" in hrefs[1]
    assert "google.com/maps/dir/?api=1&destination=" in hrefs[2] and "openstreetmap.org/directions" in hrefs[3]
    help_now = main.locator("[data-help-now]")
    assert help_now.is_visible() and "Samaritans" in help_now.inner_text() and "999" in help_now.inner_text()
    assert help_now.get_by_role("link", name="116 123").get_attribute("href") == "tel:116123"
    assert not main.get_by_role("button", name="Save to my meetings").is_visible()
    assert not main.get_by_role("button", name="Share").is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], scroll_width

    open_page(page, url, reverse("directory:saved_meetings"))
    assert page.locator("main").get_by_text("Saving meetings needs JavaScript").is_visible()
    assert page.locator("main").get_by_text("bookmark its page").is_visible()


def test_screenshots_of_the_meeting_page_and_the_finder(new_context, url, directory):  # noqa: F811
    """For a person to look at (and no sideways scrolling on a phone); axe-clean at both widths."""
    online = directory.monthly  # in person in Leyland and on Zoom
    for label, viewport in (("375", PHONE), ("1280", DESKTOP)):
        page = new_context(viewport=viewport).new_page()
        for name, path in (
            ("meeting", directory.tonight.get_absolute_url()),
            ("meeting-hybrid", online.get_absolute_url()),
            ("finder", reverse("directory:finder") + "?where=PR1+3BQ"),
            ("finder-km", reverse("directory:finder") + "?where=PR1+3BQ&units=km"),
        ):
            open_page(page, url, path)
            page.wait_for_load_state("networkidle")
            shot(page, f"{name}-{label}")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (name, label)
            assert_axe_clean(page)
        if label == "375":
            page.goto(url(online.get_absolute_url()))
            assert page.locator("main").get_by_role("link", name="Join on Zoom").is_visible()
