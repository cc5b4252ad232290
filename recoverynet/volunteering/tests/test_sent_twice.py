"""Double submits: the role, job and commendation forms sent twice (the same hidden key) write one
row and one audit entry; a fresh form writes another; a key reused with other details writes nothing."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
from recoverynet.volunteering.models import Commendation, Job, Role

from .test_roles import VALID

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')


def _key(client, url) -> str:
    return KEY.search(client.get(url).content.decode()).group(1)


def _twice(client, url, data, model):
    key = _key(client, url)
    rows, entries = model.objects.count(), AuditEntry.objects.count()
    first = client.post(url, {**data, "idempotency_key": key})
    second = client.post(url, {**data, "idempotency_key": key})
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]  # both lead to the one row
    assert model.objects.count() == rows + 1
    assert AuditEntry.objects.count() == entries + 1
    # A form opened again has a new key: that is a new row, on purpose.
    client.post(url, {**data, "idempotency_key": _key(client, url)})
    assert model.objects.count() == rows + 2


def test_the_role_form_sent_twice_adds_one_role(world, client_for):
    client = client_for(world.users["network_coordinator"])
    url = reverse("volunteering:manage:role_new", kwargs={"slug": world.own_network.slug})
    _twice(client, url, {**VALID, "settlement": world.own_settlement.pk}, Role)
    # Editing has no key: the edit page saves the same changes however often it is sent.
    role = Role.objects.first()
    assert (
        "idempotency_key"
        not in client.get(reverse("volunteering:manage:role_edit", kwargs={"slug": role.slug})).content.decode()
    )


def test_the_job_form_sent_twice_lists_one_job(world, client_for):
    client = client_for(world.users["network_coordinator"])
    url = reverse("volunteering:manage:job_new", kwargs={"slug": world.own_network.slug})
    data = {
        "kind": "work",
        "title": "Kitchen porter",
        "employer": "Eden Recovery",
        "description": "Keep the kitchen running.",
        "hours": "20 a week",
        "pay": "£12.60 an hour",
        "closing_date": "1 1 2099",
        "how_to_apply": "Call in.",
    }
    _twice(client, url, data, Job)


def test_the_commendation_form_sent_twice_writes_one(world, client_for):
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement, early_recovery="yes")
    start = timezone.now() - datetime.timedelta(days=1)
    shift = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    host = world.users["settlement_host"]
    signup = services.record_walk_in(actor=host, shift=shift, user=world.users["member"])
    services.record_hours(actor=host, shift=shift, entries={signup.pk: (True, 60)})
    client = client_for(host)
    url = reverse("volunteering:manage:commend", kwargs={"slug": role.slug})
    _twice(client, url, {"person": world.own_membership.pk, "text": "Kind and reliable."}, Commendation)


def test_a_key_reused_with_other_details_writes_nothing(world):
    coordinator = world.users["network_coordinator"]
    data = {
        "title": "Café host",
        "settlement": world.own_settlement,
        "description": "d",
        "involves": "i",
        "time_commitment": "weekly",
    }
    role = services.create_role(actor=coordinator, network=world.own_network, data=data, idempotency_key="k1")
    assert services.create_role(actor=coordinator, network=world.own_network, data=data, idempotency_key="k1") == role
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="already sent with other details"):
        services.create_role(
            actor=coordinator, network=world.own_network, data={**data, "title": "Other"}, idempotency_key="k1"
        )
    for bad in ("x" * 81, 12, "a\x00b"):
        with pytest.raises(ValidationError, match="This form has expired"):
            services.create_role(actor=coordinator, network=world.own_network, data=data, idempotency_key=bad)
    assert (Role.objects.count(), AuditEntry.objects.count()) == (1, entries)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(key=st.text(max_size=100))
def test_any_key_on_the_role_form(world, client_for, key):
    client = client_for(world.users["network_coordinator"])
    url = reverse("volunteering:manage:role_new", kwargs={"slug": world.own_network.slug})
    before = (Role.objects.count(), AuditEntry.objects.count())
    response = client.post(url, {**VALID, "settlement": world.own_settlement.pk, "idempotency_key": key})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (Role.objects.count(), AuditEntry.objects.count()) == before
