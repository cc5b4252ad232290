"""core.api's ChangeCheckMixin, through the write serializers that use it: a cross-field check on a
partial update sees the instance's values for the fields not sent."""

import pytest

from recoverynet.directory.api.serializers import MeetingWriteSerializer, ServiceWriteSerializer
from recoverynet.directory.factories import LocationFactory, MeetingFactory, ServiceFactory
from recoverynet.federation.api.serializers import SettlementSerializer
from recoverynet.federation.factories import SettlementFactory

pytestmark = pytest.mark.django_db


def test_partial_service_update_checks_the_age_sent_against_the_age_kept(world):
    service = ServiceFactory(network=world.own_network, organisation=world.own_organisation, minimum_age=18)

    younger = ServiceWriteSerializer(instance=service, data={"maximum_age": 16}, partial=True)
    assert not younger.is_valid()
    assert younger.errors["maximum_age"] == ["The maximum age must be at least the minimum age."]
    assert ServiceWriteSerializer(instance=service, data={"maximum_age": 25}, partial=True).is_valid()


def test_partial_meeting_update_checks_the_location_sent_against_the_network_kept(world):
    meeting = MeetingFactory(network=world.own_network)
    elsewhere = LocationFactory(network=world.other_network)

    moved = MeetingWriteSerializer(instance=meeting, data={"location": str(elsewhere.uuid)}, partial=True)
    assert not moved.is_valid()
    assert moved.errors["location"] == ["Choose a location in this network."]


def test_partial_settlement_rename_checks_the_network_kept_and_not_itself(world):
    settlement = world.own_settlement
    SettlementFactory(network=world.own_network, name="Workington Hub", slug="workington-hub")

    assert SettlementSerializer(instance=settlement, data={"name": settlement.name}, partial=True).is_valid()
    clash = SettlementSerializer(instance=settlement, data={"name": "Workington Hub"}, partial=True)
    assert not clash.is_valid()
    assert clash.errors["name"] == ["This network already has a settlement with this name."]
