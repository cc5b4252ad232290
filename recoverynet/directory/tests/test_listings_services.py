import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recoverynet.core.models import AuditEntry
from recoverynet.directory import services
from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory
from recoverynet.directory.models import Meeting, MeetingType

pytestmark = pytest.mark.django_db


def test_meeting_types_are_loaded_from_the_spec():
    assert MeetingType.objects.filter(proposed=False).count() == 87
    assert MeetingType.objects.get(code="X").name == "Wheelchair Access"


def test_coordinator_creates_meeting_with_days_and_types(world):
    location = LocationFactory(network=world.own_network)
    meeting = services.create_meeting(
        actor=world.users["network_coordinator"],
        network=world.own_network,
        data={
            "name": "Carlisle Tuesday Serenity",
            "fellowship": FellowshipFactory(),
            "location": location,
            "start_time": datetime.time(19, 0),
        },
        days=[2, 4],
        types=MeetingType.objects.filter(code__in=["O", "X"]),
    )
    assert meeting.slug == "carlisle-tuesday-serenity"
    assert meeting.weekdays == [2, 4]
    assert sorted(meeting.types.values_list("code", flat=True)) == ["O", "X"]
    assert meeting.effective_end_time == datetime.time(20, 0)
    assert meeting.attendance == Meeting.Attendance.IN_PERSON
    entry = AuditEntry.objects.get(content_type__model="meeting")
    assert entry.network == world.own_network


def test_other_network_coordinator_cannot_change_meeting(world):
    meeting = MeetingFactory(network=world.other_network)
    with pytest.raises(PermissionDenied):
        services.update_meeting(actor=world.users["network_coordinator"], meeting=meeting, data={"name": "X"})


def test_update_days_is_audited_once(world):
    meeting = MeetingFactory(network=world.own_network, days=[1])
    changes = services.update_meeting(
        actor=world.users["network_coordinator"], meeting=meeting, data={"notes": "Side door"}, days=[1, 3]
    )
    assert changes == {"notes": ["", "Side door"], "days": [[1], [1, 3]]}
    assert AuditEntry.objects.filter(content_type__model="meeting").count() == 1


def test_weekly_meeting_needs_days_and_time(world):
    with pytest.raises(ValidationError):
        services.create_meeting(
            actor=world.users["network_coordinator"],
            network=world.own_network,
            data={"name": "No days", "fellowship": FellowshipFactory(), "start_time": datetime.time(9, 0)},
            days=[],
        )
    assert not Meeting.objects.filter(name="No days").exists()


@pytest.mark.parametrize(
    ("conference_url", "approximate", "status", "expected"),
    [
        ("", False, "active", "in_person"),
        ("https://zoom.us/j/123", False, "active", "hybrid"),
        ("https://zoom.us/j/123", True, "active", "online"),
        ("https://zoom.us/j/123", False, "temporarily_closed", "online"),
        ("", False, "temporarily_closed", "inactive"),
        ("", True, "active", "inactive"),
    ],
)
def test_attendance_is_derived_and_matches_the_query(world, conference_url, approximate, status, expected):
    location = LocationFactory(network=world.own_network, approximate=approximate)
    meeting = MeetingFactory(network=world.own_network, location=location, conference_url=conference_url, status=status)
    assert meeting.attendance == expected
    for mode in ("in_person", "online", "hybrid"):
        found = Meeting.objects.with_attendance(mode).filter(pk=meeting.pk).exists()
        assert found == (mode == expected)


def test_professional_cannot_move_their_service_to_another_organisation(world):
    from recoverynet.directory.factories import ServiceFactory

    service = ServiceFactory(network=world.own_network, organisation=world.own_organisation)
    professional = world.users["professional"]
    services.update_service(actor=professional, service=service, data={"description": "Open on Saturdays"})
    with pytest.raises(PermissionDenied):
        services.update_service(actor=professional, service=service, data={"organisation": world.other_organisation})
    with pytest.raises(PermissionDenied):
        services.update_service(actor=professional, service=service, data={"network": world.other_network})
    service.refresh_from_db()
    assert service.organisation == world.own_organisation


@pytest.mark.parametrize(
    "change",
    [{"data": {"name": "Renamed"}}, {"data": {}, "days": [4, 5]}, {"data": {}, "types": ["O"]}],
    ids=["field", "days only", "types only"],
)
def test_every_change_moves_last_modified_on(world, client, change):
    """Feeds answer 304 by this timestamp: a change that left it alone would never reach their readers."""
    meeting = MeetingFactory(network=world.own_network, days=[2])
    long_ago = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=long_ago)
    meeting.refresh_from_db()
    feed = client.get("/feeds/meeting-guide.json")
    coordinator = world.users["network_coordinator"]
    if "types" in change:
        change = {**change, "types": list(MeetingType.objects.filter(code__in=change["types"]))}
    services.update_meeting(actor=coordinator, meeting=meeting, **change)
    meeting.refresh_from_db()
    assert meeting.updated_at > long_ago
    again = client.get("/feeds/meeting-guide.json", HTTP_IF_NONE_MATCH=feed["ETag"])
    assert again.status_code == 200


def test_no_change_leaves_last_modified_alone(world):
    meeting = MeetingFactory(network=world.own_network, days=[2], name="Same")
    long_ago = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=long_ago)
    meeting.refresh_from_db()
    services.update_meeting(actor=world.users["network_coordinator"], meeting=meeting, data={"name": "Same"}, days=[2])
    meeting.refresh_from_db()
    assert meeting.updated_at == long_ago


def test_feed_is_built_once_and_rebuilt_after_a_location_change(world, client, django_assert_max_num_queries):
    """The feed body is cached under its ETag: a second fetch runs one query, and
    an address change (which moves no meeting's timestamp) still reaches readers."""
    meeting = MeetingFactory(network=world.own_network, days=[2])
    first = client.get("/feeds/meeting-guide.json")
    with django_assert_max_num_queries(1):
        second = client.get("/feeds/meeting-guide.json")
    assert second.content == first.content and second["ETag"] == first["ETag"]
    location = meeting.location
    location.address = "1 Changed Street"
    location.save()
    changed = client.get("/feeds/meeting-guide.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "1 Changed Street" in changed.content.decode()
