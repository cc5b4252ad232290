"""The coordinators' directory pages under /manage/directory/."""

import datetime

import pytest
from django.urls import reverse

from recoverynet.core.models import AuditEntry
from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory, ServiceFactory
from recoverynet.directory.models import (
    Fellowship,
    Location,
    Meeting,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceContact,
    ServicePhone,
)
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def audit_for(instance, action=None):
    entries = AuditEntry.objects.filter(content_type__model=instance._meta.model_name, object_id=str(instance.pk))
    return entries.filter(action=action) if action else entries


@pytest.fixture
def fellowship(db):
    return FellowshipFactory(name="Alcoholics Anonymous", short_name="AA", slug="aa")


@pytest.fixture
def location(world):
    return LocationFactory(network=world.own_network, name="Friends Meeting House", town="Carlisle")


def meeting_data(fellowship, location, **overrides):
    return {
        "name": "Carlisle Serenity",
        "fellowship": fellowship.pk,
        "location": location.pk,
        "days": ["2", "4"],
        "monthly_week": "",
        "start_time": "19:30",
        "end_time": "",
        "timezone": "Europe/London",
        "status": "active",
        "types_open": ["O"],
        "types_access": ["X"],
        **overrides,
    }


# --- Access -----------------------------------------------------------------------

NETWORK_PAGES = ["meeting_list", "meeting_create", "location_list", "location_create", "service_list", "service_create"]


@pytest.mark.parametrize("name", NETWORK_PAGES)
def test_network_pages_anonymous_redirect(client, world, name):
    assert_login_redirect(client.get(reverse(f"directory:manage:{name}", kwargs={"slug": "cumbria"})))


@pytest.mark.parametrize("name", NETWORK_PAGES)
@pytest.mark.parametrize("role", ["member", "professional", "settlement_host"])
def test_network_pages_forbidden_without_coordinating(login, name, role):
    assert login(role).get(reverse(f"directory:manage:{name}", kwargs={"slug": "cumbria"})).status_code == 403


@pytest.mark.parametrize("name", NETWORK_PAGES)
def test_network_pages_other_network_is_403(login, name):
    response = login("network_coordinator").get(reverse(f"directory:manage:{name}", kwargs={"slug": "merseyside"}))
    assert response.status_code == 403


@pytest.mark.parametrize("name", NETWORK_PAGES)
@pytest.mark.parametrize("role", ["network_coordinator", "federation_coordinator", "admin"])
def test_network_pages_allowed(login, name, role):
    assert login(role).get(reverse(f"directory:manage:{name}", kwargs={"slug": "cumbria"})).status_code == 200


def test_unknown_network_is_404(login):
    url = reverse("directory:manage:meeting_list", kwargs={"slug": "nowhere"})
    assert login("network_coordinator").get(url).status_code == 404


# --- Meetings ---------------------------------------------------------------------


def test_meeting_list_shows_own_meetings_and_filters(login, world, fellowship):
    own = MeetingFactory(network=world.own_network, name="Carlisle Step", fellowship=fellowship, days=[2])
    closed = MeetingFactory(network=world.own_network, name="Penrith Closed", status=Meeting.Status.TEMPORARILY_CLOSED)
    MeetingFactory(network=world.other_network, name="Bootle Friday")
    client = login("network_coordinator")
    url = reverse("directory:manage:meeting_list", kwargs={"slug": "cumbria"})
    assert set(client.get(url).context["meetings"]) == {own, closed}
    assert list(client.get(url, {"status": "temporarily_closed"}).context["meetings"]) == [closed]
    assert list(client.get(url, {"fellowship": fellowship.pk}).context["meetings"]) == [own]
    assert list(client.get(url, {"day": "2", "q": "carlisle"}).context["meetings"]) == [own]
    assert list(client.get(url, {"day": "5"}).context["meetings"]) == []


@pytest.mark.parametrize("kind", ["meeting", "service"])
def test_lists_link_to_their_spreadsheet_download_page(login, world, kind):
    """The CSV downloads are found from the lists, not typed in: the link is a GET to the button page."""
    client = login("network_coordinator")
    list_url = reverse(f"directory:manage:{kind}_list", kwargs={"slug": world.own_network.slug})
    page = client.get(list_url).content.decode()
    href = f"{reverse(f'directory:exports:{kind}s_csv')}?network={world.own_network.slug}"
    assert f'href="{href}"' in page
    button_page = client.get(href)
    assert button_page.status_code == 200 and b"Download CSV" in button_page.content
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_meeting_list_bad_filter_is_an_error_not_a_500(login):
    url = reverse("directory:manage:meeting_list", kwargs={"slug": "cumbria"})
    response = login("network_coordinator").get(url, {"day": "9", "fellowship": "abc"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_meeting_list_query_count_is_constant(login, world, django_assert_max_num_queries):
    client = login("network_coordinator")
    shown = []

    def fetch():
        with django_assert_max_num_queries(14):
            response = client.get(reverse("directory:manage:meeting_list", kwargs={"slug": "cumbria"}))
        shown.append(len(response.context["meetings"]))

    assert_constant_queries(fetch, lambda n: MeetingFactory.create_batch(n, network=world.own_network, days=[1, 3]))
    assert shown == [3, 30]


def test_create_meeting(login, world, fellowship, location):
    client = login("network_coordinator")
    response = client.post(
        reverse("directory:manage:meeting_create", kwargs={"slug": "cumbria"}), meeting_data(fellowship, location)
    )
    assert response.status_code == 302
    assert response.url == reverse("directory:manage:meeting_list", kwargs={"slug": "cumbria"})
    meeting = Meeting.objects.get()
    assert meeting.network == world.own_network
    assert meeting.weekdays == [2, 4]
    assert sorted(meeting.types.values_list("code", flat=True)) == ["O", "X"]
    assert meeting.start_time == datetime.time(19, 30)
    assert meeting.timezone == "Europe/London"
    assert audit_for(meeting, AuditEntry.Action.CREATE).get().actor == world.users["network_coordinator"]
    assert "Carlisle Serenity has been added." in client.get(response.url).content.decode()


def test_create_meeting_form_offers_grouped_types_and_days(login):
    body = (
        login("network_coordinator")
        .get(reverse("directory:manage:meeting_create", kwargs={"slug": "cumbria"}))
        .content.decode()
    )
    assert "Meeting types: access" in body
    assert "Wheelchair Access" in body
    assert 'value="0"' in body and "Sunday" in body
    assert 'value="TC"' not in body  # derived from the status, never chosen


@pytest.mark.parametrize(
    "overrides, error_field",
    [
        ({"name": ""}, "name"),
        ({"days": []}, "days"),  # a start time but no day
        ({"start_time": "25:99"}, "start_time"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"conference_url": "not a url"}, "conference_url"),
        ({"types_open": ["NOPE"]}, "types_open"),
        ({"days": ["7"]}, "days"),
        ({"end_time": "20:00", "start_time": ""}, "end_time"),
    ],
)
def test_create_meeting_invalid_re_renders_and_writes_nothing(login, fellowship, location, overrides, error_field):
    response = login("network_coordinator").post(
        reverse("directory:manage:meeting_create", kwargs={"slug": "cumbria"}),
        meeting_data(fellowship, location, **overrides),
    )
    assert response.status_code == 200
    assert error_field in response.context["form"].errors, response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="meeting").exists()


def test_create_meeting_refuses_another_networks_location(login, world, fellowship):
    elsewhere = LocationFactory(network=world.other_network)
    response = login("network_coordinator").post(
        reverse("directory:manage:meeting_create", kwargs={"slug": "cumbria"}), meeting_data(fellowship, elsewhere)
    )
    assert response.status_code == 200
    assert "location" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_edit_meeting(login, world, fellowship, location):
    meeting = MeetingFactory(network=world.own_network, location=location, fellowship=fellowship, days=[2])
    client = login("network_coordinator")
    url = reverse("directory:manage:meeting_edit", kwargs={"slug": meeting.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["days"] == ["2"]
    response = client.post(
        url,
        meeting_data(
            fellowship, location, name=meeting.name, days=["3"], conference_url="https://zoom.us/j/123", types_open=[]
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.weekdays == [3]
    assert meeting.conference_url == "https://zoom.us/j/123"
    assert meeting.attendance == Meeting.Attendance.HYBRID
    assert list(meeting.types.values_list("code", flat=True)) == ["X"]
    changes = audit_for(meeting, AuditEntry.Action.UPDATE).get().changes
    assert changes["days"] == [[2], [3]]
    assert "conference_url" in changes


def test_edit_meeting_invalid_writes_nothing(login, world, fellowship, location):
    meeting = MeetingFactory(network=world.own_network, location=location, fellowship=fellowship, name="Keep")
    response = login("network_coordinator").post(
        reverse("directory:manage:meeting_edit", kwargs={"slug": meeting.slug}),
        meeting_data(fellowship, location, name="", days=["5"]),
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.name == "Keep"
    assert meeting.weekdays == [2]
    assert not audit_for(meeting).exists()


def test_edit_other_networks_meeting_is_403(login, world):
    meeting = MeetingFactory(network=world.other_network)
    client = login("network_coordinator")
    url = reverse("directory:manage:meeting_edit", kwargs={"slug": meeting.slug})
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Taken"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.name != "Taken"


def test_edit_meeting_anonymous_redirects(client, world):
    meeting = MeetingFactory(network=world.own_network)
    assert_login_redirect(client.get(reverse("directory:manage:meeting_edit", kwargs={"slug": meeting.slug})))


# --- Locations --------------------------------------------------------------------


def location_data(**overrides):
    return {"name": "St Cuthbert's Hall", "address": "1 Church Street", "town": "Carlisle", "postcode": "CA3 8AA",
            "latitude": "54.89", "longitude": "-2.93", **overrides}  # fmt: skip


def test_create_location(login, world):
    response = login("network_coordinator").post(
        reverse("directory:manage:location_create", kwargs={"slug": "cumbria"}), location_data()
    )
    assert response.status_code == 302
    location = Location.objects.get()
    assert location.network == world.own_network
    assert audit_for(location, AuditEntry.Action.CREATE).exists()


@pytest.mark.parametrize(
    "overrides, error_field",
    [({"town": ""}, "town"), ({"address": ""}, "address"), ({"latitude": "200"}, "latitude")],
)
def test_create_location_invalid_writes_nothing(login, overrides, error_field):
    response = login("network_coordinator").post(
        reverse("directory:manage:location_create", kwargs={"slug": "cumbria"}), location_data(**overrides)
    )
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert not Location.objects.exists()


def test_create_location_refuses_another_networks_settlement(login, world):
    response = login("network_coordinator").post(
        reverse("directory:manage:location_create", kwargs={"slug": "cumbria"}),
        location_data(settlement=world.other_settlement.pk),
    )
    assert response.status_code == 200
    assert "settlement" in response.context["form"].errors


def test_edit_location(login, location):
    url = reverse("directory:manage:location_edit", kwargs={"pk": location.pk})
    client = login("network_coordinator")
    assert client.get(url).status_code == 200
    response = client.post(url, location_data(name="New Hall"))
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.name == "New Hall"


def test_edit_other_networks_location_is_403(login, world):
    location = LocationFactory(network=world.other_network)
    assert (
        login("network_coordinator")
        .get(reverse("directory:manage:location_edit", kwargs={"pk": location.pk}))
        .status_code
        == 403
    )


def test_location_list_query_count_is_constant(login, world, django_assert_max_num_queries):
    client = login("network_coordinator")
    shown = []

    def fetch():
        with django_assert_max_num_queries(10):
            response = client.get(reverse("directory:manage:location_list", kwargs={"slug": "cumbria"}))
        shown.append(len(response.context["locations"]))

    assert_constant_queries(fetch, lambda n: LocationFactory.create_batch(n, network=world.own_network))
    assert shown == [3, 30]


# --- Services ---------------------------------------------------------------------


def service_data(world, **overrides):
    return {"name": "Eden Peer Mentoring", "organisation": world.own_organisation.pk, "status": "active",
            "description": "Peer mentors for people leaving treatment.", **overrides}  # fmt: skip


def test_create_service(login, world):
    response = login("network_coordinator").post(
        reverse("directory:manage:service_create", kwargs={"slug": "cumbria"}), service_data(world)
    )
    service = Service.objects.get()
    assert response.url == reverse("directory:manage:service_edit", kwargs={"slug": service.slug})
    assert service.network == world.own_network
    assert service.organisation == world.own_organisation
    assert audit_for(service, AuditEntry.Action.CREATE).exists()


def test_create_service_refuses_another_networks_organisation(login, world):
    response = login("network_coordinator").post(
        reverse("directory:manage:service_create", kwargs={"slug": "cumbria"}),
        service_data(world, organisation=world.other_organisation.pk),
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Service.objects.exists()


def test_create_service_invalid_ages(login, world):
    response = login("network_coordinator").post(
        reverse("directory:manage:service_create", kwargs={"slug": "cumbria"}),
        service_data(world, minimum_age="30", maximum_age="18"),
    )
    assert response.status_code == 200
    assert "maximum_age" in response.context["form"].errors
    assert not Service.objects.exists()


def test_professional_edits_their_organisations_service(login, world):
    service = ServiceFactory(network=world.own_network, organisation=world.own_organisation)
    client = login("professional")
    url = reverse("directory:manage:service_edit", kwargs={"slug": service.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, service_data(world, name="Renamed", organisation=world.other_organisation.pk))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Renamed"
    assert service.organisation == world.own_organisation  # not theirs to move


def test_edit_other_networks_service_is_403(login, world):
    service = ServiceFactory(network=world.other_network, organisation=world.other_organisation)
    assert (
        login("network_coordinator")
        .get(reverse("directory:manage:service_edit", kwargs={"slug": service.slug}))
        .status_code
        == 403
    )


def test_service_parts_go_through_services(login, world, location):
    service = ServiceFactory(network=world.own_network, organisation=world.own_organisation)
    client = login("network_coordinator")
    kwargs = {"slug": service.slug}
    assert client.post(reverse("directory:manage:service_location_add", kwargs=kwargs), {"location": location.pk})
    assert ServiceAtLocation.objects.get().location == location
    response = client.post(
        reverse("directory:manage:service_schedule_add", kwargs=kwargs),
        {"freq": "WEEKLY", "byday": "MO,WE", "opens_at": "09:00", "closes_at": "17:00"},
    )
    assert response.status_code == 302
    assert Schedule.objects.get().byday == "MO,WE"
    response = client.post(
        reverse("directory:manage:service_contact_add", kwargs=kwargs),
        {"title": "Duty worker", "phone": "01228 000000", "phone_description": "Weekdays"},
    )
    assert response.status_code == 302
    contact = ServiceContact.objects.get()
    assert ServicePhone.objects.get().contact == contact
    models = set(AuditEntry.objects.filter(network=world.own_network).values_list("content_type__model", flat=True))
    assert {"serviceatlocation", "schedule", "servicecontact", "servicephone"} <= models
    page = client.get(reverse("directory:manage:service_edit", kwargs=kwargs)).content.decode()
    assert "Duty worker" in page and "MO,WE" in page


def test_service_parts_invalid_input(login, world):
    service = ServiceFactory(network=world.own_network, organisation=world.own_organisation)
    elsewhere = LocationFactory(network=world.other_network)
    client = login("network_coordinator")
    kwargs = {"slug": service.slug}
    response = client.post(reverse("directory:manage:service_location_add", kwargs=kwargs), {"location": elsewhere.pk})
    assert response.status_code == 200 and "location" in response.context["form"].errors
    response = client.post(
        reverse("directory:manage:service_schedule_add", kwargs=kwargs),
        {"freq": "WEEKLY", "opens_at": "17:00", "closes_at": "09:00"},
    )
    assert response.status_code == 200 and "closes_at" in response.context["form"].errors
    response = client.post(reverse("directory:manage:service_contact_add", kwargs=kwargs), {})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not ServiceAtLocation.objects.exists()
    assert not Schedule.objects.exists()
    assert not ServiceContact.objects.exists()


def test_service_list_query_count_is_constant(login, world, django_assert_max_num_queries):
    client = login("network_coordinator")
    shown = []

    def add_rows(n):
        ServiceFactory.create_batch(n, network=world.own_network, organisation=world.own_organisation)

    def fetch():
        with django_assert_max_num_queries(10):
            response = client.get(reverse("directory:manage:service_list", kwargs={"slug": "cumbria"}))
        shown.append(len(response.context["services"]))

    assert_constant_queries(fetch, add_rows)
    assert shown == [3, 30]


# --- Fellowships ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fellowship_list", "fellowship_create"])
def test_fellowship_pages_for_federation_coordinators_only(login, client, name):
    url = reverse(f"directory:manage:{name}")
    assert_login_redirect(client.get(url))
    assert login("network_coordinator").get(url).status_code == 403
    assert login("federation_coordinator").get(url).status_code == 200


def test_create_and_edit_fellowship(login, world):
    client = login("federation_coordinator")
    response = client.post(
        reverse("directory:manage:fellowship_create"),
        {"name": "Cocaine Anonymous", "short_name": "CA", "kind": "twelve_step"},
    )
    assert response.status_code == 302
    fellowship = Fellowship.objects.get(name="Cocaine Anonymous")
    assert fellowship.slug == "cocaine-anonymous"
    assert audit_for(fellowship, AuditEntry.Action.CREATE).exists()
    response = client.post(
        reverse("directory:manage:fellowship_edit", kwargs={"slug": fellowship.slug}),
        {"name": "Cocaine Anonymous", "short_name": "CA", "kind": "twelve_step", "website": "https://ca.org.uk"},
    )
    assert response.status_code == 302
    fellowship.refresh_from_db()
    assert fellowship.website == "https://ca.org.uk"


def test_fellowship_duplicate_name_is_a_form_error(login, fellowship):
    response = login("federation_coordinator").post(
        reverse("directory:manage:fellowship_create"), {"name": fellowship.name, "kind": "twelve_step"}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Fellowship.objects.count() == 1


def test_fellowship_list_query_count_is_constant(login, django_assert_max_num_queries):
    client = login("federation_coordinator")
    shown = []

    def fetch():
        with django_assert_max_num_queries(10):
            response = client.get(reverse("directory:manage:fellowship_list"))
        shown.append(len(response.context["fellowships"]))

    assert_constant_queries(fetch, FellowshipFactory.create_batch)
    assert shown == [3, 30]


def test_dashboard_links_fellowships_for_federation_coordinators_only(login):
    url = reverse("federation:manage:network_dashboard", kwargs={"slug": "cumbria"})
    fellowships = reverse("directory:manage:fellowship_list")
    assert fellowships not in login("network_coordinator").get(url).content.decode()
    assert fellowships in login("federation_coordinator").get(url).content.decode()


def test_dashboard_links_the_network_s_csv_downloads(login):
    page = login("network_coordinator").get(reverse("federation:manage:network_dashboard", kwargs={"slug": "cumbria"}))
    html = page.content.decode()
    assert f'href="{reverse("directory:exports:meetings_csv")}?network=cumbria"' in html
    assert f'href="{reverse("directory:exports:services_csv")}?network=cumbria"' in html


def test_manage_index_counts_the_reported_changes_waiting_in_the_coordinator_s_networks(login, world):
    from recoverynet.directory.models import ChangeRequest

    ours = MeetingFactory(network=world.own_network)
    theirs = MeetingFactory(network=world.other_network)
    for meeting in (ours, ours, theirs):
        ChangeRequest.objects.create(meeting=meeting, field="notes", reason="Moved rooms")
    ChangeRequest.objects.create(meeting=ours, field="notes", reason="Old", status=ChangeRequest.Status.APPLIED)
    index = reverse("federation:manage:index")
    waiting = f"{reverse('directory:manage:change_list')}?status=open"
    html = login("network_coordinator").get(index).content.decode()
    assert "2 reported changes waiting for a review" in html and waiting in html
    html = login("federation_coordinator").get(index).content.decode()
    assert "3 reported changes waiting for a review" in html
    # A host reviews no changes: no section at all.
    assert "reported change" not in login("settlement_host").get(index).content.decode()
