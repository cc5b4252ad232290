"""Errors under /api/ and /openreferral/ are JSON, whatever raised them (an
unknown URL included); the site's own error pages are the site's pages and
never show what went wrong. The OpenAPI schema documents the limits the API
enforces and the error responses it gives."""

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here/",
        "/api/v1/networks/no-such-network/extra/",
        "/api/v1/networks/a%20space/",
        "/api/v2/",
        "/api/",
        "/api/anything",
    ],
)
def test_an_unknown_url_under_the_api_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_url_under_openreferral_is_its_json_404(client):
    response = client.get("/openreferral/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": 404, "message": "Not found."}


def test_an_unknown_page_is_the_sites_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page not found" in response.content.decode()


def _handler(status):
    return get_resolver().resolve_error_handler(status)


@pytest.mark.parametrize("path", ["/api/v1/networks/", "/openreferral/services"])
def test_a_server_error_under_the_api_is_json_and_says_nothing_of_the_cause(path):
    response = _handler(500)(RequestFactory().get(path))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "Traceback" not in response.content.decode()


def test_a_server_error_on_a_page_is_the_standalone_500_page():
    response = _handler(500)(RequestFactory().get("/networks/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_crash_in_an_api_view_is_a_json_500(client, monkeypatch):
    from recoverynet.federation.api import views

    def explode(self):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views.NetworkViewSet, "get_queryset", explode)
    response = Client(raise_request_exception=False).get("/api/v1/networks/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "secret detail" not in response.content.decode()


def test_a_bad_request_under_the_api_is_json():
    response = _handler(400)(RequestFactory().get("/api/v1/networks/"), exception=None)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


def test_a_method_not_allowed_is_json(client):
    response = client.delete("/api/v1/networks/")
    assert response.status_code in (403, 405)
    assert response["Content-Type"].startswith("application/json")


# --- the schema ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _parameter(schema, path, name, method="get"):
    return next(p for p in schema["paths"][path][method]["parameters"] if p["name"] == name)["schema"]


def test_filter_limits_are_in_the_schema(schema):
    assert _parameter(schema, "/api/v1/services/", "radius_km")["minimum"] == 0.1
    assert _parameter(schema, "/api/v1/services/", "radius_km")["maximum"] == 200
    assert _parameter(schema, "/api/v1/services/", "near")["maxLength"] == 100
    assert _parameter(schema, "/api/v1/members/", "q")["maxLength"] == 60
    assert _parameter(schema, "/api/v1/networks/", "q")["maxLength"] == 100
    assert _parameter(schema, "/api/v1/settlements/", "network")["maxLength"] == 80
    assert _parameter(schema, "/api/v1/meetings/", "radius_km")["minimum"] == 0.1


def test_paging_limits_are_in_the_schema(schema):
    assert _parameter(schema, "/api/v1/networks/", "page")["minimum"] == 1
    page_size = _parameter(schema, "/api/v1/networks/", "page_size")
    assert (page_size["minimum"], page_size["maximum"]) == (1, 200)


def test_every_operation_documents_its_error_responses(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            where = f"{method.upper()} {path}"
            if "page" in names:
                assert {"400", "404"} <= codes, where
            if "{" in path:
                assert "404" in codes, where
            if method in ("post", "patch", "put", "delete"):
                assert {"400", "403"} <= codes, where


def test_page_zero_is_a_documented_404(client, schema):
    response = client.get("/api/v1/networks/", {"page": 0})
    assert response.status_code == 404
    assert "404" in schema["paths"]["/api/v1/networks/"]["get"]["responses"]


@pytest.mark.parametrize("path", ["/openreferral/", "/openreferral/services", "/openreferral/taxonomies"])
def test_a_method_not_allowed_under_openreferral_is_json(client, path):
    response = client.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"code": 405, "message": "Only GET and HEAD are allowed."}
