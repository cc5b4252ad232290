"""People in the REST API (/api/v1/members/): who sees whom, what they see of
them (display name; email only with consent), and your own profile."""

import datetime
import json

import pytest
from django.utils import timezone

from recoverynet.accounts.factories import ConsentRecordFactory, UserFactory
from recoverynet.accounts.models import User
from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory, SettlementFactory
from recoverynet.federation.models import Membership
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db

PRIVATE_KEYS = {"legal_name", "phone", "date_of_birth", "self_descriptions"}


def people(response):
    assert response.status_code == 200, response.content
    return {row["display_name"]: row for row in response.json()["results"]}


def consent(user, granted, minutes_ago=0):
    return ConsentRecordFactory(
        user=user,
        purpose="contact",
        granted=granted,
        recorded_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def merseyside_person(world):
    """Someone in Merseyside only, who agreed to be contacted."""
    return world.other_membership.user


def test_signing_in_is_required(world, api_for):
    client = api_for(None)
    assert client.get("/api/v1/members/").status_code == 403
    assert client.get("/api/v1/members/me/").status_code == 403
    assert client.get(f"/api/v1/members/{world.users['member'].pk}/").status_code == 403
    assert client.patch("/api/v1/members/me/", {"display_name": "X"}, format="json").status_code == 403


def test_a_member_sees_only_themselves(world, api_for):
    rows = people(api_for(world.users["member"]).get("/api/v1/members/"))
    assert set(rows) == {"Member"}
    assert rows["Member"]["email"] == "member@example.org"  # their own
    client = api_for(world.users["member"])
    assert client.get(f"/api/v1/members/{world.users['network_coordinator'].pk}/").status_code == 404


def test_cumbria_coordinator_sees_cumbria_people_only(world, api_for, merseyside_person):
    client = api_for(world.users["network_coordinator"])
    rows = people(client.get("/api/v1/members/"))

    assert set(rows) == {"Member", "Professional", "Host", "Coordinator"}
    assert merseyside_person.display_name not in rows
    assert client.get(f"/api/v1/members/{merseyside_person.pk}/").status_code == 404
    assert client.get(f"/api/v1/members/{world.users['federation_coordinator'].pk}/").status_code == 404
    assert client.get("/api/v1/members/999999/").status_code == 404


def test_only_visible_memberships_are_listed_under_a_person(world, api_for):
    # The member has also joined Merseyside: a Cumbria coordinator must not learn that.
    elsewhere = MembershipFactory(user=world.users["member"], network=world.other_network)
    member_id = world.users["member"].pk

    row = api_for(world.users["network_coordinator"]).get(f"/api/v1/members/{member_id}/").json()
    assert [m["id"] for m in row["memberships"]] == [world.own_membership.pk]
    assert "merseyside" not in json.dumps(row)

    row = api_for(world.users["federation_coordinator"]).get(f"/api/v1/members/{member_id}/").json()
    assert {m["id"] for m in row["memberships"]} == {world.own_membership.pk, elsewhere.pk}


def test_host_sees_the_people_of_their_settlement(world, api_for):
    elsewhere = SettlementFactory(network=world.own_network, slug="kendal-hub")
    MembershipFactory(user=UserFactory(display_name="Kendal Person"), network=world.own_network, settlement=elsewhere)
    rows = people(api_for(world.users["settlement_host"]).get("/api/v1/members/"))
    assert set(rows) == {"Host", "Member"}


def test_federation_coordinator_sees_everyone_with_a_membership(world, api_for, merseyside_person):
    rows = people(api_for(world.users["federation_coordinator"]).get("/api/v1/members/"))
    assert {"Member", "Professional", "Host", "Coordinator", "Federation", merseyside_person.display_name} == set(rows)


def test_email_only_with_consent_to_be_contacted(world, api_for):
    host = world.users["settlement_host"]
    professional = world.users["professional"]
    consent(host, True)
    consent(professional, True, minutes_ago=10)
    consent(professional, False)  # changed their mind: the latest decision is in force

    rows = people(api_for(world.users["network_coordinator"]).get("/api/v1/members/"))

    assert rows["Host"]["email"] == "host@example.org"
    assert rows["Professional"]["email"] is None
    assert rows["Member"]["email"] is None  # never asked: no
    assert rows["Coordinator"]["email"] == "coordinator@example.org"  # themselves
    body = json.dumps(rows)
    assert "professional@example.org" not in body
    assert "member@example.org" not in body

    detail = api_for(world.users["network_coordinator"]).get(f"/api/v1/members/{host.pk}/").json()
    assert detail["email"] == "host@example.org"
    detail = api_for(world.users["network_coordinator"]).get(f"/api/v1/members/{professional.pk}/").json()
    assert detail["email"] is None


def test_other_people_never_show_private_details(world, api_for):
    member = world.users["member"]
    member.legal_name = "Legal Name Here"
    member.phone = "07700 900123"
    member.date_of_birth = datetime.date(1980, 1, 2)
    member.self_descriptions = ["in_recovery"]
    member.save()
    consent(member, True)

    client = api_for(world.users["federation_coordinator"])
    for response in (client.get("/api/v1/members/"), client.get(f"/api/v1/members/{member.pk}/")):
        body = response.content.decode()
        assert response.status_code == 200
        for secret in ("Legal Name Here", "07700 900123", "1980-01-02", "in_recovery"):
            assert secret not in body
    row = client.get(f"/api/v1/members/{member.pk}/").json()
    assert set(row) == {"id", "url", "display_name", "email", "memberships"}
    assert not PRIVATE_KEYS & set(row)


def test_me_shows_the_full_profile_to_the_person(world, api_for):
    member = world.users["member"]
    member.legal_name = "Legal Name Here"
    member.phone = "07700 900123"
    member.date_of_birth = datetime.date(1980, 1, 2)
    member.self_descriptions = ["in_recovery", "family"]
    member.save()

    data = api_for(member).get("/api/v1/members/me/").json()

    assert data["email"] == "member@example.org"
    assert data["legal_name"] == "Legal Name Here"
    assert data["phone"] == "07700 900123"
    assert data["date_of_birth"] == "1980-01-02"
    assert data["self_descriptions"] == ["in_recovery", "family"]
    assert [m["id"] for m in data["memberships"]] == [world.own_membership.pk]


def test_patch_me_changes_profile_through_the_service_with_redacted_audit(world, api_for):
    member = world.users["member"]
    response = api_for(member).patch(
        "/api/v1/members/me/",
        {
            "display_name": "  Sam  ",
            "legal_name": "Samantha Example",
            "date_of_birth": "1990-05-06",
            "self_descriptions": ["recovering", "ally", "ally"],
            "email": "stolen@example.org",  # read-only: ignored
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["display_name"] == "Sam"
    assert data["self_descriptions"] == ["ally", "recovering"]

    member = User.objects.get(pk=member.pk)
    assert member.display_name == "Sam"
    assert member.legal_name == "Samantha Example"
    assert member.date_of_birth == datetime.date(1990, 5, 6)
    assert member.email == "member@example.org"
    entry = AuditEntry.objects.get(content_type__model="user", object_id=str(member.pk))
    assert entry.actor == member
    assert entry.changes["display_name"] == ["(changed)", "(changed)"]
    assert entry.changes["legal_name"] == ["(changed)", "(changed)"]
    assert "Samantha" not in json.dumps(entry.changes)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 61}, "display_name"),
        ({"display_name": 42.5}, "display_name"),
        ({"legal_name": "x" * 151}, "legal_name"),
        ({"phone": "1" * 31}, "phone"),
        ({"date_of_birth": "yesterday"}, "date_of_birth"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"self_descriptions": ["astronaut"]}, "self_descriptions"),
        ({"self_descriptions": "in_recovery"}, "self_descriptions"),
    ],
)
def test_bad_profile_input_is_400_and_changes_nothing(world, api_for, body, field):
    member = world.users["member"]
    response = api_for(member).patch("/api/v1/members/me/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    member = User.objects.get(pk=member.pk)
    assert member.display_name == "Member"
    assert not AuditEntry.objects.exists()


def test_hostile_display_name_is_text_and_escaped_in_json(world, api_for):
    hostile = "<b onmouseover=alert(1)>Sam</b>"
    member = world.users["member"]
    assert api_for(member).patch("/api/v1/members/me/", {"display_name": hostile}, format="json").status_code == 200
    assert User.objects.get(pk=member.pk).display_name == hostile

    response = api_for(world.users["network_coordinator"]).get(f"/api/v1/members/{member.pk}/")
    assert b"<b" not in response.content
    assert response.json()["display_name"] == hostile


def test_people_list_runs_a_constant_number_of_queries(world, api_for):
    def add(n):
        for _ in range(n):
            person = UserFactory()
            MembershipFactory(user=person, network=world.own_network, settlement=world.own_settlement)
            MembershipFactory(user=person, network=world.other_network)
            consent(person, True)

    client = api_for(world.users["network_coordinator"])
    rows = assert_constant_queries(lambda: people(client.get("/api/v1/members/")), add)
    assert len(rows) >= 30
    assert all(len(row["memberships"]) == 1 for row in rows.values())  # their Merseyside ones stay hidden


def test_new_member_with_pending_request_is_visible_to_the_coordinator(world, api_for):
    newcomer = UserFactory(display_name="Newcomer")
    MembershipFactory(user=newcomer, network=world.own_network, status=Membership.Status.PENDING)
    rows = people(api_for(world.users["network_coordinator"]).get("/api/v1/members/", {"q": "newc"}))
    assert set(rows) == {"Newcomer"}
    assert rows["Newcomer"]["memberships"][0]["status"] == "pending"
