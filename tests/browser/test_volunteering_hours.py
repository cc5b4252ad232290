"""Volunteering end to end on a phone (375 px), in Chromium, through the real
pages: a member finds a role they can safely take and asks for a place; the
network's coordinator confirms it; after the shift (the clock moved on) the
coordinator records attendance and hours; the member confirms them; the
coordinator credits them from the organisation's time bank account; the
member's statement shows the credit, and the member downloads a PDF and a CSV
reference holding only what they chose. Axe-clean on every page (with
JavaScript); the member's pages also without JavaScript; nothing scrolls
sideways at 375 px."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone

from recoverynet.directory.tests.test_schedule_pdf import pdf_text  # ReportLab text, read without pypdf
from recoverynet.timebank import services as timebank_services
from recoverynet.timebank.models import Account
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
from recoverynet.volunteering.models import SignUp

from .checks import PHONE, fits_and_passes_axe, follow, open_page, signed_in_context

ROLE = "Recovery café host"


@pytest.fixture
def setting(world):
    """The member has joined the time bank and already volunteered as a gardener
    (with a commendation); the organisation offering the café role has a time bank
    account; the café's next shift starts in two hours."""
    coordinator, member = world.users["network_coordinator"], world.users["member"]
    timebank_services.join_time_bank(actor=member, user=member, network=world.own_network, consent=True)
    timebank_services.open_holder_account(
        actor=coordinator, network=world.own_network, organisation=world.own_organisation
    )
    garden = RoleFactory(network=world.own_network, title="Gardener", early_recovery="yes")
    before = timezone.now() - datetime.timedelta(days=5)
    old_shift = ShiftFactory(role=garden, starts_at=before, ends_at=before + datetime.timedelta(hours=2))
    walk_in = services.record_walk_in(actor=coordinator, shift=old_shift, user=member)
    services.record_hours(actor=coordinator, shift=old_shift, entries={walk_in.pk: (True, 90)})
    services.confirm_hours(actor=member, signup=walk_in)
    services.write_commendation(actor=coordinator, role=garden, user=member, text="Knows her onions.")
    cafe = RoleFactory(
        network=world.own_network,
        settlement=None,
        organisation=world.own_organisation,
        title=ROLE,
        early_recovery="yes",
        confirm_automatically=False,
    )
    mentor = RoleFactory(network=world.own_network, title="Peer mentor", dbs_level="enhanced")
    start = timezone.now() + datetime.timedelta(hours=2)
    ShiftFactory(role=mentor, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    shift = ShiftFactory(role=cafe, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=4)
    return {"coordinator": coordinator, "member": member, "shift": shift}


def download(page, button):
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_member_volunteers_has_hours_credited_and_downloads_a_reference(
    new_context, live_server, url, world, setting, time_machine, javascript
):
    coordinator, member, shift = setting["coordinator"], setting["member"], setting["shift"]
    member_page = signed_in_context(new_context, live_server, member, {**PHONE, "java_script_enabled": javascript})
    member_page = member_page.new_page()
    main = member_page.locator("main")

    # The member finds a role they can safely take (not one needing a DBS check) and asks for a place.
    open_page(member_page, url, "/volunteering/")
    fits_and_passes_axe(member_page, javascript=javascript)
    follow(member_page, member_page.get_by_role("link", name="Roles for you"))
    assert ROLE in main.inner_text() and "Peer mentor" not in main.inner_text()
    fits_and_passes_axe(member_page, javascript=javascript)
    follow(member_page, member_page.get_by_role("link", name=ROLE))
    assert "You can take this role" in main.inner_text()
    fits_and_passes_axe(member_page, javascript=javascript)
    follow(member_page, member_page.get_by_role("button", name="Sign up"))
    assert member_page.url.endswith("/volunteering/mine/")
    assert "You asked for a place. The organiser will confirm it." in main.inner_text()
    fits_and_passes_axe(member_page, javascript=javascript)

    # The coordinator confirms the place.
    organiser = signed_in_context(new_context, live_server, coordinator, PHONE).new_page()
    open_page(organiser, url, "/volunteering/manage/")
    fits_and_passes_axe(organiser)
    follow(organiser, organiser.get_by_role("link", name=re.compile(f"^{ROLE}, ")).first)
    fits_and_passes_axe(organiser)
    follow(organiser, organiser.get_by_role("button", name="Confirm Member"))
    assert "You confirmed Member's place." in organiser.locator("main").inner_text()
    fits_and_passes_axe(organiser)

    # After the shift: a new coordinator sign-in (theirs lasts hours, not days) records attendance.
    time_machine.move_to(shift.ends_at + datetime.timedelta(hours=1))
    organiser = signed_in_context(new_context, live_server, coordinator, PHONE).new_page()
    open_page(organiser, url, "/volunteering/manage/")
    assert "Recent shifts: record hours" in organiser.locator("main").inner_text()
    fits_and_passes_axe(organiser)
    follow(organiser, organiser.get_by_role("link", name=re.compile(f"^{ROLE}, ")).first)
    shift_path = organiser.url.removeprefix(live_server.url)
    organiser.get_by_label("Member came").check()
    organiser.get_by_label("Hours for Member").fill("2")
    organiser.get_by_label("Minutes for Member").fill("30")
    fits_and_passes_axe(organiser)
    follow(organiser, organiser.get_by_role("button", name="Record attendance"))
    text = organiser.locator("main").inner_text()
    assert "Attendance recorded for 1." in text and "2 h 30 min, waiting for them to confirm" in text
    assert organiser.get_by_label("Member came").is_checked()  # the form shows what is recorded, to keep or correct
    assert organiser.get_by_label("Hours for Member").input_value() == "2"
    fits_and_passes_axe(organiser)

    # The member confirms their hours.
    open_page(member_page, url, "/volunteering/mine/")
    assert "Hours to confirm" in main.inner_text()
    fits_and_passes_axe(member_page, javascript=javascript)
    follow(member_page, member_page.get_by_role("link", name=f"2 h 30 min as {ROLE}"))
    fits_and_passes_axe(member_page, javascript=javascript)
    follow(member_page, member_page.get_by_role("button", name="Confirm 2 h 30 min"))
    text = main.inner_text()
    assert "You confirmed 2 h 30 min of volunteering." in text
    assert "Hours you have confirmed: 4 h" in text  # with the 1 h 30 min gardening before
    fits_and_passes_axe(member_page, javascript=javascript)

    # The coordinator credits them from the organisation's time bank account.
    open_page(organiser, url, shift_path)
    assert "1 confirmed place can be credited from" in organiser.locator("main").inner_text()
    fits_and_passes_axe(organiser)
    follow(organiser, organiser.get_by_role("button", name="Credit the hours"))
    text = organiser.locator("main").inner_text()
    assert "Credited hours to 1 in the time bank." in text and "credited to the time bank" in text
    fits_and_passes_axe(organiser)
    source = Account.objects.get(organisation=world.own_organisation)
    assert source.balance() == -150
    assert SignUp.objects.get(shift=shift, user=member).credit is not None

    # The member's statement shows the credit.
    open_page(member_page, url, "/timebank/")
    fits_and_passes_axe(member_page, javascript=javascript)
    follow(member_page, member_page.get_by_role("link", name="Statement for Cumbria"))
    text = main.inner_text()
    assert "Balance: 2 h 30 min" in text and f"Volunteering: {ROLE}" in text and "+2 h 30 min" in text
    fits_and_passes_axe(member_page, javascript=javascript)

    # The member makes a reference: the café role with its hours; not the gardening, no commendations.
    open_page(member_page, url, "/volunteering/mine/")
    follow(member_page, member_page.get_by_role("link", name="Make a reference from your record"))
    fits_and_passes_axe(member_page, javascript=javascript)
    member_page.get_by_label("Gardener", exact=True).uncheck()
    member_page.get_by_label("Knows her onions").uncheck()  # each commendation is chosen on its own
    pdf = download(member_page, "Download")
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pdf_text(pdf).split())
    assert "Volunteering reference: Member" in text and ROLE in text and "1 shift, 2 h 30 min in all" in text
    assert "Gardener" not in text and "onions" not in text
    member_page.get_by_label("Spreadsheet (CSV)").check()
    rows = list(csv.reader(io.StringIO(download(member_page, "Download").decode())))
    assert rows[0][:5] == ["Role", "Offered by", "Network", "Shifts", "Hours"]
    assert [row[:5] for row in rows[1:]] == [[ROLE, str(world.own_organisation), "Cumbria", "1", "2.5"]]
    assert rows[1][-1] == "" and "Gardener" not in str(rows) and "onions" not in str(rows)
    fits_and_passes_axe(member_page, javascript=javascript)
