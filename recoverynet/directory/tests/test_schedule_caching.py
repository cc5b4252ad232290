"""Conditional GET for /networks/<slug>/schedule.pdf: the PDF is public and costly to build, so it carries an
ETag of what it prints, and a repeat download with If-None-Match gets a 304 without ReportLab running."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recoverynet.directory.factories import FellowshipFactory, LocationFactory, MeetingFactory
from recoverynet.directory.models import Meeting, MeetingType
from recoverynet.directory.services.listings import (
    create_meeting,
    update_fellowship,
    update_location,
    update_meeting,
)
from recoverynet.federation.factories import NetworkFactory
from recoverynet.federation.services import update_network
from recoverynet.testing import sign_in

from ..views import public as views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(time_machine):
    """The PDF prints the date it was made, so its ETag changes at midnight: a download and its repeat
    must not straddle one."""
    time_machine.move_to(datetime.datetime(2026, 12, 1, 23, 59, 59, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def schedule(world):
    network = world.own_network
    fellowship = FellowshipFactory(name="Narcotics Anonymous", short_name="NA")
    hall = LocationFactory(network=network, name="Friends Meeting House", address="1 Lane", town="Kendal")
    meeting = MeetingFactory(
        network=network, fellowship=fellowship, location=hall, days=[2], start_time=datetime.time(19), types=["O"]
    )
    MeetingFactory(network=network, location=hall, days=[4], types=["C"])
    inactive = MeetingFactory(network=network, location=hall, status=Meeting.Status.INACTIVE)
    return {"network": network, "meeting": meeting, "inactive": inactive, "admin": world.users["admin"]}


def pdf_url(network):
    return reverse("directory:network_schedule_pdf", kwargs={"slug": network.slug})


def download(client, network, etag=None):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(pdf_url(network), **headers)


def current_etag(client, network):
    response = download(client, network)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    return response["ETag"]


def refuse_to_build(**kwargs):
    raise AssertionError("the PDF was built for a request its ETag answers")


def test_a_repeat_download_gets_a_304_without_building_the_pdf(
    client, schedule, monkeypatch, django_assert_num_queries
):
    etag = current_etag(client, schedule["network"])
    assert etag.startswith('"') and etag.endswith('"')
    monkeypatch.setattr(views, "schedule_pdf", refuse_to_build)
    with django_assert_num_queries(2):  # the network, and the values the PDF prints
        response = download(client, schedule["network"], etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_an_out_of_date_etag_gets_the_whole_pdf(client, schedule):
    etag = current_etag(client, schedule["network"])
    response = download(client, schedule["network"], '"something-older"')
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response["ETag"] == etag
    assert response["Content-Disposition"].startswith("attachment;")


def rename_meeting(s):
    update_meeting(actor=s["admin"], meeting=s["meeting"], data={"name": "Tuesday Night Group"})


def move_meeting_later(s):
    update_meeting(actor=s["admin"], meeting=s["meeting"], data={"start_time": datetime.time(20)})


def move_meeting_to_another_day(s):
    update_meeting(actor=s["admin"], meeting=s["meeting"], data={}, days=[3])


def change_meeting_types(s):
    update_meeting(actor=s["admin"], meeting=s["meeting"], data={}, types=MeetingType.objects.filter(code="C"))


def close_meeting_for_now(s):
    update_meeting(actor=s["admin"], meeting=s["meeting"], data={"status": Meeting.Status.TEMPORARILY_CLOSED})


def deactivate_meeting(s):
    update_meeting(actor=s["admin"], meeting=s["meeting"], data={"status": Meeting.Status.INACTIVE})


def reactivate_meeting(s):
    update_meeting(actor=s["admin"], meeting=s["inactive"], data={"status": Meeting.Status.ACTIVE})


def add_meeting(s):
    data = {"name": "New Friday", "fellowship": s["meeting"].fellowship, "start_time": datetime.time(18)}
    create_meeting(actor=s["admin"], network=s["network"], data=data, days=[5])


def rename_location(s):
    update_location(actor=s["admin"], location=s["meeting"].location, data={"name": "Quaker Meeting House"})


def rename_fellowship(s):
    update_fellowship(actor=s["admin"], fellowship=s["meeting"].fellowship, data={"short_name": "N.A."})


def rename_meeting_type(s):
    MeetingType.objects.filter(code="O").update(name="Open to everyone")  # the key's wording


def rename_network(s):
    update_network(actor=s["admin"], network=s["network"], data={"name": "South Cumbria Recovery Network"})


def wait_until_tomorrow(s, monkeypatch):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)  # "Generated <date>" changes


CHANGES = [
    rename_meeting,
    move_meeting_later,
    move_meeting_to_another_day,
    change_meeting_types,
    close_meeting_for_now,
    deactivate_meeting,
    reactivate_meeting,
    add_meeting,
    rename_location,
    rename_fellowship,
    rename_meeting_type,
    rename_network,
    wait_until_tomorrow,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_the_etag_changes_with_anything_the_pdf_shows(client, schedule, monkeypatch, change):
    old_etag = current_etag(client, schedule["network"])
    if change is wait_until_tomorrow:
        change(schedule, monkeypatch)
    else:
        change(schedule)
    response = download(client, schedule["network"], old_etag)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response["ETag"] != old_etag


def test_the_etag_stays_when_nothing_the_pdf_shows_changes(client, schedule):
    etag = current_etag(client, schedule["network"])
    update_meeting(actor=schedule["admin"], meeting=schedule["meeting"], data={"notes": "Use the side door."})
    update_meeting(actor=schedule["admin"], meeting=schedule["inactive"], data={"name": "Still closed"})
    MeetingFactory(network=NetworkFactory(), name="Another network's meeting")
    assert download(client, schedule["network"], etag).status_code == 304


def test_unknown_and_inactive_networks_are_404_whatever_the_etag(client, schedule):
    network = schedule["network"]
    etag = current_etag(client, network)
    assert client.get("/networks/nowhere/schedule.pdf", HTTP_IF_NONE_MATCH=etag).status_code == 404
    update_network(actor=schedule["admin"], network=network, data={"is_active": False})
    assert download(client, network, etag).status_code == 404
    assert download(client, network).status_code == 404


def test_the_html_schedule_has_no_etag_as_its_header_shows_who_is_signed_in(client, world, schedule):
    url = reverse("directory:network_schedule", kwargs={"slug": schedule["network"].slug})
    signed_out = client.get(url)
    sign_in(client, world.users["member"])
    signed_in = client.get(url)
    assert "Sign in" in signed_out.content.decode() and "Sign out" in signed_in.content.decode()
    assert not signed_out.has_header("ETag") and not signed_in.has_header("ETag")
