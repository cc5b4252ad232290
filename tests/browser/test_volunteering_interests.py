"""A federation coordinator looks after the shared list of volunteering interests, in
Chromium at 375 px and at 1280 px, with JavaScript on and off: adds one, sees a
duplicate refused in the error summary, renames one, is told why one in use cannot
be removed, removes one nobody uses. Axe-clean (WCAG 2.2 AA) with JavaScript;
nothing scrolls sideways."""

import re

import pytest

from recoverynet.volunteering.demo import ensure_default_interests
from recoverynet.volunteering.factories import RoleFactory
from recoverynet.volunteering.models import Interest

from .checks import DESKTOP, PHONE, fits_and_passes_axe, follow, open_page, signed_in_context


def row(page, name):
    key = page.locator("dt").filter(has_text=re.compile(f"^{re.escape(name)}$"))
    return page.locator(".govuk-summary-list__row", has=key)


def open_details(row_locator):
    summary = row_locator.locator("summary")
    if row_locator.locator("details[open]").count() == 0:
        summary.click()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_federation_coordinator_looks_after_the_interests(
    new_context, live_server, url, world, javascript, size, tmp_path
):
    ensure_default_interests()
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement)
    role.interests.add(Interest.objects.get(name="Events"))
    user = world.users["federation_coordinator"]
    page = signed_in_context(new_context, live_server, user, {**size, "java_script_enabled": javascript}).new_page()
    main = page.locator("main")
    shot = tmp_path / "page"  # screenshots of the errors, to look at (--basetemp)

    open_page(page, url, "/volunteering/manage/")
    follow(page, page.get_by_role("link", name="Volunteering interests"))
    assert "1 published role" in row(page, "Events").inner_text()
    fits_and_passes_axe(page, javascript=javascript)

    # A name the list has in another case: refused, the summary links to the field.
    page.get_by_label("Name of the new interest").fill("  events ")
    follow(page, page.get_by_role("button", name="Add the interest"))
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "There is already an interest called Events" in summary.inner_text()
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_add-name"
    page.screenshot(path=f"{shot}-add-error.png", full_page=True)
    fits_and_passes_axe(page, javascript=javascript)

    page.get_by_label("Name of the new interest").fill("Bird watching")
    follow(page, page.get_by_role("button", name="Add the interest"))
    assert "Bird watching has been added to the list." in main.inner_text()
    fits_and_passes_axe(page, javascript=javascript)

    # Renaming to a name in use: the error in the summary and in the row, opened.
    birds = row(page, "Bird watching")
    open_details(birds)
    birds.get_by_label("New name for Bird watching").fill("Peer Support")
    follow(page, birds.get_by_role("button", name="Rename Bird watching"))
    summary = page.locator(".govuk-error-summary")
    assert "There is already an interest called Peer support" in summary.inner_text()
    field = row(page, "Bird watching").get_by_label("New name for Bird watching")
    assert field.is_visible() and field.input_value() == "Peer Support"
    page.screenshot(path=f"{shot}-rename-error.png", full_page=True)
    fits_and_passes_axe(page, javascript=javascript)
    field.fill("Birdwatching")
    follow(page, row(page, "Bird watching").get_by_role("button", name="Rename Bird watching"))
    assert "Bird watching is now called Birdwatching." in main.inner_text()
    fits_and_passes_axe(page, javascript=javascript)

    # In use: refused, saying by how many. Unused: removed.
    events = row(page, "Events")
    open_details(events)
    follow(page, events.get_by_role("button", name="Remove Events from the list"))
    assert "You cannot remove Events: 1 role is tagged with it." in main.inner_text()
    page.screenshot(path=f"{shot}-remove-refused.png", full_page=True)
    fits_and_passes_axe(page, javascript=javascript)
    birds = row(page, "Birdwatching")
    open_details(birds)
    follow(page, birds.get_by_role("button", name="Remove Birdwatching from the list"))
    assert "Birdwatching has been removed from the list." in main.inner_text()
    assert not Interest.objects.filter(name="Birdwatching").exists()
    assert Interest.objects.filter(name="Events").exists()
    fits_and_passes_axe(page, javascript=javascript)
