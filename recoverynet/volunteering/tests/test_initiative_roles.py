"""Roles offered by a community initiative: exactly one offerer, who organises them
(the initiative's team and the network's coordinators), which time bank account pays,
and the panel on the initiative's page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import MembershipFactory
from recoverynet.initiatives.models import Initiative, TeamMember
from recoverynet.testing import assert_constant_queries
from recoverynet.timebank import services as timebank_services
from recoverynet.timebank.models import Account
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
from recoverynet.volunteering.matching import for_you
from recoverynet.volunteering.models import Role
from recoverynet.volunteering.selectors import organised_roles

from .test_roles import VALID

pytestmark = pytest.mark.django_db


def _initiative(network, *, settlement=None, name="Sunday Café", status=Initiative.Status.ACTIVE):
    return Initiative.objects.create(
        network=network, settlement=settlement, name=name, summary="A café.", started_on="2026-07-01", status=status
    )


def _initiative_role(world, initiative, **kwargs):
    return RoleFactory(network=world.own_network, settlement=None, initiative=initiative, **kwargs)


def test_a_coordinator_adds_a_role_offered_by_an_initiative(world, client_for):
    initiative = _initiative(world.own_network)
    _initiative(world.own_network, name="Closed Garden", status=Initiative.Status.CLOSED)
    elsewhere = _initiative(world.other_network, name="Far Away")
    coordinator = client_for(world.users["network_coordinator"])
    url = reverse("volunteering:manage:role_new", kwargs={"slug": world.own_network.slug})
    page = coordinator.get(url).content.decode()
    assert "Sunday Café" in page and "Closed Garden" not in page and "Far Away" not in page
    assert coordinator.post(url, {**VALID, "initiative": initiative.pk}).status_code == 302
    role = Role.objects.get()
    assert (role.initiative, role.settlement, role.organisation) == (initiative, None, None)
    assert role.offered_by == initiative and role.offered_by_name == "Sunday Café"
    both = coordinator.post(url, {**VALID, "initiative": initiative.pk, "settlement": world.own_settlement.pk})
    assert "Choose one organisation, settlement or initiative" in both.content.decode()
    other = coordinator.post(url, {**VALID, "initiative": elsewhere.pk}).content.decode()
    assert "Choose an initiative from the list" in other
    assert Role.objects.count() == 1


def test_exactly_one_offerer_in_clean_and_in_the_database(world):
    initiative = _initiative(world.own_network)
    role = Role(network=world.own_network, title="T", slug="t", description="d", involves="i", time_commitment="c")
    with pytest.raises(ValidationError, match="Choose one organisation, settlement or initiative"):
        role.full_clean()
    role.initiative, role.settlement = initiative, world.own_settlement
    with pytest.raises(ValidationError, match="Choose one organisation, settlement or initiative"):
        role.full_clean()
    role.settlement, role.initiative = None, _initiative(world.other_network, name="Elsewhere")
    with pytest.raises(ValidationError, match="Choose an initiative in this network"):
        role.full_clean()
    for offerers in ({}, {"initiative": initiative, "organisation": world.own_organisation}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Role.objects.create(
                network=world.own_network, slug=f"x-{len(offerers)}", title="x", description="d", involves="i",
                time_commitment="c", **offerers,
            )  # fmt: skip


def test_the_initiatives_team_and_the_coordinators_organise_its_roles(world):
    initiative = _initiative(world.own_network, settlement=world.own_settlement)
    role = _initiative_role(world, initiative)
    teammate, stranger = UserFactory(), UserFactory()
    TeamMember.objects.create(initiative=initiative, user=teammate, role=TeamMember.Role.MEMBER)
    shift = ShiftFactory(role=role)
    for person, allowed in [
        (teammate, True),
        (world.users["network_coordinator"], True),
        (world.users["settlement_host"], False),  # hosts the initiative's settlement, but not on its team
        (world.users["professional"], False),
        (stranger, False),
    ]:
        assert person.has_perm("volunteering.manage_role", shift) is allowed, person
        assert organised_roles(person).filter(pk=role.pk).exists() is allowed, person
    services.update_role(actor=teammate, role=role, data={"title": "Café greeter"})
    with pytest.raises(PermissionDenied):
        services.update_role(actor=stranger, role=role, data={"title": "Nope"})


def test_the_initiatives_settlement_account_pays_its_volunteers(world):
    initiative = _initiative(world.own_network, settlement=world.own_settlement)
    role = _initiative_role(world, initiative, early_recovery="yes")
    member, coordinator = world.users["member"], world.users["network_coordinator"]
    start = timezone.now() - datetime.timedelta(days=1)
    shift = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    signup = services.record_walk_in(actor=coordinator, shift=shift, user=member)
    services.record_hours(actor=coordinator, shift=shift, entries={signup.pk: (True, 120)})
    services.confirm_hours(actor=member, signup=signup)
    with pytest.raises(ValidationError, match="Sunday Café has no time bank account.*initiative's settlement"):
        services.credit_hours(actor=coordinator, shift=shift)
    paying = Account.objects.create(
        network=world.own_network, kind=Account.Kind.SETTLEMENT, settlement=world.own_settlement, floor=-6000
    )
    assert services.paying_account(role) == paying
    timebank_services.open_member_account(actor=member, user=member, network=world.own_network)
    assert [s.pk for s in services.credit_hours(actor=coordinator, shift=shift)["credited"]] == [signup.pk]
    assert paying.balance() == -120
    # An initiative with no settlement has no account that could pay.
    assert services.paying_account(_initiative_role(world, _initiative(world.own_network, name="Roaming"))) is None


def test_the_initiatives_page_lists_its_roles(world, client):
    initiative = _initiative(world.own_network, settlement=world.own_settlement)
    url = initiative.get_absolute_url()
    empty = client.get(url).content.decode()
    assert "This initiative offers no volunteering roles yet" in empty
    assert reverse("volunteering:role_list") in empty
    role = _initiative_role(world, initiative, title="Café greeter")
    _initiative_role(world, initiative, title="Hidden role", is_published=False)
    RoleFactory(network=world.own_network, settlement=world.own_settlement, title="Someone else's")
    page = client.get(url).content.decode()
    assert role.get_absolute_url() in page and "Café greeter" in page
    assert "Hidden role" not in page and "Someone else's" not in page
    assert "Café greeter" in client.get(reverse("volunteering:role_list"), {"q": "sunday café"}).content.decode()
    detail = client.get(role.get_absolute_url()).content.decode()
    assert "Sunday Café, Cumbria" in detail, detail[detail.find("<main") :][:1500]
    assert world.own_settlement.town in detail  # at the initiative's settlement


def test_the_initiative_panel_asks_a_constant_number_of_queries(world, client):
    initiative = _initiative(world.own_network)
    counter = iter(range(1000))

    def add_rows(n):
        for _ in range(n):
            _initiative_role(world, initiative, title=f"Role {next(counter)}")

    assert_constant_queries(lambda: client.get(initiative.get_absolute_url()), add_rows)


def test_a_member_of_the_network_sees_initiative_roles_in_for_you(world):
    initiative = _initiative(world.own_network, settlement=world.own_settlement)
    role = _initiative_role(world, initiative, early_recovery="yes")
    MembershipFactory(user=UserFactory(), network=world.own_network)
    assert role in [match.role for match in for_you(world.users["member"], timezone.localdate())]
