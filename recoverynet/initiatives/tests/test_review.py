"""Review by peers: a balanced panel (at least half with lived experience, declared
by each member and never shown), scores on published criteria, conflicts of interest."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.initiatives import services
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import ConflictOfInterest, PanelMember, Pitch, ReviewRound, Score

pytestmark = pytest.mark.django_db

CRITERIA = ["Meets a need", "Led by lived experience", "Can start soon"]


@pytest.fixture
def panel(world):
    return [MembershipFactory(network=world.own_network).user for _ in range(4)]


@pytest.fixture
def review_round(world, panel):
    return services.create_review_round(
        actor=world.users["network_coordinator"],
        network=world.own_network,
        title="Spring",
        criteria=CRITERIA,
        members=panel,
    )


@pytest.fixture
def under_review(world):
    pitch = PublishedPitchFactory(network=world.own_network, title="Sunday café")
    services.start_review(actor=world.users["network_coordinator"], pitch=pitch)
    return pitch


def _declare(review_round, panel, answers):
    for user, answer in zip(panel, answers, strict=False):
        services.declare_lived_experience(actor=user, review_round=review_round, lived_experience=answer)


def _open(world, review_round):
    return services.open_scoring(actor=world.users["network_coordinator"], review_round=review_round)


def test_scoring_opens_only_when_at_least_half_have_lived_experience(world, review_round, panel):
    _declare(review_round, panel, [True, False, False])  # the fourth has not answered
    with pytest.raises(ValidationError, match="At least half of the panel .* 1 of 4"):
        _open(world, review_round)
    assert ReviewRound.objects.get().state == ReviewRound.State.FORMING
    _declare(review_round, panel[1:], [True])
    _open(world, review_round)
    assert review_round.state == ReviewRound.State.SCORING


def test_the_lived_experience_flag_is_encrypted_and_never_in_the_audit_log(world, review_round, panel):
    from django.db import connection

    _declare(review_round, panel, [True])
    seat = PanelMember.objects.get(user=panel[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT lived_experience FROM initiatives_panelmember WHERE id = %s", [seat.pk])
        stored = cursor.fetchone()[0]
    assert stored not in (True, 1, "1", "true", "True")
    entry = AuditEntry.objects.filter(content_type__model="panelmember", object_id=str(seat.pk)).latest("pk")
    assert "True" not in str(entry.changes) and "true" not in str(entry.changes).lower().replace("redacted", "")


def test_only_a_panel_member_declares_for_themselves(world, review_round):
    with pytest.raises(PermissionDenied):
        services.declare_lived_experience(actor=world.users["member"], review_round=review_round, lived_experience=True)


@pytest.mark.parametrize("role", ["member", "professional", "settlement_host"])
def test_only_coordinators_start_rounds(world, panel, role):
    with pytest.raises(PermissionDenied):
        services.create_review_round(
            actor=world.users[role], network=world.own_network, title="x", criteria=CRITERIA, members=panel
        )
    assert not ReviewRound.objects.exists()


@pytest.mark.parametrize(
    ("criteria", "members_ok", "field"),
    [
        ([], True, "criteria"),
        (["x" * 101], True, "criteria"),
        (["Same", "same"], True, "criteria"),
        ([f"c{i}" for i in range(9)], True, "criteria"),
        (CRITERIA, False, "members"),
    ],
)
def test_a_bad_round_is_refused_and_writes_nothing(world, panel, criteria, members_ok, field):
    members = panel if members_ok else [world.other_membership.user]
    with pytest.raises(ValidationError) as refused:
        services.create_review_round(
            actor=world.users["network_coordinator"],
            network=world.own_network,
            title="Round",
            criteria=criteria,
            members=members,
        )
    assert field in refused.value.message_dict
    assert not ReviewRound.objects.exists() and not PanelMember.objects.exists()


def test_panel_members_score_on_every_criterion_and_the_means_are_published(world, review_round, panel, under_review):
    _declare(review_round, panel, [True, True, False, False])
    _open(world, review_round)
    services.score_pitch(actor=panel[0], review_round=review_round, pitch=under_review, values={0: 5, 1: 4, 2: 3})
    services.score_pitch(actor=panel[1], review_round=review_round, pitch=under_review, values={0: 4, 1: 4, 2: 2})
    # Scoring again replaces one's own scores.
    services.score_pitch(actor=panel[1], review_round=review_round, pitch=under_review, values={0: 3, 1: 4, 2: 1})
    (row,) = services.round_results(review_round)
    assert row["means"] == [4.0, 4.0, 2.0] and row["overall"] == 3.3 and row["scorers"] == 2
    assert Score.objects.count() == 6


@pytest.mark.parametrize(
    "values",
    [{0: 5, 1: 4}, {0: 0, 1: 4, 2: 3}, {0: 6, 1: 4, 2: 3}, {0: "5", 1: 4, 2: 3}, {0: True, 1: 4, 2: 3}, None],
)
def test_scores_outside_1_to_5_or_missing_are_refused(world, review_round, panel, under_review, values):
    _declare(review_round, panel, [True, True])
    _open(world, review_round)
    with pytest.raises(ValidationError):
        services.score_pitch(actor=panel[0], review_round=review_round, pitch=under_review, values=values)
    assert not Score.objects.exists()


def test_a_conflicted_member_cannot_score_and_their_earlier_scores_go(world, review_round, panel, under_review):
    _declare(review_round, panel, [True, True])
    _open(world, review_round)
    services.score_pitch(actor=panel[0], review_round=review_round, pitch=under_review, values={0: 5, 1: 5, 2: 5})
    services.declare_conflict(actor=panel[0], review_round=review_round, pitch=under_review, description="My friend")
    assert not Score.objects.exists()
    with pytest.raises(ValidationError, match="declared an interest"):
        services.score_pitch(actor=panel[0], review_round=review_round, pitch=under_review, values={0: 1, 1: 1, 2: 1})
    assert not Score.objects.exists()
    entry = AuditEntry.objects.filter(content_type__model="conflictofinterest").get()
    assert "My friend" not in str(entry.changes)


def test_someone_not_on_the_panel_cannot_score(world, review_round, panel, under_review):
    _declare(review_round, panel, [True, True])
    _open(world, review_round)
    for user in (world.users["member"], world.users["network_coordinator"]):
        with pytest.raises(PermissionDenied):
            services.score_pitch(actor=user, review_round=review_round, pitch=under_review, values={0: 1, 1: 1, 2: 1})
    assert not Score.objects.exists()


def test_no_scores_before_scoring_opens_after_it_closes_or_for_other_pitches(world, review_round, panel, under_review):
    values = {0: 3, 1: 3, 2: 3}
    with pytest.raises(ValidationError, match="not scoring"):
        services.score_pitch(actor=panel[0], review_round=review_round, pitch=under_review, values=values)
    _declare(review_round, panel, [True, True])
    _open(world, review_round)
    published = PublishedPitchFactory(network=world.own_network)
    elsewhere = PublishedPitchFactory(network=world.other_network, state=Pitch.State.UNDER_REVIEW)
    for pitch in (published, elsewhere):
        with pytest.raises(ValidationError, match="Only pitches under review"):
            services.score_pitch(actor=panel[0], review_round=review_round, pitch=pitch, values=values)
    services.close_round(actor=world.users["network_coordinator"], review_round=review_round)
    with pytest.raises(ValidationError, match="not scoring"):
        services.score_pitch(actor=panel[0], review_round=review_round, pitch=under_review, values=values)
    assert not Score.objects.exists()


def test_erasure_deletes_the_panel_seat_with_its_flag(world, review_round, panel):
    from recoverynet.accounts.services import erase_user

    _declare(review_round, panel, [True])
    erase_user(actor=panel[0], user=panel[0])
    assert not PanelMember.objects.filter(user=panel[0]).exists()


# --- Pages ------------------------------------------------------------------------


def test_the_round_in_the_browser_of_a_coordinator_and_a_panel_member(world, panel, under_review, client_for):
    coordinator = client_for(world.users["network_coordinator"])
    new = reverse("initiatives:round_new", kwargs={"slug": world.own_network.slug})
    response = coordinator.post(
        new, {"title": "Spring", "criteria": "Need\nLived experience", "members": [u.pk for u in panel[:2]]}
    )
    review_round = ReviewRound.objects.get()
    assert response.status_code == 302 and review_round.criteria == ["Need", "Lived experience"]
    state = reverse("initiatives:round_state", kwargs={"pk": review_round.pk})
    refused = coordinator.post(state, follow=True).content.decode()
    assert "At least half of the panel must be people with lived experience: 0 of 2" in refused

    member = client_for(panel[0])
    declare = reverse("initiatives:round_declare", kwargs={"pk": review_round.pk})
    assert "Choose yes or no" in member.post(declare, {"lived_experience": "maybe"}).content.decode()
    assert member.post(declare, {"lived_experience": "yes"}).status_code == 302
    coordinator.post(state)
    review_round.refresh_from_db()
    assert review_round.state == ReviewRound.State.SCORING

    score = reverse("initiatives:round_score", kwargs={"pk": review_round.pk, "pitch_pk": under_review.pk})
    assert f'href="{score}"' in member.get(review_round.get_absolute_url()).content.decode()
    assert "Score “Need” from 1 to 5" in member.post(score, {"action": "score", "criterion_0": "9"}).content.decode()
    assert member.post(score, {"action": "score", "criterion_0": "4", "criterion_1": "5"}).status_code == 302
    public = Client().get(review_round.get_absolute_url()).content.decode()
    assert "Need" in public and "4.0" not in public  # scores are published when the round closes
    assert "Yes" not in public and "lived experience: " not in public  # nobody's answer, no counts
    coordinator.post(state)
    public = Client().get(review_round.get_absolute_url()).content.decode()
    assert "4.0" in public and "5.0" in public and "Sunday café" in public


def test_a_conflict_declared_on_the_page(world, review_round, panel, under_review, client_for):
    _declare(review_round, panel, [True, True])
    _open(world, review_round)
    member = client_for(panel[0])
    url = reverse("initiatives:round_score", kwargs={"pk": review_round.pk, "pitch_pk": under_review.pk})
    assert "Say what your interest is" in member.post(url, {"action": "conflict"}).content.decode()
    assert member.post(url, {"action": "conflict", "description": "My neighbour"}).status_code == 302
    assert "you do not score it" in member.get(url).content.decode()
    assert ConflictOfInterest.objects.count() == 1


# --- Any input --------------------------------------------------------------------


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    action=st.one_of(st.sampled_from(["score", "conflict"]), st.text(max_size=10)),
    scores=st.lists(st.one_of(st.sampled_from(["1", "3", "5"]), st.text(max_size=5)), min_size=3, max_size=3),
    description=st.text(max_size=320),
)
def test_any_values_on_the_score_page_never_500(scoring, action, scores, description):
    client, review_round, pitch = scoring
    ConflictOfInterest.objects.all().delete()
    before = (Score.objects.count(), ConflictOfInterest.objects.count())
    data = {"action": action, "description": description, **{f"criterion_{i}": v for i, v in enumerate(scores)}}
    url = reverse("initiatives:round_score", kwargs={"pk": review_round.pk, "pitch_pk": pitch.pk})
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (Score.objects.count(), ConflictOfInterest.objects.count()) == before
    assert all(1 <= s.value <= 5 for s in Score.objects.all())


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    title=st.text(max_size=140),
    criteria=st.one_of(st.text(max_size=900), st.lists(st.text(max_size=30), max_size=10).map("\n".join)),
    members=st.lists(st.one_of(st.integers(-5, 10**6).map(str), st.text(max_size=5)), max_size=4),
)
def test_any_values_in_the_round_form_never_500(coordinating, title, criteria, members):
    client, world = coordinating
    before = ReviewRound.objects.count()
    url = reverse("initiatives:round_new", kwargs={"slug": world.own_network.slug})
    response = client.post(url, {"title": title, "criteria": criteria, "members": members})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert ReviewRound.objects.count() == before


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(answer=st.one_of(st.sampled_from(["yes", "no"]), st.text(max_size=8)))
def test_any_values_in_the_declaration_never_500(scoring, answer):
    client, review_round, _ = scoring
    response = client.post(
        reverse("initiatives:round_declare", kwargs={"pk": review_round.pk}), {"lived_experience": answer}
    )
    assert response.status_code in (200, 302)


@pytest.fixture
def scoring(world, review_round, panel, under_review, client_for):
    _declare(review_round, panel, [True, True])
    _open(world, review_round)
    return client_for(panel[0]), review_round, under_review


@pytest.fixture
def coordinating(world, client_for, panel):
    return client_for(world.users["network_coordinator"]), world
