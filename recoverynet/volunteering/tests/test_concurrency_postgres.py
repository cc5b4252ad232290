"""Fifty members, each with their own PostgreSQL connection, press "Sign up" at
once for a shift with ten places: exactly ten get a place, every other one is
told the shift is full, and nobody sees a 500. The same for a flexible shift,
each member choosing their time in the window as they sign up. And an organiser
cutting a shift's places while members sign up never leaves it over-filled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recoverynet \\
        .venv/bin/python -m pytest recoverynet/volunteering/tests/test_concurrency_postgres.py
"""

import datetime
import threading

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recoverynet.federation.factories import MembershipFactory
from recoverynet.testing import build_world, run_concurrently, sign_in
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
from recoverynet.volunteering.models import Shift, SignUp

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real concurrent connections (set DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 50
PLACES = 10


@pytest.mark.parametrize("kind", ["fixed", "flexible"])
@pytest.mark.parametrize("confirm_automatically", [True, False])
def test_fifty_sign_ups_for_ten_places(confirm_automatically, kind):
    world = build_world()
    role = RoleFactory(
        network=world.own_network,
        settlement=world.own_settlement,
        early_recovery="yes",
        confirm_automatically=confirm_automatically,
    )
    data = {}
    if kind == "fixed":
        shift = ShiftFactory(role=role, places=PLACES)
    else:
        opens = timezone.localtime() + datetime.timedelta(days=7)
        opens = opens.replace(hour=0, minute=0, second=0, microsecond=0)
        shift = ShiftFactory(
            role=role,
            places=PLACES,
            kind="flexible",
            starts_at=opens,
            ends_at=opens + datetime.timedelta(days=5),
            expected_minutes=120,
            expected_per="total",
        )
        data = {"date": f"{opens + datetime.timedelta(days=1):%d %m %Y}", "start": "10:00", "end": "12:00"}
    clients = [
        sign_in(Client(), MembershipFactory(network=world.own_network, status="active").user) for _ in range(THREADS)
    ]
    url = reverse("volunteering:sign_up", kwargs={"pk": shift.pk})
    start = threading.Barrier(THREADS)

    def press(client):
        start.wait()
        response = client.post(url, data)
        return response.status_code, response["Location"], [str(m) for m in get_messages(response.wsgi_request)]

    results = run_concurrently(*(lambda c=c: press(c) for c in clients))
    errors = [value for outcome, value in results if outcome == "error"]
    assert not errors, errors
    answers = [value for _, value in results]
    assert all(status == 302 for status, _, _ in answers)  # never a 500
    placed = [a for a in answers if a[1] == reverse("volunteering:mine")]
    full = [a for a in answers if a[2] == ["This shift is full. Choose another shift."]]
    assert (len(placed), len(full)) == (PLACES, THREADS - PLACES)
    expected = SignUp.Status.CONFIRMED if confirm_automatically else SignUp.Status.REQUESTED
    assert SignUp.objects.filter(shift=shift).count() == PLACES
    assert set(SignUp.objects.filter(shift=shift).values_list("status", flat=True)) == {expected}
    if kind == "flexible":
        assert SignUp.objects.filter(shift=shift, chosen_starts_at__isnull=False).count() == PLACES


def test_cutting_places_while_members_sign_up_never_over_fills():
    """Thirty members sign up for a shift with twenty places while the organiser, at the same moment,
    cuts it to ten places (a service call on its own connection): whichever wins the shift's row lock,
    the places held never exceed the places offered, and the organiser's refusal writes nothing."""
    world = build_world()
    role = RoleFactory(
        network=world.own_network, settlement=world.own_settlement, early_recovery="yes", confirm_automatically=True
    )
    shift = ShiftFactory(role=role, places=20)
    members = [MembershipFactory(network=world.own_network, status="active").user for _ in range(30)]
    host = world.users["settlement_host"]
    start = threading.Barrier(len(members) + 1)

    def join(member):
        start.wait()
        try:
            return services.sign_up(actor=member, shift=shift).status
        except ValidationError as exc:
            return exc.code

    def cut():
        start.wait()
        try:
            return services.update_shift(actor=host, shift=Shift.objects.get(pk=shift.pk), data={"places": 10})
        except ValidationError as exc:
            return exc.messages

    results = run_concurrently(cut, *(lambda m=m: join(m) for m in members))
    assert not [value for outcome, value in results if outcome == "error"], results
    shift.refresh_from_db()
    held = SignUp.objects.filter(shift=shift, status__in=SignUp.HOLDS_PLACE).count()
    assert held <= shift.places
    assert {value for _, value in results[1:]} <= {"confirmed", "full"}
    if shift.places == 10:  # the cut came first: ten places, ten people
        assert held == 10 and results[0][1] == {"places": [20, 10]}
    else:  # more than ten had a place when the organiser's turn came: refused, nothing written
        assert shift.places == 20 and held == 20 and "offer at least" in results[0][1][0]


def test_the_role_form_sent_five_times_at_once_adds_one_role():
    """A double-click (or five) with real concurrent connections: one role, every answer the same redirect."""
    from recoverynet.core.models import AuditEntry
    from recoverynet.volunteering.models import Role

    from .test_roles import VALID

    world = build_world()
    coordinator = world.users["network_coordinator"]
    clients = [sign_in(Client(), coordinator) for _ in range(5)]
    url = reverse("volunteering:manage:role_new", kwargs={"slug": world.own_network.slug})
    data = {**VALID, "settlement": world.own_settlement.pk, "idempotency_key": "f" * 32}
    start = threading.Barrier(len(clients))

    def press(client):
        start.wait()
        response = client.post(url, data)
        return response.status_code, response.get("Location")

    results = run_concurrently(*(lambda c=c: press(c) for c in clients))
    errors = [value for outcome, value in results if outcome == "error"]
    assert not errors, errors
    answers = {value for _, value in results}
    role = Role.objects.get()
    assert answers == {(302, reverse("volunteering:manage:shift_new", kwargs={"slug": role.slug}))}
    assert AuditEntry.objects.filter(content_type__model="role").count() == 1


@pytest.mark.parametrize("attempt", range(4))
def test_removing_an_interest_while_a_role_is_tagged_with_it_leaves_no_half_state(monkeypatch, attempt):
    """A federation coordinator removes an interest at the moment an organiser tags a role with it.
    Whichever locks it first, the other gets a clear ValidationError (never a database error at
    commit), and the role is tagged only with an interest that still exists."""
    from recoverynet.volunteering.models import Interest

    world = build_world()
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement)
    interest = Interest.objects.create(name=f"Bell ringing {attempt}")
    both_ready = threading.Barrier(2)
    real_require, real_hold = services.require, services._hold_interests

    def require_then_wait(actor, perm, obj=None):
        real_require(actor, perm, obj)
        if perm == "volunteering.manage_interests":
            both_ready.wait(timeout=5)

    def wait_then_hold(interests):
        both_ready.wait(timeout=5)
        real_hold(interests)

    monkeypatch.setattr(services, "require", require_then_wait)
    monkeypatch.setattr(services, "_hold_interests", wait_then_hold)

    def tag():
        return services.update_role(
            actor=world.users["network_coordinator"], role=role, data={}, interests=[interest.pk]
        )

    def remove():
        return services.remove_interest(actor=world.users["federation_coordinator"], interest=interest)

    (tagged, tag_result), (removed, remove_result) = run_concurrently(tag, remove)

    assert {tagged, removed} == {"ok", "error"}, (tag_result, remove_result)
    if removed == "ok":
        assert isinstance(tag_result, ValidationError) and "interests" in tag_result.message_dict, repr(tag_result)
        assert not Interest.objects.filter(pk=interest.pk).exists()
        assert not role.interests.exists()
    else:
        assert isinstance(remove_result, ValidationError) and remove_result.code == "in_use", repr(remove_result)
        assert list(role.interests.all()) == [interest]
