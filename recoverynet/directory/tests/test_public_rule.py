"""One rule for what is public (Service.objects.listed(), Meeting.objects.listed()),
and every public surface agrees with it: the page, the API's list and detail and
Open Referral's list and detail. A temporarily closed service or meeting has a
page saying so plainly; the finder's "find" results are a narrower rule
(Service.objects.findable(), the meeting finder), checked separately."""

import pytest
from django.urls import reverse

from recoverynet.directory import finder
from recoverynet.directory.factories import MeetingFactory, ServiceFactory
from recoverynet.directory.models import Meeting, Service
from recoverynet.federation.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PUBLIC_SERVICE_STATUSES = {Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED}
PUBLIC_MEETING_STATUSES = {Meeting.Status.ACTIVE, Meeting.Status.TEMPORARILY_CLOSED}


def _api_list_slugs(client, url):
    return {row["slug"] for row in client.get(url, {"page_size": 200}).json()["results"]}


def _openreferral_list_ids(client):
    return {row["id"] for row in client.get("/openreferral/services", {"per_page": 200}).json()["contents"]}


def service_surfaces(client, service):
    """Whether each public surface shows `service`."""
    return {
        "page": client.get(reverse("directory:service_detail", kwargs={"slug": service.slug})).status_code == 200,
        "api detail": client.get(reverse("service-detail", kwargs={"slug": service.slug})).status_code == 200,
        "api list": service.slug in _api_list_slugs(client, reverse("service-list")),
        "openreferral detail": client.get(f"/openreferral/services/{service.uuid}").status_code == 200,
        "openreferral list": str(service.uuid) in _openreferral_list_ids(client),
    }


@pytest.mark.parametrize("status", Service.Status.values)
@pytest.mark.parametrize("parent_active", [True, False], ids=["active parents", "inactive organisation"])
def test_every_public_surface_agrees_on_a_service(client, status, parent_active):
    service = ServiceFactory(status=status, organisation=OrganisationFactory(is_active=parent_active))
    public = status in PUBLIC_SERVICE_STATUSES and parent_active
    assert Service.objects.listed().filter(pk=service.pk).exists() == public
    assert service_surfaces(client, service) == dict.fromkeys(service_surfaces(client, service), public)


@pytest.mark.parametrize("status", Service.Status.values)
def test_a_service_in_an_inactive_network_is_nowhere(client, status):
    service = ServiceFactory(status=status, network=NetworkFactory(is_active=False))
    assert not Service.objects.listed().filter(pk=service.pk).exists()
    assert not any(service_surfaces(client, service).values())


def test_a_temporarily_closed_service_page_says_so_plainly(client):
    service = ServiceFactory(status=Service.Status.TEMPORARILY_CLOSED)
    response = client.get(reverse("directory:service_detail", kwargs={"slug": service.slug}))
    assert response.status_code == 200
    assert "This service is temporarily closed." in response.content.decode()
    # Open Referral links to that page.
    detail = client.get(f"/openreferral/services/{service.uuid}").json()
    assert detail["status"] == "temporarily closed"


def test_only_active_services_are_found_by_the_finder(client):
    active = ServiceFactory(status=Service.Status.ACTIVE)
    closed = ServiceFactory(status=Service.Status.TEMPORARILY_CLOSED)
    found = {row.service.pk for row in finder.find_services()}
    assert found == {active.pk}
    assert set(Service.objects.findable().values_list("pk", flat=True)) == {active.pk}
    assert client.get(reverse("directory:service_detail", kwargs={"slug": closed.slug})).status_code == 200


def meeting_surfaces(client, meeting):
    return {
        "page": client.get(reverse("directory:meeting_detail", kwargs={"slug": meeting.slug})).status_code == 200,
        "api detail": client.get(reverse("meeting-detail", kwargs={"slug": meeting.slug})).status_code == 200,
        "openreferral detail": client.get(f"/openreferral/services/{meeting.uuid}").status_code == 200,
        "openreferral list": str(meeting.uuid) in _openreferral_list_ids(client),
    }


@pytest.mark.parametrize("status", Meeting.Status.values)
@pytest.mark.parametrize("online", [False, True], ids=["in person", "online too"])
def test_every_public_surface_agrees_on_a_meeting(client, status, online):
    meeting = MeetingFactory(status=status, conference_url="https://meet.example/x" if online else "")
    public = status in PUBLIC_MEETING_STATUSES
    assert Meeting.objects.listed().filter(pk=meeting.pk).exists() == public
    surfaces = meeting_surfaces(client, meeting)
    assert surfaces == dict.fromkeys(surfaces, public)
    # The API's list is the finder: a meeting closed in person and not online is not found.
    findable = public and (online or status != Meeting.Status.TEMPORARILY_CLOSED)
    assert (meeting.slug in _api_list_slugs(client, reverse("meeting-list"))) == findable


@pytest.mark.parametrize("status", Meeting.Status.values)
def test_a_meeting_in_an_inactive_network_is_nowhere(client, status):
    meeting = MeetingFactory(status=status, network=NetworkFactory(is_active=False))
    assert not any(meeting_surfaces(client, meeting).values())
    assert meeting.slug not in _api_list_slugs(client, reverse("meeting-list"))
