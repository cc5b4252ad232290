"""Deeply nested JSON: Python's json module recurses once per level, so a body of
a few thousand "[" was a RecursionError (a 500). Every JSON the API reads is
bounded in depth and refused with a 400 naming the limit."""

import json

import pytest
from django.urls import reverse

from recoverynet.core import safe_json
from recoverynet.testing import sign_in

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"display_name": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}"


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["arrays", "objects"])
def test_a_deeply_nested_body_to_the_api_is_a_400(client, world, body):
    sign_in(client, world.users["member"])
    response = client.patch("/api/v1/members/me/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "nested" in json.dumps(response.json())


@pytest.mark.parametrize(
    "url",
    ["membership-list", "settlement-list", "organisation-list", "partnership-list", "meeting-list", "service-list"],
)
def test_every_writable_list_refuses_deep_nesting(client, world, url):
    sign_in(client, world.users["network_coordinator"])
    response = client.post(reverse(url), data=DEEP, content_type="application/json")
    assert response.status_code == 400


def test_nesting_up_to_the_limit_is_parsed():
    depth = safe_json.MAX_JSON_DEPTH
    assert safe_json.loads("[" * depth + "]" * depth) is not None
    with pytest.raises(safe_json.TooDeeplyNested):
        safe_json.loads("[" * (depth + 1) + "]" * (depth + 1))


def test_brackets_inside_strings_do_not_count():
    assert safe_json.loads(json.dumps({"a": "[[[[" * 1000})) == {"a": "[[[[" * 1000}


def test_invalid_json_is_still_a_value_error():
    with pytest.raises(ValueError):
        safe_json.loads("{")
