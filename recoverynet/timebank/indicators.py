"""The time bank's figures for the outcomes framework (core.registry.Indicator),
per network over a period, each one aggregate query. Reversed transactions and
their reversals count for nothing; clearing accounts are bookkeeping, not people.
Givers and active members can also be counted by the settlement of the account
holder's membership of the account's network (the outcomes dashboard's settlement
filter), one aggregate query each."""

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from recoverynet.core.registry import Indicator, shared_measurement
from recoverynet.federation.models import Membership

from .models import Account, Posting, Transaction

PEOPLE = Q(account__kind=Account.Kind.MEMBER)


def _postings(networks, period):
    """Postings of the period that stand: not a reversal, not reversed."""
    return _standing(period, account__network__in=networks)


def _standing(period, **where):
    reversed_ = Transaction.objects.filter(reverses=OuterRef("transaction_id"))
    return (
        Posting.objects.filter(
            transaction__created_at__gte=period.start_at,
            transaction__created_at__lt=period.end_at,
            **where,
        )
        .exclude(transaction__kind=Transaction.Kind.REVERSAL)
        .exclude(Exists(reversed_))
        .exclude(account__kind=Account.Kind.CLEARING)
    )


def _per_network(networks, rows, key):
    found = {row["account__network_id"]: row[key] or 0 for row in rows}
    return {network.pk: found.get(network.pk, 0) for network in networks}


def hours_exchanged(networks, period):
    rows = _postings(networks, period).filter(amount__gt=0).values("account__network_id").annotate(m=Sum("amount"))
    return {pk: round(minutes / 60, 2) for pk, minutes in _per_network(networks, rows, "m").items()}


def active_givers(networks, period):
    """Members who gave help: their account was credited (an hour given earns an hour)."""
    rows = (
        _postings(networks, period)
        .filter(PEOPLE, amount__gt=0)
        .values("account__network_id")
        .annotate(n=Count("account", distinct=True))
    )
    return _per_network(networks, rows, "n")


# The holder's membership of the account's network (one per person and network), accepted
# whether or not they have left since, so earlier quarters keep the people who gave then.
AT_SETTLEMENT = "account__user__memberships__settlement_id"


def _by_settlement(settlements, period, *conditions):
    rows = (
        _standing(
            period,
            account__kind=Account.Kind.MEMBER,
            account__user__memberships__settlement__in=settlements,
            account__user__memberships__network=F("account__network"),
            account__user__memberships__status__in=(Membership.Status.ACTIVE, Membership.Status.LEFT),
        )
        .filter(*conditions)
        .order_by()
        .values(AT_SETTLEMENT)
        .annotate(n=Count("account", distinct=True))
    )
    found = {row[AT_SETTLEMENT]: row["n"] for row in rows}
    return {settlement.pk: found.get(settlement.pk, 0) for settlement in settlements}


def active_givers_by_settlement(settlements, period):
    return _by_settlement(settlements, period, Q(amount__gt=0))


def active_members_by_settlement(settlements, period):
    return _by_settlement(settlements, period)


def givers(networks, period) -> dict:
    """{network id: ids of the members who gave help in the period}, as active_givers counts them
    (declared on TimebankConfig.givers: the federation's "people giving back")."""
    found = {network.pk: set() for network in networks}
    rows = _postings(networks, period).filter(PEOPLE, amount__gt=0, account__user__isnull=False)
    for network_id, user_id in rows.values_list("account__network_id", "account__user_id").distinct():
        found[network_id].add(user_id)
    return found


def active_receivers(networks, period):
    """Members who received help: their account was debited (they spent hours)."""
    rows = (
        _postings(networks, period)
        .filter(PEOPLE, amount__lt=0)
        .values("account__network_id")
        .annotate(n=Count("account", distinct=True))
    )
    return _per_network(networks, rows, "n")


def _gave_and_received(networks, period):
    """{network: (members active, members who both gave and received)}, in one query (once for
    both indicators below while the outcomes framework measures them together)."""
    return _gave_and_received_once(tuple(network.pk for network in networks), period)


@shared_measurement
def _gave_and_received_once(network_ids, period):
    per_account = (
        _postings(network_ids, period)
        .filter(PEOPLE)
        .values("account__network_id", "account_id")
        .annotate(gave=Count("pk", filter=Q(amount__lt=0)), received=Count("pk", filter=Q(amount__gt=0)))
    )
    totals = {network_id: [0, 0] for network_id in network_ids}
    for row in per_account:
        counts = totals[row["account__network_id"]]
        counts[0] += 1
        counts[1] += bool(row["gave"] and row["received"])
    return totals


def active_members(networks, period):
    return {pk: active for pk, (active, _) in _gave_and_received(networks, period).items()}


def reciprocity_rate(networks, period):
    """Per cent of active members who both gave and received time (None with no active members)."""
    return {
        pk: (round(100 * both / active, 1) if active else None)
        for pk, (active, both) in _gave_and_received(networks, period).items()
    }


def _coproduction(networks, period):
    """{network: (minutes credited for co-production, members credited)}, one query (once for
    both indicators below while the outcomes framework measures them together)."""
    return _coproduction_once(tuple(network.pk for network in networks), period)


@shared_measurement
def _coproduction_once(network_ids, period):
    rows = (
        _postings(network_ids, period)
        .filter(amount__gt=0, transaction__category__co_production=True)
        .values("account__network_id")
        .annotate(m=Sum("amount"), n=Count("account", distinct=True, filter=PEOPLE))
        .order_by()
    )
    found = {row["account__network_id"]: (row["m"] or 0, row["n"]) for row in rows}
    return {network_id: found.get(network_id, (0, 0)) for network_id in network_ids}


def coproduction_hours(networks, period):
    """Hours credited in the period for time given in categories flagged co-production
    (Category.co_production): confirmed exchanges and group activities."""
    return {pk: round(minutes / 60, 2) for pk, (minutes, _) in _coproduction(networks, period).items()}


def coproduction_givers(networks, period):
    """Members credited in the period for time given in co-production categories."""
    return {pk: givers for pk, (_, givers) in _coproduction(networks, period).items()}


def minutes_by_month_and_category(networks, period):
    """[(network id, month's first day, category id, category name, minutes credited)] in one
    query; months in the site's time zone; a category of None means none was recorded."""
    rows = (
        _postings(networks, period)
        .filter(amount__gt=0)
        .annotate(month=TruncMonth("transaction__created_at"))
        .values("account__network_id", "month", "transaction__category_id", "transaction__category__name")
        .annotate(m=Sum("amount"))
        .order_by()
    )
    return [
        (
            row["account__network_id"],
            row["month"].date() if hasattr(row["month"], "date") else row["month"],
            row["transaction__category_id"],
            row["transaction__category__name"],
            row["m"],
        )
        for row in rows
    ]


SOURCE = "The time bank's ledger: confirmed exchanges and transfers, less reversals."
SETTLEMENT_CAVEATS = (
    "By settlement: the settlement the member belongs to in the network now (a member who moved is counted "
    "at their present settlement in earlier quarters too; one who belongs to none is at no settlement)."
)

INDICATORS = (
    Indicator(
        key="timebank.hours_exchanged",
        outcomes=(2, 3),
        name="Hours exchanged in the time bank",
        definition="Hours credited to members', organisations' and settlements' accounts in the period.",
        unit="hours",
        period="quarter",
        source=SOURCE,
        measure=hours_exchanged,
        count=False,
        denominator="timebank.active_givers",
        caveats="Not shown where fewer than 5 members gave help (or their number is hidden): a small group's hours "
        "would say how much each gave. Hours credited to organisations' and settlements' accounts are in the "
        "figure but their givers are not in that count.",
    ),
    Indicator(
        key="timebank.active_givers",
        outcomes=(2,),
        name="Members who gave help",
        definition=(
            "Members who gave help at least once in the period: their time bank account was credited with the "
            "hours they gave (an exchange they recorded and the other person confirmed, or a group activity)."
        ),
        unit="people",
        period="quarter",
        source=SOURCE,
        measure=active_givers,
        measure_settlements=active_givers_by_settlement,
        caveats=SETTLEMENT_CAVEATS,
    ),
    Indicator(
        key="timebank.active_receivers",
        outcomes=(2,),
        name="Members who received help",
        definition=(
            "Members who received help at least once in the period: their time bank account paid for it in hours."
        ),
        unit="people",
        period="quarter",
        source=SOURCE,
        measure=active_receivers,
    ),
    Indicator(
        key="timebank.active_members",
        outcomes=(2,),
        name="Members active in the time bank",
        definition="Members who gave or received help at least once in the period.",
        unit="people",
        period="quarter",
        source=SOURCE,
        measure=active_members,
        measure_settlements=active_members_by_settlement,
        caveats=SETTLEMENT_CAVEATS,
    ),
    Indicator(
        key="timebank.reciprocity_rate",
        outcomes=(2,),
        name="Reciprocity rate",
        definition="Of the members active in the period, the share who both gave and received help.",
        unit="%",
        period="quarter",
        source=SOURCE,
        measure=reciprocity_rate,
        count=False,
        denominator="timebank.active_members",
    ),
    Indicator(
        key="timebank.coproduction_hours",
        outcomes=(3,),
        name="Co-production hours",
        definition=(
            "Hours members gave in the period in time bank categories flagged as co-production with services "
            "(confirmed exchanges and group activities): people with lived experience shaping and running "
            "services with them, a bridge between treatment services and recovery communities."
        ),
        unit="hours",
        period="quarter",
        source=SOURCE,
        measure=coproduction_hours,
        count=False,
        denominator="timebank.coproduction_givers",
        caveats="Only time recorded with a co-production category counts; exchanges recorded without a category "
        "do not. Not shown where fewer than 5 members gave co-production time (or their number is hidden).",
    ),
    Indicator(
        key="timebank.coproduction_givers",
        outcomes=(3,),
        name="Members who gave co-production time",
        definition="Members credited in the period for time given in time bank categories flagged as co-production "
        "with services (confirmed exchanges and group activities): the people behind the co-production hours.",
        unit="people",
        period="quarter",
        source=SOURCE,
        measure=coproduction_givers,
        caveats="Only time recorded with a co-production category counts.",
    ),
)
