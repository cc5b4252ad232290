"""Sign up with a display name (a pseudonym is fine) → verify email → sign in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from recoverynet.accounts.models import User

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {
        "email": "new.person@example.org",
        "display_name": "Starling",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def confirmation_url(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, "the email has a confirmation link"
    return match.group(1)


def test_signup_form_asks_for_a_display_name(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert 'name="display_name"' in response.content.decode()


def test_display_name_is_required(client):
    response = signup(client, display_name="   ")
    assert response.status_code == 200
    assert "Enter a display name" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert mail.outbox == []


def test_an_empty_sign_up_names_each_field_and_what_to_do(client):
    html = signup(client, email="", display_name="", password1="", password2="").content.decode()
    assert "This field is required." not in html
    for message in ("Enter your email address", "Enter a display name", "Enter a password", "Enter the same password"):
        assert message in html
    html = signup(client, email="not-an-address").content.decode()
    assert "Enter an email address in the correct format, like name@example.org" in html
    assert not User.objects.exists()


def test_over_long_display_name_is_refused(client):
    response = signup(client, display_name="x" * 61)
    assert response.status_code == 200
    assert "60 characters or fewer" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_a_pseudonym_then_verify_then_sign_in(client):
    response = signup(client, display_name="  Starling  ")
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.display_name == "Starling"  # the pseudonym, stripped; never derived from the email
    assert user.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified

    # Verification is mandatory: not signed in yet.
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]

    # Signing in before verifying only re-sends the link.
    other = type(client)()
    response = other.post(reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in other.session

    url = confirmation_url(mail.outbox[0])
    response = other.post(url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    fresh = type(client)()
    response = fresh.post(reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert fresh.session["_auth_user_id"] == str(user.pk)
    page = fresh.get(reverse("accounts:profile"))
    assert page.status_code == 200
    assert "Starling" in page.content.decode()


def test_email_address_is_never_used_as_the_display_name(client):
    signup(client, email="jane.realname@example.org", display_name="JR")
    user = User.objects.get(email="jane.realname@example.org")
    assert "jane" not in user.display_name.lower()
