"""Offers and requests in Chromium on a phone (375 px): a member posts an offer,
another finds it and answers, the first agrees; axe-clean on every page."""

import pytest
from allauth.account.models import EmailAddress

from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Exchange

from .checks import PHONE, axe_violations, open_page

PASSWORD = "a long browser-test password 2026"


def with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def members(world):
    services.ensure_default_categories()  # the live server's database is emptied between tests
    poster = with_password(world.users["member"])
    services.open_member_account(actor=poster, user=poster, network=world.own_network)
    finder = MemberAccountFactory(network=world.own_network, user__display_name="Alex R.").user
    return poster, with_password(finder)


def sign_in(page, url, user):
    page.goto(url("/accounts/login/"))
    form = page.locator("main form", has=page.locator("input[type=password]"))
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[type=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    assert "/accounts/login/" not in page.url


def assert_clean(page):
    results = axe_violations(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_post_an_offer_then_another_member_finds_and_answers_it_and_the_poster_agrees(new_context, url, members):
    poster, finder = members

    page = new_context(**PHONE).new_page()
    sign_in(page, url, poster)
    open_page(page, url, "/timebank/")
    page.get_by_role("link", name="Offers and requests").click()
    assert_clean(page)
    page.get_by_role("link", name="Post an offer or request in Cumbria").click()
    page.get_by_role("button", name="Post it").click()  # nothing filled in: errors, named
    assert "Enter a title" in page.locator(".govuk-error-summary").inner_text()
    assert_clean(page)
    page.get_by_label("I can give this help").check()
    page.get_by_label("Category").select_option(label="Cooking")
    page.get_by_label("Title").fill("Batch cooking for the week")
    page.get_by_label("Members of my network only").check()
    page.get_by_role("button", name="Post it").click()
    assert "Your post is up" in page.locator("main").inner_text()
    assert_clean(page)

    other = new_context(**PHONE).new_page()
    sign_in(other, url, finder)
    open_page(other, url, "/timebank/offers/")
    other.get_by_label("Search").fill("cooking")
    other.get_by_role("button", name="Search").click()
    assert_clean(other)
    other.get_by_role("link", name="Batch cooking for the week").click()
    other.get_by_label("Your message").fill("Yes please, Thursday evening?")
    other.get_by_role("button", name="Send your answer").click()
    assert "Your answer is sent" in other.locator("main").inner_text()
    assert_clean(other)

    page.reload()
    assert "Yes please, Thursday evening?" in page.locator("main").inner_text()
    page.get_by_role("link", name="Agree Alex R.'s answer").click()
    assert_clean(page)
    page.get_by_label("Hours").fill("2")
    page.get_by_role("button", name="Agree").click()
    assert "You agreed 2 h with Alex R." in page.locator("main").inner_text()
    exchange = Exchange.objects.get()
    assert (exchange.giver.user, exchange.receiver.user, exchange.minutes) == (poster, finder, 120)
