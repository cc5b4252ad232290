"""The time bank as a member uses it, in Chromium: at phone and desktop widths,
with and without JavaScript, axe-clean on every page of the journey."""

import pytest

from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory

from .checks import PHONE, axe_violations, follow, open_page, signed_in_context

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def member(world):
    user = world.users["member"]
    account = services.open_member_account(actor=user, user=user, network=world.own_network)
    friend = MemberAccountFactory(network=world.own_network, user__display_name="Alex R.")
    services.record_exchange(
        actor=friend.user, giver=friend, receiver=account, minutes=45, description="Tea and a chat"
    )
    return user, account


def assert_axe_clean(page, javascript=True):
    """axe runs in the page's JavaScript: with it off, the same pages are checked in the JS runs."""
    if not javascript:
        return
    results = axe_violations(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_confirm_time_received_then_record_time_given(new_context, live_server, url, member, size, javascript):
    user, account = member
    page = signed_in_context(new_context, live_server, user, {**size, "java_script_enabled": javascript}).new_page()
    open_page(page, url, "/timebank/")
    assert_axe_clean(page, javascript)
    follow(page, page.get_by_role("link", name="45 min from Alex R.: Tea and a chat"))
    assert_axe_clean(page, javascript)
    follow(page, page.get_by_role("button", name="Confirm 45 min"))
    assert "You confirmed 45 min from Alex R." in page.locator("main").inner_text()
    follow(page, page.get_by_role("link", name="Record time you gave in Cumbria"))
    follow(page, page.get_by_role("button", name="Record time"))  # nothing filled in: errors, named
    assert "Choose who you gave time to" in page.locator(".govuk-error-summary").inner_text()
    assert_axe_clean(page, javascript)
    page.select_option("select[name=receiver]", label="Alex R.")
    page.fill("input[name=hours]", "1")
    page.fill("input[name=description]", "Lift to a meeting")
    follow(page, page.get_by_role("button", name="Record time"))
    assert "It counts once they confirm it." in page.locator("main").inner_text()
    follow(page, page.get_by_role("link", name="Statement for Cumbria"))
    assert "Balance: −45 min" in page.locator("main").inner_text()  # received 45; the hour given waits
    assert_axe_clean(page, javascript)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
