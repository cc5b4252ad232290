import pytest
from django.urls import reverse

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    SettlementFactory,
)
from recoverynet.federation.models import Membership, Organisation, Settlement
from recoverynet.testing import assert_constant_queries, give_totp

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:federation_{model}_{view}", args=args)


def form_data(response, **changes):
    """The POST data of the admin form on `response`, with `changes` applied
    (False removes a checkbox)."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = "" if value is None else value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def audit_entries(obj):
    return AuditEntry.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk))


# --- Scoping ----------------------------------------------------------------------


def test_network_coordinator_sees_only_their_networks_settlements(world, staff_client):
    SettlementFactory(network=world.own_network, name="Kendal Hub")
    SettlementFactory(network=world.other_network, name="Birkenhead Hub")
    response = staff_client("network_coordinator").get(url("settlement", "changelist"))
    assert response.status_code == 200
    assert {s.name for s in response.context["cl"].result_list} == {"Carlisle Hub", "Kendal Hub"}
    content = response.content.decode()
    assert "Bootle Hub" not in content and "Birkenhead Hub" not in content
    assert "Merseyside" not in content  # not even in the network filter


def test_federation_coordinator_sees_every_network(world, staff_client):
    response = staff_client("federation_coordinator").get(url("settlement", "changelist"))
    assert {s.name for s in response.context["cl"].result_list} == {"Carlisle Hub", "Bootle Hub"}


@pytest.mark.parametrize(
    ("model", "attr"),
    [
        ("settlement", "other_settlement"),
        ("organisation", "other_organisation"),
        ("partnership", "other_partnership"),
        ("membership", "other_membership"),
        ("network", "other_network"),
    ],
)
def test_another_networks_objects_are_not_found(world, staff_client, model, attr):
    client = staff_client("network_coordinator")
    obj = getattr(world, attr)
    assert client.get(url(model, "change", obj.pk)).status_code == 404
    assert client.post(url(model, "change", obj.pk), {"name": "Taken over"}).status_code == 404
    assert client.get(url(model, "history", obj.pk)).status_code == 404
    assert not audit_entries(obj).exists()


def test_own_networks_objects_can_be_opened(world, staff_client):
    client = staff_client("network_coordinator")
    for model, obj in [
        ("settlement", world.own_settlement),
        ("organisation", world.own_organisation),
        ("partnership", world.own_partnership),
        ("membership", world.own_membership),
        ("network", world.own_network),
    ]:
        assert client.get(url(model, "change", obj.pk)).status_code == 200, model


def test_staff_without_a_coordinating_role_cannot_use_the_federation_admin(world, staff_client):
    give_totp(world.users["settlement_host"])
    client = staff_client("settlement_host")
    assert client.get(url("settlement", "changelist")).status_code == 403
    assert client.get(url("settlement", "change", world.own_settlement.pk)).status_code == 403


def test_membership_list_shows_display_names_never_emails(world, staff_client):
    response = staff_client("network_coordinator").get(url("membership", "changelist"))
    content = response.content.decode()
    assert "Member" in content
    assert "member@example.org" not in content
    assert world.other_membership.pk not in {m.pk for m in response.context["cl"].result_list}


# --- Changes go through the services ------------------------------------------------


def test_admin_change_goes_through_the_service_and_is_audited(world, staff_client):
    client = staff_client("network_coordinator")
    change_url = url("settlement", "change", world.own_settlement.pk)
    data = form_data(client.get(change_url), town="Carlisle", opening_times="Every day, 9am to 5pm")
    response = client.post(change_url, data)
    assert response.status_code == 302
    world.own_settlement.refresh_from_db()
    assert world.own_settlement.town == "Carlisle"
    entry = audit_entries(world.own_settlement).get()
    assert entry.actor == world.users["network_coordinator"]
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.network == world.own_network
    assert entry.changes == {
        "town": ["Preston", "Carlisle"],
        "opening_times": ["Monday to Friday, 10am to 4pm", "Every day, 9am to 5pm"],
    }


def test_saving_without_changes_writes_no_audit_entry(world, staff_client):
    client = staff_client("network_coordinator")
    change_url = url("settlement", "change", world.own_settlement.pk)
    assert client.post(change_url, form_data(client.get(change_url))).status_code == 302
    assert not audit_entries(world.own_settlement).exists()


def test_invalid_change_re_renders_with_errors_and_writes_nothing(world, staff_client):
    client = staff_client("network_coordinator")
    change_url = url("settlement", "change", world.own_settlement.pk)
    response = client.post(change_url, form_data(client.get(change_url), town="", latitude="200"))
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"town", "latitude"}
    world.own_settlement.refresh_from_db()
    assert world.own_settlement.town == "Preston"
    assert not audit_entries(world.own_settlement).exists()


def test_a_service_refusal_comes_back_as_a_form_error(world, staff_client):
    # Taking an organisation out of a network is that network's coordinators' decision.
    shared = OrganisationFactory(name="Shared Works", networks=[world.own_network, world.other_network])
    client = staff_client("network_coordinator")
    change_url = url("organisation", "change", shared.pk)
    response = client.post(change_url, form_data(client.get(change_url), networks=[world.own_network.pk]))
    assert response.status_code == 200
    assert "You do not have permission" in response.content.decode()
    assert set(shared.networks.all()) == {world.own_network, world.other_network}
    assert not audit_entries(shared).exists()


def test_add_settlement_through_the_service(world, staff_client):
    client = staff_client("network_coordinator")
    response = client.get(url("settlement", "add"))
    assert list(response.context["adminform"].form.fields["network"].queryset) == [world.own_network]
    response = client.post(
        url("settlement", "add"),
        {"network": world.own_network.pk, "name": "Penrith Hub", "slug": "", "town": "Penrith", "is_active": "on"},
    )
    assert response.status_code == 302
    settlement = Settlement.objects.get(name="Penrith Hub")
    assert settlement.slug == "penrith-hub"
    assert response["Location"] == url("settlement", "changelist")
    entry = audit_entries(settlement).get()
    assert (entry.action, entry.actor, entry.network) == (
        AuditEntry.Action.CREATE, world.users["network_coordinator"], world.own_network,
    )  # fmt: skip


def test_cannot_add_a_settlement_to_another_network(world, staff_client):
    response = staff_client("network_coordinator").post(
        url("settlement", "add"), {"network": world.other_network.pk, "name": "Sneaky Hub", "town": "Bootle"}
    )
    assert response.status_code == 200
    assert "network" in response.context["adminform"].form.errors
    assert not Settlement.objects.filter(name="Sneaky Hub").exists()


def test_add_organisation_with_its_networks(world, staff_client):
    response = staff_client("network_coordinator").post(
        url("organisation", "add"),
        {"name": "Fell Bakery", "sector": "social_enterprise", "networks": [world.own_network.pk], "is_active": "on"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Fell Bakery")
    assert list(organisation.networks.all()) == [world.own_network]
    assert audit_entries(organisation).get().changes["networks"] == [[], [world.own_network.pk]]


def test_only_federation_coordinators_add_networks(world, staff_client):
    assert staff_client("network_coordinator").get(url("network", "add")).status_code == 403
    response = staff_client("federation_coordinator").post(
        url("network", "add"), {"federation": world.federation.pk, "name": "Isle of Man", "requires_approval": "on"}
    )
    assert response.status_code == 302
    assert audit_entries(world.federation.networks.get(name="Isle of Man")).get().action == AuditEntry.Action.CREATE


def test_change_a_membership_role(world, staff_client):
    client = staff_client("network_coordinator")
    change_url = url("membership", "change", world.own_membership.pk)
    response = client.post(change_url, form_data(client.get(change_url), role="settlement_host"))
    assert response.status_code == 302
    world.own_membership.refresh_from_db()
    assert world.own_membership.role == Membership.Role.SETTLEMENT_HOST
    assert audit_entries(world.own_membership).get().changes == {"role": ["member", "settlement_host"]}


def test_a_membership_change_the_model_forbids_is_a_form_error(world, staff_client):
    client = staff_client("network_coordinator")
    change_url = url("membership", "change", world.own_membership.pk)
    response = client.post(change_url, form_data(client.get(change_url), role="settlement_host", settlement=""))
    assert response.status_code == 200
    assert "settlement" in response.context["adminform"].form.errors
    assert not audit_entries(world.own_membership).exists()


# --- No deleting; actions through the services ---------------------------------------


def test_nothing_can_be_deleted_even_by_a_superuser(world, staff_client):
    client = staff_client("admin")
    assert client.get(url("settlement", "delete", world.own_settlement.pk)).status_code == 403
    assert client.post(url("settlement", "delete", world.own_settlement.pk), {"post": "yes"}).status_code == 403
    assert Settlement.objects.filter(pk=world.own_settlement.pk).exists()
    actions = client.get(url("settlement", "changelist")).context["action_form"].fields["action"].choices
    assert "delete_selected" not in dict(actions)


def test_deactivate_action_uses_the_service(world, staff_client):
    client = staff_client("network_coordinator")
    response = client.post(
        url("settlement", "changelist"),
        {"action": "deactivate", "_selected_action": [world.own_settlement.pk, world.other_settlement.pk]},
    )
    assert response.status_code == 302
    world.own_settlement.refresh_from_db()
    world.other_settlement.refresh_from_db()
    assert not world.own_settlement.is_active
    assert world.other_settlement.is_active  # outside the coordinator's scope: never selected
    assert audit_entries(world.own_settlement).get().changes == {"is_active": [True, False]}


def test_approve_action_decides_pending_requests(world, staff_client):
    pending = MembershipFactory(network=world.own_network, status=Membership.Status.PENDING)
    response = staff_client("network_coordinator").post(
        url("membership", "changelist"), {"action": "approve", "_selected_action": [pending.pk]}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Membership.Status.ACTIVE
    assert audit_entries(pending).get().action == AuditEntry.Action.APPROVE


# --- Constant queries ---------------------------------------------------------------


@pytest.mark.parametrize("model", ["settlement", "membership", "organisation", "partnership"])
def test_changelists_take_the_same_queries_for_3_or_30_rows(world, staff_client, model):
    client = staff_client("network_coordinator")
    make = {
        "settlement": lambda: SettlementFactory(network=world.own_network),
        "membership": lambda: MembershipFactory(network=world.own_network, settlement=world.own_settlement),
        "organisation": lambda: OrganisationFactory(networks=[world.own_network]),
        "partnership": lambda: PartnershipFactory(lead_network=world.own_network),
    }[model]

    def add_rows(n):
        for _ in range(n):
            make()
        client.get(url(model, "changelist"))  # warm caches (content types, sessions)

    def fetch():
        response = client.get(url(model, "changelist"))
        assert response.status_code == 200
        return response

    response = assert_constant_queries(fetch, add_rows)
    assert response.context["cl"].result_count >= 30
