"""Two-factor authentication holds on every way in, for the session in use.

A coordinator's password alone must never give a session that reaches
personal data: not through the admin's sign-in page, not through Django's
own `client_for()`, not through the API's session authentication, not by
becoming a coordinator after signing in. Privileged sessions also end after
two idle hours and twelve hours in all."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recoverynet.accounts import second_factor
from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership
from recoverynet.testing import PRIVILEGED_ROLES, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # recoverynet.testing.give_totp's
COUNTER = 58_000_000  # a fixed 30-second window: no test reads the real clock


@pytest.fixture(autouse=True)
def fixed_totp_window(monkeypatch):
    cache.clear()  # allauth remembers used codes and failed attempts there
    monkeypatch.setattr(totp_auth, "yield_hotp_counters_from_time", lambda: iter([COUNTER]))
    yield
    cache.clear()


def totp_code(secret=TOTP_SECRET, counter=COUNTER) -> str:
    return totp_auth.format_hotp_value(totp_auth.hotp_value(secret, counter))


def verified(user):
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def password_only_session(user) -> Client:
    """What the admin's old sign-in page gave: Django's client_for() after a password, nothing more."""
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def allauth_password_step(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


PERSONAL_DATA_URLS = ("/manage/", "/manage/audit/", "/api/v1/members/", "/admin/", "/me/")


@pytest.mark.parametrize("role", PRIVILEGED_ROLES)
@pytest.mark.parametrize("url", PERSONAL_DATA_URLS)
def test_a_password_only_session_reaches_nothing_private(world, role, url):
    client = password_only_session(world.users[role])
    response = client.get(url)
    if url.startswith("/api/"):
        assert response.status_code == 403
        assert "two-factor" in response.json()["detail"]
    else:
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("mfa_reauthenticate")
        assert parse_qs(location.query)["next"] == [url]


@pytest.mark.parametrize(
    "url_name",
    ["mfa_deactivate_totp", "mfa_index", "account_change_password", "account_email", "account_reauthenticate"],
)
def test_a_password_only_session_cannot_manage_the_account_or_its_second_factor(world, url_name):
    """Otherwise a stolen password could remove the TOTP device and enrol another."""
    client = password_only_session(world.users["network_coordinator"])
    for method in ("get", "post"):
        response = getattr(client, method)(reverse(url_name))
        assert response.status_code == 302, (url_name, method)
        assert urlsplit(response["Location"]).path == reverse("mfa_reauthenticate")
    assert Authenticator.objects.filter(user=world.users["network_coordinator"]).exists()


def test_the_code_completes_a_password_only_session(world):
    user = world.users["network_coordinator"]
    client = password_only_session(user)
    page = client.get(reverse("mfa_reauthenticate") + "?next=/manage/")
    assert page.status_code == 200
    wrong = client.post(reverse("mfa_reauthenticate") + "?next=/manage/", {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/manage/").status_code == 302
    right = client.post(reverse("mfa_reauthenticate") + "?next=/manage/", {"code": totp_code()})
    assert right.status_code == 302
    assert right["Location"] == "/manage/"
    assert client.get("/manage/").status_code == 200
    assert client.get("/api/v1/members/").status_code == 200


def test_allauth_sign_in_asks_for_the_code_before_signing_in(world):
    user = verified(world.users["federation_coordinator"])
    client = Client()
    response = allauth_password_step(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/manage/").status_code == 302  # still signed out
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/manage/").status_code == 200


def test_the_admin_sign_in_page_sends_people_to_allauth(client, world):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == ["/admin/accounts/user/"]
    # The admin's own redirects for signed-out people lead there too.
    assert urlsplit(client.get("/admin/").url).path == "/admin/login/"


def test_the_admin_sign_in_page_refuses_another_sites_next(client, world):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/admin/"]


def test_a_password_posted_to_the_admin_signs_nobody_in_and_is_not_an_oracle(client, world):
    admin = world.users["admin"]
    for password in ["wrong"] * 25 + [PASSWORD]:
        response = client.post("/admin/login/", {"username": admin.email, "password": password, "next": "/admin/"})
        assert response.status_code == 405
        assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_allauth_sign_in_is_rate_limited_for_admins_too(world):
    admin = verified(world.users["admin"])
    client = Client()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": admin.email, "password": "wrong"})
    response = allauth_password_step(client, admin)
    assert b"Too many failed attempts to sign in. Wait 5 minutes, then try again" in response.content
    assert "_auth_user_id" not in client.session


def test_a_signed_in_member_at_the_admin_gets_a_403_not_a_loop(world):
    client = sign_in(Client(), world.users["member"])
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_staff_with_a_complete_session_pass_the_admin_sign_in_page(world):
    client = sign_in(Client(), world.users["admin"])
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/").status_code == 200


def test_becoming_a_coordinator_after_signing_in_asks_for_enrolment(world):
    member = world.users["member"]
    client = sign_in(Client(), member)
    assert client.get("/me/").status_code == 200
    MembershipFactory(user=member, network=world.other_network, role=Membership.Role.NETWORK_COORDINATOR)
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/members/").status_code == 403


@pytest.mark.django_db(transaction=True)  # allauth announces the new device on commit, as in production
def test_enrolling_a_first_device_completes_the_session(world):
    """A coordinator without a device signs in with the password, enrols, and is not asked again."""
    user = world.users["network_coordinator"]
    Authenticator.objects.filter(user=user).delete()
    verified(user)
    client = Client()
    assert allauth_password_step(client, user).status_code == 302
    assert client.get("/manage/")["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    if page.redirect_chain:  # allauth asks for the password again first
        assert urlsplit(page.redirect_chain[-1][0]).path == reverse("account_reauthenticate")
        page = client.post(page.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert page.status_code == 200
    assert page.request["PATH_INFO"] == reverse("mfa_activate_totp")
    secret = client.session[totp_auth.SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/manage/").status_code == 200


@pytest.mark.parametrize("role", ["member", "professional", "settlement_host"])
def test_other_roles_need_no_second_factor(world, role):
    assert password_only_session(world.users[role]).get("/me/").status_code == 200


class Clock:
    def __init__(self, monkeypatch):
        self.now = timezone.now().replace(year=2026, month=12, day=1, hour=9, minute=0, second=0, microsecond=0)
        monkeypatch.setattr(second_factor.timezone, "now", lambda: self.now)

    def advance(self, **kwargs):
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def signed_in_coordinator(world):
    client = sign_in(Client(), world.users["network_coordinator"])
    assert client.get("/manage/").status_code == 200  # starts the clocks
    return client


def test_a_privileged_session_ends_after_two_idle_hours(world, clock):
    client = signed_in_coordinator(world)
    clock.advance(hours=2, seconds=1)
    response = client.get("/manage/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert client.get("/api/v1/members/").status_code == 403


def test_activity_keeps_a_privileged_session_alive(world, clock):
    client = signed_in_coordinator(world)
    for _ in range(5):
        clock.advance(hours=1, minutes=50)
        assert client.get("/manage/").status_code == 200


def test_a_privileged_session_ends_twelve_hours_after_signing_in_however_busy(world, clock):
    client = signed_in_coordinator(world)
    for _ in range(11):
        clock.advance(hours=1)
        assert client.get("/manage/").status_code == 200
    clock.advance(hours=1, seconds=1)
    assert client.get("/manage/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_session_store_forgets_an_idle_privileged_session_too(world, clock):
    client = signed_in_coordinator(world)
    assert client.session.get_expiry_age() == settings.PRIVILEGED_SESSION_IDLE_SECONDS


def test_members_sessions_have_no_idle_limit(world, clock):
    client = sign_in(Client(), world.users["member"])
    assert client.get("/me/").status_code == 200
    clock.advance(hours=10)
    assert client.get("/me/").status_code == 200


def test_the_code_page_offers_no_password_instead_when_the_second_factor_is_owed(world):
    client = password_only_session(world.users["network_coordinator"])
    page = client.get(reverse("mfa_reauthenticate") + "?next=/manage/").content.decode()
    assert "Enter your two-factor code" in page
    assert reverse("account_reauthenticate") not in page
    assert reverse("account_logout") in page
