"""Taking an assessment: consent, the rules, answers only from the options,
one per item, partial saves, scoring on finishing; instruments from JSON."""

import copy
import datetime
import json
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.accounts.privacy import ConsentRequired
from recoverynet.core.models import AuditEntry
from recoverynet.core.registry import Period
from recoverynet.recoverycapital import services
from recoverynet.recoverycapital.indicators import (
    assessments_completed,
    members_with_repeat_assessments,
    recovery_capital_change,
)
from recoverynet.recoverycapital.models import Answer, Assessment, Instrument, Item

from .conftest import give_consent

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
BARC_ANSWERS = dict(enumerate([6, 5, 4, 5, 6, 3, 4, 5, 5, 4], start=1))  # 47


def start(world, barc, actor=None, person=None):
    person = person or world.users["member"]
    return services.start_assessment(actor=actor or person, person=person, network=world.own_network, instrument=barc)


def test_a_member_completes_barc10_and_it_is_scored_by_its_rules(world, barc, consenting_member):
    assessment = start(world, barc)
    services.save_answers(actor=consenting_member, assessment=assessment, answers={1: 6, 2: 5})
    services.save_answers(actor=consenting_member, assessment=assessment, answers={1: 6, 2: 5, 3: 4})  # resumed
    assert Answer.objects.filter(assessment=assessment).count() == 3
    services.save_answers(actor=consenting_member, assessment=assessment, answers=BARC_ANSWERS)
    done = services.complete_assessment(actor=consenting_member, assessment=assessment)
    assert (done.total_score, done.mode, done.entered_by) == (47, Assessment.Mode.SELF, None)
    assert services.scores_of(done).bands["total"]["label"] == "At or above the cut-off"
    entries = AuditEntry.objects.filter(object_id=str(assessment.pk), content_type__model="assessment")
    assert entries.count() == 5  # started, three saves, finished
    assert all("47" not in e.summary and not e.changes for e in entries)  # no health data in the audit log


def test_no_consent_means_nothing_is_started_or_saved(world, barc):
    member = world.users["member"]
    with pytest.raises(ConsentRequired):
        start(world, barc)
    give_consent(member)
    assessment = start(world, barc)
    give_consent(member, granted=False)  # withdrawn
    with pytest.raises(ConsentRequired):
        services.save_answers(actor=member, assessment=assessment, answers={1: 3})
    assert not Answer.objects.exists()


@pytest.mark.parametrize("value", [0, 7, -1, 100, "3", 3.0, None, True])
def test_answers_outside_the_response_options_are_refused_and_nothing_is_written(world, barc, consenting_member, value):
    assessment = start(world, barc)
    with pytest.raises(ValidationError) as caught:
        services.save_answers(actor=consenting_member, assessment=assessment, answers={1: 4, 2: value})
    assert "item_2" in caught.value.message_dict
    assert not Answer.objects.exists()


def test_an_item_of_another_instrument_is_refused(world, barc, consenting_member):
    assessment = start(world, barc)
    with pytest.raises(ValidationError):
        services.save_answers(actor=consenting_member, assessment=assessment, answers={11: 4})


def test_one_answer_per_item_is_a_database_constraint(world, barc, consenting_member):
    assessment = start(world, barc)
    item = barc.items.get(number=1)
    Answer.objects.create(assessment=assessment, item=item, value=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(assessment=assessment, item=item, value=4)


def test_finishing_needs_every_answer_and_a_finished_one_is_closed(world, barc, consenting_member):
    assessment = start(world, barc)
    services.save_answers(actor=consenting_member, assessment=assessment, answers={1: 3})
    with pytest.raises(ValidationError) as caught:
        services.complete_assessment(actor=consenting_member, assessment=assessment)
    assert "item_2" in caught.value.message_dict
    services.save_answers(actor=consenting_member, assessment=assessment, answers=BARC_ANSWERS)
    services.complete_assessment(actor=consenting_member, assessment=assessment)
    with pytest.raises(ValidationError):
        services.save_answers(actor=consenting_member, assessment=assessment, answers={1: 1})


def test_nobody_else_answers_anothers_assessment(world, barc, consenting_member):
    assessment = start(world, barc)
    services.save_answers(actor=consenting_member, assessment=assessment, answers={1: 5})

    def written():
        return (
            list(Answer.objects.order_by("pk").values_list("assessment_id", "item__number", "value")),
            list(Assessment.objects.order_by("pk").values_list("pk", "person", "completed_at", "total_score")),
            AuditEntry.objects.count(),
        )

    before = written()
    assert before[0] == [(assessment.pk, 1, 5)]
    for role in ("professional", "network_coordinator", "federation_coordinator"):
        with pytest.raises(PermissionDenied):
            services.save_answers(actor=world.users[role], assessment=assessment, answers={1: 3, 2: 4})
        with pytest.raises(PermissionDenied):
            services.complete_assessment(actor=world.users[role], assessment=assessment)
    with pytest.raises(PermissionDenied):  # nor starts one in their name without supporting them
        start(world, barc, actor=world.users["professional"], person=consenting_member)
    assert written() == before  # not an answer, an assessment or an audit entry more


def test_a_peer_worker_enters_one_with_a_member_and_it_is_recorded_as_such(world, barc, consenting_member):
    host = world.users["settlement_host"]
    assessment = start(world, barc, actor=host, person=consenting_member)
    assert (assessment.mode, assessment.entered_by) == (Assessment.Mode.WITH_WORKER, host)
    services.save_answers(actor=host, assessment=assessment, answers=BARC_ANSWERS)
    services.complete_assessment(actor=host, assessment=assessment)
    assert Assessment.objects.get(pk=assessment.pk).person == consenting_member


def test_an_instrument_not_ready_for_use_cannot_be_taken(world, instruments, consenting_member):
    with pytest.raises(ValidationError):
        start(world, instruments["mirc-28"])


# --- Instruments from JSON ------------------------------------------------------------


def barc_definition():
    return copy.deepcopy(Instrument.objects.get(slug="barc-10").definition)


def test_a_coordinator_loads_another_version_for_their_network(world, barc):
    data = barc_definition() | {"version": 2}
    loaded = services.load_instrument(data, actor=world.users["network_coordinator"], network=world.own_network)
    assert loaded.items.count() == 10
    with pytest.raises(ValidationError, match="loaded already"):
        services.load_instrument(data, actor=world.users["network_coordinator"], network=world.own_network)
    with pytest.raises(PermissionDenied):
        services.load_instrument(data | {"version": 3}, actor=world.users["member"], network=world.own_network)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("items"), "'items' is a required property"),
        (lambda d: d["items"][1].update(number=1), "without gaps or repeats"),
        (lambda d: d["response_options"].append({"value": 1, "label": "Again"}), "its own value"),
        (lambda d: d["scoring"]["bands"][0].update(min=0), "within total's range, 10 to 60"),
        (lambda d: d["scoring"].update(domains=[{"key": "x", "name": "X", "items": [99]}]), "do not exist"),
        (lambda d: d.update(slug="Not A Slug"), "at slug"),
    ],
)
def test_a_malformed_instrument_says_what_is_wrong_and_writes_nothing(barc, world, change, message):
    data = barc_definition() | {"version": 9}
    change(data)
    before = (Instrument.objects.count(), Item.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.load_instrument(data, actor=world.users["network_coordinator"], network=world.own_network)
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert (Instrument.objects.count(), Item.objects.count()) == before


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)


def _mutations():
    keys = st.sampled_from(["slug", "version", "items", "response_options", "scoring", "name", "citation"])
    return st.one_of(
        JSON,
        st.tuples(keys, JSON).map(lambda pair: {**_BARC, pair[0]: pair[1]}),
    )


_BARC = json.loads((services.SHIPPED / "barc-10.json").read_text()) | {"version": 77}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_mutations())
def test_any_json_is_a_clear_error_or_a_valid_instrument_and_nothing_partial(world, barc, data):
    before = (Instrument.objects.count(), Item.objects.count())
    try:
        with transaction.atomic():
            services.load_instrument(data, actor=world.users["network_coordinator"], network=world.own_network)
            transaction.set_rollback(True)
    except ValidationError as exc:
        assert exc.messages and all(isinstance(m, str) and m for m in exc.messages)
    assert (Instrument.objects.count(), Item.objects.count()) == before


@pytest.mark.parametrize("raw", [b"", b"{", b"\xff\xfe", b"[1,2", b"{" * 5000, b"x" * 200_001])
def test_a_file_that_is_not_json_is_a_clear_error(raw):
    with pytest.raises(ValidationError):
        services.parse_instrument_file(raw)


# --- Reminders ------------------------------------------------------------------------


def test_a_reminder_is_emailed_once_when_due(world, barc, consenting_member, time_machine, mailoutbox):
    from recoverynet.recoverycapital.tasks import send_due_reminders

    time_machine.move_to(datetime.datetime(2026, 1, 10, 10, 0, tzinfo=LONDON), tick=False)
    assessment = start(world, barc)
    services.save_answers(actor=consenting_member, assessment=assessment, answers=BARC_ANSWERS)
    services.complete_assessment(actor=consenting_member, assessment=assessment)
    time_machine.move_to(datetime.datetime(2026, 4, 9, 10, 0, tzinfo=LONDON), tick=False)
    assert send_due_reminders.call() == 0  # not yet three months
    time_machine.move_to(datetime.datetime(2026, 4, 10, 11, 0, tzinfo=LONDON), tick=False)
    assert send_due_reminders.call() == 1
    assert mailoutbox[0].to == [consenting_member.email]
    assert "47" not in mailoutbox[0].body  # no scores in an email
    time_machine.move_to(datetime.datetime(2026, 5, 10, 11, 0, tzinfo=LONDON), tick=False)
    assert send_due_reminders.call() == 0  # never twice
    assert len(mailoutbox) == 1


def test_a_chosen_interval_and_turning_reminders_off(world, barc, consenting_member, time_machine, mailoutbox):
    from recoverynet.recoverycapital.tasks import send_due_reminders

    time_machine.move_to(datetime.datetime(2026, 1, 31, 10, 0, tzinfo=LONDON), tick=False)
    services.set_reminders(actor=consenting_member, person=consenting_member, interval_months=1, enabled=True)
    assessment = start(world, barc)
    services.save_answers(actor=consenting_member, assessment=assessment, answers=BARC_ANSWERS)
    services.complete_assessment(actor=consenting_member, assessment=assessment)
    time_machine.move_to(datetime.datetime(2026, 2, 28, 12, 0, tzinfo=LONDON), tick=False)  # a month on (short month)
    services.set_reminders(actor=consenting_member, person=consenting_member, interval_months=1, enabled=False)
    assert send_due_reminders.call() == 0
    services.set_reminders(actor=consenting_member, person=consenting_member, interval_months=1, enabled=True)
    assert send_due_reminders.call() == 1
    give_consent(consenting_member, granted=False)
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, 0, tzinfo=LONDON), tick=False)
    assert send_due_reminders.call() == 0
    with pytest.raises(ValidationError):
        services.set_reminders(actor=consenting_member, person=consenting_member, interval_months=13, enabled=True)


# --- Indicators -----------------------------------------------------------------------


def test_indicators_measure_change_and_coverage_per_network(world, barc, time_machine):
    from recoverynet.federation.factories import MembershipFactory

    people = [MembershipFactory(network=world.own_network).user for _ in range(3)]
    totals = {people[0]: [30, 35, 41], people[1]: [40, 38], people[2]: [50]}  # changes +11, -2; one has a single one
    day = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=LONDON)
    for person, scores in totals.items():
        give_consent(person)
        for index, total in enumerate(scores):
            time_machine.move_to(day + datetime.timedelta(days=30 * index), tick=False)
            a = start(world, barc, person=person)
            answers = dict.fromkeys(range(1, 11), 1)
            extra = total - 10
            for n in range(1, 11):  # spread (total - 10) over the items, at most 5 each
                answers[n] += min(5, extra)
                extra -= min(5, extra)
            services.save_answers(actor=person, assessment=a, answers=answers)
            assert services.complete_assessment(actor=person, assessment=a).total_score == total
    networks = [world.own_network, world.other_network]
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 4, 1))
    own, other = world.own_network.pk, world.other_network.pk
    assert members_with_repeat_assessments(networks, period) == {own: 2, other: 0}
    assert recovery_capital_change(networks, period) == {own: 4.5, other: None}  # (11 + -2) / 2
    assert assessments_completed(networks, period) == {own: 6, other: 0}
    early = Period(datetime.date(2026, 1, 1), datetime.date(2026, 1, 20))
    assert assessments_completed(networks, early) == {own: 3, other: 0}
    assert recovery_capital_change(networks, early) == {own: None, other: None}
    # The first may come from before the period: from February, the 41 still compares with January's 30,
    # and the 38 with the 40 (not 41 with 35, nor leaving out the member with one in the period).
    later = Period(datetime.date(2026, 2, 1), datetime.date(2026, 4, 1))
    assert members_with_repeat_assessments(networks, later) == {own: 2, other: 0}
    assert recovery_capital_change(networks, later) == {own: 4.5, other: None}
    assert recovery_capital_change(networks, Period(datetime.date(2026, 4, 1), datetime.date(2026, 7, 1))) == {
        own: None,
        other: None,
    }


def test_each_indicator_is_one_query(world, barc, django_assert_num_queries):
    networks = [world.own_network, world.other_network]
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 4, 1))
    for measure in (members_with_repeat_assessments, recovery_capital_change, assessments_completed):
        with django_assert_num_queries(1):
            measure(networks, period)


def test_assessments_completed_by_the_members_settlement(world, barc, django_assert_num_queries):
    """Cumbria: the member (Carlisle) completes 2 in the quarter, one more after it and one left
    unfinished; the host (Carlisle) 1; P (Penrith, left since) 1; N (no settlement) 1; Q (asked to
    join Penrith, still pending) 1. X belongs to Carlisle in Cumbria and to Bootle in Merseyside
    and completes 1 in Merseyside. By hand: Carlisle 3, Penrith 1, Bootle 1, Quiet 0; Cumbria 6."""
    from recoverynet.federation.factories import MembershipFactory, SettlementFactory
    from recoverynet.federation.models import Membership
    from recoverynet.recoverycapital.factories import AssessmentFactory
    from recoverynet.recoverycapital.indicators import INDICATORS
    from recoverynet.recoverycapital.indicators_settlement import assessments_completed_by_settlement

    own, other = world.own_network, world.other_network
    carlisle, bootle = world.own_settlement, world.other_settlement
    penrith, quiet = SettlementFactory(network=own, name="Penrith"), SettlementFactory(network=own, name="Quiet")
    p = MembershipFactory(network=own, settlement=penrith, status=Membership.Status.LEFT).user
    n = MembershipFactory(network=own).user
    q = MembershipFactory(network=own, settlement=penrith, status=Membership.Status.PENDING).user
    x = MembershipFactory(network=own, settlement=carlisle).user
    MembershipFactory(user=x, network=other, settlement=bootle)
    in_quarter = datetime.datetime(2026, 2, 10, 10, 0, tzinfo=LONDON)
    after = datetime.datetime(2026, 4, 1, 0, 30, tzinfo=LONDON)
    member, host = world.users["member"], world.users["settlement_host"]
    for person, network, completed_at in [
        (member, own, in_quarter),
        (member, own, in_quarter),
        (member, own, after),
        (member, own, None),
        (host, own, in_quarter),
        (p, own, in_quarter),
        (n, own, in_quarter),
        (q, own, in_quarter),
        (x, other, in_quarter),
    ]:
        assessment = AssessmentFactory(person=person, network=network, instrument=barc)
        Assessment.objects.filter(pk=assessment.pk).update(completed_at=completed_at)
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 4, 1))
    with django_assert_num_queries(1):
        found = assessments_completed_by_settlement([carlisle, penrith, quiet, bootle], period)
    assert found == {carlisle.pk: 3, penrith.pk: 1, quiet.pk: 0, bootle.pk: 1}
    assert assessments_completed([own, other], period) == {own.pk: 6, other.pk: 1}
    registered = next(i for i in INDICATORS if i.key == "recoverycapital.assessments_completed")
    assert registered.measure_settlements is assessments_completed_by_settlement


def test_the_demo_loads_two_years_quickly_and_once(db, time_machine):
    """The demo tells a story: two years, most members improving, some dropping out."""
    from recoverynet.core.registry import DemoContext
    from recoverynet.federation.demo.loader import load_federation_demo
    from recoverynet.recoverycapital.demo import QUARTERS, load_recoverycapital_demo

    now = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
    time_machine.move_to(now, tick=False)
    demo = DemoContext()
    load_federation_demo(demo)
    load_recoverycapital_demo(demo)
    completed = Assessment.objects.exclude(completed_at=None)
    assert completed.values("person").distinct().count() > 50
    dates = completed.values_list("completed_at", flat=True)
    assert (max(dates) - min(dates)).days > 500

    barc_totals, latest = {}, {}  # person -> BARC-10 totals, oldest first; when they took their last
    barc = completed.filter(instrument__slug="barc-10").order_by("completed_at", "pk")
    for person, total, completed_at in barc.values_list("person", "total_score", "completed_at"):
        barc_totals.setdefault(person, []).append(total)
        latest[person] = completed_at
    repeat = [totals for totals in barc_totals.values() if len(totals) >= 2]
    changes = [totals[-1] - totals[0] for totals in repeat]
    assert len(repeat) > 50
    assert sum(changes) / len(changes) > 0  # on average, recovery capital grows between first and latest
    assert any(change < 0 for change in changes)  # and not for everyone
    # Drop-out: fewer BARC-10s than the eight quarters, and none in the last four months (the demo
    # leaves 80 to 110 days between sittings, so someone still taking part would have had one since).
    dropped = [
        person
        for person, totals in barc_totals.items()
        if len(totals) < QUARTERS and now - latest[person] > datetime.timedelta(days=120)
    ]
    still_taking_part = [person for person in barc_totals if now - latest[person] <= datetime.timedelta(days=120)]
    assert len(dropped) >= len(barc_totals) // 5  # at 12% a quarter, about half drop out over two years
    assert still_taking_part and len(dropped) < len(barc_totals)
    assert (
        Answer.objects.count()
        == 10 * completed.filter(instrument__slug="barc-10").count()
        + 4 * completed.filter(instrument__slug="ons4").count()
    )
    load_recoverycapital_demo(demo)  # a second run adds nothing
    assert Assessment.objects.count() == completed.count()
