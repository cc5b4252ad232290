"""The outcomes dashboard as the federation coordinator and a network coordinator
read it, in Chromium at phone (375 px) and desktop (1280 px) widths: axe-clean,
no sideways scrolling of the page, and the report's download page."""

import datetime

import pytest

from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership

from .checks import PHONE, axe_violations, follow, open_page, signed_in_context

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def assert_clean(page):
    results = axe_violations(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_dashboards_are_readable_and_accessible(new_context, live_server, url, world, size):
    Membership.objects.update(joined_at=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC))
    for _ in range(7):
        MembershipFactory(network=world.other_network)
    page = signed_in_context(new_context, live_server, world.users["federation_coordinator"], size).new_page()
    open_page(page, url, "/manage/outcomes/?quarter=2026Q3&quarters=8")
    main = page.locator("main").inner_text()
    assert "Federation outcomes" in main and "fewer than 5" in main and "not yet measured" in main
    assert_clean(page)
    follow(page, page.get_by_role("link", name="Cumbria: outcomes and report"))
    assert page.locator("h1").inner_text() == "Cumbria: outcomes"
    assert_clean(page)
    follow(page, page.get_by_role("link", name="Download the quarterly report for commissioners (CSV or PDF)"))
    assert_clean(page)

    page = signed_in_context(new_context, live_server, world.users["network_coordinator"], size).new_page()
    open_page(page, url, f"/manage/outcomes/networks/{world.own_network.slug}/")
    assert "Merseyside" not in page.locator("main").inner_text()
    assert_clean(page)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_commissioner_finds_and_reads_their_networks_outcomes(new_context, live_server, url, world, size):
    """From the page they land on after signing in (/me/) to the dashboard and the report's
    download page: axe-clean, no person named anywhere on the way."""
    page = signed_in_context(new_context, live_server, world.users["commissioner"], size).new_page()
    open_page(page, url, "/me/")
    assert_clean(page)
    follow(page, page.get_by_role("link", name="Cumbria: outcomes and quarterly report"))
    assert page.locator("h1").inner_text() == "Cumbria: outcomes"
    main = page.locator("main").inner_text()
    assert "Merseyside: outcomes" not in main and "Change the savings assumptions" not in main
    for name in ("Member", "Host", "Coordinator", "Professional"):
        assert name not in main.split(), name
    assert_clean(page)
    follow(page, page.get_by_role("link", name="Download the quarterly report for commissioners (CSV or PDF)"))
    assert_clean(page)
    open_page(page, url, "/manage/")
    assert "Your access as a commissioner" in page.locator("main").inner_text()
    assert_clean(page)
