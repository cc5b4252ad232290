"""Recovery capital as a member uses it, in Chromium at 375 px, with and without
JavaScript: BARC-10 answered in two sittings, scored, then the journey page
with its chart and table; axe-clean on every page."""

import pytest
from allauth.account.models import EmailAddress

from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
from recoverynet.recoverycapital.services import load_shipped_instruments

from .checks import PHONE, axe_violations, open_page
from .test_timebank import PASSWORD, sign_in

ANSWERS = [6, 5, 4, 5, 6, 3, 4, 5, 5, 4]  # 47: at the cut-off


@pytest.fixture
def member(world):
    load_shipped_instruments()
    user = world.users["member"]
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
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
def test_member_completes_barc10_and_sees_their_journey(new_context, url, member, javascript):
    page = new_context(**PHONE, java_script_enabled=javascript).new_page()
    sign_in(page, url, member)
    open_page(page, url, "/recovery-capital/")
    assert_axe_clean(page, javascript)
    page.get_by_role("link", name="Take a questionnaire").click()
    page.get_by_label("BARC-10: Brief Assessment of Recovery Capital").check()
    assert_axe_clean(page, javascript)
    page.get_by_role("button", name="Start").click()
    for number, value in enumerate(ANSWERS[:4], start=1):
        page.locator(f"input[name=item_{number}][value='{value}']").check()
    page.get_by_role("button", name="Save and finish later").click()
    assert "Your answers are saved" in page.locator("main").inner_text()
    page.get_by_role("link", name="Finish your BARC-10").click()
    page.get_by_role("button", name="Finish and see scores").click()  # six left: errors, named
    assert "Answer this question" in page.locator(".govuk-error-summary").inner_text()
    assert_axe_clean(page, javascript)
    for number, value in enumerate(ANSWERS, start=1):
        page.locator(f"input[name=item_{number}][value='{value}']").check()
    page.get_by_role("button", name="Finish and see scores").click()
    main = page.locator("main").inner_text()
    assert "47" in main and "At or above the cut-off" in main
    assert_axe_clean(page, javascript)
    page.get_by_role("link", name="See your journey").click()
    assert page.locator("main svg").count() == 1
    assert "BARC-10 scores by date" in page.locator("main table").inner_text()
    assert_axe_clean(page, javascript)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
