"""Members' reports in Chromium, at phone and desktop widths: a member reports a pitch on the shared
"Report this" page; the coordinator follows the count on /manage/ to the queue of every app's reports
and on to each app's page for closing them. Every page axe-clean, none wider than the screen."""

import pytest

from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.timebank import services as timebank

from .checks import PHONE, axe_violations, follow, open_page, signed_in_context

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def assert_clean(page):
    results = axe_violations(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_report_reaches_the_coordinators_queue(new_context, live_server, url, world, size):
    pitch = PublishedPitchFactory(network=world.own_network, title="Sunday café")
    timebank.report_to_coordinators(
        actor=world.users["professional"],
        network=world.own_network,
        reason="harassment",
        member=world.users["settlement_host"],
    )

    page = signed_in_context(new_context, live_server, world.users["member"], size).new_page()
    open_page(page, url, f"/initiatives/pitches/{pitch.pk}/report/")
    assert page.locator("h1").inner_text() == "Report this pitch"
    assert_clean(page)
    follow(page, page.get_by_role("button", name="Send the report"))
    assert "There is a problem" in page.locator("main").inner_text()
    assert_clean(page)
    page.get_by_label("Spam or advertising").check()
    follow(page, page.get_by_role("button", name="Send the report"))
    assert "Thank you" in page.locator("main").inner_text()

    page = signed_in_context(new_context, live_server, world.users["network_coordinator"], size).new_page()
    open_page(page, url, "/manage/")
    follow(page, page.get_by_role("link", name="2 reports waiting for a review"))
    assert page.locator("h1").inner_text() == "Reports waiting for a review"
    main = page.locator("main").inner_text()
    assert "Time bank" in main and "Initiatives" in main and "Pitch: Sunday café" in main
    assert_clean(page)
    follow(page, page.get_by_role("link", name=world.users["settlement_host"].display_name))
    assert page.locator("h1").inner_text().startswith("Report #")
    assert_clean(page)
    page.go_back()
    follow(page, page.get_by_role("link", name="Pitch: Sunday café"))
    assert page.locator("h1").inner_text() == "Reports of pitches and updates"
    assert_clean(page)
