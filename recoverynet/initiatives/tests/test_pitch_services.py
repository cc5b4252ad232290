"""The pitch's state machine: every transition, who may make it, what it writes, and what is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recoverynet.core.models import AuditEntry
from recoverynet.initiatives import services
from recoverynet.initiatives.factories import PitchFactory
from recoverynet.initiatives.models import (
    PITCH_MAX_WORDS,
    TRANSITIONS,
    DeclineReason,
    Pitch,
    reading_seconds,
    reading_time,
    word_count,
)

pytestmark = pytest.mark.django_db

State = Pitch.State
DATA = {
    "title": "Sunday café",
    "theme": "food",
    "problem": "Sundays are long.",
    "idea": "A café.",
    "who_for": "Everyone in recovery.",
    "pitch_text": "Come and have a cup of tea with us.",
}


def _audits(pitch):
    return AuditEntry.objects.filter(content_type__model="pitch", object_id=str(pitch.pk))


def _in_state(world, state):
    """A pitch by the member in own_network, moved to `state` through the services."""
    member, coordinator = world.users["member"], world.users["network_coordinator"]
    pitch = services.create_pitch(actor=member, network=world.own_network, data=DATA)
    steps = {
        State.DRAFT: [],
        State.PUBLISHED: ["publish"],
        State.UNDER_REVIEW: ["publish", "review"],
        State.ACCEPTED: ["publish", "review", "accept"],
        State.NOT_TAKEN_FORWARD: ["publish", "review", "decline"],
        State.WITHDRAWN: ["publish", "withdraw"],
    }[state]
    for step in steps:
        if step == "publish":
            services.publish_pitch(actor=member, pitch=pitch)
        elif step == "review":
            services.start_review(actor=coordinator, pitch=pitch)
        elif step == "accept":
            services.accept_pitch(actor=coordinator, pitch=pitch, explanation="Good plan")
        elif step == "decline":
            services.decline_pitch(actor=coordinator, pitch=pitch, reason="exists", explanation="There is one")
        else:
            services.withdraw_pitch(actor=member, pitch=pitch)
    pitch.refresh_from_db()
    assert pitch.state == state
    return pitch


def _do(world, name, pitch):
    member, coordinator = world.users["member"], world.users["network_coordinator"]
    if name == "publish":
        return services.publish_pitch(actor=member, pitch=pitch)
    if name == "start_review":
        return services.start_review(actor=coordinator, pitch=pitch)
    if name == "accept":
        return services.accept_pitch(actor=coordinator, pitch=pitch)
    if name == "decline":
        return services.decline_pitch(actor=coordinator, pitch=pitch, reason="other", explanation="Because")
    return services.withdraw_pitch(actor=member, pitch=pitch)


@pytest.mark.parametrize("name", list(TRANSITIONS))
@pytest.mark.parametrize("state", list(State.values))
def test_every_transition_from_every_state(world, name, state):
    pitch = _in_state(world, state)
    sources, target = TRANSITIONS[name]
    audits = _audits(pitch).count()
    if state in sources:
        _do(world, name, pitch)
        pitch.refresh_from_db()
        assert pitch.state == target
        entry = _audits(pitch).order_by("-pk").first()
        assert entry.changes["state"] == [state, target]
        assert _audits(pitch).count() == audits + 1
    else:
        with pytest.raises(ValidationError) as refused:
            _do(world, name, pitch)
        assert "cannot be" in refused.value.messages[0]
        pitch.refresh_from_db()
        assert pitch.state == state and _audits(pitch).count() == audits


def test_a_new_pitch_is_a_draft_by_its_author_with_an_audit_entry(world):
    pitch = services.create_pitch(actor=world.users["member"], network=world.own_network, data=DATA)
    assert (pitch.state, pitch.author, pitch.published_at) == (State.DRAFT, world.users["member"], None)
    entry = _audits(pitch).get()
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == world.users["member"]
    assert entry.changes["pitch_text"][1] == "(text, not recorded)"  # what people type stays out of the log


@pytest.mark.parametrize("role", ["anonymous", "federation_coordinator"])
def test_only_members_of_the_network_can_pitch_to_it(world, role):
    with pytest.raises(PermissionDenied):
        services.create_pitch(actor=world.users[role], network=world.own_network, data=DATA)
    assert not Pitch.objects.exists()


def test_a_member_cannot_pitch_to_another_network(world):
    with pytest.raises(PermissionDenied):
        services.create_pitch(actor=world.users["member"], network=world.other_network, data=DATA)


@pytest.mark.parametrize("role", ["professional", "network_coordinator", "settlement_host", "federation_coordinator"])
def test_only_the_author_publishes_changes_or_withdraws(world, role):
    pitch = _in_state(world, State.DRAFT)
    for call in (
        lambda: services.publish_pitch(actor=world.users[role], pitch=pitch),
        lambda: services.withdraw_pitch(actor=world.users[role], pitch=pitch),
        lambda: services.update_pitch(actor=world.users[role], pitch=pitch, data={"title": "Mine now"}),
    ):
        with pytest.raises(PermissionDenied):
            call()
    pitch.refresh_from_db()
    assert (pitch.state, pitch.title) == (State.DRAFT, DATA["title"])


@pytest.mark.parametrize("role", ["member", "professional", "settlement_host"])
def test_only_coordinators_review_and_decide(world, role):
    pitch = _in_state(world, State.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.start_review(actor=world.users[role], pitch=pitch)
    services.start_review(actor=world.users["network_coordinator"], pitch=pitch)
    for call in (
        lambda: services.accept_pitch(actor=world.users[role], pitch=pitch),
        lambda: services.decline_pitch(actor=world.users[role], pitch=pitch, reason="other", explanation="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    pitch.refresh_from_db()
    assert pitch.state == State.UNDER_REVIEW


def test_a_coordinator_of_another_network_cannot_review(world):
    from recoverynet.federation.factories import MembershipFactory
    from recoverynet.federation.models import Membership

    stranger = MembershipFactory(network=world.other_network, role=Membership.Role.NETWORK_COORDINATOR).user
    pitch = _in_state(world, State.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.start_review(actor=stranger, pitch=pitch)


@pytest.mark.parametrize(
    ("reason", "explanation", "field"),
    [
        ("", "Because", "reason"),
        ("made-up", "Because", "reason"),
        ("other", "", "explanation"),
        ("other", "   ", "explanation"),
        ("other", "x" * 1001, "explanation"),
        ("other", None, "explanation"),
    ],
)
def test_a_decision_not_to_go_forward_needs_a_reason_and_an_explanation(world, reason, explanation, field):
    pitch = _in_state(world, State.UNDER_REVIEW)
    audits = _audits(pitch).count()
    with pytest.raises(ValidationError) as refused:
        services.decline_pitch(
            actor=world.users["network_coordinator"], pitch=pitch, reason=reason, explanation=explanation
        )
    assert field in refused.value.message_dict
    pitch.refresh_from_db()
    assert pitch.state == State.UNDER_REVIEW and _audits(pitch).count() == audits


def test_the_decision_is_recorded_with_its_reason(world):
    pitch = _in_state(world, State.NOT_TAKEN_FORWARD)
    assert pitch.decline_reason == DeclineReason.EXISTS_ALREADY and pitch.decision_explanation == "There is one"
    assert pitch.decided_at is not None


def test_a_pitch_needs_words_or_a_video_to_be_published(world):
    pitch = services.create_pitch(
        actor=world.users["member"], network=world.own_network, data={**DATA, "pitch_text": ""}
    )
    with pytest.raises(ValidationError, match="Write your pitch"):
        services.publish_pitch(actor=world.users["member"], pitch=pitch)
    services.update_pitch(actor=world.users["member"], pitch=pitch, data={"video_url": "https://example.org/v"})
    services.publish_pitch(actor=world.users["member"], pitch=pitch)


@pytest.mark.parametrize("url", ["http://example.org/v", "javascript:alert(1)", "ftp://example.org/v"])
def test_a_video_link_must_be_https(world, url):
    with pytest.raises(ValidationError):
        services.create_pitch(actor=world.users["member"], network=world.own_network, data={**DATA, "video_url": url})
    assert not Pitch.objects.exists()


def test_the_pitch_is_at_most_three_minutes_of_reading(world):
    member = world.users["member"]
    at_limit = " ".join(["word"] * PITCH_MAX_WORDS)
    pitch = services.create_pitch(actor=member, network=world.own_network, data={**DATA, "pitch_text": at_limit})
    assert reading_seconds(pitch.pitch_text) == 180 and pitch.reading_time == "about 3 minutes to read"
    with pytest.raises(ValidationError, match="600 words"):
        services.update_pitch(actor=member, pitch=pitch, data={"pitch_text": at_limit + " more"})
    pitch.refresh_from_db()
    assert word_count(pitch.pitch_text) == PITCH_MAX_WORDS


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (0, "about 0 seconds to read"),
        (1, "about 1 second to read"),
        (200, "about 1 minute to read"),
        (450, "about 2 minutes 15 seconds to read"),
        (601, "about 3 minutes 1 second to read"),
    ],
)
def test_reading_time_at_200_words_a_minute(words, expected):
    assert reading_time(" ".join(["w"] * words)) == expected


def test_a_published_pitch_cannot_be_changed(world):
    pitch = _in_state(world, State.PUBLISHED)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.update_pitch(actor=world.users["member"], pitch=pitch, data={"title": "Changed"})
    pitch.refresh_from_db()
    assert pitch.title == DATA["title"]


def test_a_settlement_must_be_in_the_pitchs_network(world):
    with pytest.raises(ValidationError) as refused:
        services.create_pitch(
            actor=world.users["member"],
            network=world.own_network,
            data={**DATA, "settlement": world.other_settlement},
        )
    assert "settlement" in refused.value.message_dict
    assert not Pitch.objects.exists()


def test_fields_a_member_may_not_set_are_refused(world):
    with pytest.raises(ValidationError, match="cannot be set"):
        services.create_pitch(
            actor=world.users["member"], network=world.own_network, data={**DATA, "state": "accepted"}
        )
    assert not Pitch.objects.exists()


def test_erasure_deletes_drafts_and_unlinks_published_pitches(world):
    from recoverynet.accounts.services import erase_user

    member = world.users["member"]
    draft = PitchFactory(network=world.own_network, author=member)
    published = _in_state(world, State.PUBLISHED)
    erase_user(actor=member, user=member)
    assert not Pitch.objects.filter(pk=draft.pk).exists()
    published.refresh_from_db()
    assert published.author is None and published.state == State.PUBLISHED
