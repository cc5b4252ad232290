"""The nightly re-import: task with a mocked fetch, and who is told."""

import datetime
import json
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import DatabaseError
from django.test import override_settings
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


# --- A re-import never dies silently ----------------------------------------------------

ANYTHING = [
    RuntimeError("boom"),
    KeyError("latitude"),
    OverflowError("int too large to convert to float"),
    ValueError("Invalid IPv6 URL"),
    RecursionError("maximum recursion depth exceeded"),
    UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
    DatabaseError("server closed the connection unexpectedly"),
    PermissionDenied("The network is inactive."),
    MemoryError(),
]


@pytest.mark.parametrize("failure", ANYTHING, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("where", ["fetch_feed", "apply_system_import"])
def test_a_reimport_that_raises_anything_is_recorded_and_reported(source, coordinators, failure, where):
    patches = {"fetch_feed": mock.DEFAULT, "apply_system_import": mock.DEFAULT}
    with mock.patch.multiple(feeds, **patches) as mocks:
        mocks["fetch_feed"].return_value = json.dumps([ROW]).encode()
        mocks[where].side_effect = failure
        outcome = reimport_feed.enqueue(source.pk).return_value
    assert outcome["status"] == "failed" and outcome["emails"] == 1
    failed = FeedImport.objects.get()
    assert failed.status == FeedImport.Status.FAILED and failed.source == source
    assert failed.error.startswith("The import failed unexpectedly")
    assert type(failure).__name__ in failed.error
    assert "could not be imported" in mail.outbox[0].subject
    assert failed.error in mail.outbox[0].body
    assert not Meeting.objects.exists()


def test_a_failing_mail_server_does_not_lose_the_record(source, coordinators):
    with mock.patch("recoverynet.directory.tasks.get_connection", side_effect=OSError("no mail server")):
        outcome = run_with(b'{"not": "a list"}', source)
    assert outcome["status"] == "refused" and outcome["emails"] == 0
    assert FeedImport.objects.get().status == FeedImport.Status.REFUSED


# --- A feed that loses most of its meetings is held for review -----------------------------


def feed_of(count, prefix="m"):
    return json.dumps([{**ROW, "slug": f"{prefix}{i}", "name": f"Meeting {i}"} for i in range(count)]).encode()


@pytest.mark.parametrize("payload", [b"[]", feed_of(7)], ids=["empty", "lost-three-of-ten"])
def test_a_reimport_removing_too_many_meetings_is_held_and_reported(source, coordinators, payload):
    run_with(feed_of(10), source)
    mail.outbox.clear()
    outcome = run_with(payload, source)
    assert outcome["status"] == "held" and outcome["emails"] == 1
    held = FeedImport.objects.get(pk=outcome["import_id"])
    assert held.status == FeedImport.Status.HELD and held.payload == payload.decode()
    assert len(held.report["removed"]) == 10 - len(json.loads(payload))
    assert held.report["mass_removal"] == {"removed": len(held.report["removed"]), "of": 10, "share": 0.2}
    assert Meeting.objects.filter(status=Meeting.Status.ACTIVE).count() == 10  # nothing deactivated
    assert "held for review" in mail.outbox[0].subject
    assert "Apply anyway" in mail.outbox[0].body


def test_a_reimport_removing_up_to_the_share_is_applied(source, coordinators):
    run_with(feed_of(10), source)
    outcome = run_with(feed_of(8), source)
    assert outcome["status"] == "applied"
    assert Meeting.objects.filter(status=Meeting.Status.INACTIVE).count() == 2


@override_settings(FEED_IMPORT_MAX_REMOVAL_SHARE=0.5)
def test_the_share_is_a_setting(source, coordinators):
    run_with(feed_of(10), source)
    assert run_with(feed_of(6), source)["status"] == "applied"
    assert run_with(feed_of(2), source)["status"] == "held"
