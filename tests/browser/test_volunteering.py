"""Volunteering on a phone (375 px), in Chromium: a member goes from the home
page to a role they can safely take, signs up and sees the shift among theirs;
a role they cannot take yet says why. Axe-clean on every page of the journey."""

import datetime

import pytest
from django.utils import timezone

from recoverynet.volunteering.factories import RoleFactory, RoleSkillFactory, ShiftFactory

from .checks import PHONE, axe_violations, follow, open_page, signed_in_context


@pytest.fixture
def roles(world):
    start = (timezone.now() + datetime.timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    cafe = RoleFactory(
        network=world.own_network,
        settlement=world.own_settlement,
        title="Recovery café host",
        early_recovery="yes",
        confirm_automatically=True,
    )
    RoleSkillFactory(role=cafe, name="Listening")
    ShiftFactory(role=cafe, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=4)
    mentor = RoleFactory(
        network=world.own_network, settlement=world.own_settlement, title="Peer mentor", dbs_level="enhanced"
    )
    ShiftFactory(role=mentor, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    return cafe, mentor


def assert_clean(page):
    results = axe_violations(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_member_finds_a_role_they_can_take_and_signs_up_on_a_phone(new_context, live_server, url, world, roles):
    page = signed_in_context(new_context, live_server, world.users["member"], PHONE).new_page()
    open_page(page, url, "/")
    follow(page, page.get_by_role("link", name="See all volunteering roles"))
    assert page.url.endswith("/volunteering/")
    assert_clean(page)
    main = page.locator("main")
    assert "needs an enhanced DBS check" in main.inner_text()
    follow(page, page.get_by_role("link", name="Peer mentor"))
    assert "Not yet open to you" in main.inner_text()
    assert page.get_by_role("button", name="Sign up").count() == 0
    assert_clean(page)
    page.go_back()
    follow(page, page.get_by_role("link", name="Recovery café host"))
    assert "You can take this role" in main.inner_text() and "Listening (some experience)" in main.inner_text()
    assert_clean(page)
    follow(page, page.get_by_role("button", name="Sign up"))
    assert page.url.endswith("/volunteering/mine/")
    assert "You have a place on this shift" in main.inner_text()
    assert "Recovery café host" in main.inner_text() and "Confirmed" in main.inner_text()
    assert_clean(page)


def test_a_member_chooses_interests_and_sees_the_best_match_first_on_a_phone(
    new_context, live_server, url, world, roles
):
    from recoverynet.volunteering.demo import ensure_default_interests
    from recoverynet.volunteering.models import Interest

    ensure_default_interests()  # a live server's flush empties what migrations seeded
    roles[0].interests.set([Interest.objects.get(name="Peer support")])
    RoleFactory(network=world.own_network, settlement=world.own_settlement, title="Admin helper", early_recovery="yes")
    page = signed_in_context(new_context, live_server, world.users["member"], PHONE).new_page()
    open_page(page, url, "/volunteering/profile/")
    assert_clean(page)
    page.get_by_label("Peer support").check()
    follow(page, page.get_by_role("button", name="Save"))
    assert page.url.endswith("/volunteering/")
    main = page.locator("main")
    assert page.get_by_label("Sort by").input_value() == "match"
    headings = main.locator("h3").all_inner_texts()
    assert headings[0] == "Recovery café host" and "Suits your interests: Peer support" in main.inner_text()
    assert_clean(page)
    page.get_by_label("Sort by").select_option("title")
    follow(page, page.get_by_role("button", name="Sort"))
    assert main.locator("h3").all_inner_texts()[0] == "Admin helper"
    assert_clean(page)
