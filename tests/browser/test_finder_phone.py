"""Issue 13 in a real browser: on a 375 px phone, JavaScript on and off, a person goes from the home
page to tonight's next in-person meeting near a postcode in at most 4 taps, each tap's target on the
screen they are looking at (no scrolling); the pages on the way are axe-clean. Screenshots of every
step go to /tmp/finder-shots/ for a person to look at."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from .checks import follow
from .test_directory import AXE_OPTIONS, PHONE, directory, open_page  # noqa: F401 (the fixture)

SHOTS = Path(os.environ.get("FINDER_SHOTS", "/tmp/finder-shots"))  # noqa: S108 (screenshots, for people to look at)
MAX_TAPS = 4


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def assert_on_first_screen(page, locator, what):
    """The element is on the screen as the page opened (no scrolling needed to tap it)."""
    box = locator.bounding_box()
    assert box is not None, f"{what} is not shown"
    scrolled = page.evaluate("window.scrollY")
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"] and scrolled == 0, (what, box, scrolled)


def assert_axe_clean(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_phone_journey_home_to_tonights_meeting_near_a_postcode(new_context, url, directory, javascript):  # noqa: F811
    label = "js" if javascript else "nojs"
    page = new_context(viewport=PHONE, java_script_enabled=javascript).new_page()
    taps = 0
    open_page(page, url, "/")
    shot(page, f"{label}-1-home")
    where = page.locator("main form[data-home-finder]").get_by_label("Find a meeting or support near you")
    assert_on_first_screen(page, where, "the home page's place box")
    where.click()
    taps += 1
    where.fill("pr1 3bq")  # typed, not tapped: any case and spacing
    search = page.locator("main form[data-home-finder]").get_by_role("button", name="Search")
    assert_on_first_screen(page, search, "the home page's Search button")
    follow(page, search)
    taps += 1
    assert "/meetings/" in page.url and "where=pr1" in page.url, page.url
    shot(page, f"{label}-2-results")
    first = page.locator("main ul.rn-results > li").first
    assert directory.tonight.name in first.inner_text(), page.locator("main").inner_text()
    link = first.get_by_role("link", name=directory.tonight.name)
    assert_on_first_screen(page, link, "tonight's first meeting")
    assert re.search(r"within \d+ (miles|km) of PR1", page.locator("main").inner_text())
    follow(page, link)
    taps += 1
    assert page.url.endswith(directory.tonight.get_absolute_url()), page.url
    assert page.locator("main h1").inner_text().strip() == directory.tonight.name
    shot(page, f"{label}-3-meeting")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    shot(page, f"{label}-4-meeting-end")
    assert taps <= MAX_TAPS


def test_finder_search_first_on_a_phone(new_context, url, directory):  # noqa: F811
    for javascript in (True, False):
        label = "js" if javascript else "nojs"
        page = new_context(viewport=PHONE, java_script_enabled=javascript).new_page()
        open_page(page, url, reverse("directory:finder"))
        shot(page, f"{label}-finder-first-screen")
        form = page.locator("main form[data-finder-form]")
        assert_on_first_screen(page, form.get_by_label("Town or postcode"), "the place box")
        assert_on_first_screen(page, form.get_by_role("button", name="Search", exact=True), "Search")
        if javascript:
            assert_on_first_screen(page, form.get_by_role("button", name="Use my location"), "Use my location")
        more = form.locator("details[data-more-filters]")
        assert more.get_attribute("open") is None
        assert not form.get_by_label("Day", exact=True).is_visible()
        more.locator("> summary").click()  # works without JavaScript: a <details>
        assert form.get_by_label("Day", exact=True).is_visible()
        shot(page, f"{label}-finder-more-filters")
        if javascript:
            assert_axe_clean(page)


@pytest.mark.parametrize(
    "path",
    ["/meetings/?where=Bristol", "/meetings/?where=zzzz", "/meetings/?where=PR1+3BQ&day=today"],
    ids=["outside", "unknown", "today"],
)
def test_finder_answers_are_axe_clean(page, url, directory, path):  # noqa: F811
    page.set_viewport_size(PHONE)
    open_page(page, url, path)
    shot(page, "answer-" + re.sub(r"[^a-z0-9]+", "-", path.split("?")[1].lower()))
    assert_axe_clean(page)
