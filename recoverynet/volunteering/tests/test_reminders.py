"""The day-before reminder: confirmed places only, once, and never to someone who said no."""

import datetime
import io
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command

from recoverynet.federation.factories import MembershipFactory
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import ShiftFactory
from recoverynet.volunteering.models import SignUp

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_reminders_go_once_the_day_before_to_confirmed_places(world, role, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 6, 18, 0, tzinfo=LONDON), tick=False)
    tomorrow = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=LONDON)
    later = datetime.datetime(2026, 12, 8, 9, 30, tzinfo=LONDON)
    shift = ShiftFactory(role=role, starts_at=tomorrow, ends_at=tomorrow + datetime.timedelta(hours=3), places=5)
    other_day = ShiftFactory(role=role, starts_at=later, ends_at=later + datetime.timedelta(hours=3))
    host = world.users["settlement_host"]
    member = world.users["member"]
    confirmed = services.sign_up(actor=member, shift=shift)
    services.confirm_signup(actor=host, signup=confirmed)
    services.sign_up(actor=MembershipFactory(network=world.own_network, status="active").user, shift=shift)  # waits
    quiet = MembershipFactory(network=world.own_network, status="active").user
    services.save_profile(
        actor=quiet, user=quiet, recovery_start=None, avoid_alcohol_venues=False, shift_reminders=False
    )
    services.record_walk_in(actor=host, shift=shift, user=quiet)
    services.record_walk_in(actor=host, shift=other_day, user=MembershipFactory(network=world.own_network).user)

    out = io.StringIO()
    call_command("volunteering_reminders", "--site-url", "https://recovery.example", stdout=out)
    assert out.getvalue().strip() == "Sent 1 volunteering reminder."
    assert [m.to for m in mail.outbox] == [[member.email]]
    body = mail.outbox[0].body
    assert "Monday 7 December 2026, 09:30" in body and role.title in body
    assert "https://recovery.example/volunteering/mine/" in body
    assert SignUp.objects.get(pk=confirmed.pk).reminder_sent_at is not None
    call_command("volunteering_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # never twice
