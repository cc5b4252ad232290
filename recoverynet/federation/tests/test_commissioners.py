"""Commissioners: people from a commissioning body given read access to aggregated
outcomes by the federation coordinator (CommissionerAccess). What they may read,
who gives and ends the access, that it is audited, that ended or expired access
reads nothing, that they must use two-factor authentication, and that what they
see in Manage shows no person."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.accounts.factories import UserFactory
from recoverynet.core import scoping
from recoverynet.core.models import AuditEntry
from recoverynet.federation import services
from recoverynet.federation.factories import CommissionerAccessFactory
from recoverynet.federation.models import CommissionerAccess
from recoverynet.testing import give_totp, sign_in

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
GRANT = reverse("federation:manage:commissioner_grant")
LIST = reverse("federation:manage:commissioner_list")


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def officer():
    return UserFactory(display_name="Officer", email="officer@council.example.org")


def fresh(user):
    scoping.forget_scope(user)
    return user


# --- rules ------------------------------------------------------------------------


def test_a_network_commissioner_reads_that_networks_outcomes_only(world):
    commissioner = world.users["commissioner"]
    assert commissioner.has_perm("outcomes.view_network_outcomes", world.own_network)
    assert not commissioner.has_perm("outcomes.view_network_outcomes", world.other_network)
    assert not commissioner.has_perm("outcomes.view_federation_dashboard")
    assert not commissioner.has_perm("outcomes.change_savings_assumptions", world.own_network)


@pytest.mark.parametrize(
    "perm",
    [
        "federation.manage_network",
        "federation.view_network_audit",
        "federation.view_membership",
        "federation.decide_membership",
        "federation.change_settlement",
        "federation.manage_commissioners",
    ],
)
def test_a_commissioner_has_no_say_over_people_or_places(world, perm):
    commissioner = world.users["commissioner"]
    obj = world.own_membership if "membership" in perm else world.own_network
    if perm == "federation.change_settlement":
        obj = world.own_settlement
    assert not commissioner.has_perm(perm, obj)
    assert not commissioner.has_perm("core.view_auditentry")


def test_a_federation_commissioner_reads_every_network_and_the_federation(world, officer):
    CommissionerAccessFactory(user=officer, network=None, body="NHS England North West")
    assert officer.has_perm("outcomes.view_federation_dashboard")
    assert officer.has_perm("outcomes.view_network_outcomes", world.own_network)
    assert officer.has_perm("outcomes.view_network_outcomes", world.other_network)
    assert not officer.has_perm("federation.manage_network", world.own_network)


def test_revoked_access_reads_nothing(world, officer):
    CommissionerAccessFactory(user=officer, network=world.own_network, revoked_at=NOW)
    assert not scoping.is_commissioner(officer)
    assert not officer.has_perm("outcomes.view_network_outcomes", world.own_network)


def test_access_ends_after_its_last_day(world, officer, time_machine):
    CommissionerAccessFactory(user=officer, network=world.own_network, ends_on=datetime.date(2026, 11, 20))
    assert fresh(officer).has_perm("outcomes.view_network_outcomes", world.own_network)
    time_machine.move_to(datetime.datetime(2026, 11, 21, 0, 5, tzinfo=LONDON), tick=False)
    assert not fresh(officer).has_perm("outcomes.view_network_outcomes", world.own_network)
    assert not CommissionerAccess.objects.current().filter(user=officer).exists()


def test_a_commission_adds_no_query_to_a_signed_in_request(world, django_assert_num_queries):
    """The commissioner's access comes in the memberships' query (a union): two queries, as before."""
    member = fresh(world.users["member"])
    with django_assert_num_queries(2):
        scoping.scope_of(member)
    commissioner = fresh(world.users["commissioner"])
    with django_assert_num_queries(2):
        scope = scoping.scope_of(commissioner)
    assert scope.commissioned == frozenset({world.own_network.pk})
    assert scope.member_of == frozenset()


# --- services -----------------------------------------------------------------------


def test_the_federation_coordinator_gives_access_audited(world, officer):
    actor = world.users["federation_coordinator"]
    access = services.grant_commissioner_access(
        actor=actor, user=officer, network=world.own_network, body=" Cumbria public health ", ends_on=None
    )
    assert access.body == "Cumbria public health"
    assert access.granted_by == actor
    entry = AuditEntry.objects.get(content_type__model="commissioneraccess", object_id=str(access.pk))
    assert entry.actor == actor
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.network == world.own_network
    assert entry.object_repr == f"Commissioner access #{access.pk} to Cumbria"
    assert "Officer" not in entry.object_repr
    assert fresh(officer).has_perm("outcomes.view_network_outcomes", world.own_network)


@pytest.mark.parametrize("role", ["member", "settlement_host", "network_coordinator", "commissioner", "professional"])
def test_only_the_federation_coordinator_gives_access(world, officer, role):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.grant_commissioner_access(actor=world.users[role], user=officer, network=world.own_network, body="X")
    assert not CommissionerAccess.objects.filter(user=officer).exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", ["member", "network_coordinator", "commissioner"])
def test_only_the_federation_coordinator_ends_access(world, role):
    access = CommissionerAccess.objects.get(user=world.users["commissioner"])
    with pytest.raises(PermissionDenied):
        services.revoke_commissioner_access(actor=world.users[role], access=access)
    access.refresh_from_db()
    assert access.revoked_at is None


def test_ending_access_is_audited_and_takes_effect(world):
    actor = world.users["federation_coordinator"]
    commissioner = world.users["commissioner"]
    access = CommissionerAccess.objects.get(user=commissioner)
    services.revoke_commissioner_access(actor=actor, access=access)
    access.refresh_from_db()
    assert access.revoked_at == NOW
    assert access.revoked_by == actor
    entry = AuditEntry.objects.filter(content_type__model="commissioneraccess").latest("pk")
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.summary == "Commissioner access ended"
    assert "revoked_at" in entry.changes
    assert not fresh(commissioner).has_perm("outcomes.view_network_outcomes", world.own_network)
    with pytest.raises(ValidationError):
        services.revoke_commissioner_access(actor=actor, access=access)


def test_the_same_access_twice_is_refused_and_writes_nothing(world):
    actor = world.users["federation_coordinator"]
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.grant_commissioner_access(
            actor=actor, user=world.users["commissioner"], network=world.own_network, body="Again"
        )
    assert CommissionerAccess.objects.filter(user=world.users["commissioner"]).count() == 1
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"body": "   "}, "body"), ({"ends_on": datetime.date(2026, 11, 19)}, "ends_on"), ({"body": "x" * 151}, "body")],
)
def test_invalid_access_writes_nothing(world, officer, kwargs, field):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.grant_commissioner_access(
            actor=world.users["federation_coordinator"],
            user=officer,
            network=world.own_network,
            **{"body": "Public health", **kwargs},
        )
    assert field in caught.value.message_dict
    assert not CommissionerAccess.objects.filter(user=officer).exists()
    assert AuditEntry.objects.count() == before


# --- two-factor authentication ----------------------------------------------------


def test_a_commissioner_without_a_second_factor_must_set_one_up(world, officer, client):
    CommissionerAccessFactory(user=officer, network=world.own_network)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("outcomes:network", kwargs={"slug": world.own_network.slug}))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    api = client.get(f"/api/v1/outcomes/{world.own_network.slug}/")
    assert api.status_code == 403


def test_a_commissioner_with_a_device_must_pass_it_in_the_session(world, officer, client):
    CommissionerAccessFactory(user=officer, network=world.own_network)
    give_totp(officer)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("outcomes:network", kwargs={"slug": world.own_network.slug}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))
    sign_in(client, officer)
    assert client.get(reverse("outcomes:network", kwargs={"slug": world.own_network.slug})).status_code == 200


# --- pages --------------------------------------------------------------------------


def test_manage_shows_a_commissioner_their_outcomes_and_no_person(world, login):
    client = login("commissioner")
    response = client.get(reverse("federation:manage:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("outcomes:network", kwargs={"slug": world.own_network.slug}) in html
    assert "Cumbria public health" in html
    assert "members/" not in html
    assert reverse("core:audit_list") not in html
    assert "Member" not in html.replace("Members", "")  # no person's display name
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("outcomes:network", kwargs={"slug": world.own_network.slug}) in profile


def test_a_commissioner_reads_the_dashboard_and_downloads_the_report(world, login):
    client = login("commissioner")
    slug = world.own_network.slug
    assert client.get(reverse("outcomes:network", kwargs={"slug": slug})).status_code == 200
    response = client.post(reverse("outcomes:report", kwargs={"slug": slug}), {"quarter": "2026Q3", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert client.get(f"/api/v1/outcomes/{slug}/").status_code == 200
    assert client.get(reverse("federation:manage:member_list", kwargs={"slug": slug})).status_code == 403


def test_the_federation_coordinator_gives_and_ends_access_through_the_pages(world, login, officer):
    client = login("federation_coordinator")
    response = client.post(
        GRANT,
        {"email": "OFFICER@council.example.org", "body": "Council public health", "network": "", "ends_on": ""},
    )
    assert response.status_code == 302
    access = CommissionerAccess.objects.get(user=officer)
    assert access.network is None
    listing = client.get(LIST).content.decode()
    assert "Council public health" in listing
    assert "officer@council.example.org" not in listing  # display names, never emails
    revoke = reverse("federation:manage:commissioner_revoke", kwargs={"pk": access.pk})
    assert client.get(revoke).status_code == 200
    assert client.post(revoke).status_code == 302
    access.refresh_from_db()
    assert access.revoked_at is not None


def test_granting_to_an_unknown_address_is_a_form_error(world, login):
    client = login("federation_coordinator")
    before = AuditEntry.objects.count()
    response = client.post(GRANT, {"email": "nobody@example.org", "body": "Council"})
    assert response.status_code == 200
    assert "There is no account with that email address" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_the_list_runs_a_constant_number_of_queries(world, login):
    from recoverynet.testing import assert_constant_queries

    client = login("federation_coordinator")
    client.get(LIST)

    def add_rows(n):
        CommissionerAccessFactory.create_batch(n, network=world.own_network)

    response = assert_constant_queries(lambda: client.get(LIST), add_rows)
    assert len(response.context["current"]) == 31


TEXT = st.one_of(st.text(max_size=300), st.integers(-(10**12), 10**12).map(str), st.just(""))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    email=st.one_of(TEXT, st.just("officer@council.example.org"), st.just("OFFICER@council.example.org ")),
    body=TEXT,
    network=st.one_of(TEXT, st.just("")),
    ends_on=st.one_of(TEXT, st.just("27 3 2027"), st.just("2026-11-19")),
)
def test_the_grant_form_over_arbitrary_input(world, login, officer, email, body, network, ends_on):
    """Arbitrary values: a clear error or a grant, never a 500, nothing half-written."""
    client = login("federation_coordinator")
    accesses, entries = CommissionerAccess.objects.count(), AuditEntry.objects.count()
    response = client.post(GRANT, {"email": email, "body": body, "network": network, "ends_on": ends_on})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
        assert CommissionerAccess.objects.count() == accesses
        assert AuditEntry.objects.count() == entries
    else:
        assert CommissionerAccess.objects.count() == accesses + 1
        assert AuditEntry.objects.count() == entries + 1
