"""Exchanges confirm themselves after TIMEBANK_AUTO_CONFIRM_DAYS, with one reminder first."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command

from recoverynet.core.models import AuditEntry
from recoverynet.timebank import services
from recoverynet.timebank.audit import ledger_violations
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Exchange, Transaction

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
START = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)


def run_due():
    return services.auto_confirm_due()


@pytest.fixture
def pair(world):
    giver = MemberAccountFactory(network=world.own_network, user__display_name="Alex R.")
    receiver = MemberAccountFactory(network=world.own_network, user__display_name="Sam K.")
    return giver, receiver


def record(pair, minutes=60):
    giver, receiver = pair
    return services.record_exchange(
        actor=giver.user, giver=giver, receiver=receiver, minutes=minutes, description="Tea"
    )


def test_reminded_once_then_confirmed_after_n_days(pair, time_machine, settings, django_capture_on_commit_callbacks):
    settings.TIMEBANK_AUTO_CONFIRM_DAYS = 14
    time_machine.move_to(START, tick=False)
    exchange = record(pair)
    mail.outbox.clear()

    time_machine.move_to(START + datetime.timedelta(days=10, hours=23), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due() == {"reminded": 0, "confirmed": 0, "held": 0, "closed": 0}
    time_machine.move_to(START + datetime.timedelta(days=11), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due()["reminded"] == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [pair[1].user.email]
    assert "Alex R." in message.body and "16 November 2026" in message.body
    assert f"/timebank/exchanges/{exchange.pk}/" in message.body
    assert pair[0].user.email not in message.body  # display names only

    time_machine.move_to(START + datetime.timedelta(days=12), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due() == {"reminded": 0, "confirmed": 0, "held": 0, "closed": 0}  # never twice
    assert len(mail.outbox) == 1

    time_machine.move_to(START + datetime.timedelta(days=14), tick=False)
    assert run_due()["confirmed"] == 1
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.CONFIRMED and exchange.auto_confirmed
    assert (pair[0].balance(), pair[1].balance()) == (60, -60)
    entry = AuditEntry.objects.filter(object_id=str(exchange.pk), content_type__model="exchange").latest("pk")
    assert entry.actor is None and entry.summary == "Confirmed automatically after 14 days"
    assert run_due() == {"reminded": 0, "confirmed": 0, "held": 0, "closed": 0}  # twice-run: nothing twice
    assert Transaction.objects.count() == 1 and ledger_violations() == []


def test_a_late_reminder_still_gives_three_days_notice(pair, time_machine):
    time_machine.move_to(START, tick=False)
    exchange = record(pair)
    time_machine.move_to(START + datetime.timedelta(days=30), tick=False)  # the task did not run for a month
    assert run_due() == {"reminded": 1, "confirmed": 0, "held": 0, "closed": 0}
    time_machine.move_to(START + datetime.timedelta(days=32), tick=False)
    assert run_due()["confirmed"] == 0
    time_machine.move_to(START + datetime.timedelta(days=33), tick=False)
    assert run_due()["confirmed"] == 1
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.CONFIRMED


def test_disputed_and_decided_exchanges_are_untouched(pair, time_machine):
    time_machine.move_to(START, tick=False)
    disputed = record(pair)
    services.dispute_exchange(actor=pair[1].user, exchange=disputed, reason="It was shorter")
    confirmed = record(pair, minutes=30)
    services.confirm_exchange(actor=pair[1].user, exchange=confirmed)
    before = AuditEntry.objects.count()
    time_machine.move_to(START + datetime.timedelta(days=60), tick=False)
    assert run_due() == {"reminded": 0, "confirmed": 0, "held": 0, "closed": 0}
    disputed.refresh_from_db()
    assert disputed.status == Exchange.Status.DISPUTED and disputed.reminder_sent_at is None
    assert Transaction.objects.count() == 1 and AuditEntry.objects.count() == before


def test_one_that_cannot_move_is_held_and_nothing_half_written(pair, time_machine):
    time_machine.move_to(START, tick=False)
    exchange = record(pair, minutes=11 * 60)  # beyond the receiver's floor of −10 h
    time_machine.move_to(START + datetime.timedelta(days=20), tick=False)
    run_due()
    time_machine.move_to(START + datetime.timedelta(days=24), tick=False)
    assert run_due() == {"reminded": 0, "confirmed": 0, "held": 1, "closed": 0}
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.RECORDED and not Transaction.objects.exists()


def test_the_command_enqueues_the_task(pair, time_machine, capsys, settings):
    settings.TIMEBANK_AUTO_CONFIRM_DAYS = 3  # reminded at once, confirmed after 3 days
    time_machine.move_to(START, tick=False)
    exchange = record(pair)
    time_machine.move_to(START + datetime.timedelta(days=3), tick=False)
    call_command("timebank_auto_confirm")
    assert "Enqueued" in capsys.readouterr().out
    exchange.refresh_from_db()
    assert exchange.reminder_sent_at is not None and exchange.status == Exchange.Status.RECORDED
    time_machine.move_to(START + datetime.timedelta(days=6), tick=False)
    call_command("timebank_auto_confirm")
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.CONFIRMED


def test_a_mail_server_that_fails_never_loses_the_write(
    pair, time_machine, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("recoverynet.timebank.notifications._send", broken)
    time_machine.move_to(START, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        exchange = record(pair)
    time_machine.move_to(START + datetime.timedelta(days=11), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due()["reminded"] == 1
    exchange.refresh_from_db()
    assert exchange.reminder_sent_at is not None
