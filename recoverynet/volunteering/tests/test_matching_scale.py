"""The "for you" list ranks exactly as sorting every role the member can take would (the
way it was first written, kept here as the reference), while holding only the best ones;
and its API: the member's own list, a constant number of queries."""

import itertools
import random

import pytest
from django.utils import timezone

from recoverynet.federation.factories import MembershipFactory, SettlementFactory
from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import matching, services
from recoverynet.volunteering.eligibility import eligibility, facts_for
from recoverynet.volunteering.factories import RoleFactory, RoleSkillFactory
from recoverynet.volunteering.models import DBSCheck, Interest, MemberInterest, MemberSkill
from recoverynet.volunteering.selectors import public_roles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_interests")]
FOR_YOU = "/api/v1/volunteering/for-you/"


def reference_for_you(user, today, *, limit=50):
    """Every role read whole, ranked by sorting them all: the first version of matching.for_you
    (with interests, counted after skills)."""
    from recoverynet.federation.models import Membership

    facts = facts_for(user)
    levels = {s.name.casefold(): s.level for s in MemberSkill.objects.filter(user=user)}
    chosen = set(MemberInterest.objects.filter(user=user).values_list("interest_id", flat=True))
    home = (
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE, settlement__isnull=False)
        .select_related("settlement")
        .order_by("pk")
        .first()
    )
    ranked = []
    for role in public_roles().filter(network_id__in=facts.network_ids).order_by("pk"):
        verdict = eligibility(role, facts, today)
        if not verdict.can_take:
            continue
        score, names = matching.shared_skills(role.skills.all(), levels)
        interests = [i.name for i in role.interests.all() if i.pk in chosen]
        km = None
        if home is not None and role.settlement_id and not role.is_remote:
            km = matching._km(home.settlement, role.settlement)
        distance_rank = 0 if role.is_remote else (km if km is not None else 10_000)
        key = (-score, -len(interests), distance_rank, len(verdict.notes), role.title)
        ranked.append((key, (role.pk, names, km, verdict.notes, interests)))
    ranked.sort(key=lambda item: item[0])
    return [match for _, match in ranked[:limit]]


def _shown(matches):
    return [(m.role.pk, m.shared_skills, m.km, m.verdict.notes, m.shared_interests) for m in matches]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ranking_is_the_same_as_sorting_every_role(world, seed):
    rng = random.Random(seed)
    member = world.users["member"]
    MembershipFactory(user=member, network=world.other_network, settlement=None)
    places = [world.own_settlement] + [
        SettlementFactory(
            network=world.own_network,
            latitude=f"{53 + rng.random() * 2:.5f}",
            longitude=f"{-3 + rng.random():.5f}",
        )
        for _ in range(3)
    ]
    names = ["Cooking", "cooking", "Straße", "STRASSE", "Driving", "Art", "Tea"]
    interests = list(Interest.objects.order_by("name")[:5])
    for i in range(70):
        network, settlement = rng.choice(
            [(world.own_network, rng.choice(places)), (world.other_network, world.other_settlement)]
        )
        role = RoleFactory(
            network=network,
            settlement=settlement,
            title=rng.choice(["Helper", "Cook", "Driver", f"Role {i}"]),  # ties in title too
            is_remote=rng.random() < 0.15,
            dbs_level=rng.choice(["none", "none", "basic", "enhanced"]),
            min_recovery_months=rng.choice([0, 0, 12, 60]),
            early_recovery=rng.choice(["yes", "no", "ask"]),
            alcohol_at_venue=rng.random() < 0.2,
            lone_working=rng.random() < 0.2,
            is_published=rng.random() < 0.9,
        )
        for name in {n.casefold(): n for n in rng.sample(names, rng.randint(0, 3))}.values():
            RoleSkillFactory(role=role, name=name, level=rng.randint(1, 3))
        role.interests.set(rng.sample(interests, rng.randint(0, 3)))
    services.save_profile(
        actor=member,
        user=member,
        recovery_start=timezone.localdate().replace(year=timezone.localdate().year - 2),
        avoid_alcohol_venues=seed == 2,
        skills=[("cooking", 2), ("strasse", 1), ("Tea", 3)],
        interests=interests[:2] if seed != 3 else interests[1:4],
    )
    DBSCheck.objects.create(
        user=member, network=world.own_network, level="basic", checked_on=timezone.localdate(), checker="Ann"
    )
    today = timezone.localdate()
    for limit in (1, 5, 50):
        expected = reference_for_you(member, today, limit=limit)
        assert _shown(matching.for_you(member, today, limit=limit)) == expected
    assert len(expected) > 10


def test_a_member_without_skills_is_ranked_by_distance(world):
    member = world.users["member"]
    far = SettlementFactory(network=world.own_network, latitude="54.89000", longitude="-2.93000")
    for settlement in (far, world.own_settlement, far):
        RoleFactory(network=world.own_network, settlement=settlement, early_recovery="yes")
    today = timezone.localdate()
    assert _shown(matching.for_you(member, today)) == reference_for_you(member, today)


def test_the_for_you_api_is_the_members_own_list(world, api_as):
    member = world.users["member"]
    services.save_profile(
        actor=member, user=member, recovery_start=None, avoid_alcohol_venues=False, skills=[("Gardening", 3)]
    )
    skilled = RoleFactory(network=world.own_network, settlement=world.own_settlement, early_recovery="ask")
    RoleSkillFactory(role=skilled, name="Gardening", level=2)
    plain = RoleFactory(network=world.own_network, settlement=world.own_settlement, early_recovery="yes")
    RoleFactory(network=world.other_network, settlement=world.other_settlement, early_recovery="yes")
    body = api_as("member").get(FOR_YOU).json()
    assert [m["role"] for m in body] == [skilled.slug, plain.slug]
    assert body[0]["shared_skills"] == ["Gardening"] and body[0]["miles"] == 0
    assert body[0]["notes"] == ["Talk to the organiser about whether this role suits you early in recovery."]
    assert body[0]["url"].endswith(f"/api/v1/volunteering/roles/{skilled.slug}/")
    assert api_as("anonymous").get(FOR_YOU).status_code == 403
    theirs = api_as("network_coordinator").get(FOR_YOU).json()  # their own list: none of the member's skills
    assert {m["role"] for m in theirs} == {skilled.slug, plain.slug} and not any(m["shared_skills"] for m in theirs)


def test_the_for_you_api_runs_a_constant_number_of_queries(world, api_as):
    member = world.users["member"]
    food = Interest.objects.get(name="Cooking and food")
    services.save_profile(
        actor=member,
        user=member,
        recovery_start=None,
        avoid_alcohol_venues=False,
        skills=[("Tea", 1)],
        interests=[food],
    )
    client = api_as("member")
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            role = RoleFactory(network=world.own_network, settlement=world.own_settlement, early_recovery="yes")
            RoleSkillFactory(role=role, name=f"Tea {next(counter)}")
            RoleSkillFactory(role=role, name="tea", level=2)
            role.interests.set([food, Interest.objects.get(name="Events")])

    response = assert_constant_queries(lambda: client.get(FOR_YOU), add_rows)
    assert len(response.json()) == 30 and response.json()[0]["shared_skills"] == ["tea"]
    assert response.json()[0]["shared_interests"] == ["Cooking and food"]
