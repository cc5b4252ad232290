"""Login throttling: allauth counts failed sign-ins per account and per IP in
the cache (Redis in production, shared by every app process)."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from recoverynet.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def person():
    cache.clear()
    user = UserFactory(email="throttle@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    yield user
    cache.clear()


def sign_in(client, password):
    return client.post(reverse("account_login"), {"login": "throttle@example.org", "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(client, person):
    for _ in range(5):
        response = sign_in(client, "wrong password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    response = sign_in(client, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert b"Too many failed attempts to sign in. Wait 5 minutes, then try again" in response.content


def test_a_few_failures_do_not_lock_the_account(client, person):
    for _ in range(3):
        sign_in(client, "wrong password")
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
