"""The finder builds one page per search per minute for people who are signed out,
and never serves a stale or someone else's page."""

import datetime
from unittest import mock

import pytest

from recoverynet.directory.factories import LocationFactory, MeetingFactory
from recoverynet.federation.factories import NetworkFactory

pytestmark = pytest.mark.django_db
URL = "/meetings/?where=Preston"
NOON = datetime.datetime(2026, 12, 2, 12, 0, 10, tzinfo=datetime.UTC)


@pytest.fixture
def meeting(places):
    network = NetworkFactory(slug="lancashire", name="Lancashire")
    location = LocationFactory(network=network, latitude="53.75900", longitude="-2.69900", town="Preston")
    return MeetingFactory(network=network, location=location, name="Hope Group", days=[0, 1, 2, 3, 4, 5, 6])


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_same_search_in_the_same_minute_is_built_once(client, meeting, django_assert_max_num_queries):
    with at(NOON):
        first = client.get(URL)
        with django_assert_max_num_queries(2):  # the directory's version: two aggregates
            second = client.get(URL)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert "Hope Group" in second.content.decode()
    assert second["Content-Security-Policy"]  # the middleware's headers, on the cached page too


def test_a_change_shows_at_once(client, meeting):
    with at(NOON):
        client.get(URL)
        meeting.name = "Renamed Group"
        meeting.save()
        page = client.get(URL).content.decode()
    assert "Renamed Group" in page and "Hope Group" not in page


def test_a_deleted_meeting_is_gone_at_once(client, meeting, places):
    other = MeetingFactory(network=meeting.network, location=meeting.location, name="Other Group", days=[3])
    with at(NOON):
        assert "Other Group" in client.get(URL).content.decode()
        other.delete()
        assert "Other Group" not in client.get(URL).content.decode()


def test_the_next_minute_builds_a_new_page(client, meeting, django_assert_max_num_queries):
    with at(NOON):
        client.get(URL)
    with at(NOON + datetime.timedelta(minutes=1)), django_assert_max_num_queries(30) as queries:
        client.get(URL)
    assert len(queries) > 2


def test_signed_in_people_get_their_own_page_and_leave_none(client, meeting, world, login):
    coordinator = login("network_coordinator")
    with at(NOON):
        signed_in = coordinator.get(URL).content.decode()
        assert "Sign out" in signed_in
        coordinator.logout()
        signed_out = client.get(URL).content.decode()
    assert "Sign out" not in signed_out


def test_someone_with_a_session_is_never_served_a_cached_page(client, meeting, django_assert_max_num_queries):
    with at(NOON):
        client.get(URL)
        client.cookies["sessionid"] = "anything"
        with django_assert_max_num_queries(30) as queries:
            client.get(URL)
    assert len(queries) > 2


def test_every_other_address_is_its_own_page(client, meeting):
    with at(NOON):
        near = client.get(URL).content.decode()
        elsewhere = client.get("/meetings/?where=Carlisle").content.decode()
    assert near != elsewhere
