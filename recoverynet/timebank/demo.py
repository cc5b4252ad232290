"""The time bank's part of seed_demo (declared on TimebankConfig, after the
federation's): accounts for most active members, and a year of confirmed
exchanges, so statements and the indicators tell a story. The ledger is
append-only, so this runs once: a database that already has time bank
transactions is left as it is."""

import datetime
import random

from django.utils import timezone

from recoverynet.accounts.consent import current_wording
from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
from recoverynet.federation.models import Membership

from . import notifications, services
from .models import Account, Exchange, Transaction

SEED = 20261203
EXCHANGES_PER_NETWORK = 120
WHAT_FOR = [
    "Lift to a meeting",
    "Cooked a meal for the recovery café",
    "Befriending: a walk and a coffee",
    "Help with a CV",
    "Put up shelves",
    "Gardening at the settlement",
    "Peer support session",
    "Set up a phone and email",
    "Shopping for a neighbour",
    "Painting the community room",
]
DEMO_MEMBER_EMAIL = "demo.member@example.org"


def load_timebank_demo(demo) -> None:
    with notifications.suppressed():  # demo people are never emailed
        _load(demo)


def _load(demo) -> None:
    if Transaction.objects.exists():
        demo.notes.append("Time bank: already has transactions, left as it is (its ledger is never rewritten).")
        return
    wording = current_wording(ConsentPurpose.TIME_BANK)
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not security
    now = timezone.now()
    count = groups = 0
    group_rng = random.Random(SEED + 1)  # noqa: S311 - its own stream: the exchanges above stay as they were
    for network in sorted(demo.objects["networks"].values(), key=lambda n: n.slug):
        members = list(
            Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
            .select_related("user")
            .order_by("user_id")
        )
        joined = [m.user for m in members if m.user.email == DEMO_MEMBER_EMAIL or rng.random() < 0.6]
        accounts = [
            Account.objects.get_or_create(network=network, user=user, kind=Account.Kind.MEMBER)[0] for user in joined
        ]
        # Each joined with the time bank consent (a person in two networks' time banks agreed once).
        consented = set(
            ConsentRecord.objects.filter(purpose=ConsentPurpose.TIME_BANK, user__in=joined).values_list(
                "user_id", flat=True
            )
        )
        ConsentRecord.objects.bulk_create(
            ConsentRecord(
                user=user,
                purpose=ConsentPurpose.TIME_BANK,
                granted=True,
                wording_version=wording.version,
                recorded_at=now - datetime.timedelta(days=366),
            )
            for user in joined
            if user.pk not in consented
        )
        if len(accounts) < 2:
            continue
        for _ in range(EXCHANGES_PER_NETWORK):
            giver, receiver = rng.sample(accounts, 2)
            minutes = rng.choice([30, 45, 60, 60, 90, 120, 180])
            if receiver.balance() - minutes < receiver.floor:
                giver, receiver = receiver, giver  # keep everyone inside their limits
                if receiver.balance() - minutes < receiver.floor:
                    continue
            exchange = services.record_exchange(
                actor=giver.user, giver=giver, receiver=receiver, minutes=minutes, description=rng.choice(WHAT_FOR)
            )
            exchange = services.confirm_exchange(actor=receiver.user, exchange=exchange)
            when = now - datetime.timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 600))
            # Spread over the past year (the dates are not in the postings' digest).
            Transaction.objects.filter(pk=exchange.transaction_id).update(created_at=when)
            Exchange.objects.filter(pk=exchange.pk).update(recorded_at=when, decided_at=when)
            count += 1
        groups += _group_activities(network, accounts, group_rng, now)
    member = Account.objects.filter(user__email=DEMO_MEMBER_EMAIL).select_related("network").first()
    if member is not None:
        others = Account.objects.filter(network=member.network, kind=Account.Kind.MEMBER).exclude(pk=member.pk)
        neighbour = others.order_by("pk").first()
        if neighbour is not None:
            services.record_exchange(
                actor=neighbour.user, giver=neighbour, receiver=member, minutes=60, description="Lift to a meeting"
            )
    demo.notes.append(
        f"Time bank: {Account.objects.count()} accounts, {count} confirmed exchanges over a year, "
        f"{groups} group activities."
    )


GROUP_ACTIVITIES = (("Community clean-up", 200), ("Co-production day at the recovery café", 60))


def _group_activities(network, accounts, rng, now) -> int:
    """The network's first organisation credits two group activities (up to 12 people × 2 h each),
    recorded by a coordinator of the network."""
    coordinator = (
        Membership.objects.filter(
            network=network, role=Membership.Role.NETWORK_COORDINATOR, status=Membership.Status.ACTIVE
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    organisation = network.organisations.filter(is_active=True).order_by("pk").first()
    if coordinator is None or organisation is None or len(accounts) < 5:
        return 0
    actor = coordinator.user
    payer = services.open_holder_account(actor=actor, network=network, organisation=organisation)
    for description, days_ago in GROUP_ACTIVITIES:
        people = rng.sample(accounts, min(12, len(accounts)))
        record = services.record_group_activity(
            actor=actor, payer=payer, credits=[(account, 120) for account in people], description=description
        )
        Transaction.objects.filter(pk=record.pk).update(created_at=now - datetime.timedelta(days=days_ago))
    return len(GROUP_ACTIVITIES)
