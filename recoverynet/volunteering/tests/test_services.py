"""Sign-ups, hours, crediting, DBS records and the private profile: the rules,
the refusals (each a clear error with nothing written) and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.timebank import services as timebank_services
from recoverynet.timebank.models import Account, Transaction
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
from recoverynet.volunteering.models import Commendation, DBSCheck, SignUp, VolunteerProfile

pytestmark = pytest.mark.django_db


def _member(world, **kwargs):
    return MembershipFactory(network=world.own_network, status="active", **kwargs).user


def _refused(code, call):
    signups, entries = SignUp.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.code == code or code in str(caught.value), caught.value
    assert (SignUp.objects.count(), AuditEntry.objects.count()) == (signups, entries)
    return caught.value


def test_sign_up_waits_for_the_organiser_then_is_confirmed(world, shift):
    member, host = world.users["member"], world.users["settlement_host"]
    signup = services.sign_up(actor=member, shift=shift)
    assert signup.status == SignUp.Status.REQUESTED
    entry = AuditEntry.objects.get(object_id=str(signup.pk), action="create")
    assert entry.actor == member and entry.network == world.own_network
    services.confirm_signup(actor=host, signup=signup)
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CONFIRMED and signup.decided_at
    with pytest.raises(PermissionDenied):
        services.confirm_signup(actor=world.users["professional"], signup=signup)


def test_a_role_that_confirms_at_once(world, role, shift):
    role.confirm_automatically = True
    role.save()
    assert services.sign_up(actor=world.users["member"], shift=shift).status == SignUp.Status.CONFIRMED


def test_refusals_write_nothing(world, role, shift, past_shift):
    member = world.users["member"]
    services.sign_up(actor=member, shift=shift)
    _refused("duplicate", lambda: services.sign_up(actor=member, shift=shift))  # a double-submitted form
    _refused("past", lambda: services.sign_up(actor=_member(world), shift=past_shift))
    other = _member(world)
    services.sign_up(actor=other, shift=shift)
    _refused("full", lambda: services.sign_up(actor=_member(world), shift=shift))
    overlapping = ShiftFactory(
        role=role, starts_at=shift.starts_at + datetime.timedelta(hours=1), ends_at=shift.ends_at
    )
    error = _refused("overlap", lambda: services.sign_up(actor=member, shift=overlapping))
    assert f"You already have a place at that time: {role.title}," in error.message
    stranger = MembershipFactory(network=world.other_network, status="active").user
    error = _refused("ineligible", lambda: services.sign_up(actor=stranger, shift=overlapping))
    assert "Join that network first" in " ".join(error.messages)
    needs_dbs = ShiftFactory(role=RoleFactory(network=world.own_network, dbs_level="enhanced"))
    error = _refused("ineligible", lambda: services.sign_up(actor=member, shift=needs_dbs))
    assert "needs an enhanced DBS check" in error.message


def test_cancel_frees_the_place_and_a_decline_needs_a_reason(world, shift):
    member, host = world.users["member"], world.users["settlement_host"]
    first = services.sign_up(actor=member, shift=shift)
    services.sign_up(actor=_member(world), shift=shift)
    services.cancel_signup(actor=member, signup=first)
    late = _member(world)
    signup = services.sign_up(actor=late, shift=shift)  # the place freed by the cancellation
    with pytest.raises(ValidationError):
        services.decline_signup(actor=host, signup=signup, reason="  ")
    services.decline_signup(actor=host, signup=signup, reason="We need someone with food hygiene.")
    _refused("declined", lambda: services.sign_up(actor=late, shift=shift))
    again = services.sign_up(actor=member, shift=shift)  # a cancelled place may be asked for again
    assert again.pk == first.pk and again.status == SignUp.Status.REQUESTED
    with pytest.raises(PermissionDenied):
        services.cancel_signup(actor=late, signup=again)


def test_walk_ins_are_recorded_by_the_organiser_even_once_started(world, past_shift):
    host = world.users["settlement_host"]
    member = world.users["member"]
    signup = services.record_walk_in(actor=host, shift=past_shift, user=member)
    assert signup.walk_in and signup.status == SignUp.Status.CONFIRMED
    with pytest.raises(PermissionDenied):
        services.record_walk_in(actor=member, shift=past_shift, user=_member(world))
    stranger = MembershipFactory(network=world.other_network, status="active").user
    with pytest.raises(ValidationError):
        services.record_walk_in(actor=host, shift=past_shift, user=stranger)


def _attended(world, shift, n=2):
    people = [_member(world) for _ in range(n)]
    return [services.record_walk_in(actor=world.users["settlement_host"], shift=shift, user=p) for p in people]


def test_hours_are_recorded_in_one_batch_all_or_nothing(world, past_shift):
    host = world.users["settlement_host"]
    first, second = _attended(world, past_shift)
    before = AuditEntry.objects.count()
    for bad in (-1, 181, 10**9, "60", None, True):
        with pytest.raises(ValidationError):
            services.record_hours(actor=host, shift=past_shift, entries={first.pk: (True, 60), second.pk: (True, bad)})
    assert not SignUp.objects.filter(hours_recorded_at__isnull=False).exists()
    assert AuditEntry.objects.count() == before
    with pytest.raises(ValidationError):
        services.record_hours(actor=host, shift=past_shift, entries={first.pk: (True, 60), 999999: (True, 60)})
    services.record_hours(actor=host, shift=past_shift, entries={first.pk: (True, 180), second.pk: (False, 0)})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attended, first.minutes, second.attended, second.minutes) == (True, 180, False, 0)
    with pytest.raises(PermissionDenied):
        services.record_hours(actor=first.user, shift=past_shift, entries={first.pk: (True, 10)})


def test_hours_cannot_be_recorded_before_the_shift(world, shift):
    signup = services.record_walk_in(actor=world.users["settlement_host"], shift=shift, user=world.users["member"])
    with pytest.raises(ValidationError):
        services.record_hours(actor=world.users["settlement_host"], shift=shift, entries={signup.pk: (True, 60)})


def _with_time_bank(world, role, people):
    org = Account.objects.create(
        network=world.own_network, kind=Account.Kind.SETTLEMENT, settlement=role.settlement, floor=-100 * 60
    )
    for person in people:
        timebank_services.open_member_account(actor=person, user=person, network=world.own_network)
    return org


def test_confirmed_hours_are_credited_once_from_the_offering_account(world, role, past_shift):
    host, coordinator = world.users["settlement_host"], world.users["network_coordinator"]
    first, second = _attended(world, past_shift)
    services.record_hours(actor=host, shift=past_shift, entries={first.pk: (True, 150), second.pk: (True, 90)})
    services.confirm_hours(actor=first.user, signup=first)
    with pytest.raises(ValidationError):
        services.confirm_hours(actor=first.user, signup=first)
    with pytest.raises(PermissionDenied):
        services.confirm_hours(actor=host, signup=second)
    with pytest.raises(ValidationError, match="has no time bank account"):
        services.credit_hours(actor=coordinator, shift=past_shift)
    org = _with_time_bank(world, role, [first.user])
    with pytest.raises(PermissionDenied):  # the time bank's own rule: only coordinators move an organisation's time
        services.credit_hours(actor=host, shift=past_shift)
    result = services.credit_hours(actor=coordinator, shift=past_shift)
    assert [s.pk for s in result["credited"]] == [first.pk] and result["no_account"] == []
    member_account = Account.objects.get(user=first.user)
    assert (member_account.balance(), org.balance()) == (150, -150)
    # Crediting again moves nothing: the sign-up is linked to its one transaction.
    assert services.credit_hours(actor=coordinator, shift=past_shift)["credited"] == []
    assert Transaction.objects.count() == 1
    # The second member confirms later, without a time bank account: said, not credited.
    services.confirm_hours(actor=second.user, signup=second)
    assert [s.pk for s in services.credit_hours(actor=coordinator, shift=past_shift)["no_account"]] == [second.pk]
    with pytest.raises(ValidationError):  # confirmed hours never change
        services.record_hours(actor=host, shift=past_shift, entries={first.pk: (True, 10)})


def test_the_profile_is_the_members_own_and_encrypted(world):
    from django.db import connection

    member = world.users["member"]
    services.save_profile(
        actor=member, user=member, recovery_start=datetime.date(2024, 5, 1), avoid_alcohol_venues=True
    )
    with pytest.raises(PermissionDenied):
        services.save_profile(
            actor=world.users["network_coordinator"], user=member, recovery_start=None, avoid_alcohol_venues=False
        )
    with pytest.raises(ValidationError):
        services.save_profile(
            actor=member,
            user=member,
            recovery_start=timezone.localdate() + datetime.timedelta(days=1),
            avoid_alcohol_venues=False,
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT recovery_start FROM volunteering_volunteerprofile")
        raw = cursor.fetchone()[0]
    assert "2024" not in str(raw)
    assert VolunteerProfile.objects.get(user=member).recovery_start == datetime.date(2024, 5, 1)
    entry = AuditEntry.objects.filter(content_type__model="volunteerprofile").first()
    assert "2024" not in str(entry.changes)


def test_dbs_records_only_by_the_networks_own_coordinators(world):
    member = world.users["member"]
    arguments = {"network": world.own_network, "user": member, "level": "basic", "checker": "Eden Recovery"}
    for role in ("member", "settlement_host", "federation_coordinator", "admin"):
        with pytest.raises(PermissionDenied):
            services.record_dbs_check(actor=world.users[role], checked_on=datetime.date(2026, 1, 1), **arguments)
    coordinator = world.users["network_coordinator"]
    with pytest.raises(ValidationError):
        services.record_dbs_check(
            actor=coordinator, checked_on=timezone.localdate() + datetime.timedelta(days=2), **arguments
        )
    services.record_dbs_check(actor=coordinator, checked_on=datetime.date(2026, 1, 1), **arguments)
    services.record_dbs_check(
        actor=coordinator, checked_on=datetime.date(2026, 2, 1), **{**arguments, "level": "enhanced"}
    )
    check = DBSCheck.objects.get()
    assert (check.level, check.checked_on, check.recorded_by) == ("enhanced", datetime.date(2026, 2, 1), coordinator)
    entry = AuditEntry.objects.filter(content_type__model="dbscheck").last()
    assert "enhanced" not in str(entry.changes) and "Eden" not in str(entry.changes)


def test_erasure_deletes_the_dbs_record_and_the_recovery_date(world, past_shift):
    from recoverynet.accounts import services as account_services

    member = world.users["member"]
    services.save_profile(
        actor=member, user=member, recovery_start=datetime.date(2024, 5, 1), avoid_alcohol_venues=False
    )
    services.record_dbs_check(
        actor=world.users["network_coordinator"],
        network=world.own_network,
        user=member,
        level="basic",
        checked_on=datetime.date(2026, 1, 1),
        checker="Eden",
    )
    signup = services.record_walk_in(actor=world.users["settlement_host"], shift=past_shift, user=member)
    account_services.erase_user(actor=member, user=member)
    assert not VolunteerProfile.objects.exists() and not DBSCheck.objects.exists()
    assert SignUp.objects.filter(pk=signup.pk).exists()  # the hours stay in the network's figures


def test_commendations_need_someone_who_volunteered(world, role, past_shift):
    host = world.users["settlement_host"]
    member = world.users["member"]
    with pytest.raises(ValidationError):
        services.write_commendation(actor=host, role=role, user=member, text="Great")
    signup = services.record_walk_in(actor=host, shift=past_shift, user=member)
    services.record_hours(actor=host, shift=past_shift, entries={signup.pk: (True, 60)})
    with pytest.raises(ValidationError):
        services.write_commendation(actor=host, role=role, user=member, text="   ")
    commendation = services.write_commendation(actor=host, role=role, user=member, text="Reliable and kind.")
    assert commendation.written_by == host
    with pytest.raises(PermissionDenied):
        services.write_commendation(actor=member, role=role, user=member, text="Me!")


def test_a_commendation_mentioning_recovery_waits_for_the_member(world, role, past_shift):
    host = world.users["settlement_host"]
    member = world.users["member"]
    signup = services.record_walk_in(actor=host, shift=past_shift, user=member)
    services.record_hours(actor=host, shift=past_shift, entries={signup.pk: (True, 60)})
    plain = services.write_commendation(actor=host, role=role, user=member, text="Reliable: never missed a shift.")
    flagged = services.write_commendation(actor=host, role=role, user=member, text="Sober a year, great recovery.")
    refused = services.write_commendation(actor=host, role=role, user=member, text="Brave about her relapse.")
    assert (plain.mentions_recovery, plain.awaits_member) == (False, False)
    assert (flagged.mentions_recovery, flagged.awaits_member, flagged.member_agreed_at) == (True, True, None)
    assert list(Commendation.objects.shown()) == [plain]
    # Nobody but the member approves or removes it; the organiser cannot approve on their behalf.
    for someone in (host, world.users["network_coordinator"], world.other_membership.user):
        with pytest.raises(PermissionDenied):
            services.approve_commendation(actor=someone, commendation=flagged)
        with pytest.raises(PermissionDenied):
            services.refuse_commendation(actor=someone, commendation=flagged)
    entries = AuditEntry.objects.count()
    services.approve_commendation(actor=member, commendation=flagged)
    flagged.refresh_from_db()
    assert flagged.member_agreed_at is not None and not flagged.awaits_member
    entry = AuditEntry.objects.latest("pk")
    assert (AuditEntry.objects.count(), entry.actor, entry.action) == (entries + 1, member, "approve")
    with pytest.raises(ValidationError):  # already decided
        services.approve_commendation(actor=member, commendation=flagged)
    with pytest.raises(ValidationError):  # a plain one never waits
        services.refuse_commendation(actor=member, commendation=plain)
    services.refuse_commendation(actor=member, commendation=refused)
    assert set(Commendation.objects.shown()) == {plain, flagged}
    assert not Commendation.objects.filter(pk=refused.pk).exists()
    # The audit log records neither the words nor that they mention recovery.
    created = AuditEntry.objects.get(content_type__model="commendation", object_id=str(flagged.pk), action="create")
    assert "Sober" not in str(created.changes)
    assert created.changes["mentions_recovery"] == ["(changed)", "(changed)"]
