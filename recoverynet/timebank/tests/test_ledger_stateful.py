"""Random sequences of transfers, reversals, limit changes and transfers across
networks, of exchanges recorded, confirmed, disputed and confirmed automatically,
and of offers and requests answered and agreed; after every step every invariant
of the ledger holds, and each account's balance is what a plain model of the same
steps says it is."""

import contextlib
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from recoverynet.accounts import services as accounts_services
from recoverynet.accounts.models import ConsentPurpose
from recoverynet.testing import build_world
from recoverynet.timebank import services
from recoverynet.timebank.audit import ledger_violations
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Account, Category, Exchange, Transaction

pytestmark = pytest.mark.django_db

AMOUNTS = st.one_of(st.integers(-100, 7000), st.sampled_from([0, 1, 60, 600, 6000, 6001]))


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def set_up(self):
        # Each example in a savepoint of its own, rolled back in teardown(): a clean ledger every time.
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.world = build_world()
        self.federation = self.world.users["federation_coordinator"]
        self.accounts = [MemberAccountFactory(network=self.world.own_network) for _ in range(3)]
        self.accounts += [MemberAccountFactory(network=self.world.other_network) for _ in range(2)]
        self.expected = {account.pk: 0 for account in self.accounts}
        self.reversible = []
        self.waiting = []  # exchanges recorded, not yet decided
        self.days_on = 0  # how far the automatic confirmation has been run ahead
        for account in self.accounts:  # members of the time bank agreed to it (or the daily task closes them)
            accounts_services.record_consents(
                actor=account.user, user=account.user, decisions={ConsentPurpose.TIME_BANK: True}
            )
        services.ensure_default_categories()
        self.category = Category.objects.get(slug="gardening")

    def _settle(self):
        """Apply to the plain model what happened to the waiting exchanges (confirmed: the time moved)."""
        for exchange in list(self.waiting):
            exchange.refresh_from_db()
            if exchange.status == Exchange.Status.RECORDED:
                continue
            self.waiting.remove(exchange)
            if exchange.status == Exchange.Status.CONFIRMED:
                self.expected[exchange.receiver_id] -= exchange.minutes
                self.expected[exchange.giver_id] += exchange.minutes
                self.reversible.append(exchange.transaction)

    @rule(source=st.integers(0, 4), destination=st.integers(0, 4), minutes=AMOUNTS, key=st.sampled_from([None, "a"]))
    def transfer(self, source, destination, minutes, key):
        source, destination = self.accounts[source], self.accounts[destination]
        before = Transaction.objects.count()
        try:
            record = services.transfer(
                actor=source.user, source=source, destination=destination, minutes=minutes, idempotency_key=key
            )
        except ValidationError:
            assert Transaction.objects.count() == before  # refused: nothing written
            return
        if Transaction.objects.count() == before:  # the same key again: applied once
            return
        self.expected[source.pk] -= minutes
        self.expected[destination.pk] += minutes
        self.reversible.append(record)

    @precondition(lambda self: self.reversible)
    @rule(index=st.integers(0, 50), reason=st.sampled_from(["", "Recorded twice", "x" * 301]))
    def reverse(self, index, reason):
        original = self.reversible[index % len(self.reversible)]
        try:
            services.reverse_transaction(actor=self.federation, original=original, reason=reason)
        except ValidationError:
            return
        for posting in original.postings.all():
            if posting.account_id in self.expected:
                self.expected[posting.account_id] -= posting.amount
        self.reversible.remove(original)

    @rule(index=st.integers(0, 4), floor=st.integers(-1200, 60), ceiling=st.integers(-60, 20000))
    def set_limits(self, index, floor, ceiling):
        with contextlib.suppress(ValidationError, PermissionDenied):
            services.set_limits(actor=self.federation, account=self.accounts[index], floor=floor, ceiling=ceiling)
        self.accounts[index].refresh_from_db()

    @rule(giver=st.integers(0, 4), receiver=st.integers(0, 4), minutes=AMOUNTS)
    def record_exchange(self, giver, receiver, minutes):
        giver, receiver = self.accounts[giver], self.accounts[receiver]
        before = Exchange.objects.count()
        try:
            exchange = services.record_exchange(
                actor=giver.user, giver=giver, receiver=receiver, minutes=minutes, description="Gardening"
            )
        except ValidationError:
            assert Exchange.objects.count() == before
            return
        self.waiting.append(exchange)

    @precondition(lambda self: self.waiting)
    @rule(index=st.integers(0, 50), confirm=st.booleans())
    def decide_exchange(self, index, confirm):
        exchange = self.waiting[index % len(self.waiting)]
        receiver = exchange.receiver.user
        with contextlib.suppress(ValidationError):  # a limit it would breach: nothing moves, it stays waiting
            if confirm:
                services.confirm_exchange(actor=receiver, exchange=exchange)
            else:
                services.dispute_exchange(actor=receiver, exchange=exchange, reason="It did not happen.")
        self._settle()

    @rule(poster=st.integers(0, 2), answerer=st.integers(0, 2), kind=st.sampled_from(["offer", "request"]),
          minutes=AMOUNTS)  # fmt: skip
    def agree_an_answer(self, poster, answerer, kind, minutes):
        poster, answerer = self.accounts[poster], self.accounts[answerer]
        data = {"kind": kind, "category": self.category, "title": "Gardening", "visibility": "network"}
        try:
            post = services.create_post(actor=poster.user, account=poster, data=data)
            response = services.respond_to_post(actor=answerer.user, post=post, message="I can")
            exchange = services.agree_response(actor=poster.user, response=response, minutes=minutes)
        except ValidationError:  # answering one's own post, an amount out of range
            return
        self.waiting.append(exchange)

    @precondition(lambda self: self.waiting)
    @rule(days=st.integers(1, 20))
    def daily_confirmation(self, days):
        self.days_on += days
        services.auto_confirm_due(now=timezone.now() + datetime.timedelta(days=self.days_on))
        self._settle()

    @invariant()
    def books_balance(self):
        if not hasattr(self, "accounts"):
            return
        assert ledger_violations() == []
        balances = {a.pk: a.balance for a in Account.objects.with_balance().filter(pk__in=self.expected)}
        assert balances == self.expected

    def teardown(self):
        if hasattr(self, "savepoint"):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)


def test_every_sequence_of_ledger_operations_keeps_the_books(db):
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        ),
    )
