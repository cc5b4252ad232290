"""A coordinator finds members of their network by skill and minimum level: a higher
level counts too; only members who allowed it; display names only; constant queries;
any query string is a page or a clear error."""

import itertools

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.models import Membership
from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import services
from recoverynet.volunteering.models import MemberSkill

pytestmark = pytest.mark.django_db

EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _member(network, name, skills, *, findable=True, status=Membership.Status.ACTIVE):
    user = UserFactory(display_name=name)
    Membership.objects.create(user=user, network=network, status=status)
    services.save_profile(
        actor=user, user=user, recovery_start=None, avoid_alcohol_venues=False, skills=skills, skills_findable=findable
    )
    return user


@pytest.fixture
def url(world):
    return reverse("volunteering:manage:skill_search", kwargs={"slug": world.own_network.slug})


def test_a_level_finds_that_level_and_higher_only_among_those_who_allowed_it(world, client_for, url):
    network = world.own_network
    _member(network, "Ada Cook", [("Cooking", 1)])
    _member(network, "Bea Chef", [("cooking", 2)])
    _member(network, "Cy Teacher", [("Cooking", 3), ("Gardening", 3)])
    _member(network, "Di Private", [("Cooking", 3)], findable=False)
    _member(network, "Ed Waiting", [("Cooking", 3)], status=Membership.Status.PENDING)
    _member(world.other_network, "Flo Elsewhere", [("Cooking", 3)])
    client = client_for(world.users["network_coordinator"])

    page = client.get(url, {"skill": "Cooking", "level": "2"}).content.decode()
    assert "Cy Teacher" in page and "Bea Chef" in page and page.index("Cy Teacher") < page.index("Bea Chef")
    for hidden in ("Ada Cook", "Di Private", "Ed Waiting", "Flo Elsewhere"):
        assert hidden not in page
    assert "@" not in page.split("<main", 1)[1]  # display names, never emails

    everyone = client.get(url, {"skill": " COOKING ", "level": "1"}).content.decode()
    assert "Ada Cook" in everyone and "Bea Chef" in everyone
    assert "Nobody who can be found" in client.get(url, {"skill": "Plumbing", "level": "1"}).content.decode()


def test_only_the_networks_own_coordinators(world, client_for, url):
    for role in ("member", "settlement_host", "federation_coordinator", "admin"):
        assert client_for(world.users[role]).get(url, {"skill": "Cooking", "level": "1"}).status_code == 403
    other = reverse("volunteering:manage:skill_search", kwargs={"slug": world.other_network.slug})
    assert client_for(world.users["network_coordinator"]).get(other).status_code == 403


def test_the_profile_choice_is_off_until_the_member_ticks_it(world, client_for):
    member = world.users["member"]
    client = client_for(member)
    client.post(reverse("volunteering:profile"), {"skill_1": "Cooking", "skill_1_level": "2"})
    profile = member.volunteer_profile
    assert profile.skills_findable is False
    client.post(reverse("volunteering:profile"), {"skill_1": "Cooking", "skill_1_level": "2", "skills_findable": "on"})
    profile.refresh_from_db()
    assert profile.skills_findable is True


def test_the_results_run_a_constant_number_of_queries(world, client_for, url):
    client = client_for(world.users["network_coordinator"])
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            _member(world.own_network, f"Helper {next(counter)}", [("Cooking", 2)])

    response = assert_constant_queries(lambda: client.get(url, {"skill": "Cooking", "level": "1"}), add_rows)
    assert response.content.decode().count("Helper ") == 30


@EXAMPLES
@given(skill=st.text(max_size=80), level=st.one_of(st.text(max_size=4), st.integers(-5, 9).map(str)))
def test_any_query_string_is_a_page_or_a_clear_error(world, client_for, url, skill, level):
    before = MemberSkill.objects.count()
    response = client_for(world.users["network_coordinator"]).get(url, {"skill": skill, "level": level})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body or "Members found" in body or "Nobody who can be found" in body
    assert MemberSkill.objects.count() == before
