"""Emails: a pledge received, the review's decision, milestones coming due."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from recoverynet.initiatives import notifications, services
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import Initiative, Milestone, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def pitch(world):
    return PublishedPitchFactory(network=world.own_network, author=world.users["member"], title="Sunday café")


def test_the_author_hears_of_a_pledge_without_the_pledgers_name(world, pitch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_to_pitch(actor=world.users["professional"], pitch=pitch, kind="hours", hours=6)
    (message,) = mail.outbox
    assert message.to == ["member@example.org"] and "Sunday café" in message.subject
    assert "6 hours from a member" in message.body and "Professional" not in message.body


def test_the_author_hears_the_decision_with_its_reason(world, pitch, django_capture_on_commit_callbacks):
    coordinator = world.users["network_coordinator"]
    services.start_review(actor=coordinator, pitch=pitch)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_pitch(actor=coordinator, pitch=pitch, reason="exists", explanation="Try Tuesdays")
    (message,) = mail.outbox
    assert "not taken forward" in message.subject
    assert "Something similar exists already" in message.body and "Try Tuesdays" in message.body


def test_nothing_is_sent_when_the_change_is_refused(world, pitch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.pledge_to_pitch(actor=world.users["professional"], pitch=pitch, kind="hours", hours=500)
    assert not mail.outbox


def test_leads_hear_of_a_milestone_a_week_before_and_on_the_day(world):
    initiative = Initiative.objects.create(network=world.own_network, name="Café", summary="s", started_on="2026-01-01")
    TeamMember.objects.create(initiative=initiative, user=world.users["member"], role="lead")
    TeamMember.objects.create(initiative=initiative, user=world.users["professional"], role="member")
    Milestone.objects.create(initiative=initiative, title="Open the doors", due_on=datetime.date(2026, 12, 5))
    Milestone.objects.create(initiative=initiative, title="Later", due_on=datetime.date(2026, 12, 20))
    Milestone.objects.create(initiative=initiative, title="Done", due_on=datetime.date(2026, 12, 5), status="done")
    assert notifications.milestones_due(today=datetime.date(2026, 11, 28)) == 1  # a week before
    (message,) = mail.outbox
    assert message.to == ["member@example.org"]
    assert "Open the doors: due 05 December 2026" in message.body and "Later" not in message.body
    assert "- Done" not in message.body
    # Not every day of the week before: the next days send nothing, the day itself once more.
    assert [notifications.milestones_due(today=datetime.date(2026, 11, day)) for day in (29, 30)] == [0, 0]
    assert notifications.milestones_due(today=datetime.date(2026, 12, 5)) == 1


def test_the_command_runs(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC), tick=False)
    out = io.StringIO()
    call_command("initiatives_milestones_due", "--days", "3", stdout=out)
    assert "Sent 0 milestones-due email(s)." in out.getvalue()
