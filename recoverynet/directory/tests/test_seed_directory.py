"""The directory part of `manage.py seed_demo`: a realistic North West schedule,
deterministic (same ids everywhere) and idempotent."""

import io
import uuid
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from recoverynet.core.models import AuditEntry
from recoverynet.directory import finder
from recoverynet.directory.demo import DEMO_NAMESPACE, FELLOWSHIPS, demo_uuid
from recoverynet.directory.models import (
    ChangeRequest,
    FeedSource,
    Fellowship,
    Location,
    Meeting,
    MeetingDay,
    Place,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceContact,
    ServicePhone,
    Taxonomy,
    TaxonomyTerm,
)
from recoverynet.federation.models import Network, Organisation, Sector

# One demo load for the whole module (the root conftest's `seeded_demo`); every test runs in
# its own savepoint, so those that change rows or rerun the loader leave it as loaded.
pytestmark = pytest.mark.django_db

DIRECTORY_MODELS = [
    Fellowship,
    Location,
    Meeting,
    MeetingDay,
    Meeting.types.through,
    Taxonomy,
    TaxonomyTerm,
    Service,
    Service.taxonomy_terms.through,
    ServiceAtLocation,
    Schedule,
    ServiceContact,
    ServicePhone,
    FeedSource,
    ChangeRequest,
    Organisation,
    AuditEntry,
]  # fmt: skip  (the gazetteer, Place, is reloaded by the command on every run)


def seed():
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def dump(models=DIRECTORY_MODELS) -> dict:
    tables = {}
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            tables[table] = cursor.fetchall()
    return tables


def test_a_second_run_changes_no_directory_row(seeded_demo):
    before = dump()
    assert "nothing to change" in seed()
    assert dump() == before


def test_a_rerun_puts_back_a_changed_meeting(seeded_demo):
    meeting = Meeting.objects.order_by("slug").first()
    days, name, status = meeting.weekdays, meeting.name, meeting.status
    Meeting.objects.filter(pk=meeting.pk).update(name="Changed", status=Meeting.Status.INACTIVE)
    MeetingDay.objects.filter(meeting=meeting).delete()
    meeting.types.clear()

    output = seed()

    meeting.refresh_from_db()
    assert (meeting.name, meeting.status) == (name, status)
    assert meeting.weekdays == days
    assert meeting.types.exists()
    assert "meetings: 0 created, 1 changed" in output
    assert AuditEntry.objects.filter(summary="Demo data loaded").count() == 2


def test_ids_are_the_same_on_every_machine(seeded_demo):
    for meeting in Meeting.objects.all()[:50]:
        assert meeting.uuid == uuid.uuid5(DEMO_NAMESPACE, f"meeting:{meeting.slug}")
    for organisation in Organisation.objects.all():
        assert organisation.uuid == uuid.uuid5(DEMO_NAMESPACE, f"organisation:{organisation.slug}")
    for fellowship in Fellowship.objects.all():
        assert fellowship.uuid == demo_uuid("fellowship", fellowship.slug)
    for service in Service.objects.all():
        assert service.uuid == demo_uuid("service", service.slug)
    # Every seeded row with a uuid has one made from the namespace, never a random one.
    for model in (Location, TaxonomyTerm, ServiceAtLocation, Schedule, ServiceContact, ServicePhone, Taxonomy):
        assert model.objects.exists()
        for obj in model.objects.all():
            assert obj.uuid.version == 5, model


def test_several_hundred_meetings_across_the_five_networks(seeded_demo):
    assert 400 <= Meeting.objects.count() <= 600
    per_network = Counter(Meeting.objects.values_list("network__slug", flat=True))
    assert set(per_network) == set(Network.objects.values_list("slug", flat=True))
    assert min(per_network.values()) >= 60
    assert {f[0] for f in FELLOWSHIPS} == set(Meeting.objects.values_list("fellowship__slug", flat=True))
    assert Fellowship.objects.filter(name="SMART Recovery").exists()
    assert Fellowship.objects.filter(name="Al-Anon Family Groups").exists()


@pytest.mark.parametrize("network", ["cheshire", "cumbria", "greater-manchester", "lancashire", "merseyside"])
def test_every_network_has_every_kind_of_meeting(seeded_demo, network):
    meetings = Meeting.objects.filter(network__slug=network)
    assert meetings.with_attendance("online").exists()
    assert meetings.with_attendance("hybrid").exists()
    assert meetings.with_attendance("in_person").exists()
    assert meetings.filter(monthly_week__isnull=False).exists()
    assert meetings.filter(status=Meeting.Status.TEMPORARILY_CLOSED).exists()
    assert meetings.filter(status=Meeting.Status.INACTIVE).exists()
    assert meetings.filter(types__code="X").exists()
    towns = set(meetings.values_list("location__town", flat=True))
    assert len(towns) >= 8


def test_times_days_and_types_are_realistic(seeded_demo):
    starts = [m.start_time for m in Meeting.objects.all()]
    evening = sum(1 for t in starts if t.hour >= 17)
    morning = sum(1 for t in starts if t.hour < 12)
    lunchtime = sum(1 for t in starts if 12 <= t.hour < 14)
    assert evening > len(starts) / 2  # evenings heavy
    assert morning > 20 and lunchtime > 20
    assert set(MeetingDay.objects.values_list("day", flat=True)) == set(range(7))
    assert Meeting.objects.filter(days__day=1).filter(days__day=3).exists()  # multi-day lunchtimes
    codes = set(Meeting.types.through.objects.values_list("meetingtype__code", flat=True))
    assert {"O", "C", "D", "SP", "B", "ST", "W", "M", "Y", "X", "LGBTQ", "BE"} <= codes
    assert not Meeting.objects.filter(days__isnull=True).exists()


def test_online_meetings_have_fictional_zoom_links_and_venues_are_demo(seeded_demo):
    for meeting in Meeting.objects.online():
        assert meeting.conference_url.startswith("https://zoom.us/j/")
    for location in Location.objects.filter(approximate=False, settlement__isnull=True):
        assert "(demo)" in location.address
        assert 53.0 < location.latitude < 55.2 and -3.7 < location.longitude < -1.9
    assert all("Fictional demo meeting" in notes for notes in Meeting.objects.values_list("notes", flat=True))
    emails = [e for e in Meeting.objects.values_list("contact_email", flat=True) if e]
    assert emails and all(e.endswith("@example.org") for e in emails)


def test_settlements_host_meetings(seeded_demo):
    assert Meeting.objects.filter(location__settlement__isnull=False).count() >= 20


def test_services_from_every_sector_with_their_details(seeded_demo):
    services = Service.objects.select_related("organisation")
    assert {s.organisation.sector for s in services} == set(Sector.values)
    assert set(services.values_list("network__slug", flat=True)) == set(Network.objects.values_list("slug", flat=True))
    for service in services.prefetch_related("taxonomy_terms", "locations", "schedules", "contacts", "phones"):
        assert service.taxonomy_terms.all()
        assert service.locations.all()
        assert service.schedules.all()
        assert service.contacts.all()
        assert service.phones.all()
        assert service.email.endswith("@example.org")
    numbers = ServicePhone.objects.values_list("number", flat=True)
    assert all(n.startswith(("0161 496 0", "0151 496 0", "01632 960")) for n in numbers)


def test_feed_sources_and_open_change_requests(seeded_demo):
    assert FeedSource.objects.count() == 2
    assert ChangeRequest.objects.filter(status=ChangeRequest.Status.OPEN).count() >= 3


def test_the_gazetteer_is_loaded_and_the_finder_finds_tonights_meetings(seeded_demo):
    assert Place.objects.filter(kind=Place.Kind.OUTCODE).count() > 2000
    preston = Place.objects.filter(search_name="preston").order_by(F("population").desc(nulls_last=True)).first()
    query = finder.FinderQuery(point=(float(preston.latitude), float(preston.longitude)), radius_km=15, days=(2,))
    assert len(finder.find_meetings(query)) >= 3


def test_every_seeded_directory_row_is_valid(seeded_demo):
    for model in (Fellowship, Location, Service, TaxonomyTerm, Schedule, ServiceContact, ServicePhone, FeedSource):
        for obj in model.objects.all():
            obj.full_clean()
    for meeting in Meeting.objects.select_related("location"):
        meeting.full_clean()
