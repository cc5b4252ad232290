import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from recoverynet.accounts.factories import ConsentRecordFactory
from recoverynet.accounts.models import ConsentRecord

pytestmark = pytest.mark.django_db


def test_only_superusers_and_federation_coordinators_see_people(world, staff_client):
    changelist = reverse("admin:accounts_user_changelist")
    assert staff_client("network_coordinator").get(changelist).status_code == 403
    assert staff_client("federation_coordinator").get(changelist).status_code == 200
    response = staff_client("admin").get(changelist)
    assert response.status_code == 200
    assert "member@example.org" in response.content.decode()
    assert "Member" in response.content.decode()


def test_encrypted_fields_are_never_shown(world, staff_client):
    member = world.users["member"]
    member.legal_name = "Margaret Legalname"
    member.phone = "07700 900456"
    member.save(update_fields=["legal_name", "phone"])
    client = staff_client("admin")
    for page in (reverse("admin:accounts_user_changelist"), reverse("admin:accounts_user_change", args=[member.pk])):
        content = client.get(page).content.decode()
        assert "Margaret Legalname" not in content
        assert "07700 900456" not in content
        assert "pbkdf2" not in content and "md5$" not in content  # nor the password hash


def test_people_cannot_be_changed_or_deleted_here(world, staff_client):
    member = world.users["member"]
    client = staff_client("admin")
    change = reverse("admin:accounts_user_change", args=[member.pk])
    assert client.post(change, {"display_name": "Renamed", "email": "x@example.org"}).status_code == 403
    assert client.post(reverse("admin:accounts_user_delete", args=[member.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    member.refresh_from_db()
    assert member.display_name == "Member"


def test_consent_records_are_read_only(world, staff_client):
    record = ConsentRecordFactory(user=world.users["member"], purpose="research", granted=True)
    client = staff_client("federation_coordinator")
    response = client.get(reverse("admin:accounts_consentrecord_changelist"))
    assert list(response.context["cl"].result_list) == [record]
    assert "member@example.org" not in response.content.decode()
    change = reverse("admin:accounts_consentrecord_change", args=[record.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"granted": ""}).status_code == 403
    assert (
        client.post(reverse("admin:accounts_consentrecord_delete", args=[record.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert ConsentRecord.objects.get(pk=record.pk).granted is True
    assert staff_client("network_coordinator").get(change).status_code == 403


def test_two_factor_secrets_are_never_shown(world, staff_client):
    client = staff_client("admin")
    authenticator = Authenticator.objects.get(user=world.users["network_coordinator"])
    for page in (
        reverse("admin:mfa_authenticator_changelist"),
        reverse("admin:mfa_authenticator_change", args=[authenticator.pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200
        assert "JBSWY3DPEHPK3PXP" not in response.content.decode()
    assert (
        client.post(reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
