"""Erasure and subject access are complete by construction: every model that
can hold personal data declares it (`core.personal_data`), erasure and export
are driven by the declarations, and these tests walk every installed model
and the whole database."""

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, models
from django.test import Client

from recoverynet.accounts import services
from recoverynet.core import personal_data
from recoverynet.core.models import AuditEntry
from recoverynet.directory import services as directory_services
from recoverynet.directory.factories import MeetingFactory
from recoverynet.directory.models import ChangeRequest, FeedImport, FeedSource
from recoverynet.federation.factories import MembershipFactory
from recoverynet.testing import give_totp, sign_in

pytestmark = [pytest.mark.django_db(transaction=False)]

EMAIL = "robin@example.org"
SECRETS = ("robin@example.org", "Robin Pseudonym", "Roberta Legalname", "07700 900982")


def _user_relations(model):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and f.related_model is user_model and not f.auto_created
    ]


def _email_like_fields(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.EmailField) or "email" in f.name.lower() or "email" in type(f).__name__.lower()
    ]


def test_every_model_that_can_hold_personal_data_is_declared():
    """A model with a link to a person (FK, one-to-one or many-to-many to the
    user model) or an email address must say how export and erasure cover it,
    or why they need not."""
    missing = []
    for model in apps.get_models():
        relations, emails = _user_relations(model), _email_like_fields(model)
        if model is apps.get_model(settings.AUTH_USER_MODEL):
            relations = ["pk"]
        if not relations and not emails:
            continue
        declarations = personal_data.declarations_for(model)
        exempt = [d for d in declarations if isinstance(d, personal_data.NoPersonalData)]
        covered_owners = {d.owner for d in declarations if isinstance(d, personal_data.PersonalData)}
        covered_fields = {f for d in declarations for f in d.fields}
        for name in relations:
            if name not in covered_owners and not any(name in e.fields or not e.fields for e in exempt):
                missing.append(f"{model._meta.label}.{name} (link to a person)")
        for name in emails:
            if name not in covered_fields and not any(name in e.fields or not e.fields for e in exempt):
                missing.append(f"{model._meta.label}.{name} (email)")
    assert not missing, "Declare personal data (see docs/development.md): " + ", ".join(missing)


def test_every_declaration_covers_export_and_erasure_or_says_why():
    for model, declaration in personal_data.all_declarations():
        label = model._meta.label
        if isinstance(declaration, personal_data.NoPersonalData):
            assert declaration.reason, label
            continue
        on_erase = declaration.on_erase
        assert on_erase in personal_data.ERASE_ACTIONS or personal_data.resolve_callable(on_erase), label
        if isinstance(declaration.export, str):
            assert personal_data.resolve_callable(declaration.export), label
        if declaration.on_erase in (personal_data.KEEP, personal_data.ELSEWHERE) or declaration.export is None:
            assert declaration.reason, f"{label}.{declaration.owner}: say why"
        for name in declaration.fields + declaration.free_text:
            model._meta.get_field(name)  # names a real field


def test_free_text_in_declared_models_is_declared():
    """Text a person types (a reason, a note) in a model about people is either
    personal, free text (never copied into the audit log), or said to be public."""
    undeclared = []
    for model, declaration in personal_data.all_declarations():
        if isinstance(declaration, personal_data.NoPersonalData):
            continue
        known = set()
        for d in personal_data.declarations_for(model):
            known |= set(d.fields) | set(getattr(d, "free_text", ())) | set(getattr(d, "public_text", ()))
        for field in model._meta.concrete_fields:
            long_text = isinstance(field, models.TextField) or (
                isinstance(field, models.CharField) and field.max_length >= 200 and not field.choices
            )
            if long_text and field.name not in known and model.__module__.startswith("recoverynet."):
                undeclared.append(f"{model._meta.label}.{field.name}")
    assert not undeclared, undeclared


# --- A person with something in every declared model --------------------------------


@pytest.fixture
def robin(world):
    import datetime

    from recoverynet.accounts.factories import UserFactory

    person = UserFactory(
        display_name="Robin Pseudonym",
        email=EMAIL,
        legal_name="Roberta Legalname",
        phone="07700 900982",
        date_of_birth=datetime.date(1980, 3, 27),
        self_descriptions=["in_recovery"],
    )
    MembershipFactory(
        user=person, network=world.own_network, settlement=world.own_settlement, decision_reason="Robin Pseudonym ok"
    )
    EmailAddress.objects.create(user=person, email=EMAIL, verified=True, primary=True)
    give_totp(person)
    services.record_consents(actor=person, user=person, decisions={"contact": True})
    services.update_profile(actor=person, user=person, data={"phone": "07700 900982"})
    world.federation.coordinators.add(person)
    meeting = MeetingFactory(network=world.own_network)
    directory_services.submit_change_request(
        actor=person,
        meeting=meeting,
        data={
            "field": "notes",
            "proposed_value": "Step-free entrance",
            "reason": f"I am Robin Pseudonym, write to {EMAIL}",
            "reporter_email": EMAIL,
        },
    )
    # Reported while signed out, with the same address.
    directory_services.submit_change_request(
        actor=None,
        meeting=meeting,
        data={"field": "name", "proposed_value": "New name", "reason": "Renamed.", "reporter_email": EMAIL.upper()},
    )
    ChangeRequest.objects.create(meeting=meeting, field="other", reason="x", decided_by=person, status="declined")
    source = FeedSource.objects.create(network=world.own_network, name="Feed", default_fellowship=meeting.fellowship)
    FeedImport.objects.create(source=source, started_by=person, status=FeedImport.Status.PREVIEWED)
    user_type = ContentType.objects.get_for_model(person)
    LogEntry.objects.create(
        user=person, content_type=user_type, object_id=str(person.pk), object_repr=str(person), action_flag=CHANGE
    )
    from recoverynet.timebank import services as timebank_services
    from recoverynet.timebank.factories import MemberAccountFactory

    account = timebank_services.open_member_account(actor=person, user=person, network=world.own_network)
    neighbour = MemberAccountFactory(network=world.own_network)
    timebank_services.transfer(actor=person, source=account, destination=neighbour, minutes=30)
    timebank_services.record_exchange(
        actor=person, giver=account, receiver=neighbour, minutes=20, description="Lift for Robin Pseudonym"
    )
    from recoverynet.initiatives import services as initiatives_services
    from recoverynet.initiatives.factories import PublishedPitchFactory

    initiatives_services.create_pitch(
        actor=person,
        network=world.own_network,
        data={"title": "Sunday café", "problem": "Long Sundays", "idea": "A café", "who_for": "Everyone"},
    )
    others_pitch = PublishedPitchFactory(network=world.own_network)
    initiatives_services.support_pitch(actor=person, pitch=others_pitch)
    initiatives_services.pledge_to_pitch(
        actor=person, pitch=others_pitch, kind="skills", description="Cooking, ask Robin Pseudonym"
    )
    initiatives_services.report_content(actor=person, pitch=others_pitch, reason="spam", details="Robin Pseudonym says")
    review_round = initiatives_services.create_review_round(
        actor=world.users["network_coordinator"], network=world.own_network, title="R", criteria=["N"], members=[person]
    )
    initiatives_services.declare_lived_experience(actor=person, review_round=review_round, lived_experience=True)
    from recoverynet.initiatives.models import Initiative, TeamMember

    initiative = Initiative.objects.create(network=world.own_network, name="Café", summary="s", started_on="2026-07-01")
    TeamMember.objects.create(initiative=initiative, user=person, role=TeamMember.Role.LEAD)
    initiatives_services.post_update(actor=person, initiative=initiative, text="We opened on Sunday.")
    initiatives_services.assess_coproduction(
        actor=person,
        initiative=initiative,
        scores={"assets": 3, "capacity": 2, "mutuality": 4, "networks": 3, "shared_roles": 2, "catalysts": 1},
    )
    client = Client()
    sign_in(client, person)
    return person


def _every_text_value_in_the_database():
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from introspection
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if value is not None:
                        yield table, column, str(value)


def test_after_erasure_nothing_in_any_table_names_the_person(robin):
    # Before, the person can be found (so the search below would see them).
    assert any(EMAIL in value for _, _, value in _every_text_value_in_the_database())
    services.erase_user(actor=robin, user=robin)
    found = [
        (table, column, secret)
        for table, column, value in _every_text_value_in_the_database()
        for secret in SECRETS
        if secret.lower() in value.lower()
    ]
    assert not found


def test_decisions_on_an_erased_persons_reports_are_not_emailed(robin, world, django_capture_on_commit_callbacks):
    services.erase_user(actor=robin, user=robin)
    coordinator = world.users["network_coordinator"]
    for change in ChangeRequest.objects.filter(status=ChangeRequest.Status.OPEN):
        with django_capture_on_commit_callbacks(execute=True):
            directory_services.decline_change_request(actor=coordinator, change_request=change, reason="No.")
    assert not [m for m in mail.outbox if EMAIL in " ".join(m.to).lower()]


def test_export_holds_every_declared_models_rows(robin):
    declared = [
        (model, d)
        for model, d in personal_data.all_declarations()
        if isinstance(d, personal_data.PersonalData) and d.export is not None
    ]
    held = {d.section: len(d.rows_of(model, robin)) for model, d in declared}
    archive = zipfile.ZipFile(io.BytesIO(services.export_personal_data(actor=robin, user=robin)))
    data = json.loads(archive.read("data.json"))
    for model, declaration in declared:
        section = declaration.section
        assert held[section], f"the fixture has no {model._meta.label} for {declaration.owner}"
        # The activity section also holds what was done to the account (entries with no actor).
        assert len(data[section]) >= held[section] if section == "activity" else len(data[section]) == held[section]
        assert f"{section}.csv" in archive.namelist()
    reported = data["change_requests"]
    assert {r["reporter_email"].lower() for r in reported} == {EMAIL}
    assert any("Robin Pseudonym" in r["reason"] for r in reported)


def test_free_text_is_not_copied_into_the_audit_log(robin):
    change = ChangeRequest.objects.get(field="notes")
    entry = AuditEntry.objects.get(content_type__model="changerequest", object_id=str(change.pk))
    assert entry.changes["reason"] == [None, personal_data.TEXT_NOT_RECORDED]
    assert "Robin" not in json.dumps(entry.changes)


def test_migration_redacts_free_text_that_older_entries_copied(world):
    import importlib

    from django.db.migrations.loader import MigrationLoader

    change = ChangeRequest.objects.create(meeting=MeetingFactory(network=world.own_network), field="name", reason="r")
    old = AuditEntry.objects.create(
        action=AuditEntry.Action.CREATE,
        content_type=ContentType.objects.get_for_model(ChangeRequest),
        object_id=str(change.pk),
        changes={"reason": [None, f"mail {EMAIL}"], "field": [None, "name"], "decision_reason": ["", ""]},
    )
    migration = importlib.import_module("recoverynet.core.migrations.0002_redact_free_text_in_audit_log")
    state = MigrationLoader(connection).project_state(("core", "0002_redact_free_text_in_audit_log"))
    migration.redact_free_text(state.apps, None)
    old.refresh_from_db()
    assert old.changes == {
        "reason": [None, personal_data.TEXT_NOT_RECORDED],
        "field": [None, "name"],
        "decision_reason": ["", ""],
    }
