import io
from dataclasses import dataclass

import pytest
import time_machine

from recoverynet.testing import build_world, sign_in

# A naive datetime would silently mean UTC, an hour off London's summer time: ask for a zone.
time_machine.naive_mode = time_machine.NaiveMode.ERROR


@pytest.fixture
def world(db):
    return build_world()


@dataclass(frozen=True)
class SeededDemo:
    output: str  # what `manage.py seed_demo` printed


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """The whole demo federation (`manage.py seed_demo --force`), loaded once for the test
    module: it takes seconds, so every test reading it shares one load. It is loaded inside
    a transaction rolled back after the module's last test; each test runs in a savepoint
    inside it (as usual with `db`), so a test that changes demo rows or reruns the loader
    changes nothing for the next test. Tests using it must be marked `django_db` and live in a
    test_seed_*.py module, which a parallel run keeps on one worker (`pytest_xdist_make_scheduler`)."""
    from django.core.management import call_command
    from django.db import transaction

    outer = transaction.atomic()
    outer._from_testcase = True  # as Django's TestCase marks its own: durable blocks inside are allowed

    def roll_back():
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_demo", force=True, stdout=out)
        except BaseException:
            roll_back()
            raise
    try:
        yield SeededDemo(output=out.getvalue())
    finally:
        roll_back()


SEEDED_MODULE_PREFIX = "test_seed_"
# Modules of races run with real concurrent connections (recoverynet.testing.run_concurrently).
CONCURRENCY_MODULE = "test_concurrency_postgres.py"


def pytest_collection_modifyitems(config, items):
    """A test using `seeded_demo` lives in a module named test_seed_*.py, so that a parallel
    run keeps the module on one worker (below)."""
    for item in items:
        if "seeded_demo" in item.fixturenames and not item.path.name.startswith(SEEDED_MODULE_PREFIX):
            raise pytest.UsageError(
                f"{item.nodeid} uses seeded_demo: put it in a module named {SEEDED_MODULE_PREFIX}*.py "
                "(see docs/development.md, 'The demo, loaded once')."
            )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's `load` distribution, except that each test_seed_*.py module goes to one
    worker as a whole, so its `seeded_demo` is loaded once, not once per worker (or more: `load`
    can hand a worker a module's tests in several runs, each loading the demo again). Each
    other test is a unit of its own, balanced as with `load`. (`--dist loadgroup` with an
    `xdist_group` mark would do the same, but pytest-xdist 3.8 loses the groups on pytest 9.2:
    pytest-dev/pytest-xdist#1386.) Every test_concurrency_postgres.py module goes, with the others, to
    one worker too. Another --dist mode asked for by name is left alone."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SeededModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0]
            name = module.rsplit("/", 1)[-1]
            if name == CONCURRENCY_MODULE:
                # Each of these opens up to ~50 connections at once: run them all on one worker, one
                # after another, so that two never together pass PostgreSQL's 100 connections.
                return CONCURRENCY_MODULE
            return module if name.startswith(SEEDED_MODULE_PREFIX) else nodeid

    return SeededModulesTogether(config, log)


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
