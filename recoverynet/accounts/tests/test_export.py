"""Subject access: the zip holds the person's own data, decrypted, and nobody else's."""

import csv
import datetime
import io
import json
import zipfile
import zoneinfo

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from recoverynet.accounts import services
from recoverynet.accounts.factories import UserFactory
from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SECTIONS = ("profile", "memberships", "consents", "activity")


def open_zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def read_csv(archive, name) -> list:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


@pytest.fixture
def exported(world, person, someone_else):
    MembershipFactory(user=person, network=world.own_network, settlement=world.own_settlement)
    MembershipFactory(user=someone_else, network=world.own_network)
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    EmailAddress.objects.create(user=someone_else, email=someone_else.email, verified=True, primary=True)
    services.record_consents(actor=person, user=person, decisions={"contact": True, "research": False})
    services.record_consents(actor=someone_else, user=someone_else, decisions={"story_publication": True})
    services.update_profile(actor=someone_else, user=someone_else, data={"display_name": "Other Person Renamed"})
    return services.export_personal_data(actor=person, user=person)


def test_zip_has_json_and_one_csv_per_section(exported):
    archive = open_zip(exported)
    names = set(archive.namelist())
    assert {"data.json", *(f"{s}.csv" for s in SECTIONS)} <= names
    data = json.loads(archive.read("data.json"))
    assert set(SECTIONS) <= set(data)
    assert data["exported_at"]


def test_export_holds_the_persons_decrypted_data(exported, person):
    archive = open_zip(exported)
    profile = read_csv(archive, "profile.csv")[0]
    assert profile["email"] == "robin@example.org"
    assert profile["display_name"] == "Robin Pseudonym"
    assert profile["legal_name"] == "Roberta Legalname"
    assert profile["phone"] == "07700 900982"
    assert profile["date_of_birth"] == "1980-03-27"
    assert "I am in recovery" in profile["self_descriptions"]
    assert "robin@example.org (verified)" in profile["email_addresses"]

    memberships = read_csv(archive, "memberships.csv")
    assert [(m["network"], m["settlement"]) for m in memberships] == [("Cumbria", "Carlisle Hub")]
    consents = read_csv(archive, "consents.csv")
    assert {(c["purpose"], c["granted"], c["wording_version"]) for c in consents} == {
        ("contact", "True", "2026-11-v1"),
        ("research", "False", "2026-11-v1"),
    }
    activity = read_csv(archive, "activity.csv")
    assert len(activity) == 2  # the two consent records
    data = json.loads(archive.read("data.json"))
    assert data["profile"][0]["legal_name"] == "Roberta Legalname"


def test_export_holds_nothing_about_other_people(exported, someone_else, world):
    archive = open_zip(exported)
    everything = "\n".join(archive.read(name).decode() for name in archive.namelist())
    for value in (
        "Other Person",
        "other.person@example.org",
        "Otto Otherlegal",
        "07700 900111",
        "story_publication",
        "member@example.org",
        "Merseyside",
        f"Person #{someone_else.pk}",
    ):
        assert value not in everything


def test_export_is_robust_to_empty_encrypted_fields(db):
    user = UserFactory(legal_name="", phone="")
    user.refresh_from_db()
    archive = open_zip(services.export_personal_data(actor=user, user=user))
    profile = read_csv(archive, "profile.csv")[0]
    assert profile["legal_name"] == ""
    assert profile["phone"] == ""
    assert profile["date_of_birth"] == ""
    assert profile["self_descriptions"] == ""
    assert "None" not in archive.read("profile.csv").decode()


def test_spreadsheet_formulas_are_neutralised(db):
    user = UserFactory(display_name="=HYPERLINK(1)")
    profile = read_csv(open_zip(services.export_personal_data(actor=user, user=user)), "profile.csv")[0]
    assert profile["display_name"] == "'=HYPERLINK(1)"


def test_only_the_person_can_export(person, someone_else):
    with pytest.raises(PermissionDenied):
        services.export_personal_data(actor=someone_else, user=person)


def test_export_is_audited_without_personal_data(person):
    services.export_personal_data(actor=person, user=person)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.object_repr == f"Person #{person.pk}"
    assert "Robin" not in str(entry.changes) + entry.summary


def test_export_page_explains_then_downloads(client_for, person, time_machine):
    # Just after midnight in London, still the day before in UTC: the file is named for London's date.
    time_machine.move_to(datetime.datetime(2026, 7, 1, 0, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False)
    client = client_for(person)
    html = client.get(reverse("accounts:export")).content.decode()
    assert "zip file" in html
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="recoverynet-my-data-2026-07-01.zip"'
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    archive = open_zip(response.content)
    assert read_csv(archive, "profile.csv")[0]["legal_name"] == "Roberta Legalname"


def test_an_empty_section_has_no_spreadsheet_and_the_readme_says_so(db):
    person = UserFactory()
    archive = open_zip(services.export_personal_data(actor=person, user=person))
    names = set(archive.namelist())
    assert "profile.csv" in names
    assert "memberships.csv" not in names  # never an empty file
    for name in names - {"README.txt", "data.json"}:
        assert read_csv(archive, name), f"{name} is empty"
    readme = archive.read("README.txt").decode()
    assert "We hold nothing of these, so there is no file for them:" in readme
    assert "  memberships:" in readme
    assert json.loads(archive.read("data.json"))["memberships"] == []
