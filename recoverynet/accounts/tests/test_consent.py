"""Consent: recording with the wording version, withdrawal history, enforcement."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from recoverynet.accounts import privacy, services
from recoverynet.accounts.consent import CURRENT_WORDING, Wording
from recoverynet.accounts.factories import ConsentRecordFactory, UserFactory
from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
from recoverynet.core.models import AuditEntry
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db

ALL_NO = dict.fromkeys(ConsentPurpose.values, "no")


def test_first_answers_are_recorded_even_when_no(person):
    created = services.record_consents(actor=person, user=person, decisions={"contact": True, "research": False})
    assert {(r.purpose, r.granted) for r in created} == {("contact", True), ("research", False)}
    assert all(r.wording_version == CURRENT_WORDING[ConsentPurpose(r.purpose)].version for r in created)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CONSENT).count() == 2


def test_unchanged_answers_are_not_recorded_again(person):
    services.record_consents(actor=person, user=person, decisions={"contact": True})
    assert services.record_consents(actor=person, user=person, decisions={"contact": True}) == []
    assert ConsentRecord.objects.filter(user=person).count() == 1


def test_withdrawal_keeps_the_history(person):
    services.record_consents(actor=person, user=person, decisions={"contact": True})
    services.record_consents(actor=person, user=person, decisions={"contact": False})
    history = list(ConsentRecord.objects.filter(user=person, purpose="contact").order_by("recorded_at", "id"))
    assert [r.granted for r in history] == [True, False]
    assert not privacy.has_consent(person, "contact")


def test_new_wording_needs_a_new_record(person, monkeypatch):
    services.record_consents(actor=person, user=person, decisions={"contact": True})
    monkeypatch.setitem(CURRENT_WORDING, ConsentPurpose.CONTACT, Wording("2027-01-v2", "New words."))
    created = services.record_consents(actor=person, user=person, decisions={"contact": True})
    assert [r.wording_version for r in created] == ["2027-01-v2"]


def test_only_the_person_can_record_their_consent(person, someone_else):
    with pytest.raises(PermissionDenied):
        services.record_consents(actor=someone_else, user=person, decisions={"contact": True})
    assert not ConsentRecord.objects.exists()


def test_unknown_purpose_or_non_boolean_is_refused_without_half_writing(person):
    with pytest.raises(ValidationError):
        services.record_consents(actor=person, user=person, decisions={"contact": True, "marketing": True})
    with pytest.raises(ValidationError):
        services.record_consents(actor=person, user=person, decisions={"contact": True, "research": "yes"})
    assert not ConsentRecord.objects.exists()


# --- privacy ------------------------------------------------------------------------


def test_no_record_means_no(person):
    assert not privacy.has_consent(person, "contact")
    with pytest.raises(privacy.ConsentRequired):
        privacy.require_consent(person, "contact")


def test_latest_record_wins(person):
    now = timezone.now()
    ConsentRecordFactory(user=person, purpose="contact", granted=False, recorded_at=now - datetime.timedelta(days=2))
    ConsentRecordFactory(user=person, purpose="contact", granted=True, recorded_at=now - datetime.timedelta(days=1))
    assert privacy.has_consent(person, "contact")
    privacy.require_consent(person, "contact")
    ConsentRecordFactory(user=person, purpose="contact", granted=False, recorded_at=now)
    assert not privacy.has_consent(person, "contact")
    # Another purpose is independent.
    assert not privacy.has_consent(person, "research")


def test_same_time_records_are_ordered_by_id(person):
    now = timezone.now()
    ConsentRecordFactory(user=person, purpose="contact", granted=True, recorded_at=now)
    ConsentRecordFactory(user=person, purpose="contact", granted=False, recorded_at=now)
    assert not privacy.has_consent(person, "contact")
    assert privacy.consented_user_ids("contact", [person.pk]) == set()


def test_consented_user_ids_uses_the_latest_record_in_one_query(db, django_assert_num_queries):
    now = timezone.now()
    yes, no, withdrawn, never = UserFactory.create_batch(4)
    ConsentRecordFactory(user=yes, purpose="contact", granted=True)
    ConsentRecordFactory(user=no, purpose="contact", granted=False)
    ConsentRecordFactory(user=withdrawn, purpose="contact", granted=True, recorded_at=now - datetime.timedelta(hours=1))
    ConsentRecordFactory(user=withdrawn, purpose="contact", granted=False, recorded_at=now)
    ConsentRecordFactory(user=never, purpose="research", granted=True)
    with django_assert_num_queries(1):
        ids = privacy.consented_user_ids("contact", [u.pk for u in (yes, no, withdrawn, never)])
    assert ids == {yes.pk}
    assert privacy.consented_user_ids("contact", []) == set()


def test_erased_people_never_consent(person):
    ConsentRecordFactory(user=person, purpose="contact", granted=True)
    person.erased_at = timezone.now()
    person.save(update_fields=["erased_at"])
    assert not privacy.has_consent(person, "contact")
    assert privacy.consented_user_ids("contact", [person.pk]) == set()


def test_anonymous_never_consents():
    from django.contrib.auth.models import AnonymousUser

    assert not privacy.has_consent(AnonymousUser(), "contact")


def test_current_consents_lists_every_purpose(person):
    ConsentRecordFactory(user=person, purpose="research", granted=True)
    in_force = privacy.current_consents(person)
    assert set(in_force) == set(ConsentPurpose.values)
    assert in_force["research"].granted is True
    assert in_force["contact"] is None


# --- the consent page ---------------------------------------------------------------


def test_consent_page_shows_current_wording_and_version(client_for, person):
    html = client_for(person).get(reverse("accounts:consent")).content.decode()
    for purpose, wording in CURRENT_WORDING.items():
        assert wording.text in html
        assert wording.version in html
        assert f'name="{purpose.value}"' in html


def test_consent_page_records_choices_and_shows_history(client_for, person):
    client = client_for(person)
    response = client.post(reverse("accounts:consent"), {**ALL_NO, "contact": "yes"})
    assert response.status_code == 302
    assert privacy.has_consent(person, "contact")
    assert not privacy.has_consent(person, "research")
    assert ConsentRecord.objects.filter(user=person).count() == len(ConsentPurpose.values)

    client.post(reverse("accounts:consent"), ALL_NO)
    assert not privacy.has_consent(person, "contact")
    html = client.get(reverse("accounts:consent")).content.decode()
    assert "Agreed" in html
    assert "Did not agree" in html
    # The "no" now in force is preselected.
    assert ConsentRecord.objects.filter(user=person, purpose="contact").count() == 2


def test_consent_page_requires_an_answer_to_each_question(client_for, person):
    response = client_for(person).post(reverse("accounts:consent"), {"contact": "yes"})
    assert response.status_code == 200
    assert "Select yes or no for research" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_consent_page_refuses_made_up_answers(client_for, person):
    response = client_for(person).post(reverse("accounts:consent"), {**ALL_NO, "contact": "maybe"})
    assert response.status_code == 200
    assert not ConsentRecord.objects.exists()


def test_consent_history_is_paginated_with_constant_queries(client_for, person, django_assert_max_num_queries):
    client = client_for(person)
    now = timezone.now()
    ConsentRecord.objects.all().delete()
    numbers = itertools.count()

    def make(n):
        for i in itertools.islice(numbers, n):
            ConsentRecordFactory(
                user=person, purpose="contact", granted=bool(i % 2), recorded_at=now - datetime.timedelta(minutes=i)
            )

    def fetch():
        with django_assert_max_num_queries(12):
            return client.get(reverse("accounts:consent"))

    response = assert_constant_queries(fetch, make)
    assert response.context["history_page"].paginator.count == 30
    assert len(response.context["history_page"].object_list) < 30


def test_changed_wording_is_not_preselected(client_for, person, monkeypatch):
    ConsentRecordFactory(user=person, purpose="contact", granted=True, wording_version="2020-01-v0")
    response = client_for(person).get(reverse("accounts:consent"))
    form = response.context["form"]
    assert form.fields["contact"].initial is None
    assert ConsentPurpose.CONTACT in form.changed_wording
