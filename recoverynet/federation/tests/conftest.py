import pytest

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership
from recoverynet.testing import sign_in

# --- /manage/ pages (test_manage_views.py) --------------------------------------


@pytest.fixture
def login(client, world):
    """login("network_coordinator") signs that role's person in and returns the client."""

    def _login(role):
        user = world.users[role]
        if user is not None:
            sign_in(client, user)
        return client

    return _login


@pytest.fixture
def pending_membership(world):
    """Someone asking to join own_network at its settlement."""
    return MembershipFactory(
        user=UserFactory(display_name="Newcomer", email="newcomer@example.org"),
        network=world.own_network,
        settlement=world.own_settlement,
        status=Membership.Status.PENDING,
    )


# --- /api/v1/ (test_api*.py) -----------------------------------------------------


@pytest.fixture
def api_as(world):
    """api_as("network_coordinator") -> a REST framework APIClient signed in as
    that role's person (api_as("anonymous") is signed out)."""
    from rest_framework.test import APIClient

    def _api_as(role):
        client = APIClient()
        if world.users[role] is not None:
            sign_in(client, world.users[role])
        return client

    return _api_as


# --- The Django admin (test_admin.py) --------------------------------------------


@pytest.fixture
def staff_client(world):
    """staff_client("network_coordinator") -> a Client signed in as that role's
    person, given staff status so the admin site lets them in."""
    from django.test import Client

    def _staff_client(role):
        user = world.users[role]
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        client = Client()
        sign_in(client, user)
        return client

    return _staff_client
