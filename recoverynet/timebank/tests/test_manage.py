"""Coordinators: exchanges for members offline, group activities, holder accounts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import OrganisationFactory
from recoverynet.testing import assert_constant_queries
from recoverynet.timebank import services
from recoverynet.timebank.audit import ledger_violations
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Account, Exchange, Posting, Transaction

pytestmark = pytest.mark.django_db


def url(name, world):
    return reverse(f"timebank:{name}", kwargs={"slug": world.own_network.slug})


@pytest.fixture
def coordinator(world):
    return world.users["network_coordinator"]


@pytest.fixture
def eden(world, coordinator):
    return services.open_holder_account(
        actor=coordinator, network=world.own_network, organisation=world.own_organisation
    )


def test_a_coordinator_records_and_confirms_for_two_members_offline(world, coordinator, client_for):
    giver = MemberAccountFactory(network=world.own_network, user__display_name="Pat")
    receiver = MemberAccountFactory(network=world.own_network, user__display_name="Jo")
    client = client_for(coordinator)
    form = client.get(url("manage_record", world)).context["form"]
    data = {
        "giver": giver.pk,
        "receiver": receiver.pk,
        "hours": "2",
        "minutes": "",
        "description": "Gardening",
        "note": "Both told me at Tuesday's drop-in",
        "idempotency_key": form.initial["idempotency_key"],
    }
    assert client.post(url("manage_record", world), data).status_code == 302
    assert client.post(url("manage_record", world), data).status_code == 302  # sent twice: applied once
    exchange = Exchange.objects.get()
    assert exchange.status == Exchange.Status.CONFIRMED and exchange.coordinator_note.startswith("Both told me")
    assert (giver.balance(), receiver.balance()) == (120, -120) and Transaction.objects.count() == 1
    entry = AuditEntry.objects.get(content_type__model="exchange", object_id=str(exchange.pk))
    assert entry.actor == coordinator and "for both members" in entry.summary
    assert entry.changes == {"coordinator_note": [None, "(text, not recorded)"]}
    assert ledger_violations() == []


def test_only_the_networks_coordinators_record_for_members(world, coordinator):
    giver = MemberAccountFactory(network=world.own_network)
    receiver = MemberAccountFactory(network=world.own_network)
    elsewhere = MemberAccountFactory(network=world.other_network)
    other = MemberAccountFactory(network=world.other_network)
    args = {"minutes": 30, "description": "Tea", "note": "Told me"}
    with pytest.raises(PermissionDenied):
        services.record_for_members(actor=giver.user, giver=giver, receiver=receiver, **args)
    with pytest.raises(PermissionDenied):
        services.record_for_members(actor=coordinator, giver=elsewhere, receiver=other, **args)
    with pytest.raises(ValidationError, match="how you know"):
        services.record_for_members(actor=coordinator, giver=giver, receiver=receiver, **args | {"note": " "})
    assert not Exchange.objects.exists() and not Transaction.objects.exists()


def test_twelve_people_two_hours_each_is_one_transaction(world, coordinator, eden, client_for):
    members = [MemberAccountFactory(network=world.own_network) for _ in range(12)]
    client = client_for(coordinator)
    key = client.get(url("manage_group", world)).context["form"].initial["idempotency_key"]
    data = {
        "payer": eden.pk,
        "description": "Community clean-up",
        "hours": "2",
        "minutes": "0",
        "members": [m.pk for m in members],
        "idempotency_key": key,
    }
    response = client.post(url("manage_group", world), data, follow=True)
    assert "Recorded 12 people × 2 h" in response.content.decode()
    client.post(url("manage_group", world), data)  # the same form again
    record = Transaction.objects.get()
    assert record.kind == Transaction.Kind.GROUP_ACTIVITY and record.postings.count() == 13
    assert eden.balance() == -24 * 60 and all(m.balance() == 120 for m in members)
    entry = AuditEntry.objects.get(content_type__model="transaction", object_id=str(record.pk))
    assert entry.actor == coordinator and entry.summary == "Group activity of 24 h"
    assert ledger_violations() == []


def test_a_bad_row_writes_nothing_at_all(world, coordinator, eden):
    members = [MemberAccountFactory(network=world.own_network) for _ in range(5)]
    members[3].is_open = False
    members[3].save(update_fields=["is_open"])
    with pytest.raises(ValidationError, match="closed"):
        services.record_group_activity(
            actor=coordinator, payer=eden, credits=[(m, 60) for m in members], description="Clean-up"
        )
    elsewhere = MemberAccountFactory(network=world.other_network)
    for credits, message in (
        ([(members[0], 60), (elsewhere, 60)], "same network"),
        ([(members[0], 60), (members[0], 30)], "Each member once"),
        ([(members[0], 60), (members[1], 0)], "at least 1 minute"),
        ([], "at least one member"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.record_group_activity(actor=coordinator, payer=eden, credits=credits, description="Clean-up")
    with pytest.raises(ValidationError, match="organisation"):
        services.record_group_activity(actor=coordinator, payer=members[0], credits=[(members[1], 5)], description="x")
    with pytest.raises(PermissionDenied):
        services.record_group_activity(actor=members[0].user, payer=eden, credits=[(members[1], 5)], description="x")
    assert not Transaction.objects.exists() and not Posting.objects.exists()


def test_holder_accounts_open_for_the_networks_organisations_and_settlements(world, coordinator, client_for):
    client = client_for(coordinator)
    response = client.post(url("manage_open_account", world), {"holder": f"settlement-{world.own_settlement.pk}"})
    assert response.status_code == 302
    account = Account.objects.get(settlement=world.own_settlement)
    assert account.kind == Account.Kind.SETTLEMENT and account.floor is None
    assert AuditEntry.objects.get(content_type__model="account", object_id=str(account.pk)).actor == coordinator
    stranger = OrganisationFactory(networks=[world.other_network])
    refused = client.post(url("manage_open_account", world), {"holder": f"organisation-{stranger.pk}"})
    assert refused.status_code == 200 and "Choose from the list" in refused.content.decode()
    with pytest.raises(ValidationError, match="working with this network"):
        services.open_holder_account(actor=coordinator, network=world.own_network, organisation=stranger)
    with pytest.raises(PermissionDenied):
        services.open_holder_account(actor=coordinator, network=world.other_network, settlement=world.other_settlement)
    assert Account.objects.count() == 1


def test_the_overview_runs_a_constant_number_of_queries(world, coordinator, client_for):
    client = client_for(coordinator)

    def add_rows(n):
        for _ in range(n):
            organisation = OrganisationFactory(networks=[world.own_network])
            payer = services.open_holder_account(
                actor=coordinator, network=world.own_network, organisation=organisation
            )
            giver = MemberAccountFactory(network=world.own_network)
            receiver = MemberAccountFactory(network=world.own_network)
            services.record_group_activity(actor=coordinator, payer=payer, credits=[(giver, 5)], description="x")
            exchange = services.record_exchange(
                actor=giver.user, giver=giver, receiver=receiver, minutes=5, description="Tea"
            )
            services.dispute_exchange(actor=receiver.user, exchange=exchange, reason="No")

    response = assert_constant_queries(lambda: client.get(url("manage", world)), add_rows)
    assert len(response.context["holders"]) == 30 and len(response.context["disputed"]) == 30


TEXT = st.one_of(st.text(max_size=320), st.integers(-(10**12), 10**12).map(str), st.just(""))


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    giver=TEXT,
    receiver=TEXT,
    hours=TEXT,
    minutes=TEXT,
    description=TEXT,
    note=TEXT,
    idempotency_key=st.one_of(st.text(max_size=100), st.just("")),
)
def test_any_values_in_the_offline_form_never_500(
    hostile, giver, receiver, hours, minutes, description, note, idempotency_key
):
    client, world, _ = hostile
    before = (Exchange.objects.count(), Transaction.objects.count())
    response = client.post(
        url("manage_record", world),
        {
            "giver": giver,
            "receiver": receiver,
            "hours": hours,
            "minutes": minutes,
            "description": description,
            "note": note,
            "idempotency_key": idempotency_key,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (Exchange.objects.count(), Transaction.objects.count()) == before


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    payer=TEXT,
    description=TEXT,
    hours=TEXT,
    minutes=TEXT,
    members=st.lists(TEXT, max_size=4),
    idempotency_key=st.one_of(st.text(max_size=100), st.just("")),
)
def test_any_values_in_the_group_form_never_500(hostile, payer, description, hours, minutes, members, idempotency_key):
    client, world, _ = hostile
    before = Transaction.objects.count()
    data = {"payer": payer, "description": description, "hours": hours, "minutes": minutes, "members": members}
    response = client.post(url("manage_group", world), data | {"idempotency_key": idempotency_key})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Transaction.objects.count() == before


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(holder=TEXT, consent=TEXT)
def test_any_values_in_the_open_and_join_forms_never_500(hostile, holder, consent):
    client, world, member_client = hostile
    before = Account.objects.count()
    response = client.post(url("manage_open_account", world), {"holder": holder})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Account.objects.count() == before
    join = reverse("timebank:join", kwargs={"slug": world.own_network.slug})
    response = member_client.post(join, {"consent": consent})
    assert response.status_code in (200, 302)


@pytest.fixture
def hostile(world, coordinator, eden, client_for):
    MemberAccountFactory(network=world.own_network)
    MemberAccountFactory(network=world.own_network)
    return client_for(coordinator), world, client_for(world.users["member"])


def test_the_network_dashboard_shows_the_time_bank(world, coordinator, client_for):
    giver = MemberAccountFactory(network=world.own_network)
    receiver = MemberAccountFactory(network=world.own_network)
    exchange = services.record_exchange(actor=giver.user, giver=giver, receiver=receiver, minutes=5, description="Tea")
    services.dispute_exchange(actor=receiver.user, exchange=exchange, reason="No")
    page = client_for(coordinator).get(
        reverse("federation:manage:network_dashboard", kwargs={"slug": world.own_network.slug})
    )
    html = page.content.decode()
    assert "Time bank" in html and 'govuk-tag--yellow">1<' in html
    assert reverse("timebank:manage_report", kwargs={"slug": world.own_network.slug}) in html
