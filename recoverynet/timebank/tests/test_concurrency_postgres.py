"""Sixteen threads, each with its own PostgreSQL connection, move time at random
among a few accounts kept near their floors, some across networks. Afterwards
every invariant holds, no floor was breached, and every transfer that said it
succeeded is in the ledger exactly once (and no refused one is).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recoverynet \\
        .venv/bin/python -m pytest recoverynet/timebank/tests/test_concurrency_postgres.py
"""

import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from recoverynet.testing import build_world, run_concurrently
from recoverynet.timebank import services
from recoverynet.timebank.audit import ledger_violations
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Account, Transaction

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real concurrent connections (set DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 16
TRANSFERS_PER_THREAD = 12


def test_concurrent_transfers_near_their_floors_keep_the_books():
    world = build_world()
    accounts = [MemberAccountFactory(network=world.own_network, floor=-60) for _ in range(3)]
    accounts.append(MemberAccountFactory(network=world.other_network, floor=-60))
    rng = random.Random(20261203)
    plans = [
        [(rng.randrange(4), rng.randrange(4), rng.choice([10, 20, 30, 45])) for _ in range(TRANSFERS_PER_THREAD)]
        for _ in range(THREADS)
    ]

    def worker(plan, thread):
        done = []
        for step, (source, destination, minutes) in enumerate(plan):
            source_account = Account.objects.get(pk=accounts[source].pk)
            destination_account = Account.objects.get(pk=accounts[destination].pk)
            try:
                record = services.transfer(
                    actor=source_account.user,
                    source=source_account,
                    destination=destination_account,
                    minutes=minutes,
                    idempotency_key=f"t{thread}-s{step}",
                )
            except ValidationError:
                continue  # a floor reached or a self-transfer: refused cleanly
            done.append((record.pk, source, destination, minutes))
        return done

    results = run_concurrently(*(lambda p=plan, t=i: worker(p, t) for i, plan in enumerate(plans)))
    errors = [value for outcome, value in results if outcome == "error"]
    assert not errors, errors  # no deadlock or serialization failure reached anyone
    succeeded = [entry for _, done in results for entry in done]
    assert succeeded, "some transfers must have gone through"
    assert Transaction.objects.count() == len(succeeded) == len({pk for pk, *_ in succeeded})
    expected = [0, 0, 0, 0]
    for _, source, destination, minutes in succeeded:
        expected[source] -= minutes
        expected[destination] += minutes
    balances = [Account.objects.get(pk=account.pk).balance() for account in accounts]
    assert balances == expected
    assert all(balance >= -60 for balance in balances)
    assert ledger_violations() == []


def test_two_auto_confirm_runs_at_once_do_nothing_twice(settings):
    """Eight workers run the daily task at the same moment over 20 waiting exchanges:
    each is reminded once, then confirmed once, whatever the interleaving."""
    import datetime

    from django.core import mail
    from django.utils import timezone

    from recoverynet.timebank.models import Exchange

    settings.TIMEBANK_AUTO_CONFIRM_DAYS = 14
    world = build_world()
    giver = MemberAccountFactory(network=world.own_network)
    receiver = MemberAccountFactory(network=world.own_network)
    for _ in range(20):
        services.record_exchange(actor=giver.user, giver=giver, receiver=receiver, minutes=5, description="Tea")
    Exchange.objects.update(recorded_at=timezone.now() - datetime.timedelta(days=12))
    mail.outbox.clear()

    results = run_concurrently(*(services.auto_confirm_due for _ in range(8)))
    assert not [value for outcome, value in results if outcome == "error"]
    assert sum(value["reminded"] for _, value in results) == 20
    assert len(mail.outbox) == 20  # one reminder each, never two

    later = timezone.now() + datetime.timedelta(days=3, minutes=1)
    results = run_concurrently(*(lambda: services.auto_confirm_due(now=later) for _ in range(8)))
    assert not [value for outcome, value in results if outcome == "error"]
    assert sum(value["confirmed"] for _, value in results) == 20
    assert Transaction.objects.count() == 20 and receiver.balance() == -100
    assert ledger_violations() == []
