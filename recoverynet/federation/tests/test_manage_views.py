"""The coordinators' and settlement hosts' pages under /manage/."""

import pytest
from django.urls import reverse

from recoverynet.accounts.factories import ConsentRecordFactory, UserFactory
from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory, NetworkFactory, OrganisationFactory
from recoverynet.federation.models import Membership, Network, Organisation, Partnership, Sector, Settlement
from recoverynet.testing import assert_constant_queries, sign_in

pytestmark = pytest.mark.django_db


def audit_for(instance, action=None):
    entries = AuditEntry.objects.filter(content_type__model=instance._meta.model_name, object_id=str(instance.pk))
    return entries.filter(action=action) if action else entries


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def settlement_data(**overrides):
    return {"name": "Workington Hub", "town": "Workington", "postcode": "CA14 1AA", "is_active": "on", **overrides}


def network_data(**overrides):
    return {
        "name": "Lancashire",
        "summary": "Recovery in Lancashire.",
        "requires_approval": "on",
        "is_active": "on",
        **overrides,
    }


# --- Index ----------------------------------------------------------------------


def test_index_anonymous_redirects_to_login(client, world):
    assert_login_redirect(client.get(reverse("federation:manage:index")))


@pytest.mark.parametrize("role", ["member", "professional"])
def test_index_forbidden_without_a_coordinating_or_hosting_role(login, role):
    assert login(role).get(reverse("federation:manage:index")).status_code == 403


def test_index_lists_coordinated_networks_with_pending_counts(login, world, pending_membership):
    response = login("network_coordinator").get(reverse("federation:manage:index"))
    assert response.status_code == 200
    networks = response.context["networks"]
    assert [n.name for n in networks] == ["Cumbria"]
    assert networks[0].pending_count == 1
    assert "1 request waiting for a decision" in response.content.decode()
    assert (
        reverse("federation:manage:network_dashboard", kwargs={"slug": "merseyside"}) not in response.content.decode()
    )
    assert "Set up a network" not in response.content.decode()


def test_index_for_federation_coordinator_lists_every_network(login, world):
    response = login("federation_coordinator").get(reverse("federation:manage:index"))
    assert [n.name for n in response.context["networks"]] == ["Cumbria", "Merseyside"]
    assert reverse("federation:manage:network_create") in response.content.decode()


def test_index_for_host_lists_hosted_settlement(login, world, pending_membership):
    response = login("settlement_host").get(reverse("federation:manage:index"))
    assert response.status_code == 200
    assert list(response.context["networks"]) == []
    settlements = response.context["settlements"]
    assert [s.name for s in settlements] == ["Carlisle Hub"]
    assert settlements[0].pending_count == 1


# --- Networks -------------------------------------------------------------------


def test_federation_coordinator_sets_up_a_network(login, world):
    client = login("federation_coordinator")
    assert client.get(reverse("federation:manage:network_create")).status_code == 200
    response = client.post(reverse("federation:manage:network_create"), network_data())
    network = Network.objects.get(name="Lancashire")
    assert response.status_code == 302
    assert response.url == reverse("federation:manage:network_dashboard", kwargs={"slug": "lancashire"})
    assert network.federation == world.federation
    entry = audit_for(network, AuditEntry.Action.CREATE).get()
    assert entry.actor == world.users["federation_coordinator"]
    assert entry.changes["name"] == [None, "Lancashire"]


@pytest.mark.parametrize("role", ["network_coordinator", "settlement_host", "member"])
def test_only_federation_coordinators_set_up_networks(login, world, role):
    client = login(role)
    assert client.get(reverse("federation:manage:network_create")).status_code == 403
    assert client.post(reverse("federation:manage:network_create"), network_data()).status_code == 403
    assert not Network.objects.filter(name="Lancashire").exists()


def test_network_create_anonymous_redirects(client, world):
    assert_login_redirect(client.post(reverse("federation:manage:network_create"), network_data()))
    assert not Network.objects.filter(name="Lancashire").exists()


def test_network_create_invalid_re_renders_and_writes_nothing(login, world):
    before = AuditEntry.objects.count()
    response = login("federation_coordinator").post(
        reverse("federation:manage:network_create"), network_data(name="Cumbria", latitude="123")
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "latitude" in response.context["form"].errors
    assert Network.objects.count() == 2
    assert AuditEntry.objects.count() == before


def test_network_dashboard_shows_counts(login, world, pending_membership):
    response = login("network_coordinator").get(
        reverse("federation:manage:network_dashboard", kwargs={"slug": "cumbria"})
    )
    assert response.status_code == 200
    counts = response.context["counts"]
    # member, professional, host, coordinator are active; the newcomer waits.
    assert counts == {"active": 4, "pending": 1, "hosts": 1, "professionals": 1}
    assert [s.name for s in response.context["settlements"]] == ["Carlisle Hub"]
    assert [o.name for o in response.context["organisations"]] == ["Eden Recovery"]
    assert [p.slug for p in response.context["partnerships"]] == ["own-partnership"]


def test_network_dashboard_wrong_scope(login, client, world):
    url = reverse("federation:manage:network_dashboard", kwargs={"slug": "merseyside"})
    assert login("network_coordinator").get(url).status_code == 403
    client.logout()
    assert (
        login("settlement_host")
        .get(reverse("federation:manage:network_dashboard", kwargs={"slug": "cumbria"}))
        .status_code
        == 403
    )
    client.logout()
    assert_login_redirect(client.get(url))


def test_network_dashboard_unknown_slug_is_404(login, world):
    url = reverse("federation:manage:network_dashboard", kwargs={"slug": "nowhere"})
    assert login("federation_coordinator").get(url).status_code == 404


def test_coordinator_edits_own_network(login, world):
    url = reverse("federation:manage:network_edit", kwargs={"slug": "cumbria"})
    client = login("network_coordinator")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["name"] == "Cumbria"
    response = client.post(url, network_data(name="Cumbria", summary="Recovery across Cumbria."))
    assert response.status_code == 302
    world.own_network.refresh_from_db()
    assert world.own_network.summary == "Recovery across Cumbria."
    entry = audit_for(world.own_network, AuditEntry.Action.UPDATE).get()
    assert entry.changes["summary"] == ["A community-led recovery network.", "Recovery across Cumbria."]
    assert entry.network == world.own_network


def test_network_edit_wrong_scope_and_anonymous(login, client, world):
    url = reverse("federation:manage:network_edit", kwargs={"slug": "merseyside"})
    assert_login_redirect(client.post(url, network_data(name="Merseyside")))
    coordinator = login("network_coordinator")
    assert coordinator.get(url).status_code == 403
    assert coordinator.post(url, network_data(name="Merseyside", summary="Taken over")).status_code == 403
    world.other_network.refresh_from_db()
    assert world.other_network.summary != "Taken over"


def test_network_edit_invalid_writes_nothing(login, world):
    url = reverse("federation:manage:network_edit", kwargs={"slug": "cumbria"})
    response = login("network_coordinator").post(url, network_data(name="Merseyside", website="not a url"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors and "website" in errors
    world.own_network.refresh_from_db()
    assert world.own_network.name == "Cumbria"
    assert not audit_for(world.own_network).exists()


# --- Member lists ---------------------------------------------------------------


def test_member_list_pending_first_with_details(login, world, pending_membership):
    response = login("network_coordinator").get(reverse("federation:manage:member_list", kwargs={"slug": "cumbria"}))
    assert response.status_code == 200
    rows = list(response.context["memberships"])
    assert rows[0] == pending_membership
    assert {m.network_id for m in rows} == {world.own_network.pk}
    assert world.other_membership not in rows
    html = response.content.decode()
    assert "Newcomer" in html and "Carlisle Hub" in html
    assert reverse("federation:manage:membership_decide", kwargs={"pk": pending_membership.pk}) in html
    assert response.context["pending_total"] == 1


def test_member_list_shows_email_only_with_contact_consent(login, world):
    member, host = world.users["member"], world.users["settlement_host"]
    ConsentRecordFactory(user=member, purpose="contact", granted=True)
    ConsentRecordFactory(user=host, purpose="research", granted=True)  # another purpose: no
    professional = world.users["professional"]
    ConsentRecordFactory(user=professional, purpose="contact", granted=True)
    withdrawn = ConsentRecordFactory(user=professional, purpose="contact", granted=False)
    assert withdrawn.recorded_at >= professional.consent_records.first().recorded_at
    html = (
        login("network_coordinator")
        .get(reverse("federation:manage:member_list", kwargs={"slug": "cumbria"}))
        .content.decode()
    )
    assert "member@example.org" in html
    assert "host@example.org" not in html
    assert "professional@example.org" not in html
    assert "coordinator@example.org" not in html


def test_member_list_filters(login, world, pending_membership):
    client = login("network_coordinator")
    url = reverse("federation:manage:member_list", kwargs={"slug": "cumbria"})
    assert list(client.get(url, {"status": "pending"}).context["memberships"]) == [pending_membership]
    assert [m.user.display_name for m in client.get(url, {"q": "newcom"}).context["memberships"]] == ["Newcomer"]
    by_role = client.get(url, {"role": "settlement_host"}).context["memberships"]
    assert [m.user.display_name for m in by_role] == ["Host"]
    at_hub = client.get(url, {"settlement": world.own_settlement.pk}).context["memberships"]
    assert {m.user.display_name for m in at_hub} == {"Member", "Host", "Newcomer"}


def test_member_list_rejects_another_networks_settlement_filter(login, world):
    response = login("network_coordinator").get(
        reverse("federation:manage:member_list", kwargs={"slug": "cumbria"}), {"settlement": world.other_settlement.pk}
    )
    assert response.status_code == 200
    assert "settlement" in response.context["filter"].form.errors
    assert world.other_membership not in list(response.context["memberships"])


def test_member_list_wrong_scope(login, client, world):
    url = reverse("federation:manage:member_list", kwargs={"slug": "merseyside"})
    assert login("network_coordinator").get(url).status_code == 403
    client.logout()
    assert (
        login("settlement_host").get(reverse("federation:manage:member_list", kwargs={"slug": "cumbria"})).status_code
        == 403
    )
    client.logout()
    assert_login_redirect(client.get(url))


def test_member_list_paginates_at_50(login, world):
    MembershipFactory.create_batch(52, network=world.own_network)
    client = login("network_coordinator")
    url = reverse("federation:manage:member_list", kwargs={"slug": "cumbria"})
    assert len(client.get(url).context["memberships"]) == 50
    page_2 = client.get(url, {"page": 2}).context["memberships"]
    assert len(page_2) == 52 + 4 - 50


def test_member_list_query_count_is_constant(login, world):
    client = login("network_coordinator")
    url = reverse("federation:manage:member_list", kwargs={"slug": "cumbria"})

    def add_people(count):
        for membership in MembershipFactory.create_batch(
            count, network=world.own_network, settlement=world.own_settlement
        ):
            ConsentRecordFactory(user=membership.user, purpose="contact", granted=True)

    counted = []

    def fetch():
        response = client.get(url)
        counted.append(len(response.context["memberships"]))
        return response

    client.get(url)  # warm caches (content types, sessions)
    response = assert_constant_queries(fetch, add_people)
    assert counted == [7, 34]
    assert response.content.decode().count("@example.org") >= 30


def test_host_sees_own_settlement_members_only(login, world, pending_membership):
    elsewhere = MembershipFactory(network=world.own_network, settlement=None)
    response = login("settlement_host").get(
        reverse("federation:manage:settlement_member_list", kwargs={"slug": "carlisle-hub"})
    )
    assert response.status_code == 200
    rows = list(response.context["memberships"])
    assert rows[0] == pending_membership
    assert {m.settlement_id for m in rows} == {world.own_settlement.pk}
    assert elsewhere not in rows
    html = response.content.decode()
    # Hosts decide on requests but do not change roles.
    assert reverse("federation:manage:membership_decide", kwargs={"pk": pending_membership.pk}) in html
    assert reverse("federation:manage:membership_edit", kwargs={"pk": world.own_membership.pk}) not in html


def test_settlement_member_list_wrong_scope(login, client, world):
    url = reverse("federation:manage:settlement_member_list", kwargs={"slug": "bootle-hub"})
    assert login("settlement_host").get(url).status_code == 403
    client.logout()
    assert login("network_coordinator").get(url).status_code == 403
    client.logout()
    assert (
        login("member")
        .get(reverse("federation:manage:settlement_member_list", kwargs={"slug": "carlisle-hub"}))
        .status_code
        == 403
    )
    client.logout()
    assert_login_redirect(client.get(url))


def test_coordinator_sees_settlement_member_list(login, world):
    response = login("network_coordinator").get(
        reverse("federation:manage:settlement_member_list", kwargs={"slug": "carlisle-hub"})
    )
    assert response.status_code == 200
    assert world.own_membership in list(response.context["memberships"])


# --- Deciding on requests to join -----------------------------------------------


def decide_url(membership):
    return reverse("federation:manage:membership_decide", kwargs={"pk": membership.pk})


def test_coordinator_approves_request(login, world, pending_membership):
    client = login("network_coordinator")
    assert client.get(decide_url(pending_membership)).status_code == 200
    response = client.post(decide_url(pending_membership), {"decision": "approve"})
    assert response.status_code == 302
    assert response.url == reverse("federation:manage:member_list", kwargs={"slug": "cumbria"})
    pending_membership.refresh_from_db()
    assert pending_membership.status == Membership.Status.ACTIVE
    assert pending_membership.decided_at is not None
    entry = audit_for(pending_membership, AuditEntry.Action.APPROVE).get()
    assert entry.actor == world.users["network_coordinator"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Newcomer is now a member of Cumbria."]


def test_host_declines_request_with_reason(login, world, pending_membership):
    response = login("settlement_host").post(
        decide_url(pending_membership), {"decision": "decline", "reason": "  We are full until spring.  "}
    )
    assert response.status_code == 302
    assert response.url == reverse("federation:manage:settlement_member_list", kwargs={"slug": "carlisle-hub"})
    pending_membership.refresh_from_db()
    assert pending_membership.status == Membership.Status.DECLINED
    assert pending_membership.decision_reason == "We are full until spring."
    assert audit_for(pending_membership, AuditEntry.Action.DECLINE).get().actor == world.users["settlement_host"]


@pytest.mark.parametrize("data", [{"decision": "decline", "reason": "   "}, {"decision": ""}, {"decision": "maybe"}])
def test_invalid_decision_re_renders_and_writes_nothing(login, world, pending_membership, data):
    response = login("network_coordinator").post(decide_url(pending_membership), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    pending_membership.refresh_from_db()
    assert pending_membership.status == Membership.Status.PENDING
    assert not audit_for(pending_membership).exists()


def test_deciding_twice_is_a_form_error(login, world, pending_membership):
    client = login("network_coordinator")
    client.post(decide_url(pending_membership), {"decision": "approve"})
    response = client.post(decide_url(pending_membership), {"decision": "decline", "reason": "Changed my mind"})
    assert response.status_code == 200
    assert "already been decided" in str(response.context["form"].non_field_errors())
    pending_membership.refresh_from_db()
    assert pending_membership.status == Membership.Status.ACTIVE
    assert audit_for(pending_membership).count() == 1


def test_decide_on_another_networks_membership_is_404(login, client, world):
    pending = MembershipFactory(network=world.other_network, status=Membership.Status.PENDING)
    for role in ("network_coordinator", "settlement_host", "professional"):
        client.logout()
        response = login(role).post(decide_url(pending), {"decision": "approve"})
        assert response.status_code == 404, role
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING


def test_deciding_own_request_is_forbidden(login, world):
    own = world.own_membership
    Membership.objects.filter(pk=own.pk).update(status=Membership.Status.PENDING)
    response = login("member").post(decide_url(own), {"decision": "approve"})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == Membership.Status.PENDING


def test_decide_anonymous_redirects(client, world, pending_membership):
    assert_login_redirect(client.post(decide_url(pending_membership), {"decision": "approve"}))
    pending_membership.refresh_from_db()
    assert pending_membership.status == Membership.Status.PENDING


def test_decide_page_hides_email_without_consent(login, world, pending_membership):
    client = login("network_coordinator")
    assert "newcomer@example.org" not in client.get(decide_url(pending_membership)).content.decode()
    ConsentRecordFactory(user=pending_membership.user, purpose="contact", granted=True)
    assert "newcomer@example.org" in client.get(decide_url(pending_membership)).content.decode()


# --- Changing a membership ------------------------------------------------------


def edit_url(membership):
    return reverse("federation:manage:membership_edit", kwargs={"pk": membership.pk})


def test_coordinator_makes_a_member_a_host(login, world):
    membership = world.own_membership
    client = login("network_coordinator")
    assert client.get(edit_url(membership)).status_code == 200
    response = client.post(
        edit_url(membership), {"role": "settlement_host", "settlement": world.own_settlement.pk, "organisation": ""}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.SETTLEMENT_HOST
    entry = audit_for(membership, AuditEntry.Action.UPDATE).get()
    assert entry.changes == {"role": ["member", "settlement_host"]}


def test_membership_edit_offers_only_this_networks_choices(login, world):
    response = login("federation_coordinator").get(edit_url(world.own_membership))
    form = response.context["form"]
    assert list(form.fields["settlement"].queryset) == [world.own_settlement]
    assert list(form.fields["organisation"].queryset) == [world.own_organisation]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": "member", "settlement": "OTHER_SETTLEMENT"}, "settlement"),
        ({"role": "professional", "organisation": "OTHER_ORGANISATION"}, "organisation"),
        ({"role": "professional", "organisation": ""}, "organisation"),
        ({"role": "settlement_host", "settlement": ""}, "settlement"),
        ({"role": "emperor"}, "role"),
    ],
)
def test_membership_edit_invalid_writes_nothing(login, world, data, field):
    substitutes = {"OTHER_SETTLEMENT": world.other_settlement.pk, "OTHER_ORGANISATION": world.other_organisation.pk}
    data = {k: substitutes.get(v, v) for k, v in data.items()}
    response = login("network_coordinator").post(edit_url(world.own_membership), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    membership = Membership.objects.get(pk=world.own_membership.pk)
    assert (membership.role, membership.settlement_id) == (Membership.Role.MEMBER, world.own_settlement.pk)
    assert not audit_for(membership).exists()


def test_membership_edit_scope(login, client, world):
    # Another network's membership: 404 for its non-coordinators.
    assert login("network_coordinator").get(edit_url(world.other_membership)).status_code == 404
    client.logout()
    # A host sees their settlement's memberships but may not change roles.
    host = login("settlement_host")
    assert host.get(edit_url(world.own_membership)).status_code == 403
    assert host.post(edit_url(world.own_membership), {"role": "network_coordinator"}).status_code == 403
    client.logout()
    assert_login_redirect(client.get(edit_url(world.own_membership)))
    assert Membership.objects.get(pk=world.own_membership.pk).role == Membership.Role.MEMBER


def test_federation_coordinator_edits_any_membership(login, world):
    response = login("federation_coordinator").post(
        edit_url(world.other_membership), {"role": "member", "settlement": ""}
    )
    assert response.status_code == 302
    world.other_membership.refresh_from_db()
    assert world.other_membership.settlement is None


# --- Settlements ----------------------------------------------------------------


def test_coordinator_adds_settlement(login, world):
    url = reverse("federation:manage:settlement_create", kwargs={"slug": "cumbria"})
    client = login("network_coordinator")
    assert client.get(url).status_code == 200
    response = client.post(url, settlement_data())
    assert response.status_code == 302
    settlement = Settlement.objects.get(name="Workington Hub")
    assert (settlement.network, settlement.slug) == (world.own_network, "workington-hub")
    assert audit_for(settlement, AuditEntry.Action.CREATE).get().network == world.own_network


def test_settlement_create_wrong_scope(login, client, world):
    url = reverse("federation:manage:settlement_create", kwargs={"slug": "merseyside"})
    assert login("network_coordinator").post(url, settlement_data()).status_code == 403
    client.logout()
    own_url = reverse("federation:manage:settlement_create", kwargs={"slug": "cumbria"})
    assert login("settlement_host").post(own_url, settlement_data()).status_code == 403
    client.logout()
    assert_login_redirect(client.post(url, settlement_data()))
    assert not Settlement.objects.filter(name="Workington Hub").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (settlement_data(town=""), "town"),
        (settlement_data(latitude="91"), "latitude"),
        (settlement_data(contact_email="nope"), "contact_email"),
        (settlement_data(name="Carlisle Hub"), None),  # one name per network: the service says so
    ],
)
def test_settlement_create_invalid_writes_nothing(login, world, data, field):
    before = (Settlement.objects.count(), AuditEntry.objects.count())
    response = login("network_coordinator").post(
        reverse("federation:manage:settlement_create", kwargs={"slug": "cumbria"}), data
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors
    else:
        assert form.non_field_errors()
    assert (Settlement.objects.count(), AuditEntry.objects.count()) == before


def test_host_edits_own_settlement(login, world):
    url = reverse("federation:manage:settlement_edit", kwargs={"slug": "carlisle-hub"})
    client = login("settlement_host")
    assert client.get(url).status_code == 200
    response = client.post(url, settlement_data(name="Carlisle Hub", town="Carlisle", opening_times="Every day"))
    assert response.status_code == 302
    assert response.url == reverse("federation:manage:index")
    world.own_settlement.refresh_from_db()
    assert (world.own_settlement.town, world.own_settlement.opening_times) == ("Carlisle", "Every day")
    entry = audit_for(world.own_settlement, AuditEntry.Action.UPDATE).get()
    assert entry.actor == world.users["settlement_host"]
    assert entry.changes["town"] == ["Preston", "Carlisle"]


def test_settlement_edit_wrong_scope(login, client, world):
    url = reverse("federation:manage:settlement_edit", kwargs={"slug": "bootle-hub"})
    for role in ("settlement_host", "network_coordinator", "member"):
        client.logout()
        assert login(role).post(url, settlement_data(name="Bootle Hub", town="Hijacked")).status_code == 403
    client.logout()
    assert_login_redirect(client.get(url))
    world.other_settlement.refresh_from_db()
    assert world.other_settlement.town != "Hijacked"


def test_settlement_edit_invalid_writes_nothing(login, world):
    url = reverse("federation:manage:settlement_edit", kwargs={"slug": "carlisle-hub"})
    response = login("network_coordinator").post(url, settlement_data(name="", town="Carlisle"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    world.own_settlement.refresh_from_db()
    assert (world.own_settlement.name, world.own_settlement.town) == ("Carlisle Hub", "Preston")
    assert not audit_for(world.own_settlement).exists()


# --- Organisations --------------------------------------------------------------


def organisation_data(networks, **overrides):
    return {
        "name": "Kendal Kitchen",
        "sector": Sector.SOCIAL_ENTERPRISE,
        "networks": [n.pk for n in networks],
        "is_active": "on",
        **overrides,
    }


def test_coordinator_adds_organisation(login, world):
    url = reverse("federation:manage:organisation_create", kwargs={"slug": "cumbria"})
    client = login("network_coordinator")
    response = client.get(url)
    assert list(response.context["form"].fields["networks"].queryset) == [world.own_network]
    assert response.context["form"].initial["networks"] == [world.own_network]
    assert "---------" not in response.content.decode()  # sector radios have no blank option
    response = client.post(url, organisation_data([world.own_network]))
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Kendal Kitchen")
    assert list(organisation.networks.all()) == [world.own_network]
    entry = audit_for(organisation, AuditEntry.Action.CREATE).get()
    assert entry.network == world.own_network
    assert entry.changes["networks"] == [[], [world.own_network.pk]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"networks": "OTHER"}, "networks"),
        ({"networks": []}, "networks"),
        ({"sector": "criminal"}, "sector"),
        ({"name": ""}, "name"),
    ],
)
def test_organisation_create_invalid_writes_nothing(login, world, overrides, field):
    if overrides.get("networks") == "OTHER":
        overrides = {"networks": [world.other_network.pk]}
    data = {**organisation_data([world.own_network]), **overrides}
    response = login("network_coordinator").post(
        reverse("federation:manage:organisation_create", kwargs={"slug": "cumbria"}), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organisation.objects.filter(name="Kendal Kitchen").exists()


def test_organisation_create_wrong_scope(login, client, world):
    url = reverse("federation:manage:organisation_create", kwargs={"slug": "merseyside"})
    assert login("network_coordinator").get(url).status_code == 403
    client.logout()
    assert (
        login("professional")
        .get(reverse("federation:manage:organisation_create", kwargs={"slug": "cumbria"}))
        .status_code
        == 403
    )
    client.logout()
    assert_login_redirect(client.get(url))


def test_professional_edits_own_organisation_but_not_its_networks(login, world):
    url = reverse("federation:manage:organisation_edit", kwargs={"slug": "eden-recovery"})
    client = login("professional")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].fields["networks"].disabled
    # A tampered networks value is ignored: the field is disabled.
    response = client.post(
        url,
        organisation_data(
            [world.other_network], name="Eden Recovery", sector=Sector.VOLUNTARY, description="Peer support in Eden."
        ),
    )
    assert response.status_code == 302
    world.own_organisation.refresh_from_db()
    assert world.own_organisation.description == "Peer support in Eden."
    assert list(world.own_organisation.networks.all()) == [world.own_network]
    assert audit_for(world.own_organisation, AuditEntry.Action.UPDATE).get().changes == {
        "description": ["", "Peer support in Eden."]
    }


def test_organisation_edit_wrong_scope(login, client, world):
    url = reverse("federation:manage:organisation_edit", kwargs={"slug": "mersey-works"})
    data = organisation_data([world.other_network], name="Mersey Works", description="Hijacked")
    for role in ("professional", "network_coordinator", "settlement_host"):
        client.logout()
        assert login(role).post(url, data).status_code == 403
    client.logout()
    assert_login_redirect(client.get(url))
    world.other_organisation.refresh_from_db()
    assert world.other_organisation.description == ""


def test_coordinator_cannot_remove_a_network_they_do_not_coordinate(login, world):
    shared = OrganisationFactory(name="Both Ways", slug="both-ways", networks=[world.own_network, world.other_network])
    url = reverse("federation:manage:organisation_edit", kwargs={"slug": "both-ways"})
    client = login("network_coordinator")
    form = client.get(url).context["form"]
    assert set(form.fields["networks"].queryset) == {world.own_network, world.other_network}
    response = client.post(url, organisation_data([world.own_network], name="Both Ways"))
    assert response.status_code == 200
    assert "networks" in response.context["form"].errors
    assert set(shared.networks.all()) == {world.own_network, world.other_network}
    # Removing their own network is theirs to decide.
    response = client.post(url, organisation_data([world.other_network], name="Both Ways"))
    assert response.status_code == 302
    assert list(shared.networks.all()) == [world.other_network]
    assert audit_for(shared, AuditEntry.Action.UPDATE).get().changes["networks"] == [
        sorted([world.own_network.pk, world.other_network.pk]),
        [world.other_network.pk],
    ]


# --- Partnerships ---------------------------------------------------------------


def partnership_data(lead, **overrides):
    return {
        "name": "Cafe Referrals",
        "purpose": "Warm referrals.",
        "lead_network": lead.pk,
        "networks": [],
        "organisations": [],
        "start_date": "2026-02-01",
        "status": "active",
        **overrides,
    }


def test_coordinator_adds_partnership(login, world):
    url = reverse("federation:manage:partnership_create", kwargs={"slug": "cumbria"})
    client = login("network_coordinator")
    form = client.get(url).context["form"]
    assert list(form.fields["lead_network"].queryset) == [world.own_network]
    response = client.post(
        url,
        partnership_data(
            world.own_network,
            organisations=[world.own_organisation.pk, world.other_organisation.pk],
            networks=[world.other_network.pk],
            start_date="1 2 2026",
        ),
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(name="Cafe Referrals")
    assert partnership.lead_network == world.own_network
    assert set(partnership.networks.all()) == {world.own_network, world.other_network}
    assert set(partnership.organisations.all()) == {world.own_organisation, world.other_organisation}
    assert str(partnership.start_date) == "2026-02-01"
    assert audit_for(partnership, AuditEntry.Action.CREATE).get().network == world.own_network


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"lead_network": "OTHER"}, "lead_network"),
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"start_date": "31 2 2026"}, "start_date"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_partnership_create_invalid_writes_nothing(login, world, overrides, field):
    if overrides.get("lead_network") == "OTHER":
        overrides = {"lead_network": world.other_network.pk}
    response = login("network_coordinator").post(
        reverse("federation:manage:partnership_create", kwargs={"slug": "cumbria"}),
        {**partnership_data(world.own_network), **overrides},
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Partnership.objects.filter(name="Cafe Referrals").exists()


def test_partnership_create_wrong_scope(login, client, world):
    url = reverse("federation:manage:partnership_create", kwargs={"slug": "merseyside"})
    assert login("network_coordinator").post(url, partnership_data(world.other_network)).status_code == 403
    client.logout()
    assert_login_redirect(client.get(url))
    assert not Partnership.objects.filter(name="Cafe Referrals").exists()


def test_coordinator_edits_own_partnership(login, world):
    url = reverse("federation:manage:partnership_edit", kwargs={"slug": "own-partnership"})
    client = login("network_coordinator")
    assert client.get(url).status_code == 200
    data = partnership_data(
        world.own_network,
        name=world.own_partnership.name,
        status="paused",
        purpose=world.own_partnership.purpose,
        organisations=[world.own_organisation.pk],
        start_date="2026-01-01",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    world.own_partnership.refresh_from_db()
    assert world.own_partnership.status == Partnership.Status.PAUSED
    # The lead network always takes part.
    assert list(world.own_partnership.networks.all()) == [world.own_network]
    assert audit_for(world.own_partnership, AuditEntry.Action.UPDATE).get().changes == {"status": ["active", "paused"]}


def test_partnership_edit_wrong_scope(login, client, world):
    url = reverse("federation:manage:partnership_edit", kwargs={"slug": "other-partnership"})
    data = partnership_data(world.other_network, name="Hijacked")
    for role in ("network_coordinator", "professional", "settlement_host"):
        client.logout()
        assert login(role).post(url, data).status_code == 403
    client.logout()
    assert_login_redirect(client.get(url))
    world.other_partnership.refresh_from_db()
    assert world.other_partnership.name != "Hijacked"


def test_federation_coordinator_moves_partnership_lead(login, world):
    url = reverse("federation:manage:partnership_edit", kwargs={"slug": "own-partnership"})
    data = partnership_data(
        world.other_network,
        name=world.own_partnership.name,
        start_date="2026-01-01",
        organisations=[world.own_organisation.pk],
    )
    response = login("federation_coordinator").post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("federation:manage:network_dashboard", kwargs={"slug": "merseyside"})
    world.own_partnership.refresh_from_db()
    assert world.own_partnership.lead_network == world.other_network


def test_new_network_coordinator_without_network_gets_403(client, world):
    user = UserFactory()
    MembershipFactory(
        user=user, network=NetworkFactory(), status=Membership.Status.PENDING, role=Membership.Role.NETWORK_COORDINATOR
    )
    sign_in(client, user)
    assert client.get(reverse("federation:manage:index")).status_code == 403
