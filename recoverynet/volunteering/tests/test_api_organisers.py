"""The organisers' API: the same services and rules as the organisers' pages. Roles (list,
add, change) and their shifts; a shift's places, confirming and declining them, walk-ins,
hours in one batch and crediting them; commendations. Idempotency keys on what makes
something new; nothing about a person's safety or recovery ever appears; hostile bodies
are a clear 400 with nothing written; lists run a constant number of queries."""

import datetime
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.accounts.factories import UserFactory
from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, RoleSkillFactory, ShiftFactory
from recoverynet.volunteering.models import Commendation, DBSCheck, Role, RoleSkill, Shift, SignUp, VolunteerProfile

pytestmark = pytest.mark.django_db

ROLES = "/api/v1/volunteering/organised-roles/"
SHIFTS = "/api/v1/volunteering/organised-shifts/"
SIGNUPS = "/api/v1/volunteering/organised-signups/"
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
keys = itertools.count()


def _key():
    return f"key-{next(keys)}"


def _written():
    return (
        Role.objects.count(),
        RoleSkill.objects.count(),
        Shift.objects.count(),
        list(SignUp.objects.values_list("status", "attended", "minutes", "decline_reason").order_by("pk")),
        Commendation.objects.count(),
        AuditEntry.objects.count(),
    )


def _role_body(world, **changes):
    return {
        "network": world.own_network.slug,
        "title": "Kitchen helper",
        "settlement": world.own_settlement.slug,
        "description": "Help in the café kitchen.",
        "involves": "Washing up and making tea.",
        "time_commitment": "One morning a week",
        "skills": [{"name": "Cooking", "level": 2}],
        "idempotency_key": _key(),
    } | changes


def _future(days=3, hours=3):
    start = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
    return start, start + datetime.timedelta(hours=hours)


def _member(world, name="Walk-in"):
    user = UserFactory(display_name=name, email=f"{name.lower()}@example.org")
    return MembershipFactory(user=user, network=world.own_network, settlement=world.own_settlement)


# --- Roles and shifts -----------------------------------------------------------------


def test_a_coordinator_adds_a_role_once_whatever_the_retries(world, api_as):
    client = api_as("network_coordinator")
    body = _role_body(world)
    response = client.post(ROLES, body, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["title"] == "Kitchen helper" and made["settlement"] == world.own_settlement.slug
    assert made["skills"] == [{"name": "Cooking", "level": "Confident"}] and made["is_published"] is True
    entries = AuditEntry.objects.count()

    again = client.post(ROLES, body, format="json")  # the same request again: nothing new
    assert again.status_code == 201 and again.json()["id"] == made["id"]
    assert Role.objects.count() == 1 and AuditEntry.objects.count() == entries

    other = client.post(ROLES, body | {"title": "Driver"}, format="json")
    assert other.status_code == 400 and "idempotency_key" in other.json()
    assert Role.objects.count() == 1

    listed = client.get(ROLES).json()
    assert [r["slug"] for r in listed["results"]] == [made["slug"]]


def test_only_a_coordinator_of_the_network_adds_roles(world, api_as):
    for role in ("member", "settlement_host", "professional"):
        response = api_as(role).post(ROLES, _role_body(world), format="json")
        assert response.status_code == 403, (role, response.content)
    response = api_as("network_coordinator").post(
        ROLES,
        _role_body(world, network=world.other_network.slug, settlement=world.other_settlement.slug),
        format="json",
    )
    assert response.status_code == 403
    assert api_as("anonymous").post(ROLES, _role_body(world), format="json").status_code == 403
    assert Role.objects.count() == 0


def test_a_roles_offerer_must_be_of_its_network(world, api_as):
    client = api_as("network_coordinator")
    elsewhere = client.post(ROLES, _role_body(world, settlement=world.other_settlement.slug), format="json")
    assert elsewhere.status_code == 400 and "settlement" in elsewhere.json()
    both = client.post(ROLES, _role_body(world, organisation=world.own_organisation.slug), format="json")
    assert both.status_code == 400 and "organisation" in both.json()
    unknown = client.post(ROLES, _role_body(world, network="nowhere"), format="json")
    assert unknown.status_code == 400 and "network" in unknown.json()
    assert Role.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_an_organiser_changes_a_role_and_its_skills(world, api_as, role):
    RoleSkillFactory(role=role, name="Driving", level=1)
    client = api_as("settlement_host")
    response = client.patch(
        f"{ROLES}{role.slug}/",
        {"title": "Café lead", "is_published": False, "skills": [{"name": "Baking", "level": 3}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Café lead" and response.json()["is_published"] is False
    role.refresh_from_db()
    assert role.title == "Café lead" and [(s.name, s.level) for s in role.skills.all()] == [("Baking", 3)]
    # Unpublished, it is still theirs to see; nobody outside sees it on the public API.
    assert client.get(f"{ROLES}{role.slug}/").status_code == 200
    assert api_as("anonymous").get(f"/api/v1/volunteering/roles/{role.slug}/").status_code == 404
    both = client.patch(f"{ROLES}{role.slug}/", {"organisation": world.own_organisation.slug}, format="json")
    assert both.status_code == 400 and "organisation" in both.json()


def test_who_may_organise_a_role(world, api_as, role):
    for name in ("settlement_host", "network_coordinator", "federation_coordinator", "admin"):
        assert api_as(name).get(f"{ROLES}{role.slug}/").status_code == 200, name
        assert [r["slug"] for r in api_as(name).get(ROLES).json()["results"]] == [role.slug], name
    for name in ("member", "professional"):  # the professional works for an organisation, not this settlement
        assert api_as(name).get(f"{ROLES}{role.slug}/").status_code == 403, name
        assert api_as(name).patch(f"{ROLES}{role.slug}/", {"title": "Mine"}, format="json").status_code == 403
        assert api_as(name).get(ROLES).json()["count"] == 0
    assert api_as("anonymous").get(ROLES).status_code == 403
    assert api_as("member").get(f"{ROLES}no-such-role/").status_code == 404
    role.refresh_from_db()
    assert role.title != "Mine"


def test_an_organiser_adds_a_shift_once_and_lists_them_all(world, api_as, role, past_shift):
    client = api_as("settlement_host")
    starts_at, ends_at = _future()
    body = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "places": 4, "idempotency_key": _key()}
    response = client.post(f"{ROLES}{role.slug}/shifts/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["places"] == 4 and response.json()["taken"] == 0
    assert client.post(f"{ROLES}{role.slug}/shifts/", body, format="json").json()["id"] == response.json()["id"]
    assert Shift.objects.filter(role=role).count() == 2

    listed = client.get(f"{ROLES}{role.slug}/shifts/").json()
    assert [s["id"] for s in listed["results"]] == [past_shift.pk, response.json()["id"]]

    started = body | {"starts_at": past_shift.starts_at.isoformat(), "idempotency_key": _key()}
    refused = client.post(f"{ROLES}{role.slug}/shifts/", started, format="json")
    assert refused.status_code == 400 and "starts_at" in refused.json()
    backwards = body | {"ends_at": starts_at.isoformat(), "idempotency_key": _key()}
    assert client.post(f"{ROLES}{role.slug}/shifts/", backwards, format="json").status_code == 400
    assert api_as("member").post(f"{ROLES}{role.slug}/shifts/", body | {"idempotency_key": _key()}).status_code == 403
    assert Shift.objects.filter(role=role).count() == 2


# --- Places, walk-ins, hours -------------------------------------------------------------


def test_an_organiser_confirms_and_declines_places(world, api_as, shift):
    signup = services.sign_up(actor=world.users["member"], shift=shift)
    client = api_as("settlement_host")
    places = client.get(f"{SHIFTS}{shift.pk}/signups/").json()["results"]
    assert [(p["id"], p["member"], p["status"]) for p in places] == [(signup.pk, "Member", "requested")]

    confirmed = client.post(f"{SIGNUPS}{signup.pk}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    entries = AuditEntry.objects.count()
    assert client.post(f"{SIGNUPS}{signup.pk}/confirm/").json()["status"] == "confirmed"  # as it stands
    assert AuditEntry.objects.count() == entries

    assert client.post(f"{SIGNUPS}{signup.pk}/decline/", {"reason": "  "}, format="json").status_code == 400
    declined = client.post(f"{SIGNUPS}{signup.pk}/decline/", {"reason": "The café is closed"}, format="json")
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "The café is closed"
    again = client.post(f"{SIGNUPS}{signup.pk}/decline/", {"reason": "Again"}, format="json")
    assert again.status_code == 200 and again.json()["decline_reason"] == "The café is closed"
    refused = client.post(f"{SIGNUPS}{signup.pk}/confirm/")  # a declined place is not confirmed
    assert refused.status_code == 400 and "already declined" in str(refused.json())


def test_places_are_for_their_organisers_only(world, api_as, shift):
    signup = services.sign_up(actor=world.users["member"], shift=shift)
    member = api_as("member")
    assert member.post(f"{SIGNUPS}{signup.pk}/confirm/").status_code == 403  # their own: seen, not decided
    assert member.get(f"{SHIFTS}{shift.pk}/signups/").status_code == 403
    other = RoleFactory(network=world.other_network, settlement=world.other_settlement, early_recovery="yes")
    theirs = services.sign_up(actor=world.other_membership.user, shift=ShiftFactory(role=other))
    for name in ("settlement_host", "network_coordinator"):
        client = api_as(name)
        assert client.post(f"{SIGNUPS}{theirs.pk}/confirm/").status_code == 404
        assert client.post(f"{SIGNUPS}{theirs.pk}/decline/", {"reason": "No"}, format="json").status_code == 404
        assert client.get(f"{SHIFTS}{theirs.shift_id}/signups/").status_code == 403
    assert api_as("anonymous").post(f"{SIGNUPS}{signup.pk}/confirm/").status_code == 403
    signup.refresh_from_db()
    theirs.refresh_from_db()
    assert signup.status == theirs.status == SignUp.Status.REQUESTED


def test_a_walk_in_then_hours_in_one_batch_then_credit(world, api_as, role, past_shift):
    client = api_as("settlement_host")
    walk_in = _member(world)
    response = client.post(f"{SHIFTS}{past_shift.pk}/walk-ins/", {"membership": walk_in.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["walk_in"] is True and response.json()["status"] == "confirmed"
    again = client.post(f"{SHIFTS}{past_shift.pk}/walk-ins/", {"membership": walk_in.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    outsider = client.post(
        f"{SHIFTS}{past_shift.pk}/walk-ins/", {"membership": world.other_membership.pk}, format="json"
    )
    assert outsider.status_code == 400 and "membership" in outsider.json()

    second = services.record_walk_in(actor=world.users["settlement_host"], shift=past_shift, user=world.users["member"])
    first_id = response.json()["id"]
    hours = f"{SHIFTS}{past_shift.pk}/hours/"
    before = _written()
    too_long = {
        "entries": [
            {"signup": first_id, "attended": True, "minutes": 120},
            {"signup": second.pk, "attended": True, "minutes": 999},
        ]
    }
    refused = client.post(hours, too_long, format="json")
    assert refused.status_code == 400 and f"minutes_{second.pk}" in refused.json()
    assert _written() == before  # all or nothing: the first entry was not written either

    batch = {
        "entries": [{"signup": first_id, "attended": True, "minutes": 150}, {"signup": second.pk, "attended": False}]
    }
    recorded = client.post(hours, batch, format="json")
    assert recorded.status_code == 200, recorded.content
    assert {(p["id"], p["attended"], p["minutes"]) for p in recorded.json()} == {
        (first_id, True, 150),
        (second.pk, False, 0),
    }
    assert client.post(hours, batch, format="json").status_code == 200  # again: the same hours

    services.confirm_hours(actor=walk_in.user, signup=SignUp.objects.get(pk=first_id))
    credit = client.post(f"{SHIFTS}{past_shift.pk}/credit/")
    assert credit.status_code == 400 and "no time bank account" in str(credit.json())
    assert api_as("member").post(hours, batch, format="json").status_code == 403


def test_hours_wait_for_the_shift_to_start(world, api_as, shift):
    signup = services.record_walk_in(actor=world.users["settlement_host"], shift=shift, user=world.users["member"])
    response = api_as("settlement_host").post(
        f"{SHIFTS}{shift.pk}/hours/",
        {"entries": [{"signup": signup.pk, "attended": True, "minutes": 60}]},
        format="json",
    )
    assert response.status_code == 400 and "once the shift has started" in str(response.json())


def test_commendations_once_and_about_recovery_only_for_the_member_to_approve(world, api_as, role, past_shift):
    services.record_walk_in(actor=world.users["settlement_host"], shift=past_shift, user=world.users["member"])
    SignUp.objects.update(attended=True)
    client = api_as("settlement_host")
    url = f"{ROLES}{role.slug}/commendations/"
    body = {"membership": world.own_membership.pk, "text": "Kind and reliable.", "idempotency_key": _key()}
    response = client.post(url, body, format="json")
    assert response.status_code == 201 and response.json()["member"] == "Member"
    assert response.json()["awaits_member"] is False
    assert client.post(url, body, format="json").json()["id"] == response.json()["id"]
    recovery = body | {"text": "Doing so well in recovery.", "idempotency_key": _key()}
    waiting = client.post(url, recovery, format="json")
    assert waiting.status_code == 201 and waiting.json()["awaits_member"] is True
    assert Commendation.objects.get(pk=waiting.json()["id"]) not in Commendation.objects.shown()
    never_came = client.post(url, body | {"membership": _member(world).pk, "idempotency_key": _key()}, format="json")
    assert never_came.status_code == 400 and "person" in never_came.json()
    assert Commendation.objects.count() == 2


def test_nothing_about_a_persons_safety_or_recovery_appears(world, api_as, role, past_shift):
    member = world.users["member"]
    VolunteerProfile.objects.create(user=member, recovery_start=datetime.date(2021, 3, 14))
    DBSCheck.objects.create(
        user=member, network=world.own_network, level="enhanced", checked_on=datetime.date(2025, 1, 2), checker="Ann"
    )
    services.record_walk_in(actor=world.users["settlement_host"], shift=past_shift, user=member)
    for name in ("settlement_host", "network_coordinator", "admin"):
        client = api_as(name)
        answers = [
            client.get(ROLES).content,
            client.get(f"{ROLES}{role.slug}/").content,
            client.get(f"{ROLES}{role.slug}/shifts/").content,
            client.get(f"{SHIFTS}{past_shift.pk}/").content,
            client.get(f"{SHIFTS}{past_shift.pk}/signups/").content,
        ]
        text = b" ".join(answers).decode().lower()
        for secret in ("member@example.org", "2021-03-14", "enhanced", "ann", "recovery_start", "dbs_check"):
            assert secret not in text, (name, secret)
        assert "member" in text


# --- Hostile input ------------------------------------------------------------------------


ROLE_FIELDS = [
    "network",
    "title",
    "organisation",
    "settlement",
    "description",
    "involves",
    "time_commitment",
    "is_remote",
    "min_recovery_months",
    "dbs_level",
    "early_recovery",
    "supervision_available",
    "alcohol_at_venue",
    "handles_medication",
    "lone_working",
    "confirm_automatically",
    "is_published",
    "skills",
    "idempotency_key",
]


@EXAMPLES
@given(field=st.sampled_from(ROLE_FIELDS), value=json_values)
def test_any_value_of_any_role_field_is_a_clear_answer(world, api_as, field, value):
    before = _written()
    response = api_as("network_coordinator").post(ROLES, _role_body(world) | {field: value}, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:  # a valid body (a 201) adds one; the next example counts afresh
        assert response.json() and _written() == before


@EXAMPLES
@given(field=st.sampled_from(["name", "level"]), value=json_values, count=st.integers(min_value=1, max_value=14))
def test_any_skill_of_a_role_is_a_clear_answer(world, api_as, field, value, count):
    skills = [{"name": f"Skill {i}", "level": 2} for i in range(count)]
    skills[-1][field] = value
    before = _written()
    response = api_as("network_coordinator").post(ROLES, _role_body(world, skills=skills), format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert response.json() and _written() == before
    else:
        assert count <= 12


@EXAMPLES
@given(field=st.sampled_from([f for f in ROLE_FIELDS if f not in ("network", "idempotency_key")]), value=json_values)
def test_any_change_to_a_role_is_a_clear_answer(world, api_as, role, field, value):
    before = _written()
    title = Role.objects.get(pk=role.pk).title
    response = api_as("settlement_host").patch(f"{ROLES}{role.slug}/", {field: value}, format="json")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json() and _written() == before and Role.objects.get(pk=role.pk).title == title


@pytest.mark.parametrize("skill", [{}, {"name": "Cooking"}, {"level": 2}])
def test_a_change_with_half_a_skill_is_refused(world, api_as, role, skill):
    before = _written()
    response = api_as("settlement_host").patch(f"{ROLES}{role.slug}/", {"skills": [skill]}, format="json")
    assert response.status_code == 400 and "skills" in response.json() and _written() == before


@EXAMPLES
@given(
    field=st.sampled_from(["starts_at", "ends_at", "places", "idempotency_key"]),
    value=json_values | st.datetimes().map(str),
)
def test_any_value_of_any_shift_field_is_a_clear_answer(world, api_as, role, field, value):
    starts_at, ends_at = _future()
    body = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "places": 2, "idempotency_key": _key()}
    before = _written()
    response = api_as("settlement_host").post(f"{ROLES}{role.slug}/shifts/", body | {field: value}, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:  # a valid body (a 201) adds one; the next example counts afresh
        assert response.json() and _written() == before


@EXAMPLES
@given(value=json_values)
def test_any_decline_reason_is_a_clear_answer(world, api_as, shift, value):
    signup = SignUp.objects.get_or_create(shift=shift, user=world.users["member"])[0]
    SignUp.objects.filter(pk=signup.pk).update(status=SignUp.Status.REQUESTED, decline_reason="")
    before = _written()
    response = api_as("settlement_host").post(f"{SIGNUPS}{signup.pk}/decline/", {"reason": value}, format="json")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json() and _written() == before


@EXAMPLES
@given(value=json_values)
def test_any_walk_in_is_a_clear_answer(world, api_as, past_shift, value):
    before = _written()
    response = api_as("settlement_host").post(
        f"{SHIFTS}{past_shift.pk}/walk-ins/", {"membership": value}, format="json"
    )
    assert response.status_code in (200, 201, 400), response.content
    if response.status_code == 400:
        assert response.json() and _written() == before
    else:
        SignUp.objects.all().delete()


@EXAMPLES
@given(
    field=st.sampled_from(["signup", "attended", "minutes", "entries"]),
    value=json_values,
)
def test_any_hours_batch_is_a_clear_answer(world, api_as, past_shift, field, value):
    signup = SignUp.objects.get_or_create(
        shift=past_shift, user=world.users["member"], defaults={"status": SignUp.Status.CONFIRMED}
    )[0]
    SignUp.objects.filter(pk=signup.pk).update(attended=None, minutes=None, hours_recorded_at=None)
    entry = {"signup": signup.pk, "attended": True, "minutes": 60}
    body = {"entries": value} if field == "entries" else {"entries": [entry | {field: value}]}
    before = _written()
    response = api_as("settlement_host").post(f"{SHIFTS}{past_shift.pk}/hours/", body, format="json")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json() and _written() == before


@EXAMPLES
@given(field=st.sampled_from(["membership", "text", "idempotency_key"]), value=json_values)
def test_any_commendation_is_a_clear_answer(world, api_as, role, past_shift, field, value):
    SignUp.objects.get_or_create(
        shift=past_shift, user=world.users["member"], defaults={"status": SignUp.Status.CONFIRMED, "attended": True}
    )
    body = {"membership": world.own_membership.pk, "text": "Kind.", "idempotency_key": _key()}
    before = _written()
    response = api_as("settlement_host").post(
        f"{ROLES}{role.slug}/commendations/", body | {field: value}, format="json"
    )
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:  # a valid body (a 201) adds one; the next example counts afresh
        assert response.json() and _written() == before


# --- Query counts ---------------------------------------------------------------------------


def test_the_organisers_lists_run_a_constant_number_of_queries(world, api_as, role):
    client = api_as("settlement_host")
    counter = itertools.count()

    def add_roles(n):
        for _ in range(n):
            made = RoleFactory(network=world.own_network, settlement=world.own_settlement)
            RoleSkillFactory(role=made)
            ShiftFactory(role=made)

    assert assert_constant_queries(lambda: client.get(ROLES), add_roles).json()["count"] == 31

    def add_shifts(n):
        for _ in range(n):
            start = timezone.now() + datetime.timedelta(days=3, hours=4 * next(counter))
            ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=2))

    url = f"{ROLES}{role.slug}/shifts/"
    assert assert_constant_queries(lambda: client.get(url), add_shifts).json()["count"] == 30

    shift = ShiftFactory(role=role, places=100)

    def add_places(n):
        for _ in range(n):
            SignUp.objects.create(shift=shift, user=_member(world, f"Person{next(counter)}").user)

    url = f"{SHIFTS}{shift.pk}/signups/"
    assert assert_constant_queries(lambda: client.get(url), add_places).json()["count"] == 30


def test_confirmed_hours_are_credited_once_through_the_api(world, api_as, role, past_shift):
    from recoverynet.timebank import services as timebank_services
    from recoverynet.timebank.models import Account, Transaction

    member = world.users["member"]
    signup = services.record_walk_in(actor=world.users["settlement_host"], shift=past_shift, user=member)
    services.record_hours(actor=world.users["settlement_host"], shift=past_shift, entries={signup.pk: (True, 90)})
    services.confirm_hours(actor=member, signup=signup)
    Account.objects.create(
        network=world.own_network, kind=Account.Kind.SETTLEMENT, settlement=role.settlement, floor=-100 * 60
    )
    timebank_services.open_member_account(actor=member, user=member, network=world.own_network)
    url = f"{SHIFTS}{past_shift.pk}/credit/"
    refused = api_as("settlement_host").post(url)  # the time bank's rule: coordinators move a settlement's time
    assert refused.status_code == 403 and Transaction.objects.count() == 0
    credited = api_as("network_coordinator").post(url)
    assert credited.status_code == 200 and credited.json() == {"credited": [signup.pk], "no_account": []}
    again = api_as("network_coordinator").post(url)
    assert again.json() == {"credited": [], "no_account": []} and Transaction.objects.count() == 1
    places = api_as("network_coordinator").get(f"{SHIFTS}{past_shift.pk}/signups/").json()["results"]
    assert places[0]["credited"] is True


def test_an_organisations_professionals_organise_its_roles(world, api_as):
    offered = RoleFactory(network=world.own_network, organisation=world.own_organisation, settlement=None)
    client = api_as("professional")
    assert [r["slug"] for r in client.get(ROLES).json()["results"]] == [offered.slug]
    changed = client.patch(f"{ROLES}{offered.slug}/", {"time_commitment": "Fortnightly"}, format="json")
    assert changed.status_code == 200 and changed.json()["time_commitment"] == "Fortnightly"
    assert api_as("settlement_host").get(f"{ROLES}{offered.slug}/").status_code == 403
