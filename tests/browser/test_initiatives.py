"""A community idea on a phone (375 px), in Chromium: a member pitches it (the
live reading-time counter), publishes it; another member supports it and
pledges time; the public page shows the pledge against what it needs.
axe-clean on every page of the journey, and the same without JavaScript."""

import pytest

from recoverynet.initiatives.models import Pitch

from .checks import PHONE, axe_violations, follow, open_page, signed_in_context


def assert_clean(page, javascript):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], page.url
    if javascript:  # axe runs in the page's JavaScript: the JS run checks the same pages
        results = axe_violations(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_member_pitches_another_supports_and_pledges(new_context, live_server, url, world, javascript):
    author, supporter = world.users["member"], world.users["professional"]
    size = {**PHONE, "java_script_enabled": javascript}

    page = signed_in_context(new_context, live_server, author, size).new_page()
    open_page(page, url, "/")
    follow(page, page.get_by_role("link", name="See the ideas"))
    assert_clean(page, javascript)
    follow(page, page.get_by_role("button", name="Pitch an idea"))  # a link styled as a button
    follow(page, page.get_by_role("button", name="Save as a draft"))  # nothing filled in: errors, named
    assert "Enter a title" in page.locator(".govuk-error-summary").inner_text()
    assert_clean(page, javascript)
    page.select_option("select[name=network]", label="Cumbria")
    page.fill("input[name=title]", "Sunday recovery café")
    page.select_option("select[name=theme]", label="Food")
    page.fill("textarea[name=problem]", "Sundays are the loneliest day.")
    page.fill("textarea[name=idea]", "A café run by people in recovery.")
    page.fill("textarea[name=who_for]", "Anyone in recovery, and their families.")
    page.fill("textarea[name=pitch_text]", " ".join(["word"] * 450))
    if javascript:
        counter = page.locator("#id_pitch_text-reading-time")
        assert counter.inner_text() == "450 of 600 words: about 2 minutes 15 seconds to read."
    page.fill("input[name=needs_hours]", "40")
    follow(page, page.get_by_role("button", name="Save as a draft"))
    assert "saved as a draft" in page.locator("main").inner_text()
    assert_clean(page, javascript)
    follow(page, page.get_by_role("button", name="Publish or withdraw"))
    page.get_by_label("Publish it").check()
    follow(page, page.get_by_role("button", name="Continue"))
    assert "The pitch is now published" in page.locator("main").inner_text()
    pitch = Pitch.objects.get()

    other = signed_in_context(new_context, live_server, supporter, size).new_page()
    open_page(other, url, "/initiatives/")
    follow(other, other.get_by_role("link", name="Sunday recovery café"))
    assert_clean(other, javascript)
    follow(other, other.get_by_role("button", name="Support this pitch"))
    assert "you support this pitch" in other.locator("main").inner_text()
    follow(other, other.get_by_role("link", name="Pledge time, a skill, a space or equipment"))
    assert_clean(other, javascript)
    other.get_by_label("Hours of time").check()
    other.fill("input[name=hours]", "150")
    follow(other, other.get_by_role("button", name="Pledge"))
    assert "at most 100 hours" in other.locator(".govuk-error-summary").inner_text()
    other.fill("input[name=hours]", "15")
    follow(other, other.get_by_role("button", name="Pledge"))
    main = other.locator("main").inner_text()
    assert "1 member supports this pitch" in main and "40 needed, 15 pledged, 25 still needed" in main
    assert_clean(other, javascript)
    assert pitch.pledges.get().hours == 15


def test_an_initiatives_public_page_and_its_management_page_on_a_phone(new_context, live_server, url, world):
    import datetime

    from recoverynet.initiatives import services
    from recoverynet.initiatives.models import Initiative, TeamMember

    lead = world.users["member"]
    initiative = Initiative.objects.create(
        network=world.own_network,
        name="Sunday café",
        summary="A café.",
        started_on="2026-07-01",
        kind="social_enterprise",
        legal_form="cic",
    )
    TeamMember.objects.create(initiative=initiative, user=lead, role="lead")
    root = services.add_result(actor=lead, initiative=initiative, title="Runs for a year")
    leaf = services.add_result(actor=lead, initiative=initiative, title="52 sessions", parent=root, weight=2)
    services.set_result_progress(actor=lead, result=leaf, progress=25)
    services.add_milestone(actor=lead, initiative=initiative, title="Open", due_on=datetime.date(2026, 9, 1))
    services.post_update(actor=lead, initiative=initiative, text="We opened.")
    from recoverynet.initiatives.models import COMPONENT_NAMES, CoproductionAssessment

    for when, values in (("2026-07-01", (1, 2)), ("2026-11-01", (3, 4))):
        for value in values:
            CoproductionAssessment.objects.create(
                initiative=initiative, taken_on=when, **dict.fromkeys(COMPONENT_NAMES, value)
            )
    page = new_context(**PHONE).new_page()
    open_page(page, url, initiative.get_absolute_url())
    assert "25%" in page.locator("main").inner_text()
    assert page.locator("svg[role=img] polygon").count() == 6  # four rings, first and latest
    assert_clean(page, True)
    page = signed_in_context(new_context, live_server, lead, PHONE).new_page()
    open_page(page, url, f"/initiatives/projects/{initiative.pk}/manage/")
    assert_clean(page, True)
    follow(page, page.locator("form", has=page.locator("input[value=update]")).get_by_role("button"))
    assert "Write the update" in page.locator(".govuk-error-summary").inner_text()
    assert_clean(page, True)
