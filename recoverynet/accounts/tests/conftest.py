import pytest
from django.test import Client

from recoverynet.accounts.factories import UserFactory
from recoverynet.testing import sign_in

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(db):
    """Someone with every optional detail filled in."""
    import datetime

    return UserFactory(
        display_name="Robin Pseudonym",
        email="robin@example.org",
        legal_name="Roberta Legalname",
        phone="07700 900982",
        date_of_birth=datetime.date(1980, 3, 27),
        self_descriptions=["in_recovery", "family"],
    )


@pytest.fixture
def someone_else(db):
    return UserFactory(
        display_name="Other Person",
        email="other.person@example.org",
        legal_name="Otto Otherlegal",
        phone="07700 900111",
    )


@pytest.fixture
def login():
    """login(user) -> a test Client signed in as `user`."""

    def _login(user):
        client = Client()
        sign_in(client, user)
        return client

    return _login


@pytest.fixture
def api_for():
    """api_for(user) -> a REST framework APIClient signed in as `user` (None: signed out)."""
    from rest_framework.test import APIClient

    def _api_for(user):
        client = APIClient()
        if user is not None:
            sign_in(client, user)
        return client

    return _api_for


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
