"""Coordinators and admins must set up two-factor authentication (TOTP)."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from recoverynet.testing import PRIVILEGED_ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", PRIVILEGED_ROLES)
def test_privileged_role_without_totp_is_sent_to_set_it_up(client_for, world, role):
    user = world.users[role]
    Authenticator.objects.filter(user=user).delete()
    response = client_for(user).get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", PRIVILEGED_ROLES)
def test_privileged_role_with_totp_passes(client_for, world, role):
    response = client_for(world.users[role]).get(reverse("accounts:profile"))
    assert response.status_code == 200


def test_api_gets_a_403_json_answer(client_for, world):
    user = world.users["network_coordinator"]
    Authenticator.objects.filter(user=user).delete()
    response = client_for(user).get("/api/v1/networks/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "two-factor" in response.json()["detail"]


def test_the_totp_setup_page_itself_is_reachable(client_for, world):
    user = world.users["network_coordinator"]
    Authenticator.objects.filter(user=user).delete()
    response = client_for(user).get(reverse("mfa_activate_totp"), follow=True)
    # allauth may ask for the password again first; either way, no redirect loop.
    assert response.status_code == 200
    assert all(url.startswith("/accounts/") for url, _ in response.redirect_chain)


@pytest.mark.parametrize("role", ["member", "professional", "settlement_host"])
def test_other_roles_are_never_asked(client_for, world, role):
    user = world.users[role]
    assert not Authenticator.objects.filter(user=user).exists()
    response = client_for(user).get(reverse("accounts:profile"))
    assert response.status_code == 200


def test_coordinator_of_a_pending_or_left_membership_is_not_asked(client_for, world):
    from recoverynet.accounts.factories import UserFactory
    from recoverynet.federation.factories import MembershipFactory
    from recoverynet.federation.models import Membership

    user = UserFactory()
    MembershipFactory(
        user=user, network=world.other_network, role=Membership.Role.NETWORK_COORDINATOR, status=Membership.Status.LEFT
    )
    assert client_for(user).get(reverse("accounts:profile")).status_code == 200


def test_anonymous_is_not_asked(client, world):
    response = client.get(reverse("accounts:erased"))
    assert response.status_code == 200
