"""The pitches and initiatives API: public reads with the pages' filters, and members'
support and pledges through the same services and rules as the pages."""

import itertools
import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.initiatives import services
from recoverynet.initiatives.factories import PitchFactory, PublishedPitchFactory
from recoverynet.initiatives.models import Initiative, NetworkSettings, Pitch, Pledge, Result, Support, TeamMember
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db


def pitch_url(pitch, name="detail"):
    return reverse(f"initiatives-pitch-{name}", kwargs={"pk": pitch.pk})


@pytest.fixture
def pitch(world):
    """Published in own_network by someone other than the roles' people."""
    return PublishedPitchFactory(network=world.own_network, needs_hours=20, title="Sunday café")


def test_the_list_has_published_pitches_with_the_pages_filters(world, pitch, api_as):
    PitchFactory(network=world.own_network, title="A draft")
    other = PublishedPitchFactory(network=world.other_network, title="Allotment")
    hidden = PublishedPitchFactory(network=world.own_network, title="Hidden one")
    Pitch.objects.filter(pk=hidden.pk).update(hidden_at="2026-06-02T10:00:00Z", hidden_reason="Unsafe")
    api = api_as("anonymous")
    titles = [p["title"] for p in api.get(reverse("initiatives-pitch-list")).json()["results"]]
    assert sorted(titles) == ["Allotment", "Sunday café"]
    by_network = api.get(reverse("initiatives-pitch-list"), {"network": world.other_network.slug}).json()
    assert [p["id"] for p in by_network["results"]] == [other.pk]
    searched = api.get(reverse("initiatives-pitch-list"), {"q": "allotment"}).json()["results"]
    assert [p["id"] for p in searched] == [other.pk]
    bad = api.get(reverse("initiatives-pitch-list"), {"state": "draft", "theme": "nonsense"})
    assert bad.status_code == 400 and set(bad.json()) == {"state", "theme"}


def test_the_detail_shows_needs_and_pledge_totals_but_no_supporter(world, pitch, api_as):
    supporter = world.users["professional"]
    services.support_pitch(actor=supporter, pitch=pitch)
    services.pledge_to_pitch(actor=supporter, pitch=pitch, kind="hours", hours=6)
    services.pledge_to_pitch(actor=world.users["member"], pitch=pitch, kind="skills", description="Baking")
    response = api_as("anonymous").get(pitch_url(pitch))
    body = response.json()
    assert body["needs"]["hours"] == 20 and body["supporters"] == 1
    assert body["pledged"] == {"hours": 6, "hours_still_needed": 14, "skills": 1, "space": 0, "equipment": 0}
    text = json.dumps(body)
    assert supporter.display_name not in text and supporter.email not in text and "Baking" not in text
    assert body["support_threshold"] == 10 and body["reading_time"].startswith("about")


def test_a_draft_is_not_found_except_by_its_author(world, api_as):
    draft = PitchFactory(network=world.own_network, author=world.users["member"])
    assert api_as("anonymous").get(pitch_url(draft)).status_code == 404
    assert api_as("professional").get(pitch_url(draft)).status_code == 404
    assert api_as("member").get(pitch_url(draft)).status_code == 200


def test_support_and_withdraw_are_idempotent_and_reach_the_threshold(world, pitch, api_as):
    NetworkSettings.objects.create(network=world.own_network, support_threshold=2)
    api = api_as("professional")
    first = api.post(pitch_url(pitch, "support"))
    assert first.status_code == 200 and first.json() == {"you_support": True, "supporters": 1, "state": "published"}
    assert api.post(pitch_url(pitch, "support")).json()["supporters"] == 1  # again: as it stands
    second = api_as("settlement_host").post(pitch_url(pitch, "support")).json()
    assert second == {"you_support": True, "supporters": 2, "state": "under_review"}
    withdrawn = api.post(pitch_url(pitch, "withdraw-support"))
    assert withdrawn.json() == {"you_support": False, "supporters": 1, "state": "under_review"}
    assert api.post(pitch_url(pitch, "withdraw-support")).json()["you_support"] is False
    assert Support.objects.filter(pitch=pitch).count() == 1


def test_support_follows_the_pages_rules(world, api_as):
    own = PublishedPitchFactory(network=world.own_network, author=world.users["member"])
    assert api_as("member").post(pitch_url(own, "support")).status_code == 403  # their own pitch
    assert api_as("anonymous").post(pitch_url(own, "support")).status_code == 403
    elsewhere = PublishedPitchFactory(network=world.other_network)
    assert api_as("professional").post(pitch_url(elsewhere, "support")).status_code == 403
    assert api_as("professional").post(pitch_url(elsewhere, "withdraw-support")).status_code == 403
    withdrawn = PublishedPitchFactory(network=world.own_network, state=Pitch.State.WITHDRAWN)
    closed = api_as("professional").post(pitch_url(withdrawn, "support"))
    assert closed.status_code == 400 and "withdrawn" in json.dumps(closed.json())
    assert not Support.objects.exists()


def test_a_pledge_through_the_api(world, pitch, api_as):
    api = api_as("professional")
    response = api.post(pitch_url(pitch, "pledges"), {"kind": "hours", "hours": 60}, format="json")
    assert response.status_code == 201 and response.json()["hours"] == 60
    too_many = api.post(pitch_url(pitch, "pledges"), {"kind": "hours", "hours": 50}, format="json")
    assert too_many.status_code == 400 and "hours" in too_many.json()
    organisation = api.post(
        pitch_url(pitch, "pledges"),
        {"kind": "space", "description": "Our hall", "organisation": world.own_organisation.slug},
        format="json",
    )
    assert organisation.status_code == 201 and organisation.json()["organisation"] == world.own_organisation.slug
    nowhere = api.post(pitch_url(pitch, "pledges"), {"kind": "space", "organisation": "nowhere"}, format="json")
    assert nowhere.status_code == 400 and "organisation" in nowhere.json()
    elsewhere = PublishedPitchFactory(network=world.other_network)
    assert api.post(pitch_url(elsewhere, "pledges"), {"kind": "skills"}, format="json").status_code == 403
    assert Pledge.objects.count() == 2


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=400),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "kind": st.one_of(st.sampled_from(["hours", "skills", "space", "equipment"]), JSONISH),
            "hours": st.one_of(st.integers(-5, 200), JSONISH),
            "description": JSONISH,
            "organisation": JSONISH,
        },
    )
)
def test_any_pledge_body_is_a_clear_answer_never_a_500(pledging, body):
    api, pitch = pledging
    Pledge.objects.all().delete()
    before = AuditEntry.objects.count()
    response = api.post(pitch_url(pitch, "pledges"), body, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert not Pledge.objects.exists() and AuditEntry.objects.count() == before
    else:
        assert Pledge.objects.count() == 1


@pytest.fixture
def pledging(world, pitch, api_as):
    return api_as("professional"), pitch


def test_the_pitch_list_runs_a_constant_number_of_queries(world, api_as):
    api = api_as("anonymous")

    def add_rows(n):
        for _ in range(n):
            pitch = PublishedPitchFactory(network=world.own_network)
            Support.objects.create(pitch=pitch, user=MembershipFactory(network=world.own_network).user)

    response = assert_constant_queries(lambda: api.get(reverse("initiatives-pitch-list")), add_rows)
    assert response.json()["count"] == 30


# --- Initiatives -----------------------------------------------------------------------


@pytest.fixture
def initiative(world):
    initiative = Initiative.objects.create(
        network=world.own_network, name="Sunday café", summary="A café.", started_on="2026-07-01"
    )
    TeamMember.objects.create(initiative=initiative, user=world.users["member"], role=TeamMember.Role.LEAD)
    TeamMember.objects.create(initiative=initiative, user=world.users["professional"], role=TeamMember.Role.ALLY)
    return initiative


def test_the_initiative_detail_has_team_milestones_results_and_updates(world, initiative, api_as):
    lead = world.users["member"]
    services.add_milestone(actor=lead, initiative=initiative, title="Open", due_on="2026-09-01")
    root = services.add_result(actor=lead, initiative=initiative, title="Open the café")
    services.add_result(actor=lead, initiative=initiative, title="Room", parent=root, weight=3, progress=100)
    services.add_result(actor=lead, initiative=initiative, title="Kettle", parent=root, weight=1, progress=20)
    update = services.post_update(actor=lead, initiative=initiative, text="We found a room.")
    hidden = services.post_update(actor=lead, initiative=initiative, text="Hidden one")
    type(hidden).objects.filter(pk=hidden.pk).update(hidden_at="2026-07-02T10:00:00Z")
    body = api_as("anonymous").get(reverse("initiatives-initiative-detail", kwargs={"pk": initiative.pk})).json()
    assert body["team"] == [  # by role, as on the page
        {"display_name": world.users["professional"].display_name, "role": "ally"},
        {"display_name": lead.display_name, "role": "lead"},
    ]
    assert [m["title"] for m in body["milestones"]] == ["Open"]
    progress = {r["title"]: (r["depth"], r["progress"]) for r in body["results"]}
    assert progress == {"Open the café": (0, 80.0), "Room": (1, 100.0), "Kettle": (1, 20.0)}  # (3×100 + 20) / 4
    assert [u["id"] for u in body["updates"]] == [update.pk]
    assert body["updates"][0]["author"] == lead.display_name
    assert "@" not in json.dumps(body)  # no emails anywhere
    assert Result.objects.count() == 3


def test_the_initiative_list_filters_and_runs_a_constant_number_of_queries(world, api_as):
    api = api_as("anonymous")
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            initiative = Initiative.objects.create(
                network=world.own_network, name=f"I{next(counter)}", summary="s", started_on="2026-07-01"
            )
            TeamMember.objects.create(initiative=initiative, user=MembershipFactory(network=world.own_network).user)

    response = assert_constant_queries(lambda: api.get(reverse("initiatives-initiative-list")), add_rows)
    assert response.json()["count"] == 30 and response.json()["results"][0]["team_size"] == 1
    filtered = api.get(reverse("initiatives-initiative-list"), {"kind": "social_enterprise"}).json()
    assert filtered["count"] == 0
    assert api.get(reverse("initiatives-initiative-list"), {"network": "nowhere"}).status_code == 400
