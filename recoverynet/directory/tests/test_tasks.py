"""The nightly re-import: task with a mocked fetch, and who is told."""

import datetime
import json
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from recoverynet.accounts.factories import ConsentRecordFactory, UserFactory
from recoverynet.accounts.models import ConsentPurpose
from recoverynet.directory.models import FeedImport, Meeting
from recoverynet.directory.services import feeds
from recoverynet.directory.tasks import reimport_feed
from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership

from .feed_world import make_source

pytestmark = pytest.mark.django_db

ROW = {
    "name": "Tuesday Serenity",
    "slug": "tuesday-serenity",
    "day": 2,
    "time": "19:30",
    "address": "1 Church St",
    "city": "Carlisle",
}


def consent(user, granted, minutes_ago=0):
    ConsentRecordFactory(
        user=user,
        purpose=ConsentPurpose.CONTACT,
        granted=granted,
        recorded_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def source(world):
    return make_source(world.own_network, url="https://example.org/meetings.json", scheduled=True)


@pytest.fixture
def coordinators(world):
    """Who should hear: a consenting coordinator. Who should not: one who
    withdrew consent, one who never gave it, a consenting member, a consenting
    coordinator of another network, and one who left."""
    yes = world.users["network_coordinator"]
    consent(yes, True)
    withdrew = UserFactory(email="withdrew@example.org")
    MembershipFactory(user=withdrew, network=world.own_network, role=Membership.Role.NETWORK_COORDINATOR)
    consent(withdrew, True, minutes_ago=10)
    consent(withdrew, False)
    never = UserFactory(email="never@example.org")
    MembershipFactory(user=never, network=world.own_network, role=Membership.Role.NETWORK_COORDINATOR)
    consent(world.users["member"], True)
    elsewhere = UserFactory(email="elsewhere@example.org")
    MembershipFactory(user=elsewhere, network=world.other_network, role=Membership.Role.NETWORK_COORDINATOR)
    consent(elsewhere, True)
    left = UserFactory(email="left@example.org")
    MembershipFactory(
        user=left, network=world.own_network, role=Membership.Role.NETWORK_COORDINATOR, status=Membership.Status.LEFT
    )
    consent(left, True)
    return yes


def run_with(payload, source):
    with mock.patch.object(feeds, "fetch_feed", return_value=payload) as fetch:
        result = reimport_feed.enqueue(source.pk)
    fetch.assert_called_once_with(source.url)
    return result.return_value


def test_task_applies_the_feed_and_tells_consenting_coordinators_only(source, coordinators):
    outcome = run_with(json.dumps([ROW]).encode(), source)
    assert outcome["status"] == "applied" and outcome["emails"] == 1
    meeting = Meeting.objects.get(slug="tuesday-serenity")
    assert meeting.source == source
    assert FeedImport.objects.get().started_by is None
    assert [m.to for m in mail.outbox] == [[coordinators.email]]
    body = mail.outbox[0].body
    assert "Added: 1" in body and "Tuesday Serenity (tuesday-serenity)" in body


def test_nothing_sent_when_nothing_changed(source, coordinators):
    run_with(json.dumps([ROW]).encode(), source)
    mail.outbox.clear()
    outcome = run_with(json.dumps([ROW]).encode(), source)
    assert outcome == {"import_id": outcome["import_id"], "status": "applied", "emails": 0}
    assert mail.outbox == []


def test_a_refused_feed_is_reported(source, coordinators):
    outcome = run_with(b'{"not": "a list"}', source)
    assert outcome["status"] == "refused" and outcome["emails"] == 1
    assert "JSON array" in mail.outbox[0].body and "could not be imported" in mail.outbox[0].subject


def test_fetch_failure_is_recorded_and_reported(source, coordinators):
    with mock.patch.object(feeds, "fetch_feed", side_effect=ValidationError("We could not fetch the feed.")):
        outcome = reimport_feed.enqueue(source.pk).return_value
    assert outcome["status"] == "refused"
    assert FeedImport.objects.get().error == "We could not fetch the feed."
    assert len(mail.outbox) == 1


def test_hostile_text_in_the_email_is_plain(source, coordinators):
    run_with(json.dumps([{**ROW, "name": "<script>alert(1)</script>Hope"}]).encode(), source)
    assert "<script>" not in mail.outbox[0].body and "alert(1)Hope" in mail.outbox[0].body


def test_command_enqueues_scheduled_sources_with_a_url(world, source, capsys):
    make_source(world.own_network, name="No address", scheduled=True)
    make_source(world.own_network, name="Not scheduled", url="https://example.org/x.json")
    with mock.patch("recoverynet.directory.management.commands.reimport_feeds.reimport_feed") as task:
        call_command("reimport_feeds")
    task.enqueue.assert_called_once_with(source.pk)
    assert "Enqueued 1 feed re-import." in capsys.readouterr().out


def test_task_skips_missing_or_unscheduled_sources(world):
    assert reimport_feed.enqueue(999_999).return_value == {"status": "skipped"}
    no_url = make_source(world.own_network, name="No address")
    with mock.patch.object(feeds, "fetch_feed") as fetch:
        assert reimport_feed.enqueue(no_url.pk).return_value == {"status": "skipped"}
    fetch.assert_not_called()
