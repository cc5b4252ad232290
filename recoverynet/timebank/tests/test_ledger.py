"""The ledger's rules: balanced, append-only, inside its limits, each change audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from recoverynet.core.models import AuditEntry
from recoverynet.timebank import services
from recoverynet.timebank.audit import ledger_violations
from recoverynet.timebank.models import Account, Posting, Transaction, format_minutes

pytestmark = pytest.mark.django_db


def balances(accounts):
    return {name: account.balance() for name, account in accounts.items()}


@pytest.mark.parametrize(
    ("minutes", "shown"), [(0, "0 min"), (45, "45 min"), (60, "1 h"), (150, "2 h 30 min"), (-90, "−1 h 30 min")]
)
def test_minutes_are_shown_as_hours_and_minutes(minutes, shown):
    assert format_minutes(minutes) == shown


def test_a_member_gives_time_from_their_own_account(world, accounts):
    member = world.users["member"]
    record = services.transfer(
        actor=member, source=accounts["own"], destination=accounts["neighbour"], minutes=90, description="Lift"
    )
    assert balances(accounts) == {"own": -90, "neighbour": 90, "third": 0, "elsewhere": 0}
    assert sorted(record.postings.values_list("amount", flat=True)) == [-90, 90]
    entry = AuditEntry.objects.get(object_id=str(record.pk), action=AuditEntry.Action.CREATE)
    assert entry.actor == member and entry.network == world.own_network
    assert entry.summary == "Transfer of 1 h 30 min"
    assert ledger_violations() == []


BAD_MINUTES = [-5, 0, 1.5, "60", True, None, 10**9, 100 * 60 + 1]


@pytest.mark.parametrize("minutes", BAD_MINUTES)
def test_a_bad_amount_is_a_clear_error_and_writes_nothing(world, accounts, minutes):
    with pytest.raises(ValidationError) as caught:
        services.transfer(
            actor=world.users["member"], source=accounts["own"], destination=accounts["neighbour"], minutes=minutes
        )
    assert "minutes" in caught.value.message_dict
    assert not Transaction.objects.exists() and not Posting.objects.exists()
    assert not AuditEntry.objects.filter(content_type__app_label="timebank").exists()


def test_refusals_write_nothing(world, accounts):
    member = world.users["member"]
    with pytest.raises(ValidationError, match="someone else"):
        services.transfer(actor=member, source=accounts["own"], destination=accounts["own"], minutes=10)
    with pytest.raises(PermissionDenied):  # somebody else's account
        services.transfer(actor=member, source=accounts["neighbour"], destination=accounts["own"], minutes=10)
    with pytest.raises(PermissionDenied):  # another network's coordinator has no say here
        services.transfer(
            actor=world.users["network_coordinator"],
            source=accounts["elsewhere"],
            destination=accounts["own"],
            minutes=10,
        )
    accounts["neighbour"].is_open = False
    accounts["neighbour"].save(update_fields=["is_open"])
    with pytest.raises(ValidationError, match="closed"):
        services.transfer(actor=member, source=accounts["own"], destination=accounts["neighbour"], minutes=10)
    with pytest.raises(ValidationError, match="below its limit"):
        services.transfer(actor=member, source=accounts["own"], destination=accounts["third"], minutes=10 * 60 + 1)
    assert not Transaction.objects.exists()
    assert ledger_violations() == []


def test_the_same_form_sent_twice_is_one_transfer(world, accounts):
    member = world.users["member"]
    send = {"actor": member, "source": accounts["own"], "destination": accounts["neighbour"]}
    send["idempotency_key"] = "form-1"
    first = services.transfer(**send, minutes=30)
    again = services.transfer(**send, minutes=30)
    assert again.pk == first.pk
    assert accounts["neighbour"].balance() == 30
    with pytest.raises(ValidationError, match="other details"):
        services.transfer(**send, minutes=45)
    assert Transaction.objects.count() == 1


def test_time_between_networks_passes_through_both_clearing_accounts(world, accounts):
    record = services.transfer(
        actor=world.users["member"], source=accounts["own"], destination=accounts["elsewhere"], minutes=60
    )
    assert accounts["elsewhere"].balance() == 60
    ours = Account.objects.get(network=world.own_network, counterpart=world.other_network)
    theirs = Account.objects.get(network=world.other_network, counterpart=world.own_network)
    # Our network owes theirs an hour; each network's books balance on their own.
    assert (ours.balance(), theirs.balance()) == (60, -60)
    assert record.postings.count() == 4
    assert ledger_violations() == []


def test_a_reversal_undoes_a_transaction_once_with_its_reason(world, accounts):
    record = services.transfer(
        actor=world.users["member"], source=accounts["own"], destination=accounts["neighbour"], minutes=40
    )
    coordinator = world.users["network_coordinator"]
    with pytest.raises(ValidationError, match="why"):
        services.reverse_transaction(actor=coordinator, original=record, reason="  ")
    with pytest.raises(PermissionDenied):
        services.reverse_transaction(actor=world.users["member"], original=record, reason="Mistake")
    reversal = services.reverse_transaction(actor=coordinator, original=record, reason="Recorded twice")
    assert reversal.reverses == record and reversal.reason == "Recorded twice"
    assert balances(accounts)["own"] == 0 and balances(accounts)["neighbour"] == 0
    assert Transaction.objects.filter(pk=record.pk).exists()  # the original stays
    with pytest.raises(ValidationError, match="already been reversed"):
        services.reverse_transaction(actor=coordinator, original=record, reason="Again")
    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        services.reverse_transaction(actor=coordinator, original=reversal, reason="Undo the undo")
    assert ledger_violations() == []


def test_posted_rows_never_change(world, accounts):
    record = services.transfer(
        actor=world.users["member"], source=accounts["own"], destination=accounts["neighbour"], minutes=15
    )
    posting = record.postings.first()
    posting.amount = 999
    with pytest.raises(ValidationError):
        posting.save()
    with pytest.raises(ValidationError):
        posting.delete()
    with pytest.raises(ValidationError):
        record.delete()
    assert ledger_violations() == []


def test_limits_are_set_by_the_network_around_the_balance(world, accounts):
    coordinator = world.users["network_coordinator"]
    member = world.users["member"]
    services.transfer(actor=member, source=accounts["own"], destination=accounts["neighbour"], minutes=120)
    with pytest.raises(ValidationError, match="outside these limits"):
        services.set_limits(actor=coordinator, account=accounts["own"], floor=-60, ceiling=600)
    with pytest.raises(ValidationError):
        services.set_limits(actor=coordinator, account=accounts["own"], floor=30, ceiling=600)
    with pytest.raises(PermissionDenied):
        services.set_limits(actor=world.users["member"], account=accounts["own"], floor=-600, ceiling=600)
    account = services.set_limits(actor=coordinator, account=accounts["own"], floor=-180, ceiling=600)
    assert (account.floor, account.ceiling) == (-180, 600)
    assert AuditEntry.objects.filter(object_id=str(account.pk), summary="Changed the account's limits").exists()


def test_timebank_audit_names_each_violation(world, accounts, capsys):
    record = services.transfer(
        actor=world.users["member"], source=accounts["own"], destination=accounts["neighbour"], minutes=20
    )
    call_command("timebank_audit")
    assert "4 accounts, 1 transactions, 0 violations" in capsys.readouterr().out
    # Tampering behind the services' back (a raw UPDATE) is found.
    Posting.objects.filter(transaction=record, amount=20).update(amount=25)
    with pytest.raises(CommandError, match="violation"):
        call_command("timebank_audit")
    errors = capsys.readouterr().err
    assert "postings sum to 5 minutes, not 0" in errors
    assert f"transaction #{record.pk}'s postings have changed" in errors


def test_joining_the_time_bank_takes_a_membership(world):
    member = world.users["member"]
    account = services.open_member_account(actor=member, user=member, network=world.own_network)
    assert services.open_member_account(actor=member, user=member, network=world.own_network) == account
    with pytest.raises(ValidationError, match="Only members"):
        services.open_member_account(actor=member, user=member, network=world.other_network)


def test_a_statement_shows_each_posting_with_the_balance_after_it(world, accounts):
    from recoverynet.testing import assert_constant_queries
    from recoverynet.timebank.selectors import accounts_visible_to, statement

    member = world.users["member"]

    def add_rows(n):
        for _ in range(n):
            services.transfer(actor=member, source=accounts["own"], destination=accounts["neighbour"], minutes=1)

    rows = assert_constant_queries(lambda: list(statement(accounts["own"])), add_rows)
    assert len(rows) == 30
    assert [row.balance_after for row in rows[:3]] == [-30, -29, -28]  # newest first
    assert rows[-1].balance_after == -1
    assert set(accounts_visible_to(member)) == {accounts["own"]}
    assert accounts["elsewhere"] not in set(accounts_visible_to(world.users["network_coordinator"]))


def test_indicators_count_what_stands_per_network_computed_by_hand(world, accounts, time_machine):
    """own pays 60 to neighbour and 30 to elsewhere (they helped own); neighbour pays 15
    back; a reversed 45 counts for nothing. By hand, for own_network: hours credited
    60 + 15 = 1.25 h (the 30 went to the other network); gave help (credited):
    neighbour and own (2); received help (debited): own and neighbour (2); both: own
    and neighbour, of 2 active → 100 %. For other_network: 0.5 h credited, elsewhere
    gave help (1), nobody received (0), 0 %."""
    import datetime
    import zoneinfo

    from recoverynet.core.registry import Period, indicators

    time_machine.move_to(datetime.datetime(2026, 11, 10, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London")))
    member, neighbour = world.users["member"], accounts["neighbour"].user
    services.transfer(actor=member, source=accounts["own"], destination=accounts["neighbour"], minutes=60)
    services.transfer(actor=member, source=accounts["own"], destination=accounts["elsewhere"], minutes=30)
    services.transfer(actor=neighbour, source=accounts["neighbour"], destination=accounts["own"], minutes=15)
    mistake = services.transfer(actor=member, source=accounts["own"], destination=accounts["third"], minutes=45)
    services.reverse_transaction(actor=world.users["network_coordinator"], original=mistake, reason="Not given")
    networks = [world.own_network, world.other_network]
    quarter = Period(datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))
    figures = {i.key: i.measure(networks, quarter) for i in indicators() if i.key.startswith("timebank.")}
    own, other = world.own_network.pk, world.other_network.pk
    assert figures["timebank.hours_exchanged"] == {own: 1.25, other: 0.5}
    assert figures["timebank.active_givers"] == {own: 2, other: 1}
    assert figures["timebank.active_receivers"] == {own: 2, other: 0}
    assert figures["timebank.active_members"] == {own: 2, other: 1}
    assert figures["timebank.reciprocity_rate"] == {own: 100.0, other: 0.0}
    earlier = Period(datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))
    assert next(i for i in indicators() if i.key == "timebank.active_givers").measure(networks, earlier) == {
        own: 0,
        other: 0,
    }


def test_givers_and_active_members_by_settlement_computed_by_hand(world, accounts, time_machine):
    """Cumbria: the member (own) at Carlisle, the host at Carlisle, neighbour at Penrith (left
    since), third at no settlement; elsewhere at Bootle in Merseyside, and also a member at
    Carlisle in Cumbria, where they hold no account. own pays neighbour 60 and elsewhere 30,
    neighbour pays own 15, third pays own 20, the host pays neighbour 10, and own's 45 to
    third is reversed. Credited (gave): neighbour, own, elsewhere; active: those and third,
    the host. By hand: Carlisle gave 1 (own), active 2 (own, host); Penrith 1 and 1;
    Bootle 1 and 1 (elsewhere's Carlisle membership is of another network); Cumbria
    gave 2 (own, neighbour) and active 4 (own, neighbour, third, host)."""
    import datetime
    import zoneinfo

    from recoverynet.core.registry import Period
    from recoverynet.federation.factories import MembershipFactory, SettlementFactory
    from recoverynet.federation.models import Membership
    from recoverynet.timebank import indicators

    time_machine.move_to(datetime.datetime(2026, 11, 10, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London")))
    carlisle, bootle = world.own_settlement, world.other_settlement
    penrith = SettlementFactory(network=world.own_network, name="Penrith")
    quiet = SettlementFactory(network=world.own_network, name="Quiet")
    member, host = world.users["member"], world.users["settlement_host"]
    neighbour, third, elsewhere = (accounts[name].user for name in ("neighbour", "third", "elsewhere"))
    Membership.objects.filter(user=neighbour).update(settlement=penrith)
    Membership.objects.filter(user=elsewhere).update(settlement=bootle)
    MembershipFactory(user=elsewhere, network=world.own_network, settlement=carlisle)
    hosts = Account.objects.create(network=world.own_network, kind=Account.Kind.MEMBER, user=host)
    services.transfer(actor=member, source=accounts["own"], destination=accounts["neighbour"], minutes=60)
    services.transfer(actor=member, source=accounts["own"], destination=accounts["elsewhere"], minutes=30)
    services.transfer(actor=neighbour, source=accounts["neighbour"], destination=accounts["own"], minutes=15)
    services.transfer(actor=third, source=accounts["third"], destination=accounts["own"], minutes=20)
    services.transfer(actor=host, source=hosts, destination=accounts["neighbour"], minutes=10)
    mistake = services.transfer(actor=member, source=accounts["own"], destination=accounts["third"], minutes=45)
    services.reverse_transaction(actor=world.users["network_coordinator"], original=mistake, reason="Not given")
    Membership.objects.filter(user=neighbour).update(status=Membership.Status.LEFT)

    settlements = [carlisle, penrith, quiet, bootle]
    quarter = Period(datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))
    gave = indicators.active_givers_by_settlement(settlements, quarter)
    assert gave == {carlisle.pk: 1, penrith.pk: 1, quiet.pk: 0, bootle.pk: 1}
    active = indicators.active_members_by_settlement(settlements, quarter)
    assert active == {carlisle.pk: 2, penrith.pk: 1, quiet.pk: 0, bootle.pk: 1}
    networks = [world.own_network, world.other_network]
    assert indicators.active_givers(networks, quarter) == {world.own_network.pk: 2, world.other_network.pk: 1}
    assert indicators.active_members(networks, quarter) == {world.own_network.pk: 4, world.other_network.pk: 1}
    earlier = Period(datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))
    assert set(indicators.active_givers_by_settlement(settlements, earlier).values()) == {0}


def test_settlement_figures_are_one_query_each(world, accounts, django_assert_num_queries):
    import datetime

    from recoverynet.core.registry import Period
    from recoverynet.timebank import indicators

    quarter = Period(datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))
    for measure in (indicators.active_givers_by_settlement, indicators.active_members_by_settlement):
        with django_assert_num_queries(1):
            assert measure([world.own_settlement, world.other_settlement], quarter) == {
                world.own_settlement.pk: 0,
                world.other_settlement.pk: 0,
            }


# --- Exchanges ------------------------------------------------------------------


def test_an_exchange_moves_time_only_when_the_receiver_confirms(world, accounts):
    from recoverynet.timebank.models import Exchange

    giver, receiver = accounts["neighbour"], accounts["own"]
    exchange = services.record_exchange(
        actor=giver.user, giver=giver, receiver=receiver, minutes=75, description="Lift to a meeting"
    )
    assert exchange.status == Exchange.Status.RECORDED and not Transaction.objects.exists()
    with pytest.raises(PermissionDenied):  # only the receiver (or their coordinator) confirms
        services.confirm_exchange(actor=giver.user, exchange=exchange)
    confirmed = services.confirm_exchange(actor=receiver.user, exchange=exchange)
    assert confirmed.status == Exchange.Status.CONFIRMED
    assert (giver.balance(), receiver.balance()) == (75, -75)
    assert confirmed.transaction.kind == Transaction.Kind.EXCHANGE
    with pytest.raises(ValidationError, match="already been decided"):
        services.confirm_exchange(actor=receiver.user, exchange=exchange)
    assert Transaction.objects.count() == 1


def test_a_disputed_exchange_moves_nothing(world, accounts):
    giver, receiver = accounts["neighbour"], accounts["own"]
    exchange = services.record_exchange(actor=giver.user, giver=giver, receiver=receiver, minutes=30, description="DIY")
    with pytest.raises(ValidationError, match="what is wrong"):
        services.dispute_exchange(actor=receiver.user, exchange=exchange, reason=" ")
    disputed = services.dispute_exchange(actor=receiver.user, exchange=exchange, reason="It was 15 minutes")
    assert disputed.dispute_reason == "It was 15 minutes"
    assert not Transaction.objects.exists()
    with pytest.raises(ValidationError):
        services.confirm_exchange(actor=receiver.user, exchange=exchange)


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("minutes", {"minutes": 0}),
        ("minutes", {"minutes": 10**6}),
        ("description", {"description": ""}),
        ("description", {"description": "x" * 201}),
        ("receiver", {"receiver": "giver"}),
        ("receiver", {"receiver": "elsewhere"}),
    ],
)
def test_a_bad_exchange_is_a_clear_error_and_writes_nothing(world, accounts, field, changes):
    from recoverynet.timebank.models import Exchange

    giver = accounts["neighbour"]
    data = {"minutes": 30, "description": "Gardening", "receiver": "own", **changes}
    receiver = giver if data["receiver"] == "giver" else accounts[data["receiver"]]
    with pytest.raises(ValidationError) as caught:
        services.record_exchange(
            actor=giver.user, giver=giver, receiver=receiver, minutes=data["minutes"], description=data["description"]
        )
    assert field in caught.value.message_dict
    assert not Exchange.objects.exists()


def test_the_demo_year_balances_and_loads_once(db):
    from recoverynet.core.registry import DemoContext
    from recoverynet.federation.demo.loader import load_federation_demo
    from recoverynet.timebank.demo import load_timebank_demo

    demo = DemoContext()
    load_federation_demo(demo)
    load_timebank_demo(demo)
    confirmed = Transaction.objects.filter(kind=Transaction.Kind.EXCHANGE).count()
    assert confirmed > 300
    groups = Transaction.objects.filter(kind=Transaction.Kind.GROUP_ACTIVITY)
    assert groups.exists() and all(record.postings.count() > 5 for record in groups)
    assert Account.objects.filter(kind=Account.Kind.ORGANISATION).exists()
    assert ledger_violations() == []
    dates = Transaction.objects.values_list("created_at", flat=True)
    assert (max(dates) - min(dates)).days > 300  # spread over a year
    assert Account.objects.filter(user__email="demo.member@example.org").exists()
    load_timebank_demo(demo)  # again: the ledger is never rewritten
    assert Transaction.objects.filter(kind=Transaction.Kind.EXCHANGE).count() == confirmed
