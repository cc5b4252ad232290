"""The members' API: your own places (list, sign up, cancel), a role's shifts with places
left, and open jobs; the same services and rules as the pages; hostile bodies and query
strings are a clear 400 with nothing written; lists run a constant number of queries."""

import datetime
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import JobFactory, RoleFactory, ShiftFactory
from recoverynet.volunteering.models import SignUp

pytestmark = pytest.mark.django_db

SIGNUPS = "/api/v1/volunteering/signups/"
JOBS = "/api/v1/volunteering/jobs/"
EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _written():
    return SignUp.objects.count(), AuditEntry.objects.count()


def test_a_member_signs_up_sees_their_place_and_cancels_it(world, api_as, shift):
    member = api_as("member")
    response = member.post(SIGNUPS, {"shift": shift.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["shift"] == shift.pk and body["role"] == shift.role.slug and body["status"] == "requested"
    assert body["minutes_confirmed"] is None

    listed = member.get(SIGNUPS).json()
    assert [s["id"] for s in listed["results"]] == [body["id"]]
    assert AuditEntry.objects.filter(summary="Signed up").count() == 1

    again = member.post(SIGNUPS, {"shift": shift.pk}, format="json")
    assert again.status_code == 400 and "already have a place" in str(again.json())
    assert SignUp.objects.count() == 1

    cancelled = member.post(f"{SIGNUPS}{body['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    # Asked again: it stands as asked, nothing more recorded.
    entries = AuditEntry.objects.count()
    assert member.post(f"{SIGNUPS}{body['id']}/cancel/").json()["status"] == "cancelled"
    assert AuditEntry.objects.count() == entries


def test_someone_elses_place_is_not_found_and_nobody_sees_it_listed(world, api_as, shift):
    signup = services.sign_up(actor=world.users["member"], shift=shift)
    for role in ("settlement_host", "network_coordinator", "admin"):
        client = api_as(role)
        assert client.get(f"{SIGNUPS}{signup.pk}/").status_code == 404
        assert client.post(f"{SIGNUPS}{signup.pk}/cancel/").status_code == 404
        assert client.get(SIGNUPS).json()["count"] == 0
    assert api_as("anonymous").get(SIGNUPS).status_code == 403
    assert api_as("anonymous").post(SIGNUPS, {"shift": shift.pk}, format="json").status_code == 403
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.REQUESTED


def test_the_services_refusals_are_clear_errors(world, api_as, role, past_shift):
    member = api_as("member")
    started = member.post(SIGNUPS, {"shift": past_shift.pk}, format="json")
    assert started.status_code == 400 and "already started" in str(started.json())
    full = ShiftFactory(role=role, places=1)
    services.sign_up(actor=world.users["network_coordinator"], shift=full)
    refused = member.post(SIGNUPS, {"shift": full.pk}, format="json")
    assert refused.status_code == 400 and "full" in str(refused.json())
    hidden = ShiftFactory(role=RoleFactory(network=world.own_network, is_published=False))
    unknown = member.post(SIGNUPS, {"shift": hidden.pk}, format="json")
    assert unknown.status_code == 400 and "shift" in unknown.json()
    assert not SignUp.objects.filter(user=world.users["member"]).exists()


def test_a_started_place_can_no_longer_be_cancelled(world, api_as, past_shift):
    signup = services.record_walk_in(actor=world.users["settlement_host"], shift=past_shift, user=world.users["member"])
    response = api_as("member").post(f"{SIGNUPS}{signup.pk}/cancel/")
    assert response.status_code == 400 and "already started" in str(response.json())
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CONFIRMED


def test_a_roles_shifts_with_places_left(world, api_as, role, past_shift):
    later = ShiftFactory(role=role, places=3, starts_at=timezone.now() + datetime.timedelta(days=9))
    sooner = ShiftFactory(role=role, places=2, starts_at=timezone.now() + datetime.timedelta(days=2))
    services.sign_up(actor=world.users["member"], shift=sooner)
    body = api_as("anonymous").get(f"/api/v1/volunteering/roles/{role.slug}/shifts/").json()
    assert [(s["id"], s["places_left"]) for s in body["results"]] == [(sooner.pk, 1), (later.pk, 3)]
    assert "member" not in str(body).lower()
    hidden = RoleFactory(network=world.own_network, is_published=False)
    assert api_as("anonymous").get(f"/api/v1/volunteering/roles/{hidden.slug}/shifts/").status_code == 404


def test_jobs_as_on_the_page(world, api_as):
    open_job = JobFactory(network=world.own_network, title="Barista", lived_experience_welcomed=True)
    other = JobFactory(network=world.own_network, title="Driver", employer="Lorries Ltd")
    closed = JobFactory(network=world.own_network, closing_date=timezone.localdate() - datetime.timedelta(days=1))
    hidden = JobFactory(network=world.own_network, is_published=False)
    client = api_as("anonymous")
    assert {j["slug"] for j in client.get(JOBS).json()["results"]} == {open_job.slug, other.slug}
    assert [j["slug"] for j in client.get(JOBS, {"q": "lorries"}).json()["results"]] == [other.slug]
    assert [j["slug"] for j in client.get(JOBS, {"lived_experience": "yes"}).json()["results"]] == [open_job.slug]
    assert client.get(JOBS, {"lived_experience": "maybe"}).status_code == 400
    assert client.get(f"{JOBS}{closed.slug}/").status_code == 200  # as the page: readable after closing
    assert client.get(f"{JOBS}{hidden.slug}/").status_code == 404
    assert client.post(JOBS, {}, format="json").status_code in (403, 405)


@EXAMPLES
@given(body=st.dictionaries(st.sampled_from(["shift", "user", "status"]), json_values, max_size=3))
def test_any_sign_up_body_is_a_clear_answer(world, api_as, shift, body):
    before = _written()
    response = api_as("member").post(SIGNUPS, body, format="json")
    if response.status_code == 201:  # only a real shift's id signs up
        assert SignUp.objects.get().shift_id == shift.pk
        SignUp.objects.all().delete()
        AuditEntry.objects.all().delete()
        return
    assert response.status_code == 400, response.content
    assert response.json()
    assert _written() == before


@EXAMPLES
@given(raw=st.binary(max_size=40))
def test_any_raw_body_is_a_clear_answer(world, api_as, shift, raw):
    before = _written()
    response = api_as("member").generic("POST", SIGNUPS, raw, content_type="application/json")
    assert response.status_code in (400, 415), response.content
    assert _written() == before


@EXAMPLES
@given(q=st.text(max_size=120), lived=st.text(max_size=10), page=st.text(max_size=6), ordering=st.text(max_size=12))
def test_any_jobs_query_is_a_page_or_a_clear_error(world, api_as, q, lived, page, ordering):
    response = api_as("anonymous").get(JOBS, {"q": q, "lived_experience": lived, "page": page, "ordering": ordering})
    assert response.status_code in (200, 400, 404), response.content


def test_the_lists_run_a_constant_number_of_queries(world, api_as):
    member = world.users["member"]
    client = api_as("member")
    counter = itertools.count()
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement, early_recovery="yes")

    def add_places(n):
        for _ in range(n):
            start = timezone.now() + datetime.timedelta(days=3, hours=4 * next(counter))
            shift = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
            SignUp.objects.create(shift=shift, user=member)

    assert assert_constant_queries(lambda: client.get(SIGNUPS), add_places).json()["count"] == 30
    shifts = f"/api/v1/volunteering/roles/{role.slug}/shifts/"
    assert assert_constant_queries(lambda: client.get(shifts), add_places).json()["count"] == 60

    def add_jobs(n):
        for _ in range(n):
            JobFactory(network=world.own_network)

    assert assert_constant_queries(lambda: client.get(JOBS), add_jobs).json()["count"] == 30
