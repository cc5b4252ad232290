"""NUL characters: PostgreSQL refuses them in any query, SQLite does not, so
every surface refuses them up front on both databases (never a 500 on one)."""

import pytest
from django.urls import reverse

from recoverynet.testing import sign_in

pytestmark = pytest.mark.django_db


def test_null_character_in_a_json_body_is_a_400(client, world):
    sign_in(client, world.users["member"])
    response = client.post(
        reverse("membership-list"), data='{"network": "cumbria\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"network": ["Null characters are not allowed."]}


def test_null_character_in_an_api_filter_is_a_400(client, world):
    response = client.get("/api/v1/settlements/?town=x%00")
    assert response.status_code == 400


def test_null_character_in_a_page_search_is_a_form_error(client, world):
    response = client.get("/organisations/?q=a%00b")
    assert response.status_code == 200
    assert b"Null characters are not allowed" in response.content
