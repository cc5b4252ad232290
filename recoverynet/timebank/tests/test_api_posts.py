"""The API for offers and requests: the browse page's visibility (hidden posts and
blocked people left out), the same services for posting and answering, a clear
400 with nothing written for any body, and a list whose queries do not grow."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.testing import assert_constant_queries
from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Category, Post, Response

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/timebank-posts/"


@pytest.fixture
def categories(db):
    services.ensure_default_categories()
    return {category.slug: category for category in Category.objects.all()}


@pytest.fixture
def mine(world):
    member = world.users["member"]
    return services.join_time_bank(actor=member, user=member, network=world.own_network, consent=True)


def offer(account, categories, **changes):
    data = {
        "kind": "offer",
        "category": categories["gardening"],
        "title": "Help in your garden",
        "description": "",
        "visibility": "network",
    }
    return services.create_post(actor=account.user, account=account, data=data | changes)


def test_the_list_leaves_out_hidden_posts_blocked_people_and_other_networks(world, mine, categories, api_as):
    shown = offer(MemberAccountFactory(network=world.own_network, user__display_name="Sam"), categories)
    hidden = offer(MemberAccountFactory(network=world.own_network), categories)
    services.set_post_hidden(actor=world.users["network_coordinator"], post=hidden, hidden=True)
    blocked_account = MemberAccountFactory(network=world.own_network)
    blocked = offer(blocked_account, categories)
    services.block_member(actor=world.users["member"], member=blocked_account.user)
    blocker_account = MemberAccountFactory(network=world.own_network)
    by_blocker = offer(blocker_account, categories)
    services.block_member(actor=blocker_account.user, member=world.users["member"])
    elsewhere = offer(MemberAccountFactory(network=world.other_network), categories)
    api = api_as("member")
    listed = api.get(POSTS).json()
    assert [row["id"] for row in listed["results"]] == [shown.pk]
    assert listed["results"][0]["poster_name"] == "Sam" and "email" not in str(listed)
    for post in (hidden, blocked, by_blocker, elsewhere):
        assert api.get(f"{POSTS}{post.pk}/").status_code == 404
    assert api.get(f"{POSTS}{shown.pk}/").json()["category"] == "gardening"
    assert api_as("anonymous").get(POSTS).status_code == 403


def test_post_through_the_api_with_the_same_rules(world, mine, categories, api_as):
    api = api_as("member")
    body = {"account": mine.pk, "kind": "offer", "category": "gardening", "title": "Weeding", "visibility": "network"}
    created = api.post(POSTS, body, format="json")
    assert created.status_code == 201, created.content
    post = Post.objects.get()
    assert (post.poster, post.category.slug, post.title) == (mine, "gardening", "Weeding")
    assert AuditEntry.objects.filter(content_type__model="post", object_id=str(post.pk)).exists()
    refused = api.post(POSTS, body | {"category": "home-visits"}, format="json")
    assert refused.status_code == 400 and "not marked vetted" in str(refused.json())
    someone_elses = MemberAccountFactory(network=world.own_network)
    assert api.post(POSTS, body | {"account": someone_elses.pk}, format="json").status_code == 400
    assert api.post(POSTS, body | {"category": "no-such-thing"}, format="json").status_code == 400
    assert Post.objects.count() == 1


def test_answer_through_the_api_once(world, mine, categories, api_as):
    post = offer(MemberAccountFactory(network=world.own_network), categories)
    api = api_as("member")
    answered = api.post(f"{POSTS}{post.pk}/respond/", {"message": "Saturday?"}, format="json")
    assert answered.status_code == 201, answered.content
    again = api.post(f"{POSTS}{post.pk}/respond/", {"message": "Saturday?"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == answered.json()["id"]  # sent twice: one answer
    other = api.post(f"{POSTS}{post.pk}/respond/", {"message": "Sunday?"}, format="json")
    assert other.status_code == 400 and "already answered" in str(other.json())
    assert Response.objects.count() == 1
    own = offer(mine, categories)
    assert api.post(f"{POSTS}{own.pk}/respond/", {"message": "Hi"}, format="json").status_code == 400


def test_the_list_runs_a_constant_number_of_queries(world, mine, categories, api_as):
    api = api_as("member")

    def add_rows(n):
        for _ in range(n):
            offer(MemberAccountFactory(network=world.own_network), categories)

    response = assert_constant_queries(lambda: api.get(POSTS), add_rows)
    assert response.json()["count"] == 30


ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=300),
    st.sampled_from(["offer", "request", "network", "federation", "gardening", "home-visits", "cooking"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
NAMES = ["account", "kind", "category", "title", "description", "visibility"]


@pytest.fixture
def api_world(world, mine, categories, api_as):
    return api_as("member"), mine, offer(MemberAccountFactory(network=world.own_network), categories)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(values=st.tuples(*[ANY] * len(NAMES)), use_mine=st.booleans(), drop=st.sets(st.integers(0, len(NAMES) - 1)))
def test_any_body_when_posting_is_a_clear_400_or_a_post(api_world, values, use_mine, drop):
    api, mine, _ = api_world
    values = list(values)
    if use_mine:
        values[0] = mine.pk
    body = {name: value for i, (name, value) in enumerate(zip(NAMES, values, strict=True)) if i not in drop}
    before = (Post.objects.count(), AuditEntry.objects.count())
    response = api.post(POSTS, body, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert isinstance(response.json(), dict) and (Post.objects.count(), AuditEntry.objects.count()) == before


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(message=ANY, drop=st.booleans())
def test_any_body_when_answering_is_a_clear_400_or_an_answer(api_world, message, drop):
    api, _, post = api_world
    before = Response.objects.count()
    response = api.post(f"{POSTS}{post.pk}/respond/", {} if drop else {"message": message}, format="json")
    assert response.status_code in (200, 201, 400), response.content
    if response.status_code == 400:
        assert isinstance(response.json(), dict) and Response.objects.count() == before
