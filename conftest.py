import pytest
import time_machine

from recoverynet.testing import build_world, sign_in

# A naive datetime would silently mean UTC, an hour off London's summer time: ask for a zone.
time_machine.naive_mode = time_machine.NaiveMode.ERROR


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate limits and cached feeds never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Signed-in clients, for every app's tests -------------------------------------------


@pytest.fixture
def login(client, world):
    """login("network_coordinator") signs that role's person in on `client` and returns it
    (login("anonymous") leaves it signed out)."""

    def _login(role):
        user = world.users[role]
        if user is not None:
            sign_in(client, user)
        return client

    return _login


@pytest.fixture
def client_for(db):
    """client_for(user) -> a new test Client signed in as `user`."""
    from django.test import Client

    return lambda user: sign_in(Client(), user)


@pytest.fixture
def api_as(world, api_for):
    """api_as("network_coordinator") -> a REST framework APIClient signed in as that
    role's person (api_as("anonymous") is signed out)."""
    return lambda role: api_for(world.users[role])


@pytest.fixture
def api_for(db):
    """api_for(user) -> a REST framework APIClient signed in as `user` (None: signed out)."""
    from rest_framework.test import APIClient

    def _api_for(user):
        client = APIClient()
        return sign_in(client, user) if user is not None else client

    return _api_for


@pytest.fixture
def staff_client(world, client_for):
    """staff_client("network_coordinator") -> a Client signed in as that role's person,
    given staff status so the admin site lets them in."""

    def _staff_client(role):
        user = world.users[role]
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        return client_for(user)

    return _staff_client


@pytest.fixture
def wsgi_app():
    """The Django WSGI application on the test's database transaction, for in-process
    HTTP tools (schemathesis). Like Django's test client, requests do not close the
    connection (that would end the test's transaction on PostgreSQL)."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
