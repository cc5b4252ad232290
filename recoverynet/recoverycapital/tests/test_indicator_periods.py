"""The recovery capital indicators over several periods at once (Indicator.measure_periods):
the same figures as one period at a time, worked out by hand, in one query for all the
periods whatever the number of assessments; the change and its count share that query."""

import datetime
import zoneinfo

import pytest

from recoverynet.accounts.factories import UserFactory
from recoverynet.core.registry import Period, measuring
from recoverynet.federation.factories import NetworkFactory
from recoverynet.recoverycapital.factories import give_consent, shipped
from recoverynet.recoverycapital.indicators import (
    INDICATORS,
    assessments_completed,
    assessments_completed_over,
    members_with_repeat_assessments,
    members_with_repeat_assessments_over,
    recovery_capital_change,
    recovery_capital_change_over,
)
from recoverynet.recoverycapital.models import Assessment
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 4, 1))
Q2 = Period(datetime.date(2026, 4, 1), datetime.date(2026, 7, 1))
Q3 = Period(datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))


def at(month, day, hour=10, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def completed(person, network, when, total, instrument=None):
    return Assessment.objects.create(
        person=person,
        network=network,
        instrument=instrument or shipped(),
        started_at=when - datetime.timedelta(minutes=10),
        completed_at=when,
        total_score=total,
    )


@pytest.fixture
def history():
    """Two networks; every case the rules name, with the figures worked out by hand below."""
    own, other = NetworkFactory(), NetworkFactory()
    ann, bob, cat, dan, eve = (UserFactory() for _ in range(5))
    for person in (ann, bob, cat, dan, eve):
        give_consent(person)
    # Ann: 30 in January, 35 and 41 in February (Q1), 44 in May (Q2). Q1 change 41-30 = +11, Q2 44-30 = +14.
    for when, total in ((at(1, 5), 30), (at(2, 4), 35), (at(2, 20), 41), (at(5, 1), 44)):
        completed(ann, own, when, total)
    # Bob: 40 in January, 38 in March (Q1: -2); two at the very same instant in August (Q3): 45 and 47,
    # both his latest, so both count in the mean (+5 and +7) and he counts once.
    for when, total in ((at(1, 10), 40), (at(3, 3), 38), (at(8, 8), 45), (at(8, 8), 47)):
        completed(bob, own, when, total)
    # Cat: her first two at the same instant in January (20, then 22 by id: the first is 20), 26 in Q2: +6.
    for when, total in ((at(1, 12), 20), (at(1, 12), 22), (at(4, 20), 26)):
        completed(cat, own, when, total)
    # Dan: only one BARC-10 (no change); his MIRC-28 is not a BARC-10 and his other network's is separate.
    completed(dan, own, at(2, 2), 50)
    completed(dan, own, at(3, 2), 90, instrument=shipped("mirc-28"))
    completed(dan, other, at(3, 9), 33)
    # Eve, in the other network: 25 in December 2025, 31 in Q2 (+6): the first comes from before any period.
    completed(eve, other, datetime.datetime(2025, 12, 1, 9, tzinfo=LONDON), 25)
    completed(eve, other, at(6, 30, 23, 30), 31)  # 23:30 on 30 June, London: still Q2
    # Not completed: never counted.
    Assessment.objects.create(person=eve, network=other, instrument=shipped(), started_at=at(8, 1))
    return own.pk, other.pk, [own, other]


def test_periods_at_once_give_the_figures_worked_out_by_hand(history):
    own, other, networks = history
    periods = [Q1, Q2, Q3]
    assert members_with_repeat_assessments_over(networks, periods) == [
        {own: 2, other: 0},  # Ann, Bob
        {own: 2, other: 1},  # Ann, Cat; Eve
        {own: 1, other: 0},  # Bob (twice at one instant, counted once)
    ]
    assert recovery_capital_change_over(networks, periods) == [
        {own: 4.5, other: None},  # (11 - 2) / 2
        {own: 10.0, other: 6.0},  # (14 + 6) / 2; 31 - 25
        {own: 6.0, other: None},  # (5 + 7) / 2
    ]
    assert assessments_completed_over(networks, periods) == [
        {own: 9, other: 1},  # Ann 3, Bob 2, Cat 2, Dan 2 (the MIRC-28 is an assessment); Dan's other
        {own: 2, other: 1},
        {own: 2, other: 0},
    ]


def test_periods_at_once_agree_with_one_period_at_a_time(history):
    _, _, networks = history
    january = Period(datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))
    half = Period(datetime.date(2026, 1, 1), datetime.date(2026, 7, 1))
    empty = Period(datetime.date(2027, 1, 1), datetime.date(2027, 4, 1))
    # In any order, with gaps, and overlapping (the first half of the year holds Q1 and Q2).
    for periods in ([Q1, Q2, Q3], [Q3, Q1], [january, Q2, empty], [half, Q1, Q2], [Q2]):
        for over, one in (
            (members_with_repeat_assessments_over, members_with_repeat_assessments),
            (recovery_capital_change_over, recovery_capital_change),
            (assessments_completed_over, assessments_completed),
        ):
            assert over(networks, periods) == [one(networks, period) for period in periods], (over, periods)
    assert recovery_capital_change_over(networks, []) == []
    assert recovery_capital_change_over([], [Q1]) == [{}]


def test_every_indicator_is_one_query_for_all_periods_and_rows(history, django_assert_num_queries):
    _, _, networks = history
    person = UserFactory()
    eight = [Q1, Q2, Q3] + [Period(datetime.date(2025, m, 1), datetime.date(2025, m + 3, 1)) for m in (1, 4, 7)]

    def measure():
        for indicator in INDICATORS:
            with django_assert_num_queries(1):
                indicator.measure_over(networks, eight)

    def add(n):
        for index in range(n):
            completed(person, networks[index % 2], at(1 + index % 9, 1 + index % 28), 10 + index % 50)

    assert_constant_queries(measure, add, few=3, many=30)


def test_the_change_and_its_count_share_one_query_while_measuring(history, django_assert_num_queries):
    _, _, networks = history
    found = {indicator.key.split(".")[1]: indicator for indicator in INDICATORS}
    change, count = found["recovery_capital_change"], found["members_with_repeat_assessments"]
    with django_assert_num_queries(1), measuring():
        first = change.measure_over(networks, [Q1, Q2])
        count.measure_over(networks, [Q1, Q2])
    assert first[0][networks[0].pk] == 4.5
    # Outside a measurement nothing is kept: a new member's change shows at once.
    newcomer = UserFactory()
    give_consent(newcomer)
    completed(newcomer, networks[0], at(1, 2), 10)
    completed(newcomer, networks[0], at(3, 1), 20)
    with django_assert_num_queries(2):
        assert change.measure_over(networks, [Q1, Q2])[0][networks[0].pk] == 6.3  # (11 - 2 + 10) / 3
        assert count.measure_over(networks, [Q1, Q2])[0][networks[0].pk] == 3


def test_a_withdrawn_consent_takes_a_member_out_of_every_figure_until_given_again(history, django_assert_num_queries):
    """Ann withdraws her outcome-measurement consent: her assessments leave every quarter's
    figures (her earlier ones too), by network and by settlement; given again, they return.
    By hand without Ann: Q1 Bob alone (-2) of 6 assessments; Q2 Cat (+6) of 1, Eve (+6); Q3 Bob."""
    from recoverynet.federation.factories import MembershipFactory, SettlementFactory
    from recoverynet.recoverycapital.indicators_settlement import assessments_completed_by_settlement

    own, other, networks = history
    ann = Assessment.objects.get(total_score=30).person
    carlisle = SettlementFactory(network=networks[0])
    MembershipFactory(user=ann, network=networks[0], settlement=carlisle)
    periods = [Q1, Q2, Q3]

    def figures():
        with django_assert_num_queries(4):
            return (
                members_with_repeat_assessments_over(networks, periods),
                recovery_capital_change_over(networks, periods),
                assessments_completed_over(networks, periods),
                assessments_completed_by_settlement([carlisle], Q1)[carlisle.pk],
            )

    with_ann = figures()
    assert with_ann[0][0] == {own: 2, other: 0} and with_ann[1][0][own] == 4.5 and with_ann[2][0][own] == 9
    assert with_ann[3] == 3  # Ann's three in Q1, at Carlisle

    give_consent(ann, granted=False)
    assert figures() == (
        [{own: 1, other: 0}, {own: 1, other: 1}, {own: 1, other: 0}],
        [{own: -2.0, other: None}, {own: 6.0, other: 6.0}, {own: 6.0, other: None}],
        [{own: 6, other: 1}, {own: 1, other: 1}, {own: 2, other: 0}],
        0,
    )
    # One period at a time agrees, and the registered indicators read the same.
    assert members_with_repeat_assessments(networks, Q1) == {own: 1, other: 0}
    assert recovery_capital_change(networks, Q2) == {own: 6.0, other: 6.0}
    assert assessments_completed(networks, Q1) == {own: 6, other: 1}

    give_consent(ann)
    assert figures() == with_ann
