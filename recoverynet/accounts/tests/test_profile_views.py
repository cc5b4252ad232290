"""The person's own pages: login required, own data only, bad input re-renders."""

import datetime

import pytest
from django.urls import reverse

from recoverynet.accounts.models import User
from recoverynet.core.models import AuditEntry

pytestmark = pytest.mark.django_db

OWN_PAGES = [
    ("accounts:profile", {}),
    ("accounts:profile_edit", {}),
    ("accounts:consent", {}),
    ("accounts:export", {}),
    ("accounts:erase", {}),
    ("accounts:join_network", {"slug": "cumbria"}),
]


@pytest.mark.parametrize(("name", "kwargs"), OWN_PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, world, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_anonymous_cannot_leave_a_membership(client, world):
    response = client.post(reverse("accounts:leave_membership", kwargs={"pk": world.own_membership.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "kwargs"), OWN_PAGES)
def test_own_pages_render_for_a_signed_in_person(client_for, world, name, kwargs):
    client = client_for(world.users["member"])
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_erased_page_is_public(client):
    response = client.get(reverse("accounts:erased"))
    assert response.status_code == 200
    assert "Your account has been erased" in response.content.decode()


def test_profile_shows_own_details_and_nobody_elses(client_for, person, someone_else):
    response = client_for(person).get(reverse("accounts:profile"))
    html = response.content.decode()
    for value in ("Robin Pseudonym", "robin@example.org", "Roberta Legalname", "07700 900982", "27 March 1980"):
        assert value in html
    assert "I am in recovery" in html
    for value in ("Other Person", "other.person@example.org", "Otto Otherlegal", "07700 900111"):
        assert value not in html


def test_profile_copes_with_empty_encrypted_fields(client_for, db):
    from recoverynet.accounts.factories import UserFactory

    user = UserFactory(legal_name="", phone="", self_descriptions=[])
    user.refresh_from_db()
    assert user.legal_name is None  # the library stores empty values as NULL
    response = client_for(user).get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert "Not given" in response.content.decode()
    assert "None" not in response.content.decode()


def test_profile_lists_memberships_with_leave_buttons_and_consents(client_for, world):
    from recoverynet.accounts.factories import ConsentRecordFactory

    member = world.users["member"]
    ConsentRecordFactory(user=member, purpose="research", granted=True)
    html = client_for(member).get(reverse("accounts:profile")).content.decode()
    assert "Cumbria" in html
    assert "Carlisle Hub" in html
    assert reverse("accounts:leave_membership", kwargs={"pk": world.own_membership.pk}) in html
    # Nobody else's membership is shown.
    assert reverse("accounts:leave_membership", kwargs={"pk": world.other_membership.pk}) not in html
    assert "Bootle Hub" not in html
    assert "2026-11-v1" in html


def edit(client, **overrides):
    data = {
        "display_name": "Robin",
        "legal_name": "",
        "phone": "",
        "date_of_birth": "",
        **overrides,
    }
    return client.post(reverse("accounts:profile_edit"), data)


def test_profile_edit_saves_through_the_service(client_for, person):
    response = edit(
        client_for(person),
        display_name="Wren",
        legal_name="Wendy Legal",
        phone="+44 7700 900 982",
        date_of_birth="1 2 1975",
        self_descriptions=["ally"],
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Wren"
    assert person.legal_name == "Wendy Legal"
    assert person.phone == "+44 7700 900 982"
    assert person.date_of_birth == datetime.date(1975, 2, 1)
    assert person.self_descriptions == ["ally"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE, object_id=str(person.pk))
    assert entry.changes["legal_name"] == ["(changed)", "(changed)"]
    assert "Wendy" not in str(entry.changes)


def test_profile_edit_can_clear_optional_fields(client_for, person):
    response = edit(client_for(person), display_name="Robin Pseudonym")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.legal_name is None
    assert person.phone is None
    assert person.date_of_birth is None
    assert not person.self_descriptions


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"display_name": "x" * 61}, "Display name must be 60 characters or fewer"),
        ({"display_name": "   "}, "Enter a display name"),
        ({"date_of_birth": "31 2 1980"}, "Enter your date of birth as a real date"),
        ({"date_of_birth": "yesterday"}, "Enter your date of birth as a real date"),
        ({"date_of_birth": "1 1 2999"}, "Date of birth must be in the past"),
        ({"phone": "call me maybe"}, "Enter a phone number"),
        ({"legal_name": "y" * 151}, "Legal name must be 150 characters or fewer"),
        ({"self_descriptions": ["astronaut"]}, "Select a valid choice"),
    ],
)
def test_profile_edit_bad_input_re_renders_with_errors(client_for, person, overrides, message):
    response = edit(client_for(person), **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    person.refresh_from_db()
    assert person.display_name == "Robin Pseudonym"  # nothing half-written
    assert person.legal_name == "Roberta Legalname"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_html_in_display_name_is_escaped_on_display(client_for, person):
    client = client_for(person)
    assert edit(client, display_name='<script>alert("x")</script>').status_code == 302
    person.refresh_from_db()
    assert person.display_name == '<script>alert("x")</script>'
    html = client.get(reverse("accounts:profile")).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_edit_form_shows_current_values(client_for, person):
    html = client_for(person).get(reverse("accounts:profile_edit")).content.decode()
    assert 'value="Roberta Legalname"' in html
    assert 'value="in_recovery"' in html


def test_control_characters_in_display_name_are_refused(client_for, person):
    response = edit(client_for(person), display_name="Robin\u202eevil")
    assert response.status_code == 200
    assert User.objects.get(pk=person.pk).display_name == "Robin Pseudonym"
