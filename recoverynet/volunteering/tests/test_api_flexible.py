"""The API for flexible shifts, chosen times, hours and jobs, with the same services and
rules as the pages: shifts show their kind and window; a member signs up with a time in
the window, chooses or changes it later, confirms their hours, saves jobs and records how
they went; organisers add flexible shifts, change and cancel shifts and set a member's
time. Every body field: a clear 400 for anything wrong, never a 500, nothing written."""

import datetime
import itertools

import pytest
from django.core import mail
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import JobFactory, ShiftFactory
from recoverynet.volunteering.models import JobOutcome, Shift, SignUp

from .flexible_times import NOW, at

pytestmark = pytest.mark.django_db
ROLES = "/api/v1/volunteering/roles/"
MINE = "/api/v1/volunteering/signups/"
JOBS = "/api/v1/volunteering/jobs/"
ORGANISED_ROLES = "/api/v1/volunteering/organised-roles/"
SHIFTS = "/api/v1/volunteering/organised-shifts/"
PLACES = "/api/v1/volunteering/organised-signups/"
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
# Strings that look like what the fields take, near and far from valid.
date_like = st.dates().map(str) | st.sampled_from(["2026-12-02", "2026-12-09", "2026-02-30", "0001-01-01"])
time_like = st.times().map(str) | st.sampled_from(["10:00", "24:00", "09:60", "23:59:59.999999", "-1:00"])
keys = itertools.count()


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _written():
    return (
        Shift.objects.count(),
        list(Shift.objects.values_list("starts_at", "ends_at", "places", "expected_minutes", "cancelled_at")),
        list(SignUp.objects.values_list("status", "chosen_starts_at", "chosen_ends_at", "hours_confirmed_at")),
        list(JobOutcome.objects.values_list("status")),
        AuditEntry.objects.count(),
    )


# --- Members ---------------------------------------------------------------------------


def test_a_flexible_shift_shows_its_window(world, api_as, role, flexible):
    shift = api_as("anonymous").get(f"{ROLES}{role.slug}/shifts/").json()["results"][0]
    assert shift["kind"] == "flexible" and shift["expected_minutes"] == 120 and shift["expected_per"] == "total"
    assert shift["day_starts"] == "09:00:00" and shift["day_ends"] == "17:00:00"
    assert shift["when"] == flexible.when and shift["when"].startswith("Any 2 h in total")
    organised = api_as("settlement_host").get(f"{SHIFTS}{flexible.pk}/").json()
    assert organised["kind"] == "flexible" and organised["when"] == flexible.when and organised["cancelled_at"] is None


def test_a_member_signs_up_with_a_time_in_the_window(world, api_as, flexible):
    member = api_as("member")
    response = member.post(
        MINE, {"shift": flexible.pk, "date": "2026-12-02", "start": "10:00", "end": "12:00"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "flexible" and body["when"] == flexible.when
    assert datetime.datetime.fromisoformat(body["chosen_starts_at"]) == at(2, 10)
    assert datetime.datetime.fromisoformat(body["chosen_ends_at"]) == at(2, 12)


@pytest.mark.parametrize(
    ("time", "field", "message"),
    [
        ({"date": "2026-12-02", "start": "18:00", "end": "19:00"}, "chosen_start", "within the window"),
        ({"date": "2026-12-09", "start": "10:00", "end": "12:00"}, "chosen_start", "within the window"),
        ({"date": "2026-12-02", "start": "12:00", "end": "10:00"}, "end", "end after it starts"),
        ({"date": "2026-12-02", "start": "10:00"}, "end", "together"),
    ],
)
def test_a_time_the_page_refuses_the_api_refuses(world, api_as, flexible, time, field, message):
    before = _written()
    response = api_as("member").post(MINE, {"shift": flexible.pk, **time}, format="json")
    assert response.status_code == 400 and message in str(response.json()[field])
    assert _written() == before


def test_a_fixed_shift_has_no_time_to_choose(world, api_as, role):
    fixed = ShiftFactory(role=role, starts_at=at(2, 10), ends_at=at(2, 12))
    before = _written()
    response = api_as("member").post(
        MINE, {"shift": fixed.pk, "date": "2026-12-02", "start": "10:00", "end": "12:00"}, format="json"
    )
    assert response.status_code == 400 and "fixed times" in str(response.json())
    assert _written() == before


def test_a_member_chooses_then_changes_their_time(world, api_as, flexible, django_capture_on_commit_callbacks):
    member = api_as("member")
    signup = member.post(MINE, {"shift": flexible.pk}, format="json").json()
    assert signup["chosen_starts_at"] is None
    url = f"{MINE}{signup['id']}/time/"
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(url, {"date": "2026-12-03", "start": "13:00", "end": "15:30"}, format="json")
    assert response.status_code == 200, response.content
    assert datetime.datetime.fromisoformat(response.json()["chosen_starts_at"]) == at(3, 13)
    assert [m.to for m in mail.outbox] == [[world.users["settlement_host"].email]]
    assert member.post(url, {}, format="json").status_code == 400
    # Someone else's place is not found.
    assert api_as("professional").post(url, {"date": "2026-12-03", "start": "13:00", "end": "15:00"}).status_code == 404


def test_a_member_confirms_their_hours_once(world, api_as, role, time_machine):
    shift = ShiftFactory(role=role, starts_at=at(1, 10), ends_at=at(1, 13))
    signup = services.sign_up(actor=world.users["member"], shift=shift)
    services.confirm_signup(actor=world.users["settlement_host"], signup=signup)
    url = f"{MINE}{signup.pk}/confirm-hours/"
    member = api_as("member")
    response = member.post(url)
    assert response.status_code == 400 and "no hours to confirm" in str(response.json())
    time_machine.move_to(at(1, 14), tick=False)
    services.record_hours(actor=world.users["settlement_host"], shift=shift, entries={signup.pk: (True, 150)})
    body = member.post(url).json()
    assert body["minutes_confirmed"] == 150
    entries = AuditEntry.objects.count()
    assert member.post(url).json()["minutes_confirmed"] == 150  # again: as it stands
    assert AuditEntry.objects.count() == entries
    assert api_as("settlement_host").post(url).status_code == 404  # only the member confirms


def test_a_member_saves_a_job_records_how_it_went_and_unsaves(world, api_as):
    job = JobFactory(network=world.own_network)
    url = f"{JOBS}{job.slug}/outcome/"
    member = api_as("member")
    assert member.get(url).status_code == 404
    assert member.post(url, {"status": "saved"}, format="json").json()["status"] == "saved"
    assert member.delete(url).status_code == 204
    assert not JobOutcome.objects.exists()
    assert member.delete(url).status_code == 204  # nothing to remove: the same answer
    member.post(url, {"status": "applied"}, format="json")
    started = member.post(url, {"status": "started"}, format="json").json()
    assert started["status"] == "started" and started["started_on"] == "2026-11-27"
    before = _written()
    refused = member.delete(url)
    assert refused.status_code == 400 and "Not this time" in str(refused.json())
    assert _written() == before
    assert api_as("anonymous").post(url, {"status": "saved"}, format="json").status_code == 403
    # Only the member sees their own progress.
    assert api_as("settlement_host").get(url).status_code == 404


def test_the_members_place_list_runs_a_constant_number_of_queries(world, api_as, role):
    def add_places(count):
        for _ in range(count):
            window = ShiftFactory(
                role=role,
                kind="flexible",
                starts_at=at(5, 9),
                ends_at=at(20, 17),
                expected_minutes=60,
                expected_per="week",
            )
            SignUp.objects.create(
                shift=window, user=world.users["member"], chosen_starts_at=at(6, 9), chosen_ends_at=at(6, 10)
            )

    member = api_as("member")
    assert assert_constant_queries(lambda: member.get(MINE), add_places).json()["count"] == 30


# --- Organisers --------------------------------------------------------------------------


def _flexible_body(**changes):
    return {
        "kind": "flexible",
        "starts_at": at(1, 9).isoformat(),
        "ends_at": at(12, 17).isoformat(),
        "day_starts": "09:00",
        "day_ends": "17:00",
        "expected_minutes": 180,
        "expected_per": "week",
        "places": 4,
        "idempotency_key": f"flex-{next(keys)}",
    } | changes


def test_an_organiser_adds_a_flexible_shift(world, api_as, role):
    response = api_as("settlement_host").post(f"{ORGANISED_ROLES}{role.slug}/shifts/", _flexible_body(), format="json")
    assert response.status_code == 201, response.content
    shift = Shift.objects.get(pk=response.json()["id"])
    assert shift.is_flexible and shift.expected_minutes == 180 and shift.expected_per == "week"
    assert shift.day_starts == datetime.time(9) and response.json()["when"] == shift.when


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expected_minutes": None}, "expected_minutes"),
        ({"expected_per": "month"}, "expected_per"),
        ({"day_starts": "18:00"}, "day_ends"),
        ({"day_ends": None}, "day_ends"),
        ({"ends_at": at(1, 9).isoformat()}, "ends_at"),
        ({"kind": "fixed"}, "expected_minutes"),
        (
            {"kind": "fixed", "expected_minutes": None, "expected_per": None, "day_starts": None, "day_ends": None},
            "ends_at",
        ),
    ],
)
def test_a_flexible_shift_the_page_refuses_the_api_refuses(world, api_as, role, changes, field):
    before = _written()
    body = {k: v for k, v in _flexible_body(**changes).items() if v is not None or k in ("day_starts", "day_ends")}
    response = api_as("settlement_host").post(f"{ORGANISED_ROLES}{role.slug}/shifts/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert _written() == before


def test_an_organiser_changes_a_shift_and_those_with_a_place_are_told(
    world, api_as, flexible, django_capture_on_commit_callbacks
):
    services.sign_up(actor=world.users["member"], shift=flexible)
    host = api_as("settlement_host")
    with django_capture_on_commit_callbacks(execute=True):
        response = host.patch(
            f"{SHIFTS}{flexible.pk}/", {"ends_at": at(5, 17).isoformat(), "expected_minutes": 90}, format="json"
        )
    assert response.status_code == 200, response.content
    assert response.json()["expected_minutes"] == 90 and response.json()["when"].endswith("09:00 to 17:00 each day")
    assert [m.to for m in mail.outbox] == [[world.users["member"].email]]
    before = _written()
    for body, field in (
        ({"places": 0}, "places"),
        ({"ends_at": at(1, 8).isoformat()}, "ends_at"),
        ({}, "non_field_errors"),
    ):
        refused = host.patch(f"{SHIFTS}{flexible.pk}/", body, format="json")
        assert refused.status_code == 400 and field in refused.json(), refused.content
    assert _written() == before
    assert api_as("member").patch(f"{SHIFTS}{flexible.pk}/", {"places": 5}, format="json").status_code == 403


def test_a_fixed_shift_has_no_window_to_change(world, api_as, role):
    fixed = ShiftFactory(role=role, starts_at=at(2, 10), ends_at=at(2, 12))
    before = _written()
    response = api_as("settlement_host").patch(f"{SHIFTS}{fixed.pk}/", {"expected_minutes": 60}, format="json")
    assert response.status_code == 400 and "cannot be changed" in str(response.json())
    assert _written() == before


def test_an_organiser_cancels_a_shift(world, api_as, role, flexible, django_capture_on_commit_callbacks):
    host = api_as("settlement_host")
    empty = ShiftFactory(role=role, starts_at=at(2, 10), ends_at=at(2, 12))
    assert host.post(f"{SHIFTS}{empty.pk}/cancel/").status_code == 204
    assert not Shift.objects.filter(pk=empty.pk).exists()
    signup = services.sign_up(actor=world.users["member"], shift=flexible)
    with django_capture_on_commit_callbacks(execute=True):
        response = host.post(f"{SHIFTS}{flexible.pk}/cancel/", {"reason": "The hall flooded"}, format="json")
    assert response.status_code == 200 and response.json()["cancelled_at"]
    assert SignUp.objects.get(pk=signup.pk).status == "cancelled"
    assert "The hall flooded" in mail.outbox[0].body
    entries = AuditEntry.objects.count()
    assert host.post(f"{SHIFTS}{flexible.pk}/cancel/").status_code == 200  # as it stands
    assert AuditEntry.objects.count() == entries
    refused = host.patch(f"{SHIFTS}{flexible.pk}/", {"places": 5}, format="json")
    assert refused.status_code == 400 and "cancelled" in str(refused.json())


def test_an_organiser_sets_a_members_time(world, api_as, flexible, django_capture_on_commit_callbacks):
    signup = services.sign_up(actor=world.users["member"], shift=flexible)
    url = f"{PLACES}{signup.pk}/time/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("network_coordinator").post(
            url, {"date": "2026-12-04", "start": "09:00", "end": "10:00"}, format="json"
        )
    assert response.status_code == 200, response.content
    assert datetime.datetime.fromisoformat(response.json()["chosen_starts_at"]) == at(4, 9)
    assert [m.to for m in mail.outbox] == [[world.users["member"].email]]
    assert api_as("member").post(url, {"date": "2026-12-04", "start": "09:00", "end": "10:00"}).status_code == 403


# --- Any value of any field -----------------------------------------------------------------


def _clear(send, ok=(200, 201, 204)):
    """send() -> a response: a success, or a clear 400 with nothing written."""
    before = _written()
    response = send()
    assert response.status_code in (*ok, 400), response.content
    if response.status_code == 400:
        assert response.json() and _written() == before
    return response.status_code


@EXAMPLES
@given(field=st.sampled_from(["date", "start", "end"]), value=json_values | date_like | time_like)
def test_any_chosen_time_at_sign_up_is_a_clear_answer(world, api_as, flexible, field, value):
    body = {"shift": flexible.pk, "date": "2026-12-02", "start": "10:00", "end": "12:00"} | {field: value}
    if _clear(lambda: api_as("member").post(MINE, body, format="json")) == 201:
        SignUp.objects.all().delete()


@EXAMPLES
@given(field=st.sampled_from(["date", "start", "end"]), value=json_values | date_like | time_like)
def test_any_time_chosen_later_is_a_clear_answer(world, api_as, flexible, field, value):
    signup = SignUp.objects.get_or_create(shift=flexible, user=world.users["member"])[0]
    SignUp.objects.filter(pk=signup.pk).update(chosen_starts_at=None, chosen_ends_at=None)
    body = {"date": "2026-12-02", "start": "10:00", "end": "12:00"} | {field: value}
    for client, url in (
        (api_as("member"), f"{MINE}{signup.pk}/time/"),
        (api_as("settlement_host"), f"{PLACES}{signup.pk}/time/"),
    ):
        _clear(lambda client=client, url=url: client.post(url, body, format="json"))


@EXAMPLES
@given(value=json_values)
def test_any_job_status_is_a_clear_answer(world, api_as, value):
    job = JobFactory(network=world.own_network)
    _clear(lambda: api_as("member").post(f"{JOBS}{job.slug}/outcome/", {"status": value}, format="json"))


@EXAMPLES
@given(
    field=st.sampled_from(
        ["kind", "starts_at", "ends_at", "day_starts", "day_ends", "expected_minutes", "expected_per", "places"]
    ),
    value=json_values | st.datetimes().map(str) | time_like,
)
def test_any_value_of_any_flexible_shift_field_is_a_clear_answer(world, api_as, role, field, value):
    _clear(
        lambda: api_as("settlement_host").post(
            f"{ORGANISED_ROLES}{role.slug}/shifts/", _flexible_body(**{field: value}), format="json"
        )
    )


@EXAMPLES
@given(
    field=st.sampled_from(
        ["starts_at", "ends_at", "day_starts", "day_ends", "expected_minutes", "expected_per", "places"]
    ),
    value=json_values | st.datetimes().map(str) | time_like,
)
def test_any_change_to_a_shift_is_a_clear_answer(world, api_as, flexible, field, value):
    _clear(lambda: api_as("settlement_host").patch(f"{SHIFTS}{flexible.pk}/", {field: value}, format="json"))


@EXAMPLES
@given(value=json_values)
def test_any_cancel_reason_is_a_clear_answer(world, api_as, role, value):
    shift = ShiftFactory(role=role, starts_at=at(2, 10), ends_at=at(2, 12))
    SignUp.objects.create(shift=shift, user=world.users["member"])
    _clear(lambda: api_as("settlement_host").post(f"{SHIFTS}{shift.pk}/cancel/", {"reason": value}, format="json"))
