"""Erasure: a person's identity goes; other people's records and the audit trail stay whole."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse

from recoverynet.accounts import privacy, services
from recoverynet.accounts.models import ConsentRecord, User
from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership
from recoverynet.testing import give_totp, sign_in

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def erasable(world, person):
    membership = MembershipFactory(user=person, network=world.own_network, settlement=world.own_settlement)
    pending = MembershipFactory(user=person, network=world.other_network, status=Membership.Status.PENDING)
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    give_totp(person)
    services.record_consents(actor=person, user=person, decisions={"contact": True, "research": False})
    return {"membership": membership, "pending": pending}


def test_erasure_pseudonymises_the_person(world, person, erasable):
    services.erase_user(actor=person, user=person)
    person.refresh_from_db()
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert person.display_name == "Former member"
    assert person.legal_name is None
    assert person.phone is None
    assert person.date_of_birth is None
    assert not person.self_descriptions
    assert person.is_erased
    assert not person.is_active
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT email, display_name, legal_name, phone, date_of_birth FROM accounts_user WHERE id = %s",
            [person.pk],
        )
        raw = " ".join(str(v) for v in cursor.fetchone())
    for value in ("robin", "Robin", "Roberta", "07700", "1980"):
        assert value not in raw


def test_memberships_stay_as_left(world, person, erasable):
    services.erase_user(actor=person, user=person)
    for membership in erasable.values():
        membership.refresh_from_db()
        assert membership.status == Membership.Status.LEFT
        assert membership.user_id == person.pk


def test_consents_are_withdrawn_and_history_kept(person, erasable):
    services.erase_user(actor=person, user=person)
    assert not privacy.has_consent(person, "contact")
    contact = list(ConsentRecord.objects.filter(user=person, purpose="contact").order_by("recorded_at", "id"))
    assert [r.granted for r in contact] == [True, False]


def test_other_peoples_records_and_audit_entries_stay_whole(world, person, erasable):
    other_memberships = {m.pk: (m.status, m.user_id) for m in Membership.objects.exclude(user=person)}
    entries_before = {e.pk: (e.action, e.object_repr, e.changes, e.actor_id) for e in AuditEntry.objects.all()}
    users_before = {u.pk: (u.email, u.display_name) for u in User.objects.exclude(pk=person.pk)}

    services.erase_user(actor=person, user=person)

    assert {m.pk: (m.status, m.user_id) for m in Membership.objects.exclude(user=person)} == other_memberships
    after = {e.pk: (e.action, e.object_repr, e.changes, e.actor_id) for e in AuditEntry.objects.all()}
    assert {pk: after[pk] for pk in entries_before} == entries_before
    assert {u.pk: (u.email, u.display_name) for u in User.objects.exclude(pk=person.pk)} == users_before


def test_erasure_is_audited_without_personal_data(world, person, erasable):
    services.erase_user(actor=person, user=person)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert entry.object_repr == f"Person #{person.pk}"
    assert entry.actor is None
    everything = " ".join(f"{e.object_repr} {e.summary} {e.changes}" for e in AuditEntry.objects.all())
    for value in ("Robin", "robin@example.org", "Roberta", "07700"):
        assert value not in everything
    # Each network's coordinators see the departure in their own log.
    assert AuditEntry.objects.filter(
        network=world.own_network, object_id=str(erasable["membership"].pk), summary__contains="account erased"
    ).exists()


def test_only_the_person_can_erase_themselves(world, person):
    with pytest.raises(PermissionDenied):
        services.erase_user(actor=world.users["admin"], user=person)
    services.erase_user(actor=person, user=person)
    with pytest.raises(PermissionDenied):
        services.erase_user(actor=person, user=person)


def test_erased_coordinator_loses_federation_role(world):
    coordinator = world.users["federation_coordinator"]
    services.erase_user(actor=coordinator, user=coordinator)
    assert not world.federation.coordinators.filter(pk=coordinator.pk).exists()


def test_erase_page_needs_confirmation_and_password(client_for, person, erasable):
    client = client_for(person)
    html = client.get(reverse("accounts:erase")).content.decode()
    assert "cannot undo" in html
    response = client.post(reverse("accounts:erase"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    response = client.post(reverse("accounts:erase"), {"confirm": "on", "password": "wrong password"})
    assert response.status_code == 200
    assert "The password is not right" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_erased


def test_erase_page_erases_signs_out_and_cannot_sign_in_again(person, erasable):
    client = Client()
    sign_in(client, person)
    other_session = Client()
    sign_in(other_session, person)

    response = client.post(reverse("accounts:erase"), {"confirm": "on", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:erased")
    assert "_auth_user_id" not in client.session
    person.refresh_from_db()
    assert person.is_erased

    # Every other session has ended too.
    assert other_session.get(reverse("accounts:profile")).status_code == 302
    # Cannot sign in with the old email and password.
    fresh = Client()
    fresh.post(reverse("account_login"), {"login": "robin@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in fresh.session
