"""Rate limits on /api/v1/ (REST framework's anon and user throttles) and
/openreferral/ (its own "openreferral" rate): the request over the rate gets a
429 with a JSON error and Retry-After, counted in the cache per IP address or
per person. The test settings set rates no other test can meet; these tests
lower them."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from recoverynet.accounts.factories import UserFactory
from recoverynet.testing import sign_in

pytestmark = pytest.mark.django_db

API_URL = "/api/v1/networks/"
LOW_RATES = {"anon": "2/min", "user": "3/min", "openreferral": "2/min"}


@pytest.fixture
def rates(monkeypatch):
    """Low rates, from an empty cache. REST framework reads the rates into the
    throttle class when it is imported, so overriding the setting would not reach them."""
    cache.clear()
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", LOW_RATES)
    yield
    cache.clear()


def signed_in_client():
    client = Client()
    sign_in(client, UserFactory())
    return client


def oruk_url():
    return reverse("directory:openreferral:service_list")


def statuses(client, path, times, **extra):
    return [client.get(path, **extra).status_code for _ in range(times)]


def assert_throttled(response):
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert int(response["Retry-After"]) > 0
    return response.json()


def test_api_throttles_anonymous_clients_by_ip_address(rates):
    client = Client()
    assert statuses(client, API_URL, 2) == [200, 200]
    body = assert_throttled(client.get(API_URL))
    assert "throttled" in body["detail"]
    # Another address has its own count.
    assert client.get(API_URL, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_api_throttles_signed_in_people_at_the_user_rate(rates):
    client = signed_in_client()
    assert statuses(client, API_URL, 3) == [200, 200, 200]
    assert "throttled" in assert_throttled(client.get(API_URL))["detail"]
    # The count is the person's, not the address's: someone else at the same address is not throttled.
    assert signed_in_client().get(API_URL).status_code == 200


def test_api_ignores_a_forwarded_for_header_it_does_not_trust(rates):
    client = Client()
    assert statuses(client, API_URL, 2, HTTP_X_FORWARDED_FOR="203.0.113.1") == [200, 200]
    assert client.get(API_URL, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 429


@pytest.mark.parametrize("make_client", [Client, signed_in_client], ids=["anonymous", "signed-in"])
def test_open_referral_throttles_at_its_own_rate(rates, make_client):
    client = make_client()
    assert statuses(client, oruk_url(), 2) == [200, 200]
    body = assert_throttled(client.get(oruk_url()))
    assert body["code"] == 429
    assert body["message"].startswith("Too many requests. Try again in")
    assert client.get(reverse("directory:openreferral:api_details")).status_code == 429  # one count for the whole API
    # /api/v1/ counts apart: using up one API does not use up the other.
    assert client.get(API_URL).status_code == 200


def test_feeds_are_not_throttled(rates):
    client = Client()
    url = reverse("directory:feeds:meeting_guide")
    assert statuses(client, url, 5) == [200] * 5
