"""Flexible-window shifts, and organisers editing and cancelling shifts: the rules,
the refusals (each a clear error, nothing written), the audit trail and the emails."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import ShiftFactory
from recoverynet.volunteering.formats.ics import shifts_calendar
from recoverynet.volunteering.models import MAX_FLEXIBLE_HOURS, Shift, SignUp
from recoverynet.volunteering.reminders import send_reminders

from .flexible_times import LONDON, NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def flexible(world, role):
    """Any 2 hours between Tuesday 1 and Saturday 5 December, 9am to 5pm: two places."""
    return services.create_shift(
        actor=world.users["settlement_host"],
        role=role,
        kind="flexible",
        starts_at=at(1, 9),
        ends_at=at(5, 17),
        day_starts=datetime.time(9),
        day_ends=datetime.time(17),
        expected_minutes=120,
        expected_per="total",
        places=2,
    )


def _member(world):
    return MembershipFactory(network=world.own_network, status="active").user


def _written():
    return SignUp.objects.count(), Shift.objects.count(), AuditEntry.objects.count()


def _refused(code, call):
    before = _written()
    with pytest.raises(ValidationError) as caught:
        call()
    assert getattr(caught.value, "code", None) == code or code in str(caught.value), caught.value
    assert _written() == before
    return caught.value


def test_a_flexible_shift_reads_plainly_and_is_audited(world, flexible):
    assert flexible.when == (
        "Any 2 h in total between Tuesday 1 December and Saturday 5 December 2026, 09:00 to 17:00 each day"
    )
    entry = AuditEntry.objects.get(object_id=str(flexible.pk), action="create")
    assert entry.changes["kind"] == [None, "flexible"] and entry.actor == world.users["settlement_host"]


def test_bad_flexible_shifts_are_refused(world, role):
    host = world.users["settlement_host"]

    def make(**changes):
        data = {
            "actor": host,
            "role": role,
            "kind": "flexible",
            "starts_at": at(1, 0),
            "ends_at": at(6, 0),
            "expected_minutes": 120,
            "expected_per": "total",
            "places": 2,
        }
        return lambda: services.create_shift(**{**data, **changes})

    _refused("expected_minutes", make(expected_minutes=0))
    _refused("expected_minutes", make(expected_minutes=MAX_FLEXIBLE_HOURS * 60 + 1))
    _refused("expected_per", make(expected_per="fortnight"))
    _refused("day_ends", make(day_starts=datetime.time(9)))
    _refused("day_ends", make(day_starts=datetime.time(17), day_ends=datetime.time(9)))
    _refused("starts_at", make(starts_at=datetime.datetime(2026, 11, 1, tzinfo=LONDON)))  # the past
    _refused("ends_at", make(ends_at=datetime.datetime(2027, 6, 1, tzinfo=LONDON)))  # a window of months
    _refused("expected_minutes", make(starts_at=at(1, 9), ends_at=at(1, 10)))  # 2 hours in a 1-hour window
    _refused("kind", make(kind="sometimes"))
    with pytest.raises(PermissionDenied):
        make(actor=world.users["member"])()


def test_signing_up_with_or_without_a_chosen_time(world, flexible):
    member = world.users["member"]
    signup = services.sign_up(actor=member, shift=flexible, chosen=(at(2, 10), at(2, 12)))
    assert (signup.chosen_starts_at, signup.chosen_ends_at) == (at(2, 10), at(2, 12))
    assert signup.chosen_time == "Wednesday 2 December, 10:00 to 12:00"
    later = services.sign_up(actor=_member(world), shift=flexible)  # to agree with the organiser
    assert later.chosen_starts_at is None
    _refused("full", lambda: services.sign_up(actor=_member(world), shift=flexible))
    _refused("duplicate", lambda: services.sign_up(actor=member, shift=flexible))  # a double-submitted form


def test_chosen_times_must_lie_in_the_window(world, flexible):
    member = world.users["member"]
    for chosen in (
        (at(2, 8), at(2, 10)),  # before the day's hours
        (at(2, 16), at(2, 18)),  # after them
        (at(2, 16), at(3, 10)),  # across the night
        (at(6, 10), at(6, 12)),  # after the window
        (at(2, 12), at(2, 10)),  # backwards
        (NOW - datetime.timedelta(hours=2), NOW - datetime.timedelta(hours=1)),  # the past
        (at(1, 9), at(2, 17)),  # more than a day at once
    ):
        _refused("chosen", lambda chosen=chosen: services.sign_up(actor=member, shift=flexible, chosen=chosen))
    fixed = ShiftFactory(role=flexible.role)
    _refused("fixed", lambda: services.sign_up(actor=member, shift=fixed, chosen=(at(2, 10), at(2, 12))))


def test_a_window_blocks_a_fixed_shift_only_at_the_time_the_member_chose(world, role, flexible):
    member = world.users["member"]
    services.sign_up(actor=member, shift=flexible)  # no time chosen: blocks nothing
    morning = ShiftFactory(role=role, starts_at=at(2, 10), ends_at=at(2, 13), places=3)
    services.sign_up(actor=member, shift=morning)
    other = _member(world)
    services.sign_up(actor=other, shift=flexible, chosen=(at(2, 11), at(2, 13)))
    error = _refused("overlap", lambda: services.sign_up(actor=other, shift=morning))
    assert "2 December, 11:00" in error.message
    another = services.create_shift(
        actor=world.users["settlement_host"],
        role=role,
        kind="flexible",
        starts_at=at(1, 0),
        ends_at=at(8, 0),
        expected_minutes=180,
        expected_per="week",
        places=5,
    )
    _refused("overlap", lambda: services.sign_up(actor=member, shift=another, chosen=(at(2, 12), at(2, 14))))
    assert services.sign_up(actor=member, shift=another, chosen=(at(2, 14), at(2, 16))).pk


def test_a_window_takes_sign_ups_until_it_closes_and_hours_up_to_its_bound(world, time_machine, flexible):
    member, host = world.users["member"], world.users["settlement_host"]
    signup = services.sign_up(actor=member, shift=flexible)
    services.confirm_signup(actor=host, signup=signup)
    _refused("future", lambda: services.record_hours(actor=host, shift=flexible, entries={signup.pk: (True, 120)}))
    time_machine.move_to(at(3, 12), tick=False)  # the window is open: still takes sign-ups
    late = services.sign_up(actor=_member(world), shift=flexible)
    services.cancel_signup(actor=late.user, signup=late)
    error = _refused(
        "minutes_",
        lambda: services.record_hours(
            actor=host, shift=flexible, entries={signup.pk: (True, flexible.max_minutes + 1)}
        ),
    )
    assert "Enter at most 100 h, the most one place on a flexible shift can record." in str(error)
    _refused("negative", lambda: services.record_hours(actor=host, shift=flexible, entries={signup.pk: (True, -5)}))
    services.record_hours(actor=host, shift=flexible, entries={signup.pk: (True, 150)})
    signup.refresh_from_db()
    assert signup.minutes == 150
    time_machine.move_to(at(6, 9), tick=False)
    _refused("past", lambda: services.sign_up(actor=_member(world), shift=flexible))


def test_a_long_window_caps_the_hours(world, role):
    window = services.create_shift(
        actor=world.users["settlement_host"],
        role=role,
        kind="flexible",
        starts_at=at(1, 0),
        ends_at=datetime.datetime(2027, 1, 1, tzinfo=LONDON),
        expected_minutes=180,
        expected_per="week",
        places=5,
    )
    assert window.max_minutes == MAX_FLEXIBLE_HOURS * 60


def test_editing_never_drops_below_the_places_taken(world, shift):
    host = world.users["settlement_host"]
    services.sign_up(actor=world.users["member"], shift=shift)
    services.sign_up(actor=_member(world), shift=shift)
    error = _refused("places", lambda: services.update_shift(actor=host, shift=shift, data={"places": 1}))
    assert "offer at least 2 places" in str(error)
    changes = services.update_shift(actor=host, shift=shift, data={"places": 4})
    assert changes == {"places": [2, 4]}
    assert AuditEntry.objects.filter(object_id=str(shift.pk), action="update").count() == 1
    with pytest.raises(PermissionDenied):
        services.update_shift(actor=world.users["member"], shift=shift, data={"places": 5})


def test_moving_a_shift_tells_the_people_on_it(world, shift, django_capture_on_commit_callbacks):
    host, member = world.users["settlement_host"], world.users["member"]
    signup = services.sign_up(actor=member, shift=shift)
    SignUp.objects.filter(pk=signup.pk).update(reminder_sent_at=NOW)
    _refused(
        "starts_at",
        lambda: services.update_shift(
            actor=host, shift=shift, data={"starts_at": NOW - datetime.timedelta(hours=1), "ends_at": NOW}
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.update_shift(actor=host, shift=shift, data={"starts_at": at(10, 9), "ends_at": at(10, 12)})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email] and "Thursday 10 December 2026, 09:00 to 12:00" in mail.outbox[0].body
    signup.refresh_from_db()
    assert signup.reminder_sent_at is None  # reminded again before the new time


def test_a_window_keeps_the_times_members_chose(world, flexible):
    host = world.users["settlement_host"]
    services.sign_up(actor=world.users["member"], shift=flexible, chosen=(at(4, 10), at(4, 12)))
    _refused("chosen_outside", lambda: services.update_shift(actor=host, shift=flexible, data={"ends_at": at(3, 17)}))
    services.update_shift(actor=host, shift=flexible, data={"ends_at": at(4, 17), "expected_minutes": 90})
    flexible.refresh_from_db()
    assert flexible.last_day == datetime.date(2026, 12, 4) and flexible.expected == "1 h 30 min in total"


def test_a_started_shift_keeps_its_times(world, time_machine, shift):
    time_machine.move_to(shift.starts_at + datetime.timedelta(minutes=5), tick=False)
    _refused(
        "started",
        lambda: services.update_shift(
            actor=world.users["settlement_host"],
            shift=shift,
            data={"ends_at": shift.ends_at + datetime.timedelta(hours=1)},
        ),
    )


def test_cancelling_a_shift_with_places_keeps_it_and_emails_them(world, shift, django_capture_on_commit_callbacks):
    host, member = world.users["settlement_host"], world.users["member"]
    waiting = services.sign_up(actor=member, shift=shift)
    gone = services.sign_up(actor=_member(world), shift=shift)
    services.cancel_signup(actor=gone.user, signup=gone)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel_shift(actor=host, shift=shift, reason="The café is closed for repairs.") == "cancelled"
    assert [m.to for m in mail.outbox] == [[member.email]]  # only who still held a place
    assert "The café is closed for repairs." in mail.outbox[0].body
    waiting.refresh_from_db()
    assert waiting.status == SignUp.Status.CANCELLED and waiting.decline_reason == "The café is closed for repairs."
    shift.refresh_from_db()
    assert shift.cancelled_at == NOW
    _refused("cancelled", lambda: services.sign_up(actor=_member(world), shift=shift))
    _refused("cancelled", lambda: services.cancel_shift(actor=host, shift=shift))
    _refused("cancelled", lambda: services.update_shift(actor=host, shift=shift, data={"places": 9}))


def test_a_shift_nobody_signed_up_for_is_deleted(world, shift, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        services.cancel_shift(actor=world.users["member"], shift=shift)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel_shift(actor=world.users["settlement_host"], shift=shift) == "deleted"
    assert not Shift.objects.filter(pk=shift.pk).exists() and not mail.outbox
    assert AuditEntry.objects.filter(object_id=str(shift.pk), action="delete").exists()


def test_a_rolled_back_cancellation_sends_nothing(world, shift, django_capture_on_commit_callbacks, monkeypatch):
    services.sign_up(actor=world.users["member"], shift=shift)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.audit, "record", fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.cancel_shift(actor=world.users["settlement_host"], shift=shift)
    assert not mail.outbox
    assert SignUp.objects.get(shift=shift).status == SignUp.Status.REQUESTED


def test_a_flexible_place_in_the_calendar_and_its_reminder(world, time_machine, flexible):
    member = world.users["member"]
    whole = services.sign_up(actor=member, shift=flexible)
    services.confirm_signup(actor=world.users["settlement_host"], signup=whole)
    body = shifts_calendar([whole], host="example.org", url="https://example.org/volunteering/mine/", now=NOW)
    assert "DTSTART;VALUE=DATE:20261201\r\n" in body and "DTEND;VALUE=DATE:20261206\r\n" in body
    assert f"SUMMARY:Volunteering (any 2 h in total): {flexible.role.title}" in body
    time_machine.move_to(at(1, 9) - datetime.timedelta(hours=15), tick=False)  # the evening before it opens
    assert send_reminders(now=at(1, 9) - datetime.timedelta(hours=15)) == 1
    assert "Any 2 h in total between Tuesday 1 December" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Your volunteering window opens tomorrow"


def test_a_chosen_time_is_a_timed_event(world, flexible):
    signup = services.sign_up(actor=world.users["member"], shift=flexible, chosen=(at(2, 10), at(2, 12)))
    body = shifts_calendar([signup], host="example.org", url="https://example.org/volunteering/mine/", now=NOW)
    assert "DTSTART:20261202T100000Z\r\n" in body and "DTEND:20261202T120000Z\r\n" in body
