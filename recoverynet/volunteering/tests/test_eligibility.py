"""Whether a member can take a role: every combination of what a role asks and
what is known about the member, against the rules written out once more here."""

import datetime
import itertools

import pytest

from recoverynet.volunteering.eligibility import Eligibility, MemberFacts, add_months, eligibility, facts_for
from recoverynet.volunteering.models import DBSLevel, Role

TODAY = datetime.date(2026, 12, 6)
NETWORK_ID = 7


class _Network:
    pk = NETWORK_ID
    name = "Cumbria"


def _role(**fields):
    role = Role(network_id=NETWORK_ID, title="Café host", **fields)
    role._state.fields_cache["network"] = _Network()
    return role


RANK = {"none": 0, "basic": 1, "standard": 2, "enhanced": 3}
ROLE_DBS = ["none", "basic", "enhanced"]
MEMBER_DBS = [None, ("basic", TODAY), ("enhanced", TODAY), ("enhanced", datetime.date(2023, 12, 5))]
MINIMUMS = [0, 6, 24]
RECOVERY = [None, datetime.date(2026, 10, 1), datetime.date(2025, 6, 6), datetime.date(2020, 1, 1)]
EARLY = ["yes", "no", "ask"]


def _months_since(start):
    months = (TODAY.year - start.year) * 12 + TODAY.month - start.month
    return months if TODAY.day >= start.day else months - 1


@pytest.mark.parametrize(
    ("member", "role_dbs", "member_dbs"), list(itertools.product([True, False], ROLE_DBS, MEMBER_DBS))
)
def test_every_combination(member, role_dbs, member_dbs):
    """Every combination (13,824): the outer three as parameters, the rest in a loop, each checked
    against the rules written out again here; a failure names its combination."""
    inner = itertools.product(MINIMUMS, RECOVERY, EARLY, [True, False], [True, False], [True, False], [True, False])
    for combination in inner:
        _check_combination(member, role_dbs, member_dbs, *combination)


def _check_combination(member, role_dbs, member_dbs, minimum, recovery, early, alcohol, avoid, medication, no_meds):
    case = (member, role_dbs, member_dbs, minimum, recovery, early, alcohol, avoid, medication, no_meds)
    role = _role(
        dbs_level=role_dbs,
        min_recovery_months=minimum,
        early_recovery=early,
        alcohol_at_venue=alcohol,
        handles_medication=medication,
    )
    facts = MemberFacts(
        network_ids=frozenset({NETWORK_ID} if member else {99}),
        recovery_start=recovery,
        avoid_alcohol_venues=avoid,
        avoid_medication_roles=no_meds,
        dbs={NETWORK_ID: member_dbs} if member_dbs else {},
    )
    verdict = eligibility(role, facts, TODAY)
    months = _months_since(recovery) if recovery else None
    in_first_year = months is not None and months < 12
    expected = {
        "join": not member,
        "dbs": RANK[role_dbs] > 0
        and (member_dbs is None or RANK[member_dbs[0]] < RANK[role_dbs] or member_dbs[1] < datetime.date(2023, 12, 6)),
        "recovery": minimum > 0 and (months is None or months < minimum),
        "early": early == "no" and in_first_year,
        "alcohol": alcohol and avoid,
        "medication": medication and no_meds,
    }
    words = {
        "join": "Join that network first",
        "dbs": "DBS check",
        "recovery": "months in recovery",
        "early": "not suited to the first year",
        "alcohol": "Alcohol is served at this venue, and you asked not",
        "medication": "handling medication, and you asked not",
    }
    assert verdict.can_take == (not any(expected.values())), case
    assert len(verdict.reasons) == sum(expected.values()), (case, verdict.reasons)
    for key, expect in expected.items():
        assert any(words[key] in reason for reason in verdict.reasons) == expect, (case, key, verdict.reasons)
    if alcohol and not avoid:
        assert "Alcohol is served at the venue." in verdict.notes, case
    if early == "ask" and (months is None or months < 12):
        assert any("suits you early in recovery" in note for note in verdict.notes), case
    # Medication early in recovery: "not suitable" where the role says so, otherwise "ask us".
    if medication and expected["early"]:
        assert any("handling medication and is not suited" in reason for reason in verdict.reasons), case
    medication_notes = [note for note in verdict.notes if "medication" in note]
    if not medication or no_meds or expected["early"]:
        assert medication_notes == [], case
    elif in_first_year:
        assert medication_notes == [
            "This role involves handling medication. As you are in your first year of recovery, "
            "talk to the organiser before you sign up."
        ], case
    elif months is None:
        assert medication_notes and "If you are in your first year" in medication_notes[0], case
    else:
        assert medication_notes == ["This role involves handling medication."], case


def test_reasons_say_what_to_do():
    role = _role(dbs_level=DBSLevel.STANDARD, min_recovery_months=6, early_recovery="yes")
    verdict = eligibility(role, MemberFacts(network_ids=frozenset({NETWORK_ID})), TODAY)
    assert verdict == Eligibility(
        can_take=False,
        reasons=(
            "This role needs a standard DBS check. Ask a coordinator of Cumbria to record yours.",
            "This role asks for at least 6 months in recovery. Add when your recovery started to your "
            "volunteering profile: only you ever see it.",
        ),
        notes=(),
    )
    later = eligibility(
        _role(min_recovery_months=6, early_recovery="yes"),
        MemberFacts(network_ids=frozenset({NETWORK_ID}), recovery_start=datetime.date(2026, 8, 31)),
        TODAY,
    )
    assert later.reasons == ("This role asks for at least 6 months in recovery. You reach that on 28 February 2027.",)


def test_lone_working_without_supervision_is_noted():
    facts = MemberFacts(network_ids=frozenset({NETWORK_ID}))
    alone = eligibility(_role(lone_working=True, early_recovery="yes"), facts, TODAY)
    supervised = eligibility(_role(lone_working=True, supervision_available=True, early_recovery="yes"), facts, TODAY)
    assert alone.can_take and alone.notes == ("You would work alone, without supervision.",)
    assert supervised.notes == ()


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2026, 12, 6), -36, datetime.date(2023, 12, 6)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.django_db
def test_facts_for_reads_the_member_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from recoverynet.volunteering import services

    member = world.users["member"]
    services.save_profile(
        actor=member, user=member, recovery_start=datetime.date(2024, 1, 1), avoid_alcohol_venues=True
    )
    services.record_dbs_check(
        actor=world.users["network_coordinator"],
        network=world.own_network,
        user=member,
        level="basic",
        checked_on=datetime.date(2026, 1, 1),
        checker="Eden Recovery",
    )
    member = type(member).objects.get(pk=member.pk)
    with django_assert_max_num_queries(4):
        facts = facts_for(member)
    assert facts.recovery_start == datetime.date(2024, 1, 1) and facts.avoid_alcohol_venues
    assert not facts.avoid_medication_roles
    assert facts.dbs == {world.own_network.pk: ("basic", datetime.date(2026, 1, 1))}
    assert facts.network_ids == frozenset({world.own_network.pk})
    assert facts_for(None) == MemberFacts()


@pytest.mark.django_db
def test_a_member_asks_not_to_be_offered_medication_roles(world, client_for):
    from django.urls import reverse

    from recoverynet.volunteering.factories import RoleFactory, ShiftFactory

    member = world.users["member"]
    role = RoleFactory(network=world.own_network, handles_medication=True, early_recovery="yes", title="Pharmacy run")
    client = client_for(member)
    assert client.post(reverse("volunteering:profile"), {"avoid_medication_roles": "on"}).status_code == 302
    assert facts_for(member).avoid_medication_roles
    page = client.get(role.get_absolute_url()).content.decode()
    assert "involves handling medication, and you asked not to be offered such roles" in page
    shift = ShiftFactory(role=role)
    client.post(reverse("volunteering:sign_up", kwargs={"pk": shift.pk}))
    assert not shift.signups.exists()
    assert client.post(reverse("volunteering:profile"), {"shift_reminders": "on"}).status_code == 302
    assert not facts_for(member).avoid_medication_roles
