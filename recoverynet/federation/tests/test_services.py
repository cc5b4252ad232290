import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recoverynet.core.models import AuditEntry
from recoverynet.federation import services
from recoverynet.federation.models import Membership, Sector, Settlement

pytestmark = pytest.mark.django_db


def test_coordinator_creates_settlement_in_own_network_with_audit(world):
    coordinator = world.users["network_coordinator"]
    settlement = services.create_settlement(
        actor=coordinator, network=world.own_network, data={"name": "Workington Hub", "town": "Workington"}
    )
    assert settlement.slug == "workington-hub"
    entry = AuditEntry.objects.get(object_id=str(settlement.pk), content_type__model="settlement")
    assert entry.actor == coordinator
    assert entry.network == world.own_network
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["name"] == [None, "Workington Hub"]


def test_coordinator_cannot_create_settlement_in_other_network(world):
    with pytest.raises(PermissionDenied):
        services.create_settlement(
            actor=world.users["network_coordinator"], network=world.other_network, data={"name": "X", "town": "Y"}
        )
    assert not Settlement.objects.filter(name="X").exists()


def test_invalid_update_raises_and_writes_nothing(world):
    host = world.users["settlement_host"]
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.update_settlement(actor=host, settlement=world.own_settlement, data={"town": ""})
    world.own_settlement.refresh_from_db()
    assert world.own_settlement.town == "Preston"
    assert AuditEntry.objects.count() == before


def test_update_records_only_changed_fields(world):
    host = world.users["settlement_host"]
    changes = services.update_settlement(
        actor=host, settlement=world.own_settlement, data={"town": "Carlisle", "postcode": "PR1 1AA"}
    )
    assert changes == {"town": ["Preston", "Carlisle"]}


def test_join_and_approve_membership(world):
    newcomer = Membership.objects.get(pk=world.own_membership.pk).user
    services.leave_network(actor=newcomer, membership=world.own_membership)
    membership = services.join_network(actor=newcomer, network=world.own_network)
    assert membership.status == Membership.Status.PENDING
    with pytest.raises(PermissionDenied):
        services.decide_membership(actor=newcomer, membership=membership, approve=True)
    services.decide_membership(actor=world.users["network_coordinator"], membership=membership, approve=True)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def test_decline_needs_reason(world):
    membership = world.own_membership
    membership.status = Membership.Status.PENDING
    membership.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.decide_membership(actor=world.users["network_coordinator"], membership=membership, approve=False)


def test_organisation_needs_a_network_the_actor_coordinates(world):
    coordinator = world.users["network_coordinator"]
    with pytest.raises(PermissionDenied):
        services.create_organisation(
            actor=coordinator, data={"name": "X", "sector": Sector.PRIVATE, "networks": [world.other_network]}
        )
    organisation = services.create_organisation(
        actor=coordinator,
        data={"name": "Fell Bakery", "sector": Sector.SOCIAL_ENTERPRISE, "networks": [world.own_network]},
    )
    assert list(organisation.networks.all()) == [world.own_network]


def test_audit_entries_are_append_only(world):
    services.update_settlement(
        actor=world.users["settlement_host"], settlement=world.own_settlement, data={"town": "Carlisle"}
    )
    entry = AuditEntry.objects.first()
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.update(summary="x")


@pytest.mark.parametrize("other_request_wins_at", ["validation", "insert"])
def test_a_join_that_loses_a_race_gets_the_same_clear_error(world, monkeypatch, other_request_wins_at):
    """Another request for the same membership commits between this one's check and
    its insert. Whether full_clean's unique check or the database constraint notices
    depends on timing; the person sees the same message either way. (The real race,
    with one row left, is in test_concurrency_postgres.py.)"""
    from recoverynet.accounts.factories import UserFactory

    person = UserFactory()
    real_create_instance = services.create_instance

    def other_request_commits_first(*, instance, **kwargs):
        Membership.objects.create(user=person, network=world.own_network, status=Membership.Status.PENDING)
        if other_request_wins_at == "insert":
            instance.full_clean = lambda **_: None  # this request validated before the other committed
        return real_create_instance(instance=instance, **kwargs)

    monkeypatch.setattr(services, "create_instance", other_request_commits_first)
    with pytest.raises(ValidationError) as caught:
        services.join_network(actor=person, network=world.own_network)
    assert caught.value.message_dict == {"network": ["You have already joined or asked to join this network."]}
