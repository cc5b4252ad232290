"""What the audit page shows for a change (issue 11, item 13): what a
coordinator can read — field labels, related records by name, choice labels,
Yes/No, "(none)" — with a constant number of queries however many rows."""

import datetime
import itertools

import pytest
from django.urls import reverse

from recoverynet.core import audit
from recoverynet.core.models import AuditEntry
from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory
from recoverynet.directory.models import MeetingType
from recoverynet.directory.services import create_meeting, update_meeting
from recoverynet.federation import services as federation_services
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = "core:audit_list"


def rows_of(client, entry):
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    (shown,) = [e for e in response.context["entries"] if e.pk == entry.pk]
    return {label: (old, new) for label, old, new in shown.change_rows}


def latest():
    return AuditEntry.objects.latest("id")


def test_a_new_meeting_shows_labels_names_and_choices(login, world):
    coordinator = world.users["network_coordinator"]
    fellowship = FellowshipFactory(name="Narcotics Anonymous", short_name="")
    venue = LocationFactory(network=world.own_network, name="Friends Meeting House", town="Carlisle")
    MeetingType.objects.get_or_create(code="O", defaults={"name": "Open"})
    create_meeting(
        actor=coordinator,
        network=world.own_network,
        data={
            "name": "Tuesday Hope",
            "fellowship": fellowship,
            "location": venue,
            "start_time": datetime.time(19, 30),
            "monthly_week": 1,
        },
        days=[2],
        types=MeetingType.objects.filter(code="O"),
    )
    rows = rows_of(login("network_coordinator"), latest())
    assert rows["Location"] == ("(none)", "Friends Meeting House, Carlisle")
    assert rows["Fellowship"] == ("(none)", "Narcotics Anonymous")
    assert rows["Network"] == ("(none)", "Cumbria")
    assert rows["Start time"] == ("(none)", "19:30")
    assert rows["Monthly week"] == ("(none)", "First")
    assert rows["Status"] == ("(none)", "Active")
    assert rows["Types"] == ("(none)", "Open")
    assert "start_time" not in rows and "Start_time" not in rows


def test_a_weekday_edit_shows_day_names(login, world):
    meeting = MeetingFactory(network=world.own_network, fellowship=FellowshipFactory(), days=[2])
    update_meeting(actor=world.users["network_coordinator"], meeting=meeting, data={}, days=[2, 4])
    rows = rows_of(login("network_coordinator"), latest())
    assert rows["Days"] == ("Tuesday", "Tuesday, Thursday")


def test_booleans_and_missing_values(login, world):
    federation_services.update_network(
        actor=world.users["federation_coordinator"], network=world.own_network, data={"is_active": False}
    )
    rows = rows_of(login("federation_coordinator"), latest())
    assert rows["Is active"] == ("Yes", "No")


def test_a_deleted_related_record_shows_its_id(login, world):
    entry = audit.record(
        actor=None,
        action=AuditEntry.Action.UPDATE,
        instance=MeetingFactory(network=world.own_network),
        network=world.own_network,
        changes={"location": [987654, None]},
    )
    rows = rows_of(login("network_coordinator"), entry)
    assert rows["Location"] == ("#987654 (no longer exists)", "(none)")


def test_unknown_fields_keep_a_readable_name(login, world):
    entry = audit.record(
        actor=None,
        action=AuditEntry.Action.UPDATE,
        instance=world.own_settlement,
        network=world.own_network,
        changes={"old_opening_hours": ["", "9 to 5"]},
    )
    assert rows_of(login("network_coordinator"), entry)["Old opening hours"] == ("(none)", "9 to 5")


def test_query_count_does_not_grow_with_rows(login, world):
    coordinator = world.users["network_coordinator"]
    client = login("network_coordinator")
    fellowship = FellowshipFactory()

    numbers = itertools.count()

    def add_edits(count):
        for n in itertools.islice(numbers, count):
            venue = LocationFactory(network=world.own_network, name=f"Hall {n}")
            meeting = MeetingFactory(network=world.own_network, fellowship=fellowship, location=venue)
            other = LocationFactory(network=world.own_network, name=f"Church {n}")
            data = {"location": other, "monthly_week": 2}
            update_meeting(actor=coordinator, meeting=meeting, data=data, days=[1, 3])

    counted = []

    def fetch():
        response = client.get(reverse(LIST))
        counted.append(len(response.context["entries"]))
        return response

    client.get(reverse(LIST))  # warm caches (content types, the session)
    # One query per related model on the page, never one per row.
    response = assert_constant_queries(fetch, add_edits)
    assert counted == [3, 30]
    html = response.content.decode()
    assert "Church 0" in html and "Hall 0" in html and "Church 29" in html


# --- The "type of record" filter ------------------------------------------------


def object_type_labels(client):
    form = client.get(reverse(LIST)).context["filter"].form
    return {label for _value, label in form.fields["object_type"].choices}


def test_type_filter_offers_every_audited_model_including_the_directorys(login, world):
    coordinator = world.users["network_coordinator"]
    meeting = MeetingFactory(network=world.own_network, fellowship=FellowshipFactory())
    update_meeting(actor=coordinator, meeting=meeting, data={"notes": "Step meeting"})
    federation_services.update_settlement(actor=coordinator, settlement=world.own_settlement, data={"town": "Wigton"})
    client = login("network_coordinator")
    labels = object_type_labels(client)
    assert {"Meeting", "Settlement"} <= labels
    meeting_type = AuditEntry.objects.filter(content_type__model="meeting").latest("id").content_type_id
    (shown,) = client.get(reverse(LIST), {"object_type": meeting_type}).context["entries"]
    assert shown.object_repr == f"Meeting {meeting.name}"


def test_type_filter_offers_only_types_the_reader_can_see(login, world):
    other = MeetingFactory(network=world.other_network, fellowship=FellowshipFactory())
    update_meeting(actor=world.users["federation_coordinator"], meeting=other, data={"notes": "Elsewhere"})
    assert "Meeting" not in object_type_labels(login("network_coordinator"))
    assert "Meeting" in object_type_labels(login("federation_coordinator"))
