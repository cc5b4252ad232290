"""The time bank's consent and coordinators' pages in Chromium, on a phone, with
and without JavaScript: a member joins (agreeing to what is shared) and leaves;
a coordinator credits a group activity of 12 people × 2 h and reads the report.
Axe-clean with JavaScript; no page scrolls sideways at 375 px."""

import pytest

from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Account, Transaction

from .checks import PHONE, axe_violations, follow, open_page, signed_in_context


def check(page, javascript):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"
    if javascript:
        results = axe_violations(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_member_joins_with_consent_and_leaves(new_context, live_server, url, world, javascript):
    member = world.users["member"]
    page = signed_in_context(new_context, live_server, member, {**PHONE, "java_script_enabled": javascript}).new_page()
    open_page(page, url, "/timebank/")
    follow(page, page.get_by_role("link", name="Join the Cumbria time bank"))
    check(page, javascript)
    follow(page, page.get_by_role("button", name="Join the time bank"))  # not agreed: a named error
    assert "tick “I agree”" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("I agree").check()
    follow(page, page.get_by_role("button", name="Join the time bank"))
    assert "You have joined the Cumbria time bank." in page.locator("main").inner_text()
    follow(page, page.get_by_role("link", name="Leave the time bank of Cumbria"))
    check(page, javascript)
    follow(page, page.get_by_role("button", name="Leave the time bank"))
    assert "Your balance is kept." in page.locator("main").inner_text()
    assert not Account.objects.get(user=member).is_open


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_coordinator_credits_a_group_activity_and_reads_the_report(new_context, live_server, url, world, javascript):
    coordinator = world.users["network_coordinator"]
    for number in range(12):
        MemberAccountFactory(network=world.own_network, user__display_name=f"Volunteer {number:02}")
    services.open_holder_account(actor=coordinator, network=world.own_network, organisation=world.own_organisation)
    page = signed_in_context(
        new_context, live_server, coordinator, {**PHONE, "java_script_enabled": javascript}
    ).new_page()
    open_page(page, url, "/timebank/")
    follow(page, page.get_by_role("link", name="Manage the Cumbria time bank"))
    check(page, javascript)
    follow(page, page.get_by_role("link", name="Record a group activity"))
    check(page, javascript)
    page.select_option("select[name=payer]", label="Eden Recovery (organisation)")
    page.fill("input[name=description]", "Community clean-up")
    page.fill("input[name=hours]", "2")
    for number in range(12):
        page.get_by_label(f"Volunteer {number:02}").check()
    follow(page, page.get_by_role("button", name="Record the activity"))
    assert "Recorded 12 people × 2 h." in page.locator("main").inner_text()
    assert Transaction.objects.get().postings.count() == 13
    follow(page, page.get_by_role("link", name="Report: hours, people and social value"))
    text = page.locator("main").inner_text()
    assert "24.0" in text and "Assumption: each hour is worth £" in text
    check(page, javascript)
