"""Recovery capital as a member uses it, in Chromium at 375 px, with and without
JavaScript: BARC-10 answered in two sittings, scored, then the journey page
with its chart and table; axe-clean on every page."""

import pytest

from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
from recoverynet.recoverycapital.services import load_shipped_instruments

from .checks import PHONE, axe_violations, follow, open_page, signed_in_context

ANSWERS = [6, 5, 4, 5, 6, 3, 4, 5, 5, 4]  # 47: at the cut-off


@pytest.fixture
def member(world):
    load_shipped_instruments()
    user = world.users["member"]
    ConsentRecord.objects.create(
        user=user, purpose=ConsentPurpose.OUTCOME_MEASUREMENT, granted=True, wording_version="test"
    )
    return user


def assert_axe_clean(page, javascript):
    if not javascript:
        return  # axe runs in the page's JavaScript; the JS run checks the same pages
    results = axe_violations(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_member_completes_barc10_and_sees_their_journey(new_context, live_server, url, member, javascript):
    page = signed_in_context(new_context, live_server, member, {**PHONE, "java_script_enabled": javascript}).new_page()
    open_page(page, url, "/recovery-capital/")
    assert_axe_clean(page, javascript)
    follow(page, page.get_by_role("link", name="Take a questionnaire"))
    page.get_by_label("BARC-10: Brief Assessment of Recovery Capital").check()
    assert_axe_clean(page, javascript)
    follow(page, page.get_by_role("button", name="Start"))
    for number, value in enumerate(ANSWERS[:4], start=1):
        page.locator(f"input[name=item_{number}][value='{value}']").check()
    follow(page, page.get_by_role("button", name="Save and finish later"))
    assert "Your answers are saved" in page.locator("main").inner_text()
    follow(page, page.get_by_role("link", name="Finish your BARC-10"))
    follow(page, page.get_by_role("button", name="Finish and see scores"))  # six left: errors, named
    assert "Answer this question" in page.locator(".govuk-error-summary").inner_text()
    assert_axe_clean(page, javascript)
    for number, value in enumerate(ANSWERS, start=1):
        page.locator(f"input[name=item_{number}][value='{value}']").check()
    follow(page, page.get_by_role("button", name="Finish and see scores"))
    main = page.locator("main").inner_text()
    assert "47" in main and "At or above the cut-off" in main
    assert_axe_clean(page, javascript)
    follow(page, page.get_by_role("link", name="See your journey"))
    assert page.locator("main svg").count() == 1
    assert "BARC-10 scores by date" in page.locator("main table").inner_text()
    assert_axe_clean(page, javascript)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
