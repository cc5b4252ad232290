import pytest

from recoverynet.testing import sign_in

# --- The audit log pages (test_audit_views.py) ----------------------------------


@pytest.fixture
def login(client, world):
    """login("network_coordinator") signs that role's person in and returns the client."""

    def _login(role):
        user = world.users[role]
        if user is not None:
            sign_in(client, user)
        return client

    return _login


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
