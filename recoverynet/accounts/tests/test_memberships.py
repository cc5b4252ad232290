"""Joining and leaving networks from one's own pages."""

import pytest
from django.urls import reverse

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import MembershipFactory, NetworkFactory, SettlementFactory
from recoverynet.federation.models import Membership
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_network(world):
    network = NetworkFactory(federation=world.federation, name="Lancashire", slug="lancashire", requires_approval=False)
    SettlementFactory(network=network, name="Preston Hub", slug="preston-hub")
    SettlementFactory(network=network, name="Closed Hub", slug="closed-hub", is_active=False)
    return network


def test_join_page_explains_and_offers_active_settlements(client_for, open_network):
    html = (
        client_for(UserFactory()).get(reverse("accounts:join_network", kwargs={"slug": "lancashire"})).content.decode()
    )
    assert "Join Lancashire" in html
    assert "Preston Hub" in html
    assert "Closed Hub" not in html
    assert "straight away" in html


def test_join_page_says_approval_is_needed(client_for, world):
    html = client_for(UserFactory()).get(reverse("accounts:join_network", kwargs={"slug": "cumbria"})).content.decode()
    assert "needs to approve" in html


def test_join_network_without_approval_is_active_at_once(client_for, open_network):
    person = UserFactory()
    settlement = open_network.settlements.get(slug="preston-hub")
    response = client_for(person).post(
        reverse("accounts:join_network", kwargs={"slug": "lancashire"}), {"settlement": settlement.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    membership = Membership.objects.get(user=person, network=open_network)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.settlement == settlement


def test_join_network_that_needs_approval_is_pending(client_for, world):
    person = UserFactory()
    response = client_for(person).post(reverse("accounts:join_network", kwargs={"slug": "cumbria"}), {"settlement": ""})
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, network=world.own_network)
    assert membership.status == Membership.Status.PENDING
    assert membership.settlement is None
    html = client_for(person).get(reverse("accounts:profile")).content.decode()
    assert "Waiting for approval" in html


def test_joining_twice_gives_a_clear_error(client_for, world):
    person = UserFactory()
    client = client_for(person)
    url = reverse("accounts:join_network", kwargs={"slug": "cumbria"})
    client.post(url, {})
    response = client.post(url, {})
    assert response.status_code == 200
    assert "You have already joined or asked to join this network." in response.content.decode()
    assert Membership.objects.filter(user=person).count() == 1
    assert "already asked to join" in client.get(url).content.decode()


def test_cannot_choose_another_networks_settlement(client_for, world, open_network):
    person = UserFactory()
    response = client_for(person).post(
        reverse("accounts:join_network", kwargs={"slug": "lancashire"}), {"settlement": world.own_settlement.pk}
    )
    assert response.status_code == 200
    assert "Choose one of this network" in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()


def test_unknown_or_inactive_network_is_not_found(client_for, world):
    world.other_network.is_active = False
    world.other_network.save(update_fields=["is_active"])
    client = client_for(UserFactory())
    assert client.get(reverse("accounts:join_network", kwargs={"slug": "nowhere"})).status_code == 404
    assert client.get(reverse("accounts:join_network", kwargs={"slug": "merseyside"})).status_code == 404


def test_leave_own_membership(client_for, world):
    member = world.users["member"]
    response = client_for(member).post(reverse("accounts:leave_membership", kwargs={"pk": world.own_membership.pk}))
    assert response.status_code == 302
    world.own_membership.refresh_from_db()
    assert world.own_membership.status == Membership.Status.LEFT
    assert world.own_membership.decided_at is not None


def test_cannot_leave_someone_elses_membership(client_for, world):
    response = client_for(world.users["member"]).post(
        reverse("accounts:leave_membership", kwargs={"pk": world.other_membership.pk})
    )
    assert response.status_code == 404
    world.other_membership.refresh_from_db()
    assert world.other_membership.status == Membership.Status.ACTIVE


def test_even_a_coordinator_cannot_leave_for_someone_else(client_for, world):
    response = client_for(world.users["network_coordinator"]).post(
        reverse("accounts:leave_membership", kwargs={"pk": world.own_membership.pk})
    )
    assert response.status_code == 404
    world.own_membership.refresh_from_db()
    assert world.own_membership.status == Membership.Status.ACTIVE


def test_leaving_asks_first_and_says_what_it_means(client_for, world):
    client = client_for(world.users["member"])
    url = reverse("accounts:leave_membership", kwargs={"pk": world.own_membership.pk})
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{url}"' in profile  # the profile's Leave button goes to the question, not straight out
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Are you sure you want to leave {world.own_network.name}?" in html
    assert "ask to join again" in html
    world.own_membership.refresh_from_db()
    assert world.own_membership.status == Membership.Status.ACTIVE  # asking changes nothing
    assert client.put(url).status_code == 405


def test_a_membership_already_left_has_nothing_to_confirm(client_for, world):
    world.own_membership.status = Membership.Status.LEFT
    world.own_membership.save(update_fields=["status"])
    response = client_for(world.users["member"]).get(
        reverse("accounts:leave_membership", kwargs={"pk": world.own_membership.pk})
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")


def test_rejoin_after_leaving(client_for, open_network):
    person = UserFactory()
    membership = MembershipFactory(user=person, network=open_network, status=Membership.Status.LEFT)
    response = client_for(person).post(reverse("accounts:join_network", kwargs={"slug": "lancashire"}), {})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def test_profile_memberships_query_count_is_constant(client_for, world, django_assert_max_num_queries):
    person = UserFactory()
    client = client_for(person)

    def join_networks(n):
        for network in NetworkFactory.create_batch(n, federation=world.federation):
            MembershipFactory(user=person, network=network, settlement=SettlementFactory(network=network))

    def fetch():
        with django_assert_max_num_queries(20):
            return client.get(reverse("accounts:profile"))

    response = assert_constant_queries(fetch, join_networks)
    assert response.content.decode().count("govuk-summary-card__title") >= 30
