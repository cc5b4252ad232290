"""Adding and changing roles: the coordinator's and organiser's pages and services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.volunteering import services
from recoverynet.volunteering.models import Role, RoleSkill

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Recovery café host",
    "description": "Welcome people to the café.",
    "involves": "Making tea and chatting.",
    "time_commitment": "One morning a week",
    "min_recovery_months": "3",
    "dbs_level": "none",
    "early_recovery": "yes",
    "is_published": "on",
    "skill_1": "Listening",
    "skill_1_level": "2",
    "skill_2_level": "1",
    "skill_3_level": "1",
}


def test_a_coordinator_adds_a_role_and_its_organiser_changes_it(world, client_for):
    coordinator = client_for(world.users["network_coordinator"])
    url = reverse("volunteering:manage:role_new", kwargs={"slug": world.own_network.slug})
    response = coordinator.post(url, {**VALID, "settlement": world.own_settlement.pk})
    assert response.status_code == 302
    role = Role.objects.get()
    assert (role.network, role.settlement, role.min_recovery_months) == (world.own_network, world.own_settlement, 3)
    assert [(s.name, s.level) for s in role.skills.all()] == [("Listening", 2)]
    host = client_for(world.users["settlement_host"])
    edit = reverse("volunteering:manage:role_edit", kwargs={"slug": role.slug})
    assert "Listening" in host.get(edit).content.decode()
    data = {**VALID, "settlement": world.own_settlement.pk, "dbs_level": "basic", "skill_1": "", "skill_2": "Cooking"}
    assert host.post(edit, data).status_code == 302
    role.refresh_from_db()
    assert role.dbs_level == "basic" and [s.name for s in role.skills.all()] == ["Cooking"]
    entry = AuditEntry.objects.filter(content_type__model="role", action="update").get()
    assert entry.changes["skills"] == [[["Listening", 2]], [["Cooking", 1]]]


def test_a_role_needs_exactly_one_offerer_from_the_network(world, client_for):
    coordinator = client_for(world.users["network_coordinator"])
    url = reverse("volunteering:manage:role_new", kwargs={"slug": world.own_network.slug})
    neither = coordinator.post(url, VALID).content.decode()
    assert "Choose one organisation, settlement or initiative" in neither
    both = coordinator.post(
        url, {**VALID, "settlement": world.own_settlement.pk, "organisation": world.own_organisation.pk}
    ).content.decode()
    assert "Choose one organisation, settlement or initiative" in both
    elsewhere = coordinator.post(url, {**VALID, "settlement": world.other_settlement.pk}).content.decode()
    assert "Choose a settlement from the list" in elsewhere
    assert not Role.objects.exists()


def test_services_refuse_others_and_bad_skills(world):
    data = {
        "settlement": world.own_settlement,
        "title": "Host",
        "description": "d",
        "involves": "i",
        "time_commitment": "t",
    }
    with pytest.raises(PermissionDenied):
        services.create_role(actor=world.users["settlement_host"], network=world.own_network, data=data)
    coordinator = world.users["network_coordinator"]
    for skills in ([("Cooking", 1), ("cooking", 2)], [("", 1)], [("Cooking", 9)], [("x", 1)] * 13):
        with pytest.raises(ValidationError):
            services.create_role(actor=coordinator, network=world.own_network, data=data, skills=skills)
    assert not Role.objects.exists() and not RoleSkill.objects.exists()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    values=st.fixed_dictionaries(
        {
            name: st.one_of(st.text(max_size=30), st.integers(-(10**6), 10**6).map(str))
            for name in (
                "title",
                "organisation",
                "settlement",
                "description",
                "involves",
                "time_commitment",
                "is_remote",
                "min_recovery_months",
                "dbs_level",
                "early_recovery",
                "supervision_available",
                "alcohol_at_venue",
                "handles_medication",
                "lone_working",
                "confirm_automatically",
                "is_published",
                "skill_1",
                "skill_1_level",
                "skill_2",
                "skill_2_level",
                "skill_3",
                "skill_3_level",
                "interests",
            )
        }
    )
)
def test_any_values_in_the_role_form(role_form_client, values):
    client, url = role_form_client
    before = (Role.objects.count(), RoleSkill.objects.count(), AuditEntry.objects.count())
    response = client.post(url, {k: v.replace("\x00", "") for k, v in values.items()})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (Role.objects.count(), RoleSkill.objects.count(), AuditEntry.objects.count()) == before


@pytest.fixture
def role_form_client(world, client_for):
    url = reverse("volunteering:manage:role_new", kwargs={"slug": world.own_network.slug})
    return client_for(world.users["network_coordinator"]), url
