"""Offers and requests in Chromium on a phone (375 px): a member posts an offer,
another finds it and answers, the first agrees; axe-clean on every page."""

import pytest

from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Exchange

from .checks import PHONE, axe_violations, follow, open_page, signed_in_context


@pytest.fixture
def members(world):
    services.ensure_default_categories()  # the live server's database is emptied between tests
    poster = world.users["member"]
    services.open_member_account(actor=poster, user=poster, network=world.own_network)
    finder = MemberAccountFactory(network=world.own_network, user__display_name="Alex R.").user
    return poster, finder


def assert_clean(page):
    results = axe_violations(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_post_an_offer_then_another_member_finds_and_answers_it_and_the_poster_agrees(
    new_context, live_server, url, members
):
    poster, finder = members

    page = signed_in_context(new_context, live_server, poster, PHONE).new_page()
    open_page(page, url, "/timebank/")
    follow(page, page.get_by_role("link", name="Offers and requests"))
    assert_clean(page)
    follow(page, page.get_by_role("link", name="Post an offer or request in Cumbria"))
    follow(page, page.get_by_role("button", name="Post it"))  # nothing filled in: errors, named
    assert "Enter a title" in page.locator(".govuk-error-summary").inner_text()
    assert_clean(page)
    page.get_by_label("I can give this help").check()
    page.get_by_label("Category").select_option(label="Cooking")
    page.get_by_label("Title").fill("Batch cooking for the week")
    page.get_by_label("Members of my network only").check()
    follow(page, page.get_by_role("button", name="Post it"))
    assert "Your post is up" in page.locator("main").inner_text()
    assert_clean(page)

    other = signed_in_context(new_context, live_server, finder, PHONE).new_page()
    open_page(other, url, "/timebank/offers/")
    other.get_by_label("Search").fill("cooking")
    follow(other, other.get_by_role("button", name="Search"))
    assert_clean(other)
    follow(other, other.get_by_role("link", name="Batch cooking for the week"))
    other.get_by_label("Your message").fill("Yes please, Thursday evening?")
    follow(other, other.get_by_role("button", name="Send your answer"))
    assert "Your answer is sent" in other.locator("main").inner_text()
    assert_clean(other)

    page.reload()
    assert "Yes please, Thursday evening?" in page.locator("main").inner_text()
    follow(page, page.get_by_role("link", name="Agree Alex R.'s answer"))
    assert_clean(page)
    page.get_by_label("Hours").fill("2")
    follow(page, page.get_by_role("button", name="Agree"))
    assert "You agreed 2 h with Alex R." in page.locator("main").inner_text()
    exchange = Exchange.objects.get()
    assert (exchange.giver.user, exchange.receiver.user, exchange.minutes) == (poster, finder, 120)
