"""A member chooses, then changes, their time on a flexible shift from their
volunteering page, and an organiser sets it from the shift's page, in Chromium at
375 px and 1280 px, with JavaScript on and off: a time outside the window is
refused with an error summary; a good one is saved and the other party emailed.
Axe-clean (WCAG 2.2 AA) with JavaScript; nothing scrolls sideways."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory
from recoverynet.volunteering.models import SignUp

from .checks import DESKTOP, PHONE, fits_and_passes_axe, follow, open_page, signed_in_context


@pytest.fixture
def setting(world):
    role = RoleFactory(
        network=world.own_network, settlement=world.own_settlement, title="Allotment helper", early_recovery="yes"
    )
    first = timezone.localdate() + datetime.timedelta(days=7)
    zone = timezone.get_current_timezone()
    shift = services.create_shift(
        actor=world.users["settlement_host"],
        role=role,
        kind="flexible",
        starts_at=datetime.datetime.combine(first, datetime.time(9), tzinfo=zone),
        ends_at=datetime.datetime.combine(first + datetime.timedelta(days=3), datetime.time(17), tzinfo=zone),
        day_starts=datetime.time(9),
        day_ends=datetime.time(17),
        expected_minutes=120,
        expected_per="total",
        places=3,
    )
    signup = services.sign_up(actor=world.users["member"], shift=shift)
    return {"shift": shift, "signup": signup, "first": first, "users": world.users}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_member_chooses_their_time_and_an_organiser_changes_it(
    new_context, live_server, url, setting, javascript, size
):
    options = {**size, "java_script_enabled": javascript}
    day = setting["first"] + datetime.timedelta(days=1)
    page = signed_in_context(new_context, live_server, setting["users"]["member"], options).new_page()
    main = page.locator("main")
    open_page(page, url, "/volunteering/mine/")
    follow(page, page.get_by_role("link", name="Choose or change your time").first)
    assert "No time is chosen yet" in main.inner_text()
    fits_and_passes_axe(page, javascript=javascript)

    page.get_by_label("Day").fill(f"{day.day} {day.month} {day.year}")
    page.get_by_label("From").fill("18:00")
    page.get_by_label("Until").fill("19:00")
    follow(page, page.get_by_role("button", name="Save the time"))
    assert (
        page.title().startswith("Error: ") and "within the window" in page.locator(".govuk-error-summary").inner_text()
    )
    fits_and_passes_axe(page, javascript=javascript)
    assert SignUp.objects.get(pk=setting["signup"].pk).chosen_starts_at is None

    page.get_by_label("From").fill("10:00")
    page.get_by_label("Until").fill("12:00")
    follow(page, page.get_by_role("button", name="Save the time"))
    assert "The time is saved" in main.inner_text() and "Your time:" in main.inner_text()
    fits_and_passes_axe(page, javascript=javascript)
    assert [m.to for m in mail.outbox] == [[setting["users"]["settlement_host"].email]]

    host = signed_in_context(new_context, live_server, setting["users"]["settlement_host"], options).new_page()
    open_page(host, url, f"/volunteering/manage/shifts/{setting['shift'].pk}/")
    follow(host, host.get_by_role("link", name="Set their time").first)
    fits_and_passes_axe(host, javascript=javascript)
    host.get_by_label("From").fill("13:00")
    host.get_by_label("Until").fill("15:00")
    follow(host, host.get_by_role("button", name="Save the time"))
    assert "The time is saved" in host.locator("main").inner_text()
    fits_and_passes_axe(host, javascript=javascript)
    signup = SignUp.objects.get(pk=setting["signup"].pk)
    assert timezone.localtime(signup.chosen_starts_at).hour == 13
    assert mail.outbox[-1].to == [setting["users"]["member"].email]
