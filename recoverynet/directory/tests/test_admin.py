"""The directory in the Django admin: scoped, through the services, no deletes."""

import pytest
from django.urls import reverse

from recoverynet.core.models import AuditEntry
from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory, ServiceFactory
from recoverynet.directory.models import ChangeRequest, Location, Meeting
from recoverynet.testing import give_totp

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:directory_{model}_{view}", args=args)


def form_data(response, **changes):
    """The POST data of the admin form on `response`, with `changes` applied (False removes a checkbox)."""
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
    # The read-only inlines' management forms.
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def audit_entries(obj):
    return AuditEntry.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk))


@pytest.fixture
def meetings(world):
    return (
        MeetingFactory(network=world.own_network, name="Carlisle Tuesday", days=[2]),
        MeetingFactory(network=world.other_network, name="Bootle Friday"),
    )


def test_network_coordinator_sees_only_their_networks_meetings(staff_client, meetings):
    response = staff_client("network_coordinator").get(url("meeting", "changelist"))
    assert response.status_code == 200
    assert [m.name for m in response.context["cl"].result_list] == ["Carlisle Tuesday"]
    assert "Bootle Friday" not in response.content.decode()


def test_federation_coordinator_sees_every_meeting(staff_client, meetings):
    response = staff_client("federation_coordinator").get(url("meeting", "changelist"))
    assert len(response.context["cl"].result_list) == 2


@pytest.mark.parametrize("model", ["meeting", "location", "service", "changerequest"])
def test_another_networks_rows_are_not_found(world, staff_client, model):
    other = MeetingFactory(network=world.other_network)
    objects = {
        "meeting": other,
        "location": other.location,
        "service": ServiceFactory(network=world.other_network, organisation=world.other_organisation),
        "changerequest": ChangeRequest.objects.create(meeting=other, field="name", reason="x"),
    }
    response = staff_client("network_coordinator").get(url(model, "change", objects[model].pk))
    assert response.status_code == 404


def test_change_meeting_goes_through_the_service(world, staff_client, meetings):
    meeting = meetings[0]
    client = staff_client("network_coordinator")
    page = client.get(url("meeting", "change", meeting.pk))
    assert page.status_code == 200
    response = client.post(url("meeting", "change", meeting.pk), form_data(page, notes="Side door", days=["2", "4"]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.notes == "Side door"
    assert meeting.weekdays == [2, 4]
    entry = audit_entries(meeting).get(action=AuditEntry.Action.UPDATE)
    assert entry.actor == world.users["network_coordinator"]
    assert entry.changes["days"] == [[2], [2, 4]]


def test_changing_only_the_days_is_saved_and_audited(staff_client, meetings):
    meeting = meetings[0]
    client = staff_client("network_coordinator")
    page = client.get(url("meeting", "change", meeting.pk))
    client.post(url("meeting", "change", meeting.pk), form_data(page, days=["5"]))
    meeting.refresh_from_db()
    assert meeting.weekdays == [5]
    assert audit_entries(meeting).get().changes == {"days": [[2], [5]]}


def test_invalid_meeting_change_shows_the_services_error(staff_client, world, meetings):
    meeting = meetings[0]
    elsewhere = LocationFactory(network=world.other_network)
    client = staff_client("federation_coordinator")  # may see every location, but not use another network's
    page = client.get(url("meeting", "change", meeting.pk))
    response = client.post(url("meeting", "change", meeting.pk), form_data(page, location=elsewhere.pk))
    assert response.status_code == 200
    assert "location" in response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.location != elsewhere
    assert not audit_entries(meeting).exists()


def test_add_meeting_through_the_service(staff_client, world):
    location = LocationFactory(network=world.own_network)
    fellowship = FellowshipFactory()
    client = staff_client("network_coordinator")
    page = client.get(url("meeting", "add"))
    assert page.status_code == 200
    data = form_data(
        page,
        network=world.own_network.pk,
        fellowship=fellowship.pk,
        location=location.pk,
        name="Kendal Monday",
        slug="",
        start_time="19:00",
        days=["1"],
        timezone="Europe/London",
        status="active",
        types=False,
    )
    response = client.post(url("meeting", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get(name="Kendal Monday")
    assert meeting.slug == "kendal-monday"
    assert meeting.weekdays == [1]
    assert audit_entries(meeting).get().action == AuditEntry.Action.CREATE


def test_add_location_in_another_network_is_refused(staff_client, world):
    client = staff_client("network_coordinator")
    page = client.get(url("location", "add"))
    data = form_data(page, network=world.other_network.pk, address="1 Road", town="Bootle")
    response = client.post(url("location", "add"), data)
    assert response.status_code == 200
    assert not Location.objects.exists()


def test_nothing_is_deleted(staff_client, meetings):
    client = staff_client("federation_coordinator")
    assert client.get(url("meeting", "delete", meetings[0].pk)).status_code == 403
    assert Meeting.objects.count() == 2


def test_change_requests_are_read_only_and_hide_the_email(staff_client, meetings):
    change = ChangeRequest.objects.create(
        meeting=meetings[0], field="name", reason="Renamed", reporter_email="reporter@example.org"
    )
    client = staff_client("network_coordinator")
    response = client.get(url("changerequest", "change", change.pk))
    assert response.status_code == 200
    assert "reporter@example.org" not in response.content.decode()
    assert not response.context["has_change_permission"]
    assert client.get(url("changerequest", "add")).status_code == 403


def test_fellowships_are_changed_by_federation_coordinators_only(staff_client):
    fellowship = FellowshipFactory(name="Narcotics Anonymous")
    coordinator = staff_client("network_coordinator")
    page = coordinator.get(url("fellowship", "change", fellowship.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert coordinator.get(url("fellowship", "add")).status_code == 403
    federation = staff_client("federation_coordinator")
    page = federation.get(url("fellowship", "change", fellowship.pk))
    response = federation.post(url("fellowship", "change", fellowship.pk), form_data(page, short_name="NA"))
    assert response.status_code == 302
    fellowship.refresh_from_db()
    assert fellowship.short_name == "NA"
    assert audit_entries(fellowship).exists()


@pytest.mark.parametrize("role", ["member", "professional", "settlement_host"])
def test_non_coordinators_do_not_see_the_directory_admin(world, staff_client, role, meetings):
    give_totp(world.users[role])  # staff must use two-factor authentication
    assert staff_client(role).get(url("meeting", "changelist")).status_code == 403
