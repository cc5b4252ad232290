"""The time bank API: the same rules and services as the pages."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.testing import assert_constant_queries
from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Exchange, Transaction

pytestmark = pytest.mark.django_db

EXCHANGES = "/api/v1/timebank-exchanges/"


@pytest.fixture
def mine(world):
    member = world.users["member"]
    return services.join_time_bank(actor=member, user=member, network=world.own_network, consent=True)


def test_record_confirm_and_read_the_statement(world, mine, api_as, api_for):
    friend = MemberAccountFactory(network=world.own_network, user__display_name="Alex R.")
    api = api_as("member")
    body = {"giver": mine.pk, "receiver": friend.pk, "minutes": 90, "description": "Lift", "idempotency_key": "k-1"}
    created = api.post(EXCHANGES, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "recorded" and created.json()["receiver_name"] == "Alex R."
    assert api.post(EXCHANGES, body, format="json").json()["id"] == created.json()["id"]  # sent twice: one
    other = api.post(EXCHANGES, body | {"minutes": 30}, format="json")
    assert other.status_code == 400 and "other details" in str(other.json())
    assert Exchange.objects.count() == 1

    pk = created.json()["id"]
    assert api.post(f"{EXCHANGES}{pk}/confirm/").status_code == 403  # the giver cannot confirm
    friend_api = api_for(friend.user)
    assert friend_api.post(f"{EXCHANGES}{pk}/confirm/").json()["status"] == "confirmed"
    assert friend_api.post(f"{EXCHANGES}{pk}/confirm/").status_code == 200  # again: as it stands
    assert Transaction.objects.count() == 1
    assert friend_api.post(f"{EXCHANGES}{pk}/dispute/", {"reason": "x"}, format="json").status_code == 400

    accounts = api.get("/api/v1/timebank-accounts/").json()["results"]
    assert [(a["id"], a["balance_minutes"], a["balance"]) for a in accounts] == [(mine.pk, 90, "1 h 30 min")]
    statement = api.get(f"/api/v1/timebank-accounts/{mine.pk}/statement/").json()
    assert [(r["minutes"], r["balance_after"], r["kind"]) for r in statement["results"]] == [(90, 90, "exchange")]
    assert api.get(f"/api/v1/timebank-accounts/{friend.pk}/statement/").status_code == 404
    assert "@" not in str(api.get(EXCHANGES).json())  # display names, never emails


def test_a_dispute_needs_a_reason_and_moves_nothing(world, mine, api_as):
    giver = MemberAccountFactory(network=world.own_network)
    exchange = services.record_exchange(actor=giver.user, giver=giver, receiver=mine, minutes=20, description="DIY")
    api = api_as("member")
    url = f"{EXCHANGES}{exchange.pk}/dispute/"
    assert api.post(url, {"reason": 5}, format="json").status_code == 400
    response = api.post(url, {"reason": "It was 10 minutes"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "disputed"
    assert api.post(url, {"reason": "Again"}, format="json").status_code == 200
    assert not Transaction.objects.exists()


def test_someone_elses_account_cannot_give(world, mine, api_as):
    friend = MemberAccountFactory(network=world.own_network)
    body = {"giver": friend.pk, "receiver": mine.pk, "minutes": 30, "description": "Tea", "idempotency_key": "k"}
    response = api_as("member").post(EXCHANGES, body, format="json")
    assert response.status_code == 400 and "giver" in response.json()
    assert api_as("anonymous").post(EXCHANGES, body, format="json").status_code == 403
    assert not Exchange.objects.exists()


ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),  # JSON has no infinity
    st.text(max_size=300),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    giver=ANY,
    receiver=ANY,
    minutes=ANY,
    description=ANY,
    idempotency_key=ANY,
    category=st.one_of(ANY, st.sampled_from(["gardening", "home-visits", "no-such", ""])),
    drop=st.sets(st.integers(0, 5)),
)
def test_any_body_when_recording_is_a_clear_400_or_a_record(
    api_world, giver, receiver, minutes, description, idempotency_key, category, drop
):
    api, mine, friend = api_world
    values = [giver, receiver, minutes, description, idempotency_key, category]
    names = ["giver", "receiver", "minutes", "description", "idempotency_key", "category"]
    body = {name: value for i, (name, value) in enumerate(zip(names, values, strict=True)) if i not in drop}
    before = Exchange.objects.count()
    response = api.post(EXCHANGES, body, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert isinstance(response.json(), dict) and Exchange.objects.count() == before


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(reason=ANY)
def test_any_body_when_disputing_is_a_clear_400_or_the_dispute(api_world, reason):
    api, mine, friend = api_world
    exchange = services.record_exchange(actor=friend.user, giver=friend, receiver=mine, minutes=5, description="Tea")
    response = api.post(f"{EXCHANGES}{exchange.pk}/dispute/", {"reason": reason}, format="json")
    assert response.status_code in (200, 400), response.content
    exchange.refresh_from_db()
    if response.status_code == 400:
        assert exchange.status == Exchange.Status.RECORDED


@pytest.fixture
def api_world(world, mine, api_as):
    return api_as("member"), mine, MemberAccountFactory(network=world.own_network)


def test_lists_run_a_constant_number_of_queries(world, mine, api_as):
    api = api_as("network_coordinator")

    def add_rows(n):
        for _ in range(n):
            giver = MemberAccountFactory(network=world.own_network)
            services.record_exchange(actor=giver.user, giver=giver, receiver=mine, minutes=5, description="Tea")
            services.transfer(actor=giver.user, source=giver, destination=mine, minutes=1)

    def fetch():
        api.get("/api/v1/timebank-accounts/")
        api.get(f"/api/v1/timebank-accounts/{mine.pk}/statement/")
        return api.get(EXCHANGES)

    response = assert_constant_queries(fetch, add_rows)
    assert response.json()["count"] == 30


def test_record_with_a_category_through_the_api(world, mine, api_as):
    services.ensure_default_categories()
    friend = MemberAccountFactory(network=world.own_network)
    api = api_as("member")
    body = {"giver": mine.pk, "receiver": friend.pk, "minutes": 60, "description": "Garden", "idempotency_key": "c-1"}
    created = api.post(EXCHANGES, body | {"category": "gardening"}, format="json")
    assert created.status_code == 201 and created.json()["category"] == "gardening"
    vetted_only = api.post(EXCHANGES, body | {"category": "home-visits", "idempotency_key": "c-2"}, format="json")
    assert vetted_only.status_code == 400 and "not marked vetted" in str(vetted_only.json())
    unknown = api.post(EXCHANGES, body | {"category": "nope", "idempotency_key": "c-3"}, format="json")
    assert unknown.status_code == 400 and "category" in unknown.json()
    assert Exchange.objects.count() == 1
