"""Encrypted fields are ciphertext at rest; keys can be rotated."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from recoverynet.accounts.factories import UserFactory
from recoverynet.accounts.models import User
from recoverynet.core.models import AuditEntry

pytestmark = pytest.mark.django_db

COLUMNS = ("legal_name", "phone", "date_of_birth", "self_descriptions")


def raw_row(pk) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM accounts_user WHERE id = %s", [pk])  # noqa: S608
        return dict(zip(COLUMNS, cursor.fetchone(), strict=True))


def test_encrypted_fields_are_ciphertext_in_the_database(person):
    raw = raw_row(person.pk)
    everything = " ".join(str(v) for v in raw.values())
    for plaintext in ("Roberta", "Legalname", "07700", "900982", "1980-03-27", "in_recovery", "family"):
        assert plaintext not in everything
    assert raw["legal_name"].startswith("gAAAA")  # a Fernet token
    person = User.objects.get(pk=person.pk)
    assert person.legal_name == "Roberta Legalname"
    assert person.date_of_birth == datetime.date(1980, 3, 27)
    assert sorted(person.self_descriptions) == ["family", "in_recovery"]


def test_empty_encrypted_values_are_null(db):
    user = UserFactory(legal_name="", phone="")
    raw = raw_row(user.pk)
    assert raw["legal_name"] is None
    assert raw["phone"] is None


def make_person_under(salt):
    with override_settings(SALT_KEY=[salt]):
        return UserFactory(
            legal_name="Sally Secret",
            phone="01632 960001",
            date_of_birth=datetime.date(1970, 1, 2),
            self_descriptions=["ally"],
        ).pk


def read_under(salts, pk) -> User:
    with override_settings(SALT_KEY=salts):
        return User.objects.get(pk=pk)


def test_rotate_re_encrypts_with_the_new_salt(db):
    pk = make_person_under("old")
    untouched_pk = UserFactory(legal_name="").pk  # nothing to re-encrypt
    old_raw = raw_row(pk)
    # Without the old salt the value cannot be read (the library hands back the ciphertext).
    with override_settings(SALT_KEY=["new"]):
        assert User.objects.only("legal_name").get(pk=pk).legal_name != "Sally Secret"

    out = io.StringIO()
    with override_settings(SALT_KEY=["new", "old"]):
        call_command("rotate_encryption_keys", "--batch-size", "1", stdout=out)
    assert "1 re-encrypted" in out.getvalue() or "1 rows re-encrypted" in out.getvalue()

    new_raw = raw_row(pk)
    assert new_raw["legal_name"] != old_raw["legal_name"]
    assert "Sally" not in str(new_raw)
    person = read_under(["new"], pk)
    assert person.legal_name == "Sally Secret"
    assert person.phone == "01632 960001"
    assert person.date_of_birth == datetime.date(1970, 1, 2)
    assert person.self_descriptions == ["ally"]
    assert read_under(["new"], untouched_pk).legal_name is None
    assert AuditEntry.objects.filter(summary__startswith="Encryption keys rotated").exists()

    # Running again finds nothing left to do.
    out = io.StringIO()
    with override_settings(SALT_KEY=["new"]):
        call_command("rotate_encryption_keys", "--dry-run", stdout=out)
    assert "Dry run: 0 rows still to re-encrypt." in out.getvalue()


def test_rotate_secret_key_via_fallbacks(db):
    with override_settings(SECRET_KEY="old-secret-key-for-tests", SALT_KEY=["salt"]):
        pk = UserFactory(legal_name="Sam Secret").pk
    with override_settings(
        SECRET_KEY="new-secret-key-for-tests", SECRET_KEY_FALLBACKS=["old-secret-key-for-tests"], SALT_KEY=["salt"]
    ):
        call_command("rotate_encryption_keys", stdout=io.StringIO())
    with override_settings(SECRET_KEY="new-secret-key-for-tests", SECRET_KEY_FALLBACKS=[], SALT_KEY=["salt"]):
        assert User.objects.get(pk=pk).legal_name == "Sam Secret"


def test_dry_run_changes_nothing(db):
    pk = make_person_under("old")
    before = raw_row(pk)
    out = io.StringIO()
    with override_settings(SALT_KEY=["new", "old"]):
        call_command("rotate_encryption_keys", "--dry-run", stdout=out)
    assert "Dry run: 1 rows still to re-encrypt." in out.getvalue()
    assert raw_row(pk) == before


def test_rotate_refuses_values_it_cannot_decrypt(db):
    pk = make_person_under("lost")
    before = raw_row(pk)
    with override_settings(SALT_KEY=["new"]), pytest.raises(CommandError) as excinfo:
        call_command("rotate_encryption_keys", stdout=io.StringIO())
    assert f"#{pk} legal_name" in str(excinfo.value)
    assert "Sally" not in str(excinfo.value)
    assert raw_row(pk) == before


def test_help_explains_key_rotation():
    from recoverynet.accounts.management.commands.rotate_encryption_keys import Command

    assert "FIELD_ENCRYPTION_SALT_KEYS" in Command.help
    assert "DJANGO_SECRET_KEY_FALLBACKS" in Command.help
