"""The "for you" list: only roles the member can take, skills first (a higher
level meets a lower one), then distance from their settlement; constant queries."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from recoverynet.federation.factories import SettlementFactory
from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, RoleSkillFactory
from recoverynet.volunteering.matching import for_you, shared_skills
from recoverynet.volunteering.models import MemberSkill, RoleSkill

pytestmark = pytest.mark.django_db


def test_a_higher_level_meets_a_lower_one():
    asked = [RoleSkill(name="Listening", level=2), RoleSkill(name="Cooking", level=1), RoleSkill(name="Driving")]
    assert shared_skills(asked, {"listening": 3, "cooking": 1}) == (4, ["Listening", "Cooking"])
    assert shared_skills(asked, {"listening": 1}) == (1, ["Listening"])


def test_ranked_by_skills_then_distance_and_only_what_they_can_take(world, client_for):
    member = world.users["member"]  # lives at the own settlement (Preston, in the factory)
    far = SettlementFactory(network=world.own_network, latitude="54.89000", longitude="-2.93000")  # Carlisle
    near_role = RoleFactory(
        network=world.own_network, settlement=world.own_settlement, title="Near", early_recovery="yes"
    )
    far_role = RoleFactory(network=world.own_network, settlement=far, title="Far", early_recovery="yes")
    skilled = RoleFactory(network=world.own_network, settlement=far, title="Skilled", early_recovery="yes")
    RoleSkillFactory(role=skilled, name="Gardening", level=2)
    RoleFactory(network=world.own_network, title="Needs DBS", dbs_level="basic")
    RoleFactory(network=world.other_network, title="Elsewhere")
    services.save_profile(
        actor=member, user=member, recovery_start=None, avoid_alcohol_venues=False, skills=[("gardening", 3)]
    )
    matches = for_you(member, timezone.localdate())
    assert [m.role.title for m in matches] == ["Skilled", "Near", "Far"]
    assert matches[0].shared_skills == ["Gardening"]
    assert matches[1].km == pytest.approx(0, abs=0.01) and 120 < matches[2].km < 140
    page = client_for(member).get(reverse("volunteering:for_you")).content.decode()
    assert page.index("Skilled") < page.index(near_role.title) < page.index(far_role.title)
    assert "Uses your skills: Gardening" in page and "Needs DBS" not in page
    # Distances read in miles, as the meeting finder's do: Carlisle is about 80 miles from Preston.
    assert 75 <= matches[2].miles <= 87 and f"About {matches[2].miles} miles from your settlement" in page
    assert "Less than a mile from your settlement" in page and " km " not in page


def test_the_profile_saves_skills_privately(world, client_for):
    member = world.users["member"]
    client = client_for(member)
    data = {
        "skill_1": "Cooking",
        "skill_1_level": "2",
        "skill_2": "cooking",
        "skill_2_level": "1",
        "skill_3_level": "1",
    }
    data["shift_reminders"] = "on"
    assert "Name each skill once" in client.post(reverse("volunteering:profile"), data).content.decode()
    data["skill_2"] = "Driving"
    assert client.post(reverse("volunteering:profile"), data).status_code == 302
    assert sorted(MemberSkill.objects.filter(user=member).values_list("name", "level")) == [
        ("Cooking", 2),
        ("Driving", 1),
    ]


def test_for_you_runs_a_constant_number_of_queries(world, client_for):
    member = world.users["member"]
    services.save_profile(
        actor=member, user=member, recovery_start=None, avoid_alcohol_venues=False, skills=[("Tea", 1)]
    )
    client = client_for(member)
    url = reverse("volunteering:for_you")
    client.get(url)
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            role = RoleFactory(network=world.own_network, settlement=world.own_settlement, early_recovery="yes")
            RoleSkillFactory(role=role, name=f"Tea {next(counter)}")

    response = assert_constant_queries(lambda: client.get(url), add_rows)
    assert len(response.context["matches"]) == 30
