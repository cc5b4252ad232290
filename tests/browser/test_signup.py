"""A person signs up with a pseudonym, verifies their email address and signs in."""

import re

from django.core import mail
from django.urls import reverse

from recoverynet.accounts.models import User

from .checks import follow

EMAIL = "river@example.org"
PASSWORD = "lantern-orchard-47"
PSEUDONYM = "River"


def submit(page, form):
    follow(page, form.locator("button[type=submit], input[type=submit]").first)


def test_sign_up_verify_and_sign_in(page, new_context, url, world):
    page.goto(url("/accounts/signup/"))
    form = page.locator("main form", has=page.locator("input[name=password1]"))
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=display_name]").fill(PSEUDONYM)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    submit(page, form)
    assert "/accounts/confirm-email/" in page.url, page.url

    user = User.objects.get(email=EMAIL)
    assert user.display_name == PSEUDONYM
    assert not user.emailaddress_set.get(email=EMAIL).verified

    # The live server runs in this process, so its email lands in the locmem outbox.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    page.goto(link.group(0))
    confirm = page.locator("main form", has=page.locator("button[type=submit], input[type=submit]"))
    submit(page, confirm)
    assert user.emailaddress_set.get(email=EMAIL).verified

    # Later, on another device: sign in.
    later = new_context().new_page()
    later.goto(url("/accounts/login/"))
    login = later.locator("main form", has=later.locator("input[type=password]"))
    login.locator("input[name=login]").fill(EMAIL)
    login.locator("input[type=password]").fill(PASSWORD)
    submit(later, login)
    assert "/accounts/login/" not in later.url, later.locator("main").inner_text()
    # Signed in: they land on their own page, which greets them by their pseudonym,
    # and the navigation offers to sign out (and never shows their email address).
    assert later.url == url(reverse("accounts:profile"))
    assert PSEUDONYM in later.locator("main").inner_text()
    navigation = later.get_by_role("navigation", name="Menu")
    assert navigation.get_by_role("button", name="Sign out").is_visible()
    assert EMAIL not in navigation.inner_text()


def test_sign_up_with_mismatched_passwords_shows_errors(page, url, world):
    page.goto(url("/accounts/signup/"))
    form = page.locator("main form", has=page.locator("input[name=password1]"))
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=display_name]").fill(PSEUDONYM)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD + "x")
    submit(page, form)
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert summary.locator("a").count() >= 1
    assert not User.objects.filter(email=EMAIL).exists()
    assert mail.outbox == []
