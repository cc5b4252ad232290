"""Races between real concurrent requests, on PostgreSQL.

Each thread gets its own database connection (Django connections are per
thread), so these tests exercise the row locks and unique constraints the
services rely on. SQLite serialises every writer, so the tests only run when
DATABASE_URL points at PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recoverynet \
        .venv/bin/python -m pytest recoverynet/federation/tests/test_concurrency_postgres.py
"""

import contextlib
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection

from recoverynet.accounts.factories import UserFactory
from recoverynet.accounts.models import User
from recoverynet.core.models import AuditEntry
from recoverynet.federation import services
from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership
from recoverynet.testing import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real concurrent connections (set DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]


def membership_audit_entries(membership_pk, *actions):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Membership), object_id=str(membership_pk), action__in=actions
    )


def test_two_simultaneous_joins_make_one_membership_and_one_clear_error(world, monkeypatch):
    person = UserFactory(display_name="Newcomer")
    network = world.own_network
    # Hold both requests just before the insert, so both have already checked
    # that no membership exists: the database constraint must decide.
    at_insert = threading.Barrier(2)
    real_create_instance = services.create_instance

    def create_instance_when_both_arrive(**kwargs):
        # BrokenBarrierError: the service serialised the requests earlier, which is fine too.
        with contextlib.suppress(threading.BrokenBarrierError):
            at_insert.wait(timeout=5)
        return real_create_instance(**kwargs)

    monkeypatch.setattr(services, "create_instance", create_instance_when_both_arrive)

    def join():
        actor = User.objects.get(pk=person.pk)
        return services.join_network(actor=actor, network=network)

    results = run_concurrently(join, join)

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError), repr(error)
    assert error.message_dict == {"network": ["You have already joined or asked to join this network."]}
    memberships = Membership.objects.filter(user=person, network=network)
    assert memberships.count() == 1
    membership = memberships.get()
    assert membership.status == Membership.Status.PENDING
    assert membership_audit_entries(membership.pk, AuditEntry.Action.CREATE).count() == 1


def test_two_simultaneous_rejoins_after_leaving_make_one_request(world):
    """The existing-row path: the membership row is locked, so the second
    request sees the first one's pending request."""
    membership = world.own_membership
    member = world.users["member"]
    services.leave_network(actor=member, membership=membership)
    start = threading.Barrier(2)

    def rejoin():
        actor = User.objects.get(pk=member.pk)
        start.wait(timeout=5)
        return services.join_network(actor=actor, network=world.own_network)

    results = run_concurrently(rejoin, rejoin)

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError), repr(error)
    assert "network" in error.message_dict
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    assert Membership.objects.filter(user=member, network=world.own_network).count() == 1
    rejoin_entries = membership_audit_entries(membership.pk, AuditEntry.Action.UPDATE).filter(summary="Asked to rejoin")
    assert rejoin_entries.count() == 1


def test_two_coordinators_deciding_at_once_make_one_decision(world):
    pending = MembershipFactory(network=world.own_network, status=Membership.Status.PENDING)
    coordinators = [world.users["network_coordinator"], world.users["federation_coordinator"]]
    # Both coordinators have the request open (loaded while pending) before either decides.
    loaded = threading.Barrier(2)

    def decide(coordinator_pk, approve):
        def call():
            actor = User.objects.get(pk=coordinator_pk)
            membership = Membership.objects.select_related("network").get(pk=pending.pk)
            assert membership.status == Membership.Status.PENDING
            loaded.wait(timeout=5)
            reason = "" if approve else "The network is full this month."
            return services.decide_membership(actor=actor, membership=membership, approve=approve, reason=reason)

        return call

    results = run_concurrently(decide(coordinators[0].pk, True), decide(coordinators[1].pk, False))

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError), repr(error)
    assert error.messages == ["This request has already been decided."]
    winner = next(value for kind, value in results if kind == "ok")
    pending.refresh_from_db()
    assert pending.status == winner.status
    assert pending.status in (Membership.Status.ACTIVE, Membership.Status.DECLINED)
    decisions = membership_audit_entries(pending.pk, AuditEntry.Action.APPROVE, AuditEntry.Action.DECLINE)
    assert decisions.count() == 1
    expected = AuditEntry.Action.APPROVE if pending.status == Membership.Status.ACTIVE else AuditEntry.Action.DECLINE
    assert decisions.get().action == expected
