"""Interests: a shared list (seeded by migration), roles tagged with them by organisers,
members choosing theirs privately; ranked after skills and before distance, in the
"for you" list and the /volunteering/ list's "Best match for you" order."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import SettlementFactory
from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import matching, services
from recoverynet.volunteering.factories import RoleFactory, RoleSkillFactory
from recoverynet.volunteering.models import DEFAULT_INTERESTS, Interest, MemberInterest, Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_interests")]

LIST = "/volunteering/"
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
SEEDED = {
    "Admin and office",
    "Cooking and food",
    "Creative arts",
    "Digital and IT",
    "Driving and transport",
    "Events",
    "Gardening and outdoors",
    "Peer support",
    "Sport and fitness",
    "Training others",
}


def interest(name):
    return Interest.objects.get(name=name)


def choose(member, *names, skills=None):
    services.save_profile(
        actor=member,
        user=member,
        recovery_start=None,
        avoid_alcohol_venues=False,
        skills=skills,
        interests=Interest.objects.filter(name__in=names),
    )


def role(world, title, *interests, settlement=None, **fields):
    made = RoleFactory(
        network=world.own_network,
        settlement=settlement or world.own_settlement,
        title=title,
        early_recovery="yes",
        **fields,
    )
    made.interests.set(Interest.objects.filter(name__in=interests))
    return made


def test_the_migration_seeds_the_list():
    """Its seeding function, run on an empty table (other tests may have flushed what it seeded)."""
    seed = importlib.import_module("recoverynet.volunteering.migrations.0005_seed_interests").seed
    Interest.objects.all().delete()
    seed(django_apps, None)
    assert set(Interest.objects.values_list("name", flat=True)) == SEEDED == set(DEFAULT_INTERESTS)


def test_skills_first_then_interests_then_distance(world, client_for):
    member = world.users["member"]  # lives at the own settlement (Preston)
    far = SettlementFactory(network=world.own_network, latitude="54.89000", longitude="-2.93000")  # Carlisle
    near_plain = role(world, "Near plain")
    far_one = role(world, "Far allotment", "Gardening and outdoors", settlement=far)
    far_two = role(world, "Far garden kitchen", "Gardening and outdoors", "Cooking and food", settlement=far)
    skilled = role(world, "Skilled far", settlement=far)
    RoleSkillFactory(role=skilled, name="Driving", level=1)
    role(world, "Near other interest", "Events")
    choose(member, "Gardening and outdoors", "Cooking and food", skills=[("driving", 1)])
    matches = matching.for_you(member, timezone.localdate())
    assert [m.role.title for m in matches] == [
        skilled.title,  # a shared skill outranks any number of interests
        far_two.title,  # two shared interests before one, however far
        far_one.title,
        "Near other interest",  # no interest shared: the nearest first, then by title
        near_plain.title,
    ]
    assert matches[1].shared_interests == ["Cooking and food", "Gardening and outdoors"]
    assert matches[0].shared_interests == [] and matches[3].shared_interests == []
    page = client_for(member).get(reverse("volunteering:for_you")).content.decode()
    assert "Suits your interests: Cooking and food, Gardening and outdoors" in page
    assert page.index(far_two.title) < page.index(far_one.title) < page.index(near_plain.title)


def test_interests_without_skills_still_rank(world):
    member = world.users["member"]
    plain = role(world, "A plain role")
    tagged = role(world, "Z tagged role", "Peer support")
    choose(member, "Peer support")
    assert [m.role for m in matching.for_you(member, timezone.localdate())] == [tagged, plain]


def test_the_profile_saves_interests_privately(world, client_for):
    member = world.users["member"]
    client = client_for(member)
    page = client.get(reverse("volunteering:profile")).content.decode()
    assert "What are you interested in?" in page and "Gardening and outdoors" in page
    data = {"skill_1_level": "1", "skill_2_level": "1", "skill_3_level": "1", "shift_reminders": "on"}
    chosen = [interest("Events").pk, interest("Creative arts").pk]
    assert client.post(reverse("volunteering:profile"), {**data, "interests": chosen}).status_code == 302
    assert set(MemberInterest.objects.filter(user=member).values_list("interest_id", flat=True)) == set(chosen)
    page = client.get(reverse("volunteering:profile")).content.decode()
    ticked = re.findall(
        r'name="interests" value="(\d+)" id="id_interests_\d+" class="govuk-checkboxes__input" checked', page
    )
    assert sorted(map(int, ticked)) == sorted(chosen)  # shown as chosen again
    entry = AuditEntry.objects.filter(content_type__model="volunteerprofile").latest("pk")
    assert "Events" not in str(entry.changes) and "Creative" not in str(entry.changes)  # how many, never which
    # Nobody else may change them.
    with pytest.raises(PermissionDenied):
        services.save_profile(
            actor=world.users["network_coordinator"],
            user=member,
            recovery_start=None,
            avoid_alcohol_venues=False,
            interests=[],
        )
    # Unchosen, they go.
    assert client.post(reverse("volunteering:profile"), data).status_code == 302
    assert not MemberInterest.objects.filter(user=member).exists()


@pytest.mark.parametrize("bad", [[10**9], ["Events"], [True], [None]])
def test_the_service_refuses_interests_not_on_the_list(world, bad):
    member = world.users["member"]
    with pytest.raises(ValidationError) as refused:
        choose_ids(member, bad)
    assert refused.value.message_dict == {"interests": ["Choose interests from the list."]}
    assert not MemberInterest.objects.exists()


def choose_ids(member, ids):
    services.save_profile(actor=member, user=member, recovery_start=None, avoid_alcohol_venues=False, interests=ids)


def test_an_organiser_tags_a_role_with_interests(world, client_for):
    coordinator = client_for(world.users["network_coordinator"])
    data = {
        "title": "Garden helper",
        "description": "Grow food.",
        "involves": "Digging.",
        "time_commitment": "One morning a week",
        "min_recovery_months": "0",
        "dbs_level": "none",
        "early_recovery": "yes",
        "is_published": "on",
        "skill_1_level": "1",
        "skill_2_level": "1",
        "skill_3_level": "1",
        "settlement": world.own_settlement.pk,
        "interests": [interest("Gardening and outdoors").pk],
    }
    url = reverse("volunteering:manage:role_new", kwargs={"slug": world.own_network.slug})
    assert coordinator.post(url, data).status_code == 302
    made = Role.objects.get()
    assert [i.name for i in made.interests.all()] == ["Gardening and outdoors"]
    page = Client().get(made.get_absolute_url()).content.decode()
    assert "Suits interests in" in page and "Gardening and outdoors" in page
    host = client_for(world.users["settlement_host"])
    edit = reverse("volunteering:manage:role_edit", kwargs={"slug": made.slug})
    ticked = (
        f'value="{interest("Gardening and outdoors").pk}" id="id_interests_6" class="govuk-checkboxes__input" checked'
    )
    assert ticked in host.get(edit).content.decode()
    changed = {**data, "interests": [interest("Events").pk, interest("Cooking and food").pk]}
    assert host.post(edit, changed).status_code == 302
    assert [i.name for i in made.interests.all()] == ["Cooking and food", "Events"]
    entry = AuditEntry.objects.filter(content_type__model="role", action="update").get()
    assert entry.changes["interests"] == [["Gardening and outdoors"], ["Cooking and food", "Events"]]
    refused = host.post(edit, {**data, "interests": ["nope"]})
    assert refused.status_code == 200 and "Choose interests from the list" in refused.content.decode()
    assert [i.name for i in made.interests.all()] == ["Cooking and food", "Events"]


def test_the_organisers_api_sets_interests_by_name(world, api_as):
    made = role(world, "Kitchen", "Events")
    client = api_as("settlement_host")
    url = f"/api/v1/volunteering/organised-roles/{made.slug}/"
    response = client.patch(url, {"interests": ["Cooking and food", "Peer support"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["interests"] == ["Cooking and food", "Peer support"]
    for bad in (["Knitting"], [1], "Events", [None], ["x" * 61], ["Events"] * 31):
        refused = client.patch(url, {"interests": bad}, format="json")
        assert refused.status_code == 400 and "interests" in refused.json(), (bad, refused.content)
    assert [i.name for i in made.interests.all()] == ["Cooking and food", "Peer support"]
    public = api_as("anonymous").get(f"/api/v1/volunteering/roles/{made.slug}/").json()
    assert public["interests"] == ["Cooking and food", "Peer support"]


# --- The /volunteering/ list's order -------------------------------------------


def titles(response):
    return [r.title for r in response.context["roles"]]


def test_anonymous_visitors_see_the_list_by_title_without_best_match(world, client_for):
    role(world, "A role")
    role(world, "B role", "Events")
    response = Client().get(LIST)
    assert titles(response) == ["A role", "B role"]
    assert "Best match for you" not in response.content.decode()
    refused = Client().get(LIST, {"sort": "match"})
    assert titles(refused) == ["A role", "B role"]
    assert "Choose an order from the list" in refused.content.decode()
    newest = Client().get(LIST, {"sort": "newest"})
    assert titles(newest) == ["B role", "A role"]  # B was made last


def test_a_member_without_skills_or_interests_sees_titles(world, client_for):
    role(world, "B role", "Events")
    role(world, "A role")
    response = client_for(world.users["member"]).get(LIST)
    assert titles(response) == ["A role", "B role"] and "Best match for you" not in response.content.decode()


def test_a_member_with_interests_sees_best_match_first_by_default(world, client_for):
    member = world.users["member"]
    choose(member, "Events")
    role(world, "A plain")
    role(world, "B events", "Events")
    role(world, "C needs a DBS", "Events", dbs_level="enhanced")  # not one they can take: after the rest
    RoleFactory(network=world.other_network, title="D elsewhere")
    client = client_for(member)
    response = client.get(LIST)
    page = response.content.decode()
    assert titles(response) == ["B events", "A plain", "C needs a DBS", "D elsewhere"]
    assert "Best match for you" in page and "Suits your interests: Events" in page
    assert titles(client.get(LIST, {"sort": "title"})) == ["A plain", "B events", "C needs a DBS", "D elsewhere"]
    # Filters still apply, and the sort form keeps them.
    filtered = client.get(LIST, {"q": "events", "sort": "match"})
    assert titles(filtered) == ["B events"]
    assert '<input type="hidden" name="q" value="events">' in filtered.content.decode()


def test_best_match_pages_follow_the_full_ranking(world, client_for):
    member = world.users["member"]
    choose(member, "Events", skills=[("Tea", 2)])
    for i in range(45):
        made = role(world, f"Role {i:02}", *(["Events"] if i % 3 == 0 else []))
        if i % 7 == 0:
            RoleSkillFactory(role=made, name="tea", level=1)
    client = client_for(member)
    shown = [title for number in (1, 2, 3) for title in titles(client.get(LIST, {"page": number}))]
    expected = [m.role.title for m in matching.for_you(member, timezone.localdate(), limit=100)]
    assert shown == expected and len(shown) == 45


def test_the_best_match_list_runs_a_constant_number_of_queries(world, client_for):
    member = world.users["member"]
    choose(member, "Events", skills=[("Tea", 1)])
    client = client_for(member)

    def add_rows(n):
        for _ in range(n):
            made = role(world, "Helper", "Events", "Peer support")
            RoleSkillFactory(role=made, name="tea", level=2)

    response = assert_constant_queries(lambda: client.get(LIST), add_rows)
    assert response.context["page_obj"].paginator.count == 30 and len(response.context["roles"]) == 20
    assert response.context["roles"][0].shared_interests == ["Events"]


@EXAMPLES
@given(sort=st.text(max_size=20), page=st.text(max_size=5), interests=st.lists(st.text(max_size=12), max_size=4))
def test_any_sort_and_profile_interests(world, client_for, sort, page, interests):
    member = world.users["member"]
    client = client_for(member)
    choose(member, "Events")
    role(world, "Listed", "Events")
    response = client.get(LIST, {"sort": sort.replace("\x00", ""), "page": page.replace("\x00", "")})
    assert response.status_code == 200
    before = (MemberInterest.objects.count(), AuditEntry.objects.count())
    data = {"skill_1_level": "1", "skill_2_level": "1", "skill_3_level": "1"}
    values = [value.replace("\x00", "") for value in interests]
    saved = client.post(reverse("volunteering:profile"), {**data, "interests": values})
    assert saved.status_code in (200, 302)
    if saved.status_code == 200:
        assert "Choose interests from the list" in saved.content.decode()
        assert (MemberInterest.objects.count(), AuditEntry.objects.count()) == before
