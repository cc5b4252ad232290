"""The federation REST API (/api/v1/): public reads, scoped memberships,
writes through the services layer, 400s for bad input, constant queries."""

import json

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from recoverynet.accounts.factories import UserFactory
from recoverynet.core.api import exception_handler
from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PartnershipFactory,
    SettlementFactory,
)
from recoverynet.federation.models import Membership, Organisation, Partnership, Sector, Settlement
from recoverynet.testing import assert_constant_queries, sign_in

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(response):
    return [row["slug"] for row in results(response)]


def audit_entries(instance):
    return AuditEntry.objects.filter(content_type__model=instance._meta.model_name, object_id=str(instance.pk))


# --- Public reads -----------------------------------------------------------------


def test_networks_are_public_with_counts_of_active_things(world, api_as):
    SettlementFactory(network=world.own_network, is_active=False)
    OrganisationFactory(networks=[world.own_network], is_active=False)
    NetworkFactory(federation=world.federation, slug="closed", is_active=False)

    rows = {row["slug"]: row for row in results(api_as("anonymous").get("/api/v1/networks/"))}

    assert set(rows) == {"cumbria", "merseyside"}
    cumbria = rows["cumbria"]
    assert cumbria["settlement_count"] == 1
    assert cumbria["organisation_count"] == 1
    assert cumbria["name"] == "Cumbria"
    assert cumbria["url"].endswith("/api/v1/networks/cumbria/")
    assert cumbria["web_url"].endswith("/networks/cumbria/")
    assert cumbria["latitude"] == "53.48000"
    assert cumbria["requires_approval"] is True


def test_network_lookup_by_slug_and_search(world, api_as):
    client = api_as("anonymous")
    assert client.get("/api/v1/networks/merseyside/").json()["name"] == "Merseyside"
    assert client.get("/api/v1/networks/nowhere/").status_code == 404
    assert slugs(client.get("/api/v1/networks/", {"q": "mersey"})) == ["merseyside"]


def test_inactive_network_is_not_found(world, api_as):
    world.other_network.is_active = False
    world.other_network.save(update_fields=["is_active"])
    client = api_as("anonymous")
    assert client.get("/api/v1/networks/merseyside/").status_code == 404
    # Nor are its settlements or the partnerships it leads.
    assert client.get("/api/v1/settlements/bootle-hub/").status_code == 404
    assert client.get("/api/v1/partnerships/other-partnership/").status_code == 404


def test_settlements_list_only_active_ones_and_filter(world, api_as):
    SettlementFactory(network=world.own_network, name="Closed Hub", slug="closed-hub", is_active=False)
    SettlementFactory(network=world.own_network, name="Kendal Hub", slug="kendal-hub", town="Kendal")
    client = api_as("anonymous")

    assert sorted(slugs(client.get("/api/v1/settlements/"))) == ["bootle-hub", "carlisle-hub", "kendal-hub"]
    assert client.get("/api/v1/settlements/closed-hub/").status_code == 404
    assert sorted(slugs(client.get("/api/v1/settlements/", {"network": "cumbria"}))) == ["carlisle-hub", "kendal-hub"]
    assert slugs(client.get("/api/v1/settlements/", {"town": "kendal"})) == ["kendal-hub"]
    assert slugs(client.get("/api/v1/settlements/", {"q": "bootle"})) == ["bootle-hub"]
    assert slugs(client.get("/api/v1/settlements/", {"network": "no-such-network"})) == []

    detail = client.get("/api/v1/settlements/carlisle-hub/").json()
    assert detail["network"] == "cumbria"
    assert detail["network_name"] == "Cumbria"
    assert detail["town"] == "Preston"


def test_organisations_filter_by_sector_network_and_text(world, api_as):
    OrganisationFactory(name="Gone", slug="gone", networks=[world.own_network], is_active=False)
    client = api_as("anonymous")

    assert sorted(slugs(client.get("/api/v1/organisations/"))) == ["eden-recovery", "mersey-works"]
    assert slugs(client.get("/api/v1/organisations/", {"sector": Sector.SOCIAL_ENTERPRISE})) == ["mersey-works"]
    assert slugs(client.get("/api/v1/organisations/", {"network": "cumbria"})) == ["eden-recovery"]
    assert slugs(client.get("/api/v1/organisations/", {"q": "eden"})) == ["eden-recovery"]
    assert client.get("/api/v1/organisations/gone/").status_code == 404
    assert client.get("/api/v1/organisations/eden-recovery/").json()["networks"] == ["cumbria"]


def test_bad_filter_values_are_400_not_500(world, api_as):
    client = api_as("anonymous")
    response = client.get("/api/v1/organisations/", {"sector": "pirates"})
    assert response.status_code == 400
    assert "sector" in response.json()
    assert client.get("/api/v1/networks/", {"q": "x" * 101}).status_code == 400
    assert client.get("/api/v1/networks/", {"page": "999"}).status_code == 404


def test_partnerships_filters_list_each_partnership_once(world, api_as):
    world.own_partnership.organisations.add(world.other_organisation)
    world.own_partnership.networks.add(world.other_network)
    PartnershipFactory(
        lead_network=world.own_network, slug="paused-one", status=Partnership.Status.PAUSED
    ).networks.set([world.own_network])
    client = api_as("anonymous")

    assert sorted(slugs(client.get("/api/v1/partnerships/", {"status": "paused"}))) == ["paused-one"]
    assert sorted(slugs(client.get("/api/v1/partnerships/", {"network": "merseyside"}))) == [
        "other-partnership",
        "own-partnership",
    ]
    assert sorted(slugs(client.get("/api/v1/partnerships/", {"organisation": "mersey-works"}))) == [
        "other-partnership",
        "own-partnership",
    ]
    assert sorted(slugs(client.get("/api/v1/partnerships/", {"sector": Sector.SOCIAL_ENTERPRISE}))) == [
        "other-partnership",
        "own-partnership",
    ]
    detail = client.get("/api/v1/partnerships/own-partnership/").json()
    assert detail["lead_network"] == "cumbria"
    assert sorted(detail["networks"]) == ["cumbria", "merseyside"]
    assert sorted(detail["organisations"]) == ["eden-recovery", "mersey-works"]


# --- Settlement writes ------------------------------------------------------------


def test_coordinator_creates_settlement_with_audit(world, api_as):
    response = api_as("network_coordinator").post(
        "/api/v1/settlements/",
        {"network": "cumbria", "name": "Workington Hub", "town": "Workington", "latitude": "54.64000"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "workington-hub"
    settlement = Settlement.objects.get(slug="workington-hub")
    assert settlement.network == world.own_network
    entry = audit_entries(settlement).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == world.users["network_coordinator"]
    assert entry.network == world.own_network


@pytest.mark.parametrize("role", ["anonymous", "member", "professional", "settlement_host", "network_coordinator"])
def test_settlement_in_another_network_is_forbidden(world, api_as, role):
    before = AuditEntry.objects.count()
    response = api_as(role).post(
        "/api/v1/settlements/", {"network": "merseyside", "name": "Wirral Hub", "town": "Birkenhead"}, format="json"
    )
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Settlement.objects.filter(name="Wirral Hub").exists()
    assert AuditEntry.objects.count() == before


def test_federation_coordinator_creates_settlement_anywhere(world, api_as):
    response = api_as("federation_coordinator").post(
        "/api/v1/settlements/", {"network": "merseyside", "name": "Wirral Hub", "town": "Birkenhead"}, format="json"
    )
    assert response.status_code == 201
    assert Settlement.objects.get(name="Wirral Hub").network == world.other_network


def test_host_changes_own_settlement_with_audit(world, api_as):
    response = api_as("settlement_host").patch(
        "/api/v1/settlements/carlisle-hub/", {"town": "Carlisle", "opening_times": "Daily"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["town"] == "Carlisle"
    world.own_settlement.refresh_from_db()
    assert world.own_settlement.town == "Carlisle"
    entry = audit_entries(world.own_settlement).get()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == world.users["settlement_host"]
    assert entry.changes["town"] == ["Preston", "Carlisle"]


@pytest.mark.parametrize(
    ("role", "slug", "status"),
    [
        ("anonymous", "carlisle-hub", 403),
        ("member", "carlisle-hub", 403),
        ("professional", "carlisle-hub", 403),
        ("settlement_host", "bootle-hub", 403),
        ("network_coordinator", "bootle-hub", 403),
        ("network_coordinator", "no-such-hub", 404),
    ],
)
def test_settlement_changes_forbidden_by_role(world, api_as, role, slug, status):
    response = api_as(role).patch(f"/api/v1/settlements/{slug}/", {"town": "Elsewhere"}, format="json")
    assert response.status_code == status
    assert not Settlement.objects.filter(town="Elsewhere").exists()
    assert not AuditEntry.objects.exists()


def test_host_cannot_move_settlement_to_another_network(world, api_as):
    response = api_as("settlement_host").patch(
        "/api/v1/settlements/carlisle-hub/", {"network": "merseyside"}, format="json"
    )
    assert response.status_code == 403
    world.own_settlement.refresh_from_db()
    assert world.own_settlement.network == world.own_network


def test_put_and_delete_are_not_offered(world, api_as):
    client = api_as("network_coordinator")
    assert client.put("/api/v1/settlements/carlisle-hub/", {}, format="json").status_code == 405
    assert client.delete("/api/v1/settlements/carlisle-hub/").status_code == 405
    assert Settlement.objects.filter(slug="carlisle-hub").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"network": "cumbria", "name": "x" * 151, "town": "Kendal"}, "name"),
        ({"network": "cumbria", "name": "Kendal Hub"}, "town"),
        ({"network": "cumbria", "name": ["a", "list"], "town": "Kendal"}, "name"),
        ({"network": "cumbria", "name": {"an": "object"}, "town": "Kendal"}, "name"),
        ({"network": "cumbria", "name": 42, "town": "Kendal"}, "name"),
        ({"network": "cumbria", "name": "Kendal Hub", "town": True}, "town"),
        ({"network": "atlantis", "name": "Kendal Hub", "town": "Kendal"}, "network"),
        ({"network": 1, "name": "Kendal Hub", "town": "Kendal"}, "network"),
        ({"network": "cumbria", "name": "Kendal Hub", "town": "Kendal", "latitude": "north"}, "latitude"),
        ({"network": "cumbria", "name": "Kendal Hub", "town": "Kendal", "latitude": "91"}, "latitude"),
        ({"network": "cumbria", "name": "Kendal Hub", "town": "Kendal", "contact_email": "nope"}, "contact_email"),
        ({"network": "cumbria", "name": "Kendal Hub", "town": "Kendal", "phone": "0" * 31}, "phone"),
        ({"network": "cumbria", "name": "Kendal\x00Hub", "town": "Kendal"}, "name"),
        ({"network": "cumbria", "name": "Carlisle Hub", "town": "Carlisle"}, "name"),  # name taken in network
    ],
)
def test_bad_settlement_input_is_400_with_field_errors_and_writes_nothing(world, api_as, body, field):
    response = api_as("network_coordinator").post("/api/v1/settlements/", body, format="json")

    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors
    assert all(isinstance(message, str) and message for message in errors[field])
    assert Settlement.objects.count() == 2
    assert not AuditEntry.objects.exists()


def test_malformed_json_is_400(world, api_as):
    response = api_as("network_coordinator").post(
        "/api/v1/settlements/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert (
        api_as("network_coordinator")
        .post("/api/v1/settlements/", data="[1, 2]", content_type="application/json")
        .status_code
        == 400
    )


def test_form_encoded_bodies_are_refused(world, api_as):
    response = api_as("network_coordinator").post(
        "/api/v1/settlements/", {"network": "cumbria", "name": "Kendal Hub", "town": "Kendal"}
    )
    assert response.status_code == 415


def test_invalid_patch_changes_nothing(world, api_as):
    response = api_as("settlement_host").patch(
        "/api/v1/settlements/carlisle-hub/", {"town": "", "opening_times": "Never"}, format="json"
    )
    assert response.status_code == 400
    assert "town" in response.json()
    world.own_settlement.refresh_from_db()
    assert world.own_settlement.town == "Preston"
    assert world.own_settlement.opening_times == "Monday to Friday, 10am to 4pm"
    assert not AuditEntry.objects.exists()


def test_hostile_html_is_stored_as_text_and_escaped_in_json(world, api_as):
    response = api_as("network_coordinator").post(
        "/api/v1/settlements/",
        {"network": "cumbria", "name": "Hub & Café", "town": "Kendal", "activities": HOSTILE},
        format="json",
    )
    assert response.status_code == 201
    settlement = Settlement.objects.get(town="Kendal")
    assert settlement.activities == HOSTILE  # stored exactly as typed: it is text, escaped on output

    body = api_as("anonymous").get(f"/api/v1/settlements/{settlement.slug}/").content
    assert b"<" not in body and b">" not in body  # no markup in the raw JSON
    assert b"\\u003cscript\\u003e" in body
    assert json.loads(body)["activities"] == HOSTILE
    assert json.loads(body)["name"] == "Hub & Café"


# --- Organisation and partnership writes ------------------------------------------


def test_coordinator_creates_organisation_in_own_network(world, api_as):
    response = api_as("network_coordinator").post(
        "/api/v1/organisations/",
        {"name": "Kendal Foodbank", "sector": "voluntary", "networks": ["cumbria"], "town": "Kendal"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["networks"] == ["cumbria"]
    organisation = Organisation.objects.get(slug="kendal-foodbank")
    assert list(organisation.networks.all()) == [world.own_network]
    entry = audit_entries(organisation).get()
    assert entry.actor == world.users["network_coordinator"]
    assert entry.changes["networks"] == [[], [world.own_network.pk]]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "X", "sector": "voluntary", "networks": ["cumbria", "merseyside"]}, 403, None),
        ({"name": "X", "sector": "voluntary", "networks": []}, 400, "networks"),
        ({"name": "X", "sector": "voluntary", "networks": "cumbria"}, 400, "networks"),
        ({"name": "X", "sector": "voluntary", "networks": ["atlantis"]}, 400, "networks"),
        ({"name": "X", "sector": "pirates", "networks": ["cumbria"]}, 400, "sector"),
        (
            {"name": "X", "sector": "voluntary", "networks": ["cumbria"], "website": "javascript:alert(1)"},
            400,
            "website",
        ),
    ],
)
def test_organisation_create_refusals(world, api_as, body, status, field):
    response = api_as("network_coordinator").post("/api/v1/organisations/", body, format="json")
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()
    assert not Organisation.objects.filter(name="X").exists()
    assert not AuditEntry.objects.exists()


def test_professional_changes_their_organisation_but_not_its_networks(world, api_as):
    client = api_as("professional")
    response = client.patch("/api/v1/organisations/eden-recovery/", {"town": "Penrith"}, format="json")
    assert response.status_code == 200
    assert response.json()["town"] == "Penrith"

    response = client.patch(
        "/api/v1/organisations/eden-recovery/", {"networks": ["cumbria", "merseyside"]}, format="json"
    )
    assert response.status_code == 403
    assert list(world.own_organisation.networks.all()) == [world.own_network]
    assert client.patch("/api/v1/organisations/mersey-works/", {"town": "X"}, format="json").status_code == 403


def test_coordinator_creates_partnership_with_partners(world, api_as):
    response = api_as("network_coordinator").post(
        "/api/v1/partnerships/",
        {
            "name": "Cumbria and Mersey",
            "purpose": "Shared training.",
            "lead_network": "cumbria",
            "organisations": ["eden-recovery", "mersey-works"],
            "start_date": "2026-02-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["networks"] == ["cumbria"]  # the lead network always takes part
    assert sorted(data["organisations"]) == ["eden-recovery", "mersey-works"]
    partnership = Partnership.objects.get(slug=data["slug"])
    assert audit_entries(partnership).get().actor == world.users["network_coordinator"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"lead_network": "merseyside"}, 403, None),
        ({"lead_network": "cumbria", "start_date": "2026-03-01", "end_date": "2026-02-01"}, 400, "end_date"),
        ({"lead_network": "cumbria", "start_date": "1st of March"}, 400, "start_date"),
        ({"lead_network": "cumbria", "organisations": ["no-such-org"]}, 400, "organisations"),
        ({"lead_network": "cumbria", "status": "secret"}, 400, "status"),
        ({"lead_network": "cumbria", "purpose": ""}, 400, "purpose"),
    ],
)
def test_partnership_create_refusals(world, api_as, body, status, field):
    payload = {"name": "Refused", "purpose": "Something.", "start_date": "2026-01-01", **body}
    response = api_as("network_coordinator").post("/api/v1/partnerships/", payload, format="json")
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()
    assert not Partnership.objects.filter(name="Refused").exists()


def test_partnership_lead_can_only_move_to_a_coordinated_network(world, api_as):
    client = api_as("network_coordinator")
    response = client.patch("/api/v1/partnerships/own-partnership/", {"lead_network": "merseyside"}, format="json")
    assert response.status_code == 403
    response = client.patch("/api/v1/partnerships/own-partnership/", {"status": "paused"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "paused"
    assert (
        client.patch("/api/v1/partnerships/other-partnership/", {"status": "ended"}, format="json").status_code == 403
    )


# --- Memberships ------------------------------------------------------------------


def membership_ids(response):
    return {row["id"] for row in results(response)}


def test_memberships_need_signing_in(world, api_as):
    client = api_as("anonymous")
    assert client.get("/api/v1/memberships/").status_code == 403
    assert client.get(f"/api/v1/memberships/{world.own_membership.pk}/").status_code == 403
    assert client.post("/api/v1/memberships/", {"network": "cumbria"}, format="json").status_code == 403


def test_member_sees_only_their_own_membership(world, api_as):
    client = api_as("member")
    assert membership_ids(client.get("/api/v1/memberships/")) == {world.own_membership.pk}
    coordinator_membership = Membership.objects.get(user=world.users["network_coordinator"])
    assert client.get(f"/api/v1/memberships/{coordinator_membership.pk}/").status_code == 404


def test_cumbria_coordinator_never_sees_merseyside_memberships(world, api_as):
    client = api_as("network_coordinator")
    visible = membership_ids(client.get("/api/v1/memberships/"))

    assert world.own_membership.pk in visible
    assert world.other_membership.pk not in visible
    assert visible == set(Membership.objects.filter(network=world.own_network).values_list("pk", flat=True))
    assert client.get(f"/api/v1/memberships/{world.other_membership.pk}/").status_code == 404
    assert membership_ids(client.get("/api/v1/memberships/", {"network": "merseyside"})) == set()
    # Nor can it act on them: not found, rather than forbidden.
    url = f"/api/v1/memberships/{world.other_membership.pk}/"
    assert client.patch(url, {"role": "member"}, format="json").status_code == 404
    assert client.post(url + "decide/", {"approve": True}, format="json").status_code == 404
    assert client.post(url + "leave/").status_code == 404


def test_membership_row_shows_a_display_name_only(world, api_as):
    row = api_as("network_coordinator").get(f"/api/v1/memberships/{world.own_membership.pk}/").json()
    assert row["person"] == {"id": world.users["member"].pk, "display_name": "Member"}
    assert row["network"] == "cumbria"
    assert row["settlement"] == "carlisle-hub"
    assert "member@example.org" not in json.dumps(row)


def test_host_sees_their_settlement_and_federation_coordinator_sees_all(world, api_as):
    host_view = membership_ids(api_as("settlement_host").get("/api/v1/memberships/"))
    assert world.own_membership.pk in host_view
    assert world.other_membership.pk not in host_view
    assert Membership.objects.get(user=world.users["network_coordinator"]).pk not in host_view

    everything = membership_ids(api_as("federation_coordinator").get("/api/v1/memberships/"))
    assert everything == set(Membership.objects.values_list("pk", flat=True))


def test_membership_filters(world, api_as):
    client = api_as("network_coordinator")
    coordinators = results(client.get("/api/v1/memberships/", {"role": "network_coordinator"}))
    assert [row["person"]["display_name"] for row in coordinators] == ["Coordinator"]
    at_hub = membership_ids(client.get("/api/v1/memberships/", {"settlement": "carlisle-hub"}))
    assert at_hub == set(Membership.objects.filter(settlement=world.own_settlement).values_list("pk", flat=True))
    assert membership_ids(client.get("/api/v1/memberships/", {"status": "pending"})) == set()
    assert client.get("/api/v1/memberships/", {"status": "bogus"}).status_code == 400


def test_join_network_creates_pending_membership_for_yourself(world, api_as):
    response = api_as("member").post(
        "/api/v1/memberships/", {"network": "merseyside", "settlement": "bootle-hub"}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending"
    assert data["person"]["id"] == world.users["member"].pk
    membership = Membership.objects.get(pk=data["id"])
    assert (membership.user, membership.network, membership.settlement) == (
        world.users["member"],
        world.other_network,
        world.other_settlement,
    )
    entry = audit_entries(membership).get()
    assert entry.actor == world.users["member"]
    assert entry.network == world.other_network


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"network": "merseyside", "settlement": "carlisle-hub"}, "settlement"),  # another network's settlement
        ({"network": "atlantis"}, "network"),
        ({"network": "merseyside", "settlement": "no-such-hub"}, "settlement"),
        ({}, "network"),
        ({"network": ["merseyside"]}, "network"),
        ({"network": "cumbria"}, "network"),  # already a member
    ],
)
def test_join_network_refusals(world, api_as, body, field):
    before = Membership.objects.count()
    response = api_as("member").post("/api/v1/memberships/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Membership.objects.count() == before


def test_coordinator_approves_a_request_with_audit(world, api_as, pending_membership):
    response = api_as("network_coordinator").post(
        f"/api/v1/memberships/{pending_membership.pk}/decide/", {"approve": True}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"
    pending_membership.refresh_from_db()
    assert pending_membership.status == Membership.Status.ACTIVE
    entry = audit_entries(pending_membership).get()
    assert entry.action == AuditEntry.Action.APPROVE
    assert entry.actor == world.users["network_coordinator"]

    again = api_as("network_coordinator").post(
        f"/api/v1/memberships/{pending_membership.pk}/decide/", {"approve": False, "reason": "Oops"}, format="json"
    )
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["This request has already been decided."]}


def test_declining_needs_a_reason(world, api_as, pending_membership):
    url = f"/api/v1/memberships/{pending_membership.pk}/decide/"
    client = api_as("settlement_host")
    response = client.post(url, {"approve": False, "reason": "   "}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert client.post(url, {"approve": "perhaps"}, format="json").status_code == 400
    assert client.post(url, {"reason": "x" * 301, "approve": False}, format="json").status_code == 400
    pending_membership.refresh_from_db()
    assert pending_membership.status == Membership.Status.PENDING

    response = client.post(url, {"approve": False, "reason": "We are full this month."}, format="json")
    assert response.status_code == 200
    assert response.json()["decision_reason"] == "We are full this month."


def test_the_person_cannot_approve_their_own_request(world, api_as, pending_membership):
    client = api_as("anonymous")
    sign_in(client, pending_membership.user)
    response = client.post(f"/api/v1/memberships/{pending_membership.pk}/decide/", {"approve": True}, format="json")
    assert response.status_code == 403
    pending_membership.refresh_from_db()
    assert pending_membership.status == Membership.Status.PENDING


def test_leave_own_membership_only(world, api_as):
    url = f"/api/v1/memberships/{world.own_membership.pk}/leave/"
    assert api_as("network_coordinator").post(url).status_code == 403
    response = api_as("member").post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "left"
    world.own_membership.refresh_from_db()
    assert world.own_membership.status == Membership.Status.LEFT


def test_coordinator_changes_role_with_audit(world, api_as):
    url = f"/api/v1/memberships/{world.own_membership.pk}/"
    response = api_as("network_coordinator").patch(
        url, {"role": "settlement_host", "settlement": "carlisle-hub", "status": "declined"}, format="json"
    )
    assert response.status_code == 200, response.content
    world.own_membership.refresh_from_db()
    assert world.own_membership.role == Membership.Role.SETTLEMENT_HOST
    assert world.own_membership.status == Membership.Status.ACTIVE  # status is not changed here
    entry = audit_entries(world.own_membership).get()
    assert entry.changes["role"] == ["member", "settlement_host"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "settlement_host", "settlement": None}, "settlement"),
        ({"settlement": "bootle-hub"}, "settlement"),
        ({"organisation": "mersey-works"}, "organisation"),
        ({"role": "professional"}, "organisation"),
        ({"role": "emperor"}, "role"),
    ],
)
def test_membership_change_refusals(world, api_as, body, field):
    response = api_as("network_coordinator").patch(
        f"/api/v1/memberships/{world.own_membership.pk}/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    world.own_membership.refresh_from_db()
    assert world.own_membership.role == Membership.Role.MEMBER
    assert world.own_membership.settlement == world.own_settlement


@pytest.mark.parametrize("role", ["member", "settlement_host"])
def test_only_coordinators_change_roles(world, api_as, role):
    response = api_as(role).patch(
        f"/api/v1/memberships/{world.own_membership.pk}/", {"role": "network_coordinator"}, format="json"
    )
    assert response.status_code == 403
    world.own_membership.refresh_from_db()
    assert world.own_membership.role == Membership.Role.MEMBER


def test_coordinator_without_two_factor_is_refused(world, api_as):
    world.users["network_coordinator"].authenticator_set.all().delete()
    response = api_as("network_coordinator").get("/api/v1/memberships/")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


# --- The exception handler ----------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            ValidationError({NON_FIELD_ERRORS: ["Clash."], "name": ["Too long.", "Odd."]}),
            {"non_field_errors": ["Clash."], "name": ["Too long.", "Odd."]},
        ),
        (ValidationError("Already decided."), {"non_field_errors": ["Already decided."]}),
        (ValidationError(["One.", "Two."]), {"non_field_errors": ["One.", "Two."]}),
    ],
)
def test_exception_handler_maps_django_validation_errors(error, expected):
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data == expected


def test_exception_handler_maps_permission_denied():
    from django.core.exceptions import PermissionDenied

    response = exception_handler(PermissionDenied("Not yours."), {})
    assert response.status_code == 403
    assert response.data["detail"] == "Not yours."


# --- Constant queries per list --------------------------------------------------------


def make_rows(world, n):
    """n more of everything listed, each with its relations filled in."""
    for _ in range(n):
        network = NetworkFactory(federation=world.federation)
        settlement = SettlementFactory(network=world.own_network)
        SettlementFactory(network=network)
        organisation = OrganisationFactory(networks=[world.own_network, network])
        partnership = PartnershipFactory(lead_network=world.own_network, organisations=[organisation])
        partnership.networks.set([world.own_network, network])
        MembershipFactory(network=world.own_network, settlement=settlement, organisation=organisation)


LIST_URLS = [
    "/api/v1/networks/",
    "/api/v1/settlements/",
    "/api/v1/organisations/",
    "/api/v1/partnerships/",
    "/api/v1/memberships/",
]


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("role", ["anonymous", "network_coordinator"])
def test_lists_run_a_constant_number_of_queries(world, api_as, url, role):
    client = api_as(role)
    expected_status = 403 if (role == "anonymous" and "memberships" in url) else 200

    def fetch():
        response = client.get(url)
        assert response.status_code == expected_status
        return response

    # With the world's own rows: at least 3, then at least 30, of each.
    response = assert_constant_queries(fetch, lambda n: make_rows(world, n), few=2, many=29)
    if expected_status == 200:
        assert response.json()["count"] >= 30


def test_page_size_is_capped(world, api_as):
    SettlementFactory.create_batch(5, network=world.own_network)
    response = api_as("anonymous").get("/api/v1/settlements/", {"page_size": 2})
    data = response.json()
    assert len(data["results"]) == 2
    assert data["count"] == 7
    assert data["next"]


def test_member_can_list_with_new_account_that_has_no_memberships(db, api_as, world):
    client = api_as("anonymous")
    sign_in(client, UserFactory())
    assert results(client.get("/api/v1/memberships/")) == []


def test_admin_cannot_make_someone_else_leave(world, api_as):
    response = api_as("admin").post(f"/api/v1/memberships/{world.own_membership.pk}/leave/")
    assert response.status_code == 403
    world.own_membership.refresh_from_db()
    assert world.own_membership.status == Membership.Status.ACTIVE
