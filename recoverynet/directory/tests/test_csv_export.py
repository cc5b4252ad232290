"""CSV export of meetings and services for coordinators (/manage/directory/export/)."""

import csv
import datetime
import io
import itertools
from urllib.parse import urlencode

import pytest
from django.test import Client

from recoverynet.core.models import AuditEntry
from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory, ServiceFactory
from recoverynet.directory.models import Meeting, Schedule, ServiceAtLocation, ServicePhone, Taxonomy, TaxonomyTerm
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db

MEETINGS_URL = "/manage/directory/export/meetings.csv"
SERVICES_URL = "/manage/directory/export/services.csv"


def download(client, url, params=None):
    """The download itself: a POST to the export's address (a GET shows its button)."""
    return client.post(url + ("?" + urlencode(params) if params else ""))


def read_csv(response):
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


@pytest.fixture
def listings(world):
    aa = FellowshipFactory(name="Alcoholics Anonymous", short_name="AA", slug="aa")
    venue = LocationFactory(network=world.own_network, name="St Mary's Hall", address="1 Church Street",
                            town="Carlisle", postcode="CA1 1AA", latitude="54.89123", longitude="-2.93456")  # fmt: skip
    tuesday = MeetingFactory(
        network=world.own_network, fellowship=aa, location=venue, name="Tuesday Serenity", slug="tuesday-serenity",
        days=[2, 4], start_time=datetime.time(19, 30), types=["O", "X"], contact_email="sec@example.org",
        conference_url="https://zoom.us/j/123456789", last_verified=datetime.date(2026, 5, 1),
    )  # fmt: skip
    MeetingFactory(network=world.own_network, fellowship=aa, location=venue, name="=HYPERLINK(\"http://evil\")",
                   slug="formula", notes="+SUM(A1:A9)", group_name="@cmd", contact_name="-2+3",
                   status=Meeting.Status.INACTIVE, monthly_week=1, days=[1])  # fmt: skip
    MeetingFactory(network=world.other_network, fellowship=aa, name="Bootle Friday", slug="bootle-friday", days=[5])
    taxonomy = Taxonomy.objects.create(name="RecoveryNet", description="Kinds of support.")
    term = TaxonomyTerm.objects.create(taxonomy=taxonomy, code="advice", name="Advice", description="-")
    service = ServiceFactory(network=world.own_network, organisation=world.own_organisation, name="Drop-in Advice",
                             slug="drop-in-advice", fees="\tTab fee")  # fmt: skip
    service.taxonomy_terms.set([term])
    ServiceAtLocation.objects.create(service=service, location=venue)
    Schedule.objects.create(service=service, byday="MO,WE", opens_at=datetime.time(10), closes_at=datetime.time(12))
    ServicePhone.objects.create(service=service, number="01632 960123")
    ServiceFactory(network=world.other_network, organisation=world.other_organisation, slug="mersey-service")
    return {"tuesday": tuesday, "service": service}


def test_coordinator_exports_their_networks_meetings(world, listings, client_for):
    rows = read_csv(download(client_for(world.users["network_coordinator"]), MEETINGS_URL, {"network": "cumbria"}))

    assert [row["Slug"] for row in rows] == ["formula", "tuesday-serenity"]  # every status, this network only
    tuesday = rows[1]
    assert tuesday["Days"] == "Tuesday; Thursday"
    assert tuesday["Start time"] == "19:30"
    assert tuesday["End time"] == "20:30"
    assert tuesday["Time zone"] == "Europe/London"
    assert tuesday["Types"] == "O X"
    assert tuesday["Attendance"] == "In person and online"
    assert tuesday["Status"] == "Active"
    assert tuesday["Fellowship"] == "Alcoholics Anonymous"
    assert tuesday["Postcode"] == "CA1 1AA"
    assert tuesday["Latitude"] == "54.89123"
    assert tuesday["Last verified"] == "2026-05-01"
    assert tuesday["Contact email"] == "sec@example.org"
    assert rows[0]["Monthly week"] == "First"
    assert rows[0]["Status"] == "Inactive"


def test_cells_that_would_run_as_formulas_are_quoted(world, listings, client_for):
    rows = read_csv(download(client_for(world.users["network_coordinator"]), MEETINGS_URL, {"network": "cumbria"}))
    formula = rows[0]
    assert formula["Name"] == '\'=HYPERLINK("http://evil")'
    assert formula["Notes"] == "'+SUM(A1:A9)"
    assert formula["Group"] == "'@cmd"
    assert formula["Contact name"] == "'-2+3"
    services = read_csv(download(client_for(world.users["network_coordinator"]), SERVICES_URL, {"network": "cumbria"}))
    assert services[0]["Fees"] == "'\tTab fee"


def test_services_export(world, listings, client_for):
    rows = read_csv(download(client_for(world.users["network_coordinator"]), SERVICES_URL, {"network": "cumbria"}))
    assert [row["Slug"] for row in rows] == ["drop-in-advice"]
    row = rows[0]
    assert row["Organisation"] == "Eden Recovery"
    assert row["Taxonomy terms"] == "RecoveryNet: Advice"
    assert row["Locations"] == "1 Church Street, Carlisle, CA1 1AA, UK"
    assert row["Opening times"] == "Weekly MO,WE 10:00-12:00"
    assert row["Phones"] == "01632 960123"


def test_each_export_is_audited(world, listings, client_for):
    download(client_for(world.users["network_coordinator"]), MEETINGS_URL, {"network": "cumbria"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == world.users["network_coordinator"]
    assert entry.network == world.own_network
    assert entry.summary == "Meetings exported as CSV (Cumbria, 2 rows)"


def test_federation_coordinator_exports_every_network(world, listings, client_for):
    rows = read_csv(download(client_for(world.users["federation_coordinator"]), MEETINGS_URL))
    assert {row["Network"] for row in rows} == {"Cumbria", "Merseyside"}
    assert len(rows) == 3
    assert AuditEntry.objects.get(action=AuditEntry.Action.EXPORT).summary.endswith("(every network, 3 rows)")
    rows = read_csv(
        download(client_for(world.users["federation_coordinator"]), SERVICES_URL, {"network": "merseyside"})
    )
    assert [row["Slug"] for row in rows] == ["mersey-service"]


@pytest.mark.parametrize("url", [MEETINGS_URL, SERVICES_URL])
@pytest.mark.parametrize(
    ("role", "params", "status"),
    [
        ("member", {"network": "cumbria"}, 403),
        ("professional", {"network": "cumbria"}, 403),
        ("settlement_host", {"network": "cumbria"}, 403),
        ("network_coordinator", {"network": "merseyside"}, 403),
        ("member", {}, 403),
        ("network_coordinator", {"network": "atlantis"}, 404),
        ("network_coordinator", {"network": "x" * 500}, 404),
    ],
)
def test_export_refusals(world, listings, url, role, params, status, client_for):
    client = client_for(world.users[role])
    assert client.get(url, params).status_code == status  # the button page refuses alike
    assert download(client, url, params).status_code == status
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


@pytest.mark.parametrize("url", [MEETINGS_URL, SERVICES_URL])
def test_a_coordinator_who_names_no_network_is_asked_which(world, listings, url, client_for):
    """Not an error: a page listing the networks they coordinate, each a link to its download."""
    client = client_for(world.users["network_coordinator"])
    for response in (client.get(url), download(client, url, {})):
        assert response.status_code == 200
        page = response.content.decode()
        assert "Which network" in page
        assert f'href="{url}?network=cumbria"' in page
        assert "merseyside" not in page
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


@pytest.mark.parametrize("url", [MEETINGS_URL, SERVICES_URL])
def test_anonymous_is_sent_to_sign_in(world, url):
    for response in (Client().get(url, {"network": "cumbria"}), download(Client(), url, {"network": "cumbria"})):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_inactive_network_is_not_found(world, listings, client_for):
    world.own_network.is_active = False
    world.own_network.save(update_fields=["is_active"])
    assert (
        download(client_for(world.users["network_coordinator"]), MEETINGS_URL, {"network": "cumbria"}).status_code
        == 404
    )


@pytest.mark.parametrize("url", [MEETINGS_URL, SERVICES_URL])
def test_export_runs_a_constant_number_of_queries(world, listings, url, client_for):
    client = client_for(world.users["network_coordinator"])
    added = itertools.count()

    def add_rows(n):
        for _ in range(n):
            location = LocationFactory(network=world.own_network)
            MeetingFactory(network=world.own_network, location=location, days=[1, 2], types=["O"])
            slug = f"s-{next(added)}"
            service = ServiceFactory(network=world.own_network, organisation=world.own_organisation, slug=slug)
            ServiceAtLocation.objects.create(service=service, location=location)
            ServicePhone.objects.create(service=service, number="01632 960000")

    rows = assert_constant_queries(lambda: read_csv(download(client, url, {"network": "cumbria"})), add_rows)
    assert len(rows) > 30
