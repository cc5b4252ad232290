"""/healthz: 200 when the database and the cache answer, 503 otherwise."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext, override_settings

from recoverynet.core import views
from recoverynet.testing import sign_in

pytestmark = pytest.mark.django_db


def test_healthy(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert len(queries) == 1
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_database_down_is_a_503(client, monkeypatch):
    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(views.connection, "cursor", BrokenCursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "failing", "cache": "ok"}}


def test_cache_down_is_a_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is not there")

    monkeypatch.setattr(cache, "set", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing"}


def test_a_cache_that_forgets_is_a_503(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    assert client.get("/healthz").status_code == 503


def test_says_nothing_about_a_signed_in_person(client, world):
    sign_in(client, world.users["admin"])
    body = client.get("/healthz").content.decode()
    for user in world.users.values():
        if user is not None:
            assert user.email not in body
            assert user.display_name not in body


def test_no_rate_limit_counts_it(client):
    cache.clear()
    rates = {"anon": "2/min", "user": "2/min", "openreferral": "2/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        assert all(client.get("/healthz").status_code == 200 for _ in range(20))


def test_only_get(client):
    assert client.post("/healthz").status_code == 405
