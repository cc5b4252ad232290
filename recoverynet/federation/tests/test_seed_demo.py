import datetime
import io
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, validate_totp_code
from allauth.mfa.utils import decrypt
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from recoverynet.accounts.consent import CURRENT_WORDING
from recoverynet.accounts.models import ConsentPurpose, ConsentRecord, User
from recoverynet.core.models import AuditEntry
from recoverynet.federation import scoping
from recoverynet.federation.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from recoverynet.federation.demo.people import build_people
from recoverynet.federation.models import (
    Federation,
    Membership,
    Network,
    Organisation,
    Partnership,
    Sector,
    Settlement,
)

# One demo load for the whole module (the root conftest's `seeded_demo`); every test runs in
# its own savepoint, so those that change rows or rerun the loader leave it as loaded.
pytestmark = pytest.mark.django_db

# A fixed clock for TOTP codes: the last second of a 30-second window, where a real clock
# could move on to the next code between making it and checking it.
TOTP_MOMENT = datetime.datetime(2026, 12, 1, 9, 0, 29, tzinfo=datetime.UTC)


def current_code(secret):
    return format_hotp_value(hotp_value(secret, int(TOTP_MOMENT.timestamp()) // 30))


LOGIN_EMAILS = {
    "member": "demo.member@example.org",
    "professional": "demo.professional@example.org",
    "settlement_host": "demo.host@example.org",
    "network_coordinator": "demo.coordinator@example.org",
    "federation_coordinator": "demo.federation@example.org",
    "admin": "demo.admin@example.org",
    "commissioner": "demo.commissioner@example.org",
}


def seed():
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def dump_seeded_tables() -> dict:
    """Every row of every table the loader writes, as stored (ciphertext included)."""
    models = [
        Federation, Network, Settlement, Organisation, Partnership, Membership, User, ConsentRecord, EmailAddress,
        Authenticator, AuditEntry,
        Federation.coordinators.through, Organisation.networks.through, Partnership.networks.through,
        Partnership.organisations.through,
    ]  # fmt: skip
    tables = {}
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            tables[table] = cursor.fetchall()
    return tables


def test_the_plan_is_deterministic():
    assert build_people() == build_people()


def test_a_second_run_creates_and_changes_nothing(seeded_demo):
    before = dump_seeded_tables()
    output = seed()
    assert "nothing to change" in output
    assert dump_seeded_tables() == before
    assert AuditEntry.objects.filter(summary="Demo data loaded").count() == 1


def test_one_audit_entry_records_the_load(seeded_demo):
    entry = AuditEntry.objects.get(summary="Demo data loaded")
    assert entry.actor is None
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["people"] == [None, f"{User.objects.count()} created, 0 changed"]
    # Nothing else was audited: the loader is not a person's action. (The time bank's
    # demo exchanges and the pitches' demo are the exceptions: they are written through
    # their services, which audit every change, by construction.)
    assert AuditEntry.objects.exclude(content_type__app_label__in=["timebank", "initiatives"]).count() == 1


def test_a_rerun_puts_back_changed_demo_rows_and_audits_it(seeded_demo):
    settlement = Settlement.objects.get(slug="carlisle-recovery-settlement")
    Settlement.objects.filter(pk=settlement.pk).update(town="Nowhere", is_active=False)
    member = User.objects.get(email=LOGIN_EMAILS["member"])
    member.set_password("something else entirely")
    member.save(update_fields=["password"])
    Membership.objects.filter(user=member, network__slug="cumbria").update(status=Membership.Status.LEFT)

    output = seed()

    settlement.refresh_from_db()
    member.refresh_from_db()
    assert (settlement.town, settlement.is_active) == ("Carlisle", True)
    assert member.check_password(DEMO_PASSWORD)
    assert Membership.objects.get(user=member, network__slug="cumbria").status == Membership.Status.ACTIVE
    assert "settlements: 0 created, 1 changed" in output
    latest = AuditEntry.objects.filter(summary="Demo data loaded").first()
    assert latest.action == AuditEntry.Action.UPDATE
    assert latest.changes["settlements"] == [None, "0 created, 1 changed"]
    assert AuditEntry.objects.filter(summary="Demo data loaded").count() == 2


def test_the_federation_and_its_networks(seeded_demo):
    federation = Federation.objects.get()
    assert federation.name == "North West Recovery Federation"
    assert "Settlement Movement" in federation.description
    assert "Recovery is a Reality" in federation.description
    networks = Network.objects.filter(federation=federation)
    assert sorted(n.name for n in networks) == ["Cheshire", "Cumbria", "Greater Manchester", "Lancashire", "Merseyside"]
    assert {n.requires_approval for n in networks} == {True, False}
    for network in networks:
        assert network.summary and network.description
        assert network.contact_email.endswith("@example.org")
        assert 53 < network.latitude < 55 and -3.6 < network.longitude < -2
        assert network.settlements.count() >= 3
        assert set(network.organisations.values_list("sector", flat=True)) == set(Sector.values)


def test_settlements_are_in_real_towns_with_fictional_addresses(seeded_demo):
    settlements = list(Settlement.objects.all())
    assert {"Chester", "Carlisle", "Salford", "Preston", "Birkenhead"} <= {s.town for s in settlements}
    for settlement in settlements:
        assert "(demo)" in settlement.address_line_1
        assert settlement.opening_times and settlement.accessibility and settlement.activities
        assert 53.0 < settlement.latitude < 55.0 and -3.6 < settlement.longitude < -2.0
        assert settlement.contact_email.endswith("@example.org")
    activities = " ".join(s.activities for s in settlements)
    for activity in ("Recovery café", "Allotment", "Art group", "SMART Recovery", "Peer mentoring", "Volunteering"):
        assert activity in activities


def test_organisations_and_partnerships(seeded_demo):
    assert Organisation.objects.filter(networks__isnull=False).distinct().count() == Organisation.objects.count()
    in_several = [o for o in Organisation.objects.prefetch_related("networks") if o.networks.count() > 1]
    assert len(in_several) >= 3
    partnerships = Partnership.objects.prefetch_related("organisations", "networks")
    assert {p.status for p in partnerships} == set(Partnership.Status.values)
    assert any(p.end_date for p in partnerships)
    cross_sector = [p for p in partnerships if len({o.sector for o in p.organisations.all()}) > 1]
    assert len(cross_sector) >= len(partnerships) - 2
    for partnership in partnerships:
        assert partnership.lead_network in partnership.networks.all()


def test_people_memberships_and_consents(seeded_demo):
    users = User.objects.all()
    assert users.count() >= 300
    assert all(email.endswith("@example.org") for email in users.values_list("email", flat=True))
    assert len(set(users.values_list("display_name", flat=True))) == users.count()
    assert len({tuple(u.self_descriptions or ()) for u in users}) >= 5

    memberships = Membership.objects.all()
    statuses = Counter(memberships.values_list("status", flat=True))
    assert set(statuses) == set(Membership.Status.values)
    assert statuses[Membership.Status.ACTIVE] > sum(statuses.values()) * 0.7
    assert set(memberships.values_list("role", flat=True)) == set(Membership.Role.values)
    assert memberships.filter(settlement__isnull=False).count() > memberships.count() / 2
    # Pending requests only where the network asks for approval; every decline has a reason.
    assert not memberships.filter(status=Membership.Status.PENDING, network__requires_approval=False).exists()
    assert not memberships.filter(status=Membership.Status.DECLINED, decision_reason="").exists()
    assert memberships.filter(status=Membership.Status.PENDING, network__slug="cumbria").exists()

    records = ConsentRecord.objects.all()
    assert set(records.values_list("purpose", flat=True)) == set(ConsentPurpose.values)
    assert set(records.values_list("granted", flat=True)) == {True, False}
    for record in records:
        assert record.wording_version == CURRENT_WORDING[ConsentPurpose(record.purpose)].version
    assert users.filter(consent_records__isnull=True).exists()  # some were never asked


def test_every_seeded_row_is_valid(seeded_demo):
    for model in (Network, Settlement, Organisation, Partnership):
        for obj in model.objects.all():
            obj.full_clean()
    for membership in Membership.objects.select_related("settlement", "organisation"):
        membership.full_clean()
    for user in User.objects.all():
        user.full_clean(exclude=["password"])


def test_demo_logins_have_their_roles(seeded_demo):
    users = {role: User.objects.get(email=email) for role, email in LOGIN_EMAILS.items()}
    cumbria = Network.objects.get(slug="cumbria")
    carlisle = Settlement.objects.get(slug="carlisle-recovery-settlement")
    assert scoping.member_network_ids(users["member"]) == {cumbria.pk}
    assert Membership.objects.get(user=users["member"], network__slug="lancashire").status == "pending"
    assert scoping.professional_organisation_ids(users["professional"]) == {
        Organisation.objects.get(slug="eden-fells-treatment").pk
    }
    assert scoping.hosted_settlement_ids(users["settlement_host"]) == {carlisle.pk}
    assert scoping.coordinated_network_ids(users["network_coordinator"]) == {cumbria.pk}
    assert users["network_coordinator"].is_staff
    assert scoping.is_federation_coordinator(users["federation_coordinator"])
    assert not users["federation_coordinator"].is_superuser
    assert users["admin"].is_superuser and users["admin"].is_staff
    # The commissioner reads Cumbria's aggregated outcomes, belongs to no network, and has no say over anything.
    assert scoping.commissioned_network_ids(users["commissioner"]) == {cumbria.pk}
    assert not scoping.member_network_ids(users["commissioner"])
    assert not scoping.is_coordinator(users["commissioner"]) and not users["commissioner"].is_staff
    assert users["commissioner"].has_perm("outcomes.view_network_outcomes", cumbria)
    for role, user in users.items():
        assert check_password(DEMO_PASSWORD, user.password), role
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists(), role


def test_every_coordinator_and_the_admin_has_the_printed_totp_secret(seeded_demo, time_machine):
    time_machine.move_to(TOTP_MOMENT, tick=False)
    coordinators = User.objects.filter(memberships__role="network_coordinator").distinct()
    privileged = [*coordinators, User.objects.get(email=LOGIN_EMAILS["federation_coordinator"])]
    privileged.append(User.objects.get(email=LOGIN_EMAILS["admin"]))
    privileged.append(User.objects.get(email=LOGIN_EMAILS["commissioner"]))
    assert len(privileged) == 8
    for user in privileged:
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        secret = decrypt(authenticator.data["secret"])
        assert secret == DEMO_TOTP_SECRET
        assert validate_totp_code(secret, current_code(secret))
    assert not Authenticator.objects.filter(user__email=LOGIN_EMAILS["member"]).exists()


def test_the_command_prints_the_logins_table(seeded_demo):
    output = seeded_demo.output
    for email in LOGIN_EMAILS.values():
        assert email in output
    assert "| Network coordinator" in output
    assert DEMO_PASSWORD in output
    assert DEMO_TOTP_SECRET in output


def test_a_coordinator_signs_in_with_the_demo_password_and_totp(seeded_demo, time_machine):
    time_machine.move_to(TOTP_MOMENT, tick=False)
    client = Client()
    response = client.post(reverse("account_login"), {"login": LOGIN_EMAILS["network_coordinator"],
                                                       "password": DEMO_PASSWORD})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=LOGIN_EMAILS["network_coordinator"]).pk)
    assert client.get(reverse("admin:federation_settlement_changelist")).status_code == 200


def test_a_member_signs_in_with_the_demo_password(seeded_demo):
    client = Client()
    response = client.post(reverse("account_login"), {"login": LOGIN_EMAILS["member"], "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=LOGIN_EMAILS["member"]).pk)
