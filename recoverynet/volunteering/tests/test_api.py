"""The public roles API: requirements, never anything about a person; constant queries."""

import itertools

import pytest

from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, RoleSkillFactory, ShiftFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/volunteering/roles/"


def test_roles_with_requirements_and_places_left(world, api_as, role):
    RoleSkillFactory(role=role, name="Listening", level=2)
    shift = ShiftFactory(role=role, places=3)
    services.sign_up(actor=world.users["member"], shift=shift)
    body = api_as("anonymous").get(f"{URL}{role.slug}/").json()
    assert body["skills"] == [{"name": "Listening", "level": "Confident"}]
    assert body["shifts"] == [
        {
            "id": shift.pk,
            "kind": "fixed",
            "starts_at": body["shifts"][0]["starts_at"],
            "ends_at": body["shifts"][0]["ends_at"],
            "day_starts": None,
            "day_ends": None,
            "expected_minutes": None,
            "expected_per": None,
            "when": shift.when,
            "places": 3,
            "places_left": 2,
        }
    ]
    assert body["settlement"] == world.own_settlement.slug and body["organisation"] is None
    assert "Member" not in str(body) and "member@example.org" not in str(body)
    assert api_as("anonymous").get(URL, {"dbs": "platinum"}).status_code == 400


def test_the_list_runs_a_constant_number_of_queries(world, api_as):
    client = api_as("anonymous")
    client.get(URL)
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            role = RoleFactory(network=world.own_network, slug=f"api-role-{next(counter)}")
            RoleSkillFactory(role=role)
            ShiftFactory(role=role)

    response = assert_constant_queries(lambda: client.get(URL), add_rows)
    assert response.json()["count"] == 30
