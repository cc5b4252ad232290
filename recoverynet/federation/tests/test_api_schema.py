"""The OpenAPI schema and the API documentation pages."""

import json
import re
from html.parser import HTMLParser

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/v1/networks/": {"get"},
    "/api/v1/networks/{slug}/": {"get"},
    "/api/v1/settlements/": {"get", "post"},
    "/api/v1/settlements/{slug}/": {"get", "patch"},
    "/api/v1/organisations/": {"get", "post"},
    "/api/v1/organisations/{slug}/": {"get", "patch"},
    "/api/v1/partnerships/": {"get", "post"},
    "/api/v1/partnerships/{slug}/": {"get", "patch"},
    "/api/v1/memberships/": {"get", "post"},
    "/api/v1/memberships/{id}/": {"get", "patch"},
    "/api/v1/memberships/{id}/decide/": {"post"},
    "/api/v1/memberships/{id}/leave/": {"post"},
    "/api/v1/members/": {"get"},
    "/api/v1/members/{id}/": {"get"},
    "/api/v1/members/me/": {"get", "patch"},
    "/api/v1/meetings/": {"get", "post"},
    "/api/v1/meetings/{slug}/": {"get", "patch"},
    "/api/v1/fellowships/": {"get"},
    "/api/v1/fellowships/{slug}/": {"get"},
    "/api/v1/services/": {"get", "post"},
    "/api/v1/services/{slug}/": {"get", "patch"},
    "/api/v1/locations/": {"get"},
    "/api/v1/locations/{uuid}/": {"get"},
    "/api/v1/outcomes/{slug}/": {"get"},
    "/api/v1/recovery-capital/assessments/": {"get", "post"},
    "/api/v1/recovery-capital/assessments/{id}/": {"get"},
    "/api/v1/recovery-capital/assessments/{id}/answers/": {"post"},
    "/api/v1/timebank-accounts/": {"get"},
    "/api/v1/timebank-accounts/{id}/": {"get"},
    "/api/v1/timebank-accounts/{id}/statement/": {"get"},
    "/api/v1/timebank-exchanges/": {"get", "post"},
    "/api/v1/timebank-exchanges/{id}/": {"get"},
    "/api/v1/timebank-exchanges/{id}/confirm/": {"post"},
    "/api/v1/timebank-exchanges/{id}/dispute/": {"post"},
    "/api/v1/timebank-posts/": {"get", "post"},
    "/api/v1/timebank-posts/{id}/": {"get"},
    "/api/v1/timebank-posts/{id}/respond/": {"post"},
    "/api/v1/volunteering/roles/": {"get"},
    "/api/v1/volunteering/roles/{slug}/": {"get"},
    "/api/v1/volunteering/roles/{slug}/shifts/": {"get"},
    "/api/v1/volunteering/signups/": {"get", "post"},
    "/api/v1/volunteering/signups/{id}/": {"get"},
    "/api/v1/volunteering/signups/{id}/cancel/": {"post"},
    "/api/v1/volunteering/signups/{id}/time/": {"post"},
    "/api/v1/volunteering/signups/{id}/confirm-hours/": {"post"},
    "/api/v1/volunteering/jobs/": {"get"},
    "/api/v1/volunteering/jobs/{slug}/": {"get"},
    "/api/v1/volunteering/jobs/{slug}/outcome/": {"get", "post", "delete"},
    "/api/v1/volunteering/for-you/": {"get"},
    "/api/v1/volunteering/organised-roles/": {"get", "post"},
    "/api/v1/volunteering/organised-roles/{slug}/": {"get", "patch"},
    "/api/v1/volunteering/organised-roles/{slug}/shifts/": {"get", "post"},
    "/api/v1/volunteering/organised-roles/{slug}/commendations/": {"post"},
    "/api/v1/volunteering/organised-shifts/{id}/": {"get", "patch"},
    "/api/v1/volunteering/organised-shifts/{id}/cancel/": {"post"},
    "/api/v1/volunteering/organised-shifts/{id}/signups/": {"get"},
    "/api/v1/volunteering/organised-shifts/{id}/walk-ins/": {"post"},
    "/api/v1/volunteering/organised-shifts/{id}/hours/": {"post"},
    "/api/v1/volunteering/organised-shifts/{id}/credit/": {"post"},
    "/api/v1/volunteering/organised-signups/{id}/confirm/": {"post"},
    "/api/v1/volunteering/organised-signups/{id}/decline/": {"post"},
    "/api/v1/volunteering/organised-signups/{id}/time/": {"post"},
    "/api/v1/pitches/": {"get"},
    "/api/v1/pitches/{id}/": {"get"},
    "/api/v1/pitches/{id}/support/": {"post"},
    "/api/v1/pitches/{id}/withdraw-support/": {"post"},
    "/api/v1/pitches/{id}/pledges/": {"post"},
    "/api/v1/initiatives/": {"get"},
    "/api/v1/initiatives/{id}/": {"get"},
}


def test_schema_is_valid_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn raises SchemaGenerationError on any warning or error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    operations = {path: set(item) - {"parameters"} for path, item in schema["paths"].items()}
    assert operations == OPERATIONS


def test_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert set(yaml.safe_load(response.content)["paths"]) == set(OPERATIONS)

    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    # What other people see of a person: no private details in any response shape.
    member = schema["components"]["schemas"]["Member"]["properties"]
    assert set(member) == {"id", "url", "display_name", "email", "memberships"}
    assert schema["components"]["schemas"]["Member"]["properties"]["email"]["nullable"] is True


class AssetCollector(HTMLParser):
    """Every URL a page loads, and any inline script or style it has."""

    def __init__(self):
        super().__init__()
        self.urls, self.inline_scripts, self.style_attributes, self.style_elements = [], 0, 0, 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.style_attributes += 1
        if tag == "style":
            self.style_elements += 1
        if tag == "script":
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            else:
                self._in_script = True
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag in ("img", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1


def collect(html):
    parser = AssetCollector()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_everything_from_this_site(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    page = collect(html)

    assert page.urls, "the page loads its viewer"
    assert page.inline_scripts == 0 and page.style_elements == 0 and page.style_attributes == 0
    assert not re.search(r"https?://", html), "no other host is referenced"
    for asset in page.urls:
        assert asset.startswith(("/static/", url)), asset
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"
    # The strict Content Security Policy is in force on these pages too.
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp


def test_swagger_ui_start_up_script_is_served_from_the_same_view(client):
    page = collect(client.get("/api/docs/").content.decode())
    script_url = next(u for u in page.urls if u.startswith("/api/docs/"))
    response = client.get(script_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
