"""Changing and removing a service's parts: its locations, opening times and
contacts (services in directory/services/service_details.py, pages under
/manage/directory/services/<slug>/)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from recoverynet.core.models import AuditEntry
from recoverynet.directory import services
from recoverynet.directory.factories import LocationFactory, ServiceFactory
from recoverynet.directory.models import Location, Schedule, ServiceAtLocation, ServiceContact, ServicePhone

pytestmark = pytest.mark.django_db

ALLOWED = ("professional", "network_coordinator", "federation_coordinator", "admin")
DENIED = ("member", "settlement_host")


@pytest.fixture
def service(world):
    return ServiceFactory(network=world.own_network, organisation=world.own_organisation, name="Eden drop-in")


@pytest.fixture
def other_service(world):
    return ServiceFactory(network=world.other_network, organisation=world.other_organisation)


def make_schedule(service, **fields):
    return Schedule.objects.create(
        service=service,
        **{"byday": "MO,WE", "opens_at": datetime.time(9), "closes_at": datetime.time(17), **fields},
    )


def make_contact(service, phones=(), **fields):
    contact = ServiceContact.objects.create(service=service, **{"title": "Duty worker", **fields})
    for number in phones:
        ServicePhone.objects.create(service=service, contact=contact, number=number)
    return contact


def audit_of(model_name, action=None):
    entries = AuditEntry.objects.filter(content_type__model=model_name)
    return entries.filter(action=action) if action else entries


# --- Services: opening times ------------------------------------------------------


@pytest.mark.parametrize("role", ALLOWED)
def test_update_schedule_is_validated_and_audited(world, service, role):
    schedule = make_schedule(service)
    changes = services.update_schedule(
        actor=world.users[role], schedule=schedule, data={"byday": "TU", "closes_at": datetime.time(16, 30)}
    )
    assert changes == {"byday": ["MO,WE", "TU"], "closes_at": ["17:00:00", "16:30:00"]}
    schedule.refresh_from_db()
    assert (schedule.byday, schedule.closes_at) == ("TU", datetime.time(16, 30))
    entry = audit_of("schedule").get()
    assert (entry.action, entry.actor, entry.network) == ("update", world.users[role], world.own_network)
    assert entry.changes == changes


@pytest.mark.parametrize("role", DENIED)
def test_update_and_delete_schedule_need_the_service_permission(world, service, role):
    schedule = make_schedule(service)
    with pytest.raises(PermissionDenied):
        services.update_schedule(actor=world.users[role], schedule=schedule, data={"byday": "TU"})
    with pytest.raises(PermissionDenied):
        services.delete_schedule(actor=world.users[role], schedule=schedule)
    schedule.refresh_from_db()
    assert schedule.byday == "MO,WE"
    assert not AuditEntry.objects.exists()


def test_another_networks_coordinator_cannot_change_its_schedules(world, other_service):
    schedule = make_schedule(other_service)
    with pytest.raises(PermissionDenied):
        services.update_schedule(actor=world.users["network_coordinator"], schedule=schedule, data={"byday": "TU"})
    with pytest.raises(PermissionDenied):
        services.delete_schedule(actor=world.users["network_coordinator"], schedule=schedule)
    assert Schedule.objects.filter(pk=schedule.pk, byday="MO,WE").exists()


@pytest.mark.parametrize(
    ("data", "error_field"),
    [
        ({"closes_at": datetime.time(8)}, "closes_at"),  # before the opening time already saved
        ({"valid_from": datetime.date(2026, 5, 1), "valid_to": datetime.date(2026, 4, 1)}, "valid_to"),
        ({"freq": "YEARLY"}, "freq"),
    ],
)
def test_invalid_schedule_change_writes_nothing(world, service, data, error_field):
    schedule = make_schedule(service)
    with pytest.raises(ValidationError) as raised:
        services.update_schedule(actor=world.users["network_coordinator"], schedule=schedule, data=data)
    assert error_field in raised.value.message_dict
    schedule.refresh_from_db()
    assert (schedule.freq, schedule.closes_at, schedule.valid_to) == ("WEEKLY", datetime.time(17), None)
    assert not AuditEntry.objects.exists()


def test_schedule_cannot_be_tied_to_another_services_location(world, service):
    elsewhere = ServiceFactory(network=world.own_network, organisation=world.own_organisation)
    foreign = ServiceAtLocation.objects.create(service=elsewhere, location=LocationFactory(network=world.own_network))
    schedule = make_schedule(service)
    with pytest.raises(ValidationError) as raised:
        services.update_schedule(
            actor=world.users["network_coordinator"], schedule=schedule, data={"service_at_location": foreign}
        )
    assert "service_at_location" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.update_schedule(
            actor=world.users["network_coordinator"], schedule=schedule, data={"service": elsewhere}
        )
    assert Schedule.objects.get(pk=schedule.pk).service_at_location is None


def test_unchanged_schedule_is_not_audited(world, service):
    schedule = make_schedule(service)
    assert (
        services.update_schedule(actor=world.users["network_coordinator"], schedule=schedule, data={"byday": "MO,WE"})
        == {}
    )
    assert not AuditEntry.objects.exists()


def test_delete_schedule_audits_what_was_removed(world, service):
    schedule = make_schedule(service, description="Drop-in")
    pk = schedule.pk
    services.delete_schedule(actor=world.users["network_coordinator"], schedule=schedule)
    assert not Schedule.objects.filter(pk=pk).exists()
    entry = audit_of("schedule", "delete").get()
    assert (entry.object_id, entry.network, entry.actor) == (
        str(pk),
        world.own_network,
        world.users["network_coordinator"],
    )
    assert entry.changes["byday"] == ["MO,WE", None]
    assert entry.changes["opens_at"] == ["09:00:00", None]
    assert entry.changes["description"] == ["Drop-in", None]
    assert "valid_to" not in entry.changes  # empty values are not listed, as when created
    assert "Eden drop-in" in entry.summary


def test_delete_schedule_twice_is_a_clear_error(world, service):
    schedule = make_schedule(service)
    services.delete_schedule(actor=world.users["network_coordinator"], schedule=schedule)
    with pytest.raises(ValidationError, match="already been removed"):
        services.delete_schedule(actor=world.users["network_coordinator"], schedule=schedule)
    assert audit_of("schedule", "delete").count() == 1


# --- Services: contacts -----------------------------------------------------------


@pytest.mark.parametrize("role", ALLOWED)
def test_update_contact_and_change_its_phone(world, service, role):
    contact = make_contact(service, phones=["01228 000000"])
    changes = services.update_service_contact(
        actor=world.users[role],
        contact=contact,
        data={"name": "", "title": "Duty manager", "email": ""},
        phone={"number": "01228 111111", "description": "Weekdays"},
    )
    assert changes == {"title": ["Duty worker", "Duty manager"], "phone": "changed"}
    contact.refresh_from_db()
    assert contact.title == "Duty manager"
    assert list(contact.phones.values_list("number", "description")) == [("01228 111111", "Weekdays")]
    assert audit_of("servicecontact", "update").get().network == world.own_network
    assert audit_of("servicephone", "update").get().changes["description"] == ["", "Weekdays"]


def test_update_contact_adds_and_removes_its_phone(world, service):
    contact = make_contact(service)
    coordinator = world.users["network_coordinator"]
    data = {"name": "", "title": "Duty worker", "email": ""}
    changes = services.update_service_contact(
        actor=coordinator, contact=contact, data=data, phone={"number": "01228 000000", "description": ""}
    )
    assert changes == {"phone": "added"}
    phone = contact.phones.get()
    assert audit_of("servicephone", "create").get().object_id == str(phone.pk)
    changes = services.update_service_contact(
        actor=coordinator, contact=contact, data=data, phone={"number": "", "description": ""}
    )
    assert changes == {"phone": "removed"}
    assert not contact.phones.exists()
    assert audit_of("servicephone", "delete").get().object_id == str(phone.pk)


def test_update_contact_keeps_its_further_phones(world, service):
    contact = make_contact(service, title="", phones=["01228 000000", "07700 900000"])
    services.update_service_contact(
        actor=world.users["network_coordinator"],
        contact=contact,
        data={"name": "", "title": "", "email": ""},
        phone={"number": "", "description": ""},  # only the first phone is removed; the second still reaches them
    )
    assert list(contact.phones.values_list("number", flat=True)) == ["07700 900000"]


def test_contact_left_with_nothing_writes_nothing(world, service):
    contact = make_contact(service, phones=["01228 000000"])
    with pytest.raises(ValidationError, match="Enter a name, job title, email address or phone number"):
        services.update_service_contact(
            actor=world.users["network_coordinator"],
            contact=contact,
            data={"name": " ", "title": "", "email": ""},
            phone={"number": "", "description": ""},
        )
    contact.refresh_from_db()
    assert contact.title == "Duty worker"
    assert contact.phones.count() == 1
    assert not AuditEntry.objects.exists()


def test_invalid_contact_email_writes_nothing(world, service):
    contact = make_contact(service, phones=["01228 000000"])
    with pytest.raises(ValidationError) as raised:
        services.update_service_contact(
            actor=world.users["network_coordinator"],
            contact=contact,
            data={"email": "not an email"},
            phone={"number": "01228 999999", "description": ""},
        )
    assert "email" in raised.value.message_dict
    assert contact.phones.get().number == "01228 000000"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", DENIED)
def test_update_and_delete_contact_need_the_service_permission(world, service, role):
    contact = make_contact(service, phones=["01228 000000"])
    with pytest.raises(PermissionDenied):
        services.update_service_contact(actor=world.users[role], contact=contact, data={"title": "Changed"})
    with pytest.raises(PermissionDenied):
        services.delete_service_contact(actor=world.users[role], contact=contact)
    assert ServiceContact.objects.get(pk=contact.pk).title == "Duty worker"
    assert ServicePhone.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_delete_contact_removes_and_audits_its_phones(world, service):
    contact = make_contact(service, name="Sam", email="dropin@example.org", phones=["01228 000000"])
    phone_pk = contact.phones.get().pk
    services.delete_service_contact(actor=world.users["network_coordinator"], contact=contact)
    assert not ServiceContact.objects.exists()
    assert not ServicePhone.objects.exists()
    contact_entry = audit_of("servicecontact", "delete").get()
    assert contact_entry.changes["title"] == ["Duty worker", None]
    phone_entry = audit_of("servicephone", "delete").get()
    assert (phone_entry.object_id, phone_entry.network) == (str(phone_pk), world.own_network)
    # The description and summary name neither the person nor their details.
    for entry in (contact_entry, phone_entry):
        for text in (entry.object_repr, entry.summary):
            assert "Sam" not in text and "example.org" not in text and "01228" not in text


# --- Services: locations ----------------------------------------------------------


def test_remove_service_location_removes_its_opening_times_only(world, service):
    location = LocationFactory(network=world.own_network, name="Carlisle Hub", town="Carlisle")
    service_at_location = ServiceAtLocation.objects.create(service=service, location=location)
    there = make_schedule(service, service_at_location=service_at_location)
    everywhere = make_schedule(service)
    removed = services.remove_service_location(
        actor=world.users["network_coordinator"], service_at_location=service_at_location
    )
    assert removed == [there]
    assert not ServiceAtLocation.objects.exists()
    assert list(Schedule.objects.all()) == [everywhere]
    assert Location.objects.filter(pk=location.pk).exists()  # the place itself stays
    entry = audit_of("serviceatlocation", "delete").get()
    assert entry.changes["location"] == [location.pk, None]
    assert entry.summary == "Service Eden drop-in no longer listed at Location Carlisle Hub, Carlisle"
    assert audit_of("schedule", "delete").get().object_id == str(there.pk)


@pytest.mark.parametrize("role", DENIED)
def test_remove_service_location_needs_the_service_permission(world, service, role):
    service_at_location = ServiceAtLocation.objects.create(
        service=service, location=LocationFactory(network=world.own_network)
    )
    make_schedule(service, service_at_location=service_at_location)
    with pytest.raises(PermissionDenied):
        services.remove_service_location(actor=world.users[role], service_at_location=service_at_location)
    assert ServiceAtLocation.objects.count() == 1
    assert Schedule.objects.count() == 1
    assert not AuditEntry.objects.exists()


# --- Pages ------------------------------------------------------------------------


def url(name, part):
    return reverse(f"directory:manage:{name}", kwargs={"slug": part.service.slug, "pk": part.pk})


def edit_url(service):
    return reverse("directory:manage:service_edit", kwargs={"slug": service.slug})


def success_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_service_page_links_to_change_and_remove_each_part(login, world, service):
    location = LocationFactory(network=world.own_network, name="Carlisle Hub", town="Carlisle")
    service_at_location = ServiceAtLocation.objects.create(service=service, location=location)
    schedule = make_schedule(service, service_at_location=service_at_location)
    contact = make_contact(service, phones=["01228 000000"])
    page = login("professional").get(edit_url(service)).content.decode()
    assert url("service_location_remove", service_at_location) in page
    assert url("service_schedule_edit", schedule) in page and url("service_schedule_remove", schedule) in page
    assert url("service_contact_edit", contact) in page and url("service_contact_remove", contact) in page
    assert '<span class="govuk-visually-hidden"> contact Duty worker</span>' in page
    assert '<span class="govuk-visually-hidden"> location Carlisle Hub, Carlisle</span>' in page
    assert "09:00 to 17:00, at Carlisle Hub, Carlisle" in page


def test_edit_schedule_page_is_pre_filled_and_saves(login, world, service):
    schedule = make_schedule(service)
    client = login("network_coordinator")
    response = client.get(url("service_schedule_edit", schedule))
    assert response.status_code == 200
    assert response.context["form"]["byday"].value() == "MO,WE"
    assert 'value="09:00"' in response.content.decode()
    response = client.post(
        url("service_schedule_edit", schedule),
        {"freq": "WEEKLY", "byday": "FR", "opens_at": "10:00", "closes_at": "12:00"},
    )
    assert response.status_code == 302 and response.url == edit_url(service)
    assert success_messages(response) == ["Your changes have been saved."]
    schedule.refresh_from_db()
    assert (schedule.byday, schedule.opens_at) == ("FR", datetime.time(10))
    assert audit_of("schedule", "update").get().actor == world.users["network_coordinator"]


def test_edit_schedule_errors_re_render_and_write_nothing(login, service):
    schedule = make_schedule(service)
    response = login("network_coordinator").post(
        url("service_schedule_edit", schedule), {"freq": "WEEKLY", "opens_at": "17:00", "closes_at": "09:00"}
    )
    assert response.status_code == 200
    assert "closes_at" in response.context["form"].errors
    assert Schedule.objects.get(pk=schedule.pk).opens_at == datetime.time(9)
    assert not AuditEntry.objects.exists()


def test_edit_contact_page_is_pre_filled_and_saves(login, service):
    contact = make_contact(service, phones=["01228 000000"])
    client = login("network_coordinator")
    response = client.get(url("service_contact_edit", contact))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["title"].value(), form["phone"].value()) == ("Duty worker", "01228 000000")
    response = client.post(
        url("service_contact_edit", contact), {"title": "Duty worker", "phone": "01228 222222", "phone_description": ""}
    )
    assert response.status_code == 302 and response.url == edit_url(service)
    assert contact.phones.get().number == "01228 222222"


def test_edit_contact_mentions_the_phones_it_keeps(login, service):
    contact = make_contact(service, phones=["01228 000000", "07700 900000"])
    page = login("network_coordinator").get(url("service_contact_edit", contact)).content.decode()
    assert "Its other phone numbers (07700 900000) stay as they are." in page


def test_edit_contact_errors_re_render_and_write_nothing(login, service):
    contact = make_contact(service, phones=["01228 000000"])
    response = login("network_coordinator").post(url("service_contact_edit", contact), {"email": "nope"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert ServicePhone.objects.get().number == "01228 000000"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["service_schedule_remove", "service_contact_remove", "service_location_remove"])
def test_remove_asks_then_removes(login, world, service, name):
    parts = {
        "service_schedule_remove": lambda: make_schedule(service),
        "service_contact_remove": lambda: make_contact(service, phones=["01228 000000"]),
        "service_location_remove": lambda: ServiceAtLocation.objects.create(
            service=service, location=LocationFactory(network=world.own_network)
        ),
    }
    part = parts[name]()
    client = login("network_coordinator")
    response = client.get(url(name, part))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Are you sure you want to remove" in page
    assert "govuk-button--warning" in page
    assert type(part).objects.filter(pk=part.pk).exists()  # asking removes nothing
    response = client.post(url(name, part))
    assert response.status_code == 302 and response.url == edit_url(service)
    assert not type(part).objects.filter(pk=part.pk).exists()
    assert len(success_messages(response)) == 1
    assert audit_of(part._meta.model_name, "delete").count() == 1


def test_remove_location_page_lists_the_opening_times_going_with_it(login, world, service):
    service_at_location = ServiceAtLocation.objects.create(
        service=service, location=LocationFactory(network=world.own_network)
    )
    make_schedule(service, service_at_location=service_at_location, description="Tuesday drop-in")
    page = login("network_coordinator").get(url("service_location_remove", service_at_location)).content.decode()
    assert "will be removed too" in page and "Tuesday drop-in" in page
    assert "The location itself stays in the directory" in page


@pytest.mark.parametrize("name", ["service_schedule_edit", "service_schedule_remove"])
def test_another_services_schedule_is_404(login, world, service, name):
    elsewhere = make_schedule(ServiceFactory(network=world.own_network, organisation=world.own_organisation))
    wrong = reverse(f"directory:manage:{name}", kwargs={"slug": service.slug, "pk": elsewhere.pk})
    client = login("network_coordinator")
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, {"freq": "WEEKLY"}).status_code == 404
    assert Schedule.objects.filter(pk=elsewhere.pk, byday="MO,WE").exists()


@pytest.mark.parametrize("name", ["service_contact_edit", "service_contact_remove"])
def test_another_services_contact_is_404(login, world, service, name):
    elsewhere = make_contact(ServiceFactory(network=world.own_network, organisation=world.own_organisation))
    wrong = reverse(f"directory:manage:{name}", kwargs={"slug": service.slug, "pk": elsewhere.pk})
    assert login("network_coordinator").get(wrong).status_code == 404


def test_another_services_location_is_404(login, world, service):
    elsewhere = ServiceAtLocation.objects.create(
        service=ServiceFactory(network=world.own_network, organisation=world.own_organisation),
        location=LocationFactory(network=world.own_network),
    )
    wrong = reverse("directory:manage:service_location_remove", kwargs={"slug": service.slug, "pk": elsewhere.pk})
    assert login("network_coordinator").post(wrong).status_code == 404
    assert ServiceAtLocation.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize("name", ["service_schedule_remove", "service_contact_remove"])
def test_other_network_and_members_get_403_and_nothing_changes(login, client, world, other_service, service, name):
    foreign = make_schedule(other_service) if "schedule" in name else make_contact(other_service)
    assert login("network_coordinator").post(url(name, foreign)).status_code == 403
    own = make_schedule(service) if "schedule" in name else make_contact(service)
    client.logout()
    assert login("member").post(url(name, own)).status_code == 403
    assert type(own).objects.count() == 2
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["service_schedule_edit", "service_contact_remove"])
def test_anonymous_is_sent_to_sign_in(client, service, name):
    part = make_schedule(service) if "schedule" in name else make_contact(service)
    response = client.post(url(name, part))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert type(part).objects.filter(pk=part.pk).exists()
