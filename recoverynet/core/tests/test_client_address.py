"""One rule for "which client is this?": logins (allauth), the API throttles and
the change-report limit all ask `core.client_address.client_address`."""

import pytest
from django.test import RequestFactory, override_settings
from rest_framework.request import Request

from recoverynet.core.client_address import client_address

factory = RequestFactory()


def request_from(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_no_trusted_proxy_means_the_connecting_address():
    assert client_address(request_from(forwarded="203.0.113.9")) == "10.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # Entries to the left were written by the client: ignored.
        ("1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("1.2.3.4,5.6.7.8 ,  203.0.113.9", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        # Not an address, or no header: the connecting address.
        ("not-an-address", "10.0.0.1"),
        ("", "10.0.0.1"),
        (None, "10.0.0.1"),
    ],
)
def test_one_trusted_proxy_means_the_address_it_appended(forwarded, expected):
    assert client_address(request_from(forwarded=forwarded)) == expected


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_two_trusted_proxies_and_too_few_entries():
    assert client_address(request_from(forwarded="1.1.1.1, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"
    # Fewer entries than proxies: the request did not come through them all.
    assert client_address(request_from(forwarded="203.0.113.9")) == "10.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize("forwarded", ["203.0.113.9", "1.2.3.4, 203.0.113.9", "junk", "a,b,c", None])
def test_logins_and_the_api_use_the_same_rule(forwarded):
    from allauth.account.adapter import get_adapter
    from rest_framework.settings import api_settings

    request = request_from(forwarded=forwarded)
    expected = client_address(request)
    assert get_adapter(request).get_client_ip(request) == expected
    for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
        assert throttle_class().get_ident(Request(request)) == expected
    from recoverynet.directory.views.openreferral import OpenReferralRateThrottle

    assert OpenReferralRateThrottle().get_ident(Request(request)) == expected
