"""Joining the time bank records consent (ConsentPurpose.TIME_BANK); leaving closes the account."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from recoverynet.accounts import services as accounts_services
from recoverynet.accounts.consent import current_wording
from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
from recoverynet.accounts.privacy import has_consent
from recoverynet.core.models import AuditEntry
from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Account
from recoverynet.timebank.tests.test_auto_confirm import run_due

pytestmark = pytest.mark.django_db


def test_joining_needs_consent_and_records_it_with_the_wording_version(world, client_for):
    member = world.users["member"]
    client = client_for(member)
    url = reverse("timebank:join", kwargs={"slug": world.own_network.slug})
    page = client.get(url).content.decode()
    wording = current_wording(ConsentPurpose.TIME_BANK)
    assert escape(wording.text) in page and wording.version in page and "display name" in wording.text
    refused = client.post(url, {})
    assert refused.status_code == 200 and "tick “I agree”" in refused.content.decode()
    assert not Account.objects.exists() and not ConsentRecord.objects.exists()

    assert client.post(url, {"consent": "on"}).status_code == 302
    account = Account.objects.get(user=member, network=world.own_network)
    record = ConsentRecord.objects.get(user=member, purpose=ConsentPurpose.TIME_BANK)
    assert record.granted and record.wording_version == wording.version
    entry = AuditEntry.objects.get(object_id=str(account.pk), content_type__model="account")
    assert entry.actor == member and entry.summary == "Joined, with consent"


def test_the_service_refuses_without_consent_or_for_someone_else(world):
    member = world.users["member"]
    with pytest.raises(ValidationError, match="agree"):
        services.join_time_bank(actor=member, user=member, network=world.own_network, consent=False)
    with pytest.raises(PermissionDenied):
        services.join_time_bank(
            actor=world.users["network_coordinator"], user=member, network=world.own_network, consent=True
        )
    with pytest.raises(ValidationError, match="Only members"):
        services.join_time_bank(actor=member, user=member, network=world.other_network, consent=True)
    assert not Account.objects.exists() and not ConsentRecord.objects.exists()


def test_leaving_closes_the_account_keeps_the_balance_and_withdraws_consent(world, client_for):
    member = world.users["member"]
    mine = services.join_time_bank(actor=member, user=member, network=world.own_network, consent=True)
    friend = MemberAccountFactory(network=world.own_network)
    services.transfer(actor=member, source=mine, destination=friend, minutes=45)
    client = client_for(member)
    url = reverse("timebank:leave", kwargs={"pk": mine.pk})
    page = client.get(url).content.decode()
    assert "−45 min" in page and "never deleted" in page and "consent" in page
    assert client.post(url).status_code == 302
    mine.refresh_from_db()
    assert not mine.is_open and mine.balance() == -45
    assert not has_consent(member, ConsentPurpose.TIME_BANK)
    entry = AuditEntry.objects.filter(object_id=str(mine.pk), content_type__model="account").latest("pk")
    assert entry.actor == member and entry.changes["balance_kept"] == [None, -45]
    with pytest.raises(ValidationError, match="closed"):
        services.transfer(actor=friend.user, source=friend, destination=mine, minutes=5)
    assert client.get(url).status_code == 404  # nothing left to leave

    # Joining again reopens the same account, with its balance.
    again = client.post(reverse("timebank:join", kwargs={"slug": world.own_network.slug}), {"consent": "on"})
    assert again.status_code == 302
    mine.refresh_from_db()
    assert mine.is_open and mine.balance() == -45 and Account.objects.filter(user=member).count() == 1
    assert has_consent(member, ConsentPurpose.TIME_BANK)


def test_only_the_holder_may_leave(world):
    member = world.users["member"]
    mine = services.join_time_bank(actor=member, user=member, network=world.own_network, consent=True)
    with pytest.raises(PermissionDenied):
        services.leave_time_bank(actor=world.users["network_coordinator"], account=mine)
    mine.refresh_from_db()
    assert mine.is_open


def test_consent_withdrawn_on_the_privacy_page_closes_the_account_at_the_next_run(world):
    member = world.users["member"]
    mine = services.join_time_bank(actor=member, user=member, network=world.own_network, consent=True)
    legacy = MemberAccountFactory(network=world.own_network)  # opened before consent was asked: stays open
    accounts_services.record_consents(actor=member, user=member, decisions={ConsentPurpose.TIME_BANK: False})
    assert run_due()["closed"] == 1
    mine.refresh_from_db()
    legacy.refresh_from_db()
    assert not mine.is_open and legacy.is_open
    entry = AuditEntry.objects.filter(object_id=str(mine.pk), content_type__model="account").latest("pk")
    assert entry.actor is None and "withdrew their consent" in entry.summary
    assert run_due()["closed"] == 0
