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
        load_offers_demo(demo)
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
    load_offers_demo(demo)


# --- Offers and requests -------------------------------------------------------------

# (kind, category slug, title, description, federation-wide?)
OFFERS_AND_REQUESTS = [
    ("offer", "lifts-to-meetings", "Lifts to the Tuesday evening meeting", "I drive past the hub at 6.30pm.", False),
    ("request", "cooking", "Someone to cook with on Sundays", "I want to learn to cook simple meals.", False),
    ("offer", "befriending", "A walk and a coffee", "Weekday mornings, any weather.", False),
    ("offer", "cv-help", "Help with your CV", "I used to work in recruitment.", True),
    ("request", "diy", "Shelves put up in my flat", "Two shelves; I have the brackets.", False),
    ("offer", "gardening", "Gardening at the settlement", "Saturdays from 10am.", False),
    ("offer", "peer-support", "Someone to talk to after a meeting", "I have been in recovery for six years.", False),
    ("request", "digital-help", "Set up video calls on my tablet", "So I can join online meetings.", True),
    ("offer", "co-production", "Help plan the service's new drop-in", "Sharing what works for us.", False),
]
ANSWERS = ["I could help this week.", "I'd like that, when suits you?", "Happy to, message me here."]


def load_offers_demo(demo) -> None:
    """Offers and requests across the categories in each network, some answered,
    one agreed; a vetted member offering home visits. Runs once."""
    from .models import Category, Post

    services.ensure_default_categories()
    if Post.objects.exists():
        demo.notes.append("Time bank: already has offers and requests, left as they are.")
        return
    categories = {category.slug: category for category in Category.objects.all()}
    rng = random.Random(SEED + 1)  # noqa: S311 - repeatable demo data, not security
    posts = 0
    for network in sorted(demo.objects["networks"].values(), key=lambda n: n.slug):
        accounts = list(
            Account.objects.filter(network=network, kind=Account.Kind.MEMBER, is_open=True)
            .select_related("user", "network")
            .order_by("pk")
        )
        if len(accounts) < 3:
            continue
        demo_member = next((a for a in accounts if a.user.email == DEMO_MEMBER_EMAIL), None)
        made = []
        for index, (kind, slug, title, description, wide) in enumerate(OFFERS_AND_REQUESTS):
            poster = accounts[index % len(accounts)]
            if index == 1 and demo_member is not None:
                poster = demo_member  # the demo member's own request, with answers to agree
            data = {
                "kind": kind,
                "category": categories[slug],
                "title": title,
                "description": description,
                "visibility": "federation" if wide else "network",
            }
            made.append(services.create_post(actor=poster.user, account=poster, data=data))
        for post in made[:4]:
            for answerer in rng.sample([a for a in accounts if a.pk != post.poster_id], 2):
                services.respond_to_post(actor=answerer.user, post=post, message=rng.choice(ANSWERS))
        first = made[0].responses.order_by("pk").first()
        services.agree_response(actor=made[0].poster.user, response=first, minutes=60)
        coordinator = (
            Membership.objects.filter(network=network, role=Membership.Role.NETWORK_COORDINATOR, status="active")
            .select_related("user")
            .first()
        )
        if coordinator is not None:
            visitor = accounts[-1]
            services.set_vetted(actor=coordinator.user, user=visitor.user, network=network, vetted=True)
            made.append(
                services.create_post(
                    actor=visitor.user,
                    account=visitor,
                    data={
                        "kind": "offer",
                        "category": categories["home-visits"],
                        "title": "Home visits for members who cannot get out",
                        "description": "Vetted by the network's coordinators.",
                        "visibility": "network",
                    },
                )
            )
        posts += len(made)
    demo.notes.append(f"Time bank: {posts} offers and requests, some answered, one agreed in each network.")


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
