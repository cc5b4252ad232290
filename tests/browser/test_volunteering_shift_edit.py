"""An organiser changes and then cancels a shift, in Chromium at 375 px and at
1280 px, with JavaScript on and off: a change that would drop below the places
taken is refused with an error summary linking to the field; a new time is
saved and the member told by email; the flexible shift form; cancelling with a
reason. Axe-clean (WCAG 2.2 AA) on every page with JavaScript; nothing scrolls
sideways."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from recoverynet.federation.factories import MembershipFactory
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
from recoverynet.volunteering.models import Shift, SignUp

from .checks import DESKTOP, PHONE, fits_and_passes_axe, follow, open_page, signed_in_context

ROLE = "Recovery café host"


@pytest.fixture
def setting(world):
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement, title=ROLE, early_recovery="yes")
    start = (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    shift = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=3)
    member, other = world.users["member"], MembershipFactory(network=world.own_network, status="active").user
    services.sign_up(actor=member, shift=shift)
    services.sign_up(actor=other, shift=shift)
    return {"host": world.users["settlement_host"], "member": member, "role": role, "shift": shift}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_organiser_changes_then_cancels_a_shift(new_context, live_server, url, setting, javascript, size):
    shift = setting["shift"]
    page = signed_in_context(new_context, live_server, setting["host"], {**size, "java_script_enabled": javascript})
    page = page.new_page()
    main = page.locator("main")

    open_page(page, url, f"/volunteering/manage/shifts/{shift.pk}/")
    fits_and_passes_axe(page, javascript=javascript)
    follow(page, page.get_by_role("link", name="Change the time or places"))
    assert "2 people have a place" in main.inner_text()
    fits_and_passes_axe(page, javascript=javascript)

    # Fewer places than people holding one: refused, the summary links to the field, nothing saved.
    page.get_by_label("Places").fill("1")
    follow(page, page.get_by_role("button", name="Save the changes"))
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "offer at least 2 places" in summary.inner_text()
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_places"
    fits_and_passes_axe(page, javascript=javascript)
    assert Shift.objects.get(pk=shift.pk).places == 3

    # A new time and more places: saved, and both members are emailed.
    page.get_by_label("Places").fill("4")
    page.get_by_label("Starts at").fill("11:00")
    page.get_by_label("Ends at").fill("14:30")
    follow(page, page.get_by_role("button", name="Save the changes"))
    assert "The 2 people with a place have been emailed the new time." in main.inner_text()
    assert "11:00 to 14:30" in main.inner_text()
    fits_and_passes_axe(page, javascript=javascript)
    shift.refresh_from_db()
    assert (shift.places, timezone.localtime(shift.starts_at).hour) == (4, 11)
    assert len(mail.outbox) == 2

    # Cancelling, with a reason the members read.
    follow(page, page.get_by_role("link", name="Cancel the shift"))
    assert "2 people have a place" in main.inner_text()
    fits_and_passes_axe(page, javascript=javascript)
    page.get_by_label("Tell the volunteers why (optional)").fill("The café is closed for repairs.")
    follow(page, page.get_by_role("button", name="Cancel the shift"))
    assert "The shift is cancelled. The 2 people who had a place have been emailed." in main.inner_text()
    fits_and_passes_axe(page, javascript=javascript)
    assert set(SignUp.objects.filter(shift=shift).values_list("status", flat=True)) == {"cancelled"}
    assert len(mail.outbox) == 4 and "The café is closed for repairs." in mail.outbox[-1].body

    # A flexible shift for the same role.
    open_page(page, url, f"/volunteering/manage/roles/{setting['role'].slug}/shifts/new-flexible/")
    fits_and_passes_axe(page, javascript=javascript)
    first = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("First day").fill(f"{first:%d %m %Y}")
    page.get_by_label("Last day").fill(f"{first + datetime.timedelta(days=4):%d %m %Y}")
    page.get_by_label("Each day from (optional)").fill("09:00")
    page.get_by_label("Each day until (optional)").fill("17:00")
    page.get_by_label("Hours each volunteer gives").fill("2")
    page.get_by_label("Places").fill("5")
    follow(page, page.get_by_role("button", name="Add the shift"))
    assert "Any 2 h in total between" in main.inner_text() and "09:00 to 17:00 each day" in main.inner_text()
    fits_and_passes_axe(page, javascript=javascript)
