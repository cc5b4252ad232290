import pytest

from recoverynet.testing import sign_in

# --- /api/v1/ and CSV export (test_api*.py, test_csv*.py) ---------------------------


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


# --- /manage/directory/ and /changes/ (test_manage*.py, test_changes*.py, test_admin.py) ---


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
def staff_client(world):
    """staff_client("network_coordinator") -> a Client signed in as that role's person, with staff status."""
    from django.test import Client

    def _staff_client(role):
        user = world.users[role]
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        client = Client()
        sign_in(client, user)
        return client

    return _staff_client


@pytest.fixture
def clear_cache():
    """The change-report rate limit lives in the cache: start each test with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- The public finder (test_finder*.py, test_public_*.py, test_ics.py, test_places.py) ---


@pytest.fixture
def places(db):
    """The bundled offline gazetteer, loaded as `manage.py load_places` loads it."""
    from recoverynet.directory.places import load_places

    load_places()


@pytest.fixture(autouse=True)
def _no_online_geocoder(settings):
    """The optional postcode geocoder is never called in tests (mock it where a test needs it)."""
    settings.POSTCODE_GEOCODER_URL = ""
