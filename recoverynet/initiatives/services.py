"""Every change to a pitch: one function per transition, each checking the
actor's permission, locking the pitch row, refusing a transition the state
machine (models.TRANSITIONS) does not allow with a clear error, and writing
the change and its audit entry together, or nothing."""

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from recoverynet.core import audit, scoping
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import create_instance, require, update_instance

from .models import (
    EXPLANATION_MAX,
    MAX_PLEDGE_HOURS,
    OPEN_FOR_PLEDGES,
    OPEN_FOR_SUPPORT,
    TRANSITIONS,
    DeclineReason,
    NetworkSettings,
    Pitch,
    Pledge,
    Support,
    support_threshold_of,
)

EDITABLE_FIELDS = (
    "settlement",
    "title",
    "theme",
    "problem",
    "idea",
    "who_for",
    "pitch_text",
    "video_url",
    "needs_money",
    "needs_hours",
    "needs_space",
    "needs_skills",
)
# What the person is doing, for the messages of refused transitions.
VERBS = {
    "publish": "published",
    "start_review": "put under review",
    "accept": "accepted",
    "decline": "turned down",
    "withdraw": "withdrawn",
}


def _clean_data(data: dict) -> dict:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be set on a pitch: {', '.join(sorted(unknown))}.", code="unknown")
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


def create_pitch(*, actor, network, data: dict) -> Pitch:
    """A new draft, by a member of `network`; only its author sees it until it is published."""
    require(actor, "initiatives.add_pitch", network)
    pitch = Pitch(network=network, author=actor, state=Pitch.State.DRAFT, **_clean_data(data))
    return create_instance(actor=actor, instance=pitch, network=network)


def update_pitch(*, actor, pitch: Pitch, data: dict) -> dict:
    """Its author changes a draft; once published, a pitch says what the network saw."""
    require(actor, "initiatives.change_pitch", pitch)
    with transaction.atomic():
        locked = Pitch.objects.select_for_update().get(pk=pitch.pk)
        if locked.state != Pitch.State.DRAFT:
            raise ValidationError("Only a draft can be changed: this pitch has been published.", code="not_draft")
        return update_instance(actor=actor, instance=pitch, data=_clean_data(data), network=pitch.network)


def _transition(*, actor, pitch: Pitch, name: str, perm: str, fields=None, summary="") -> Pitch:
    require(actor, perm, pitch)
    sources, target = TRANSITIONS[name]
    with transaction.atomic():
        locked = Pitch.objects.select_for_update().select_related("network").get(pk=pitch.pk)
        if locked.state not in sources:
            raise ValidationError(
                f"A pitch that is {locked.get_state_display().lower()} cannot be {VERBS[name]}.",
                code="illegal_transition",
            )
        before = audit.snapshot(locked)
        locked.state = target
        for attribute, value in (fields or {}).items():
            setattr(locked, attribute, value)
        locked.full_clean()
        changed = ["state", *(fields or {})]
        locked.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=locked,
            network=locked.network,
            changes=audit.diff(locked, before, audit.snapshot(locked, changed)),
            summary=summary or f"Pitch {VERBS[name]}",
        )
    pitch.refresh_from_db()
    return pitch


def publish_pitch(*, actor, pitch: Pitch) -> Pitch:
    """Draft → published. A pitch needs its words or a video link to be published."""
    if not pitch.pitch_text.strip() and not pitch.video_url:
        raise ValidationError(
            {"pitch_text": "Write your pitch, or give a video link, before you publish it."}, code="empty"
        )
    return _transition(
        actor=actor,
        pitch=pitch,
        name="publish",
        perm="initiatives.publish_pitch",
        fields={"published_at": timezone.now()},
    )


def start_review(*, actor, pitch: Pitch) -> Pitch:
    """Published → under review, by the network's coordinators."""
    return _transition(actor=actor, pitch=pitch, name="start_review", perm="initiatives.review_pitch")


def accept_pitch(*, actor, pitch: Pitch, explanation: str = "") -> Pitch:
    """Under review → accepted, with what the reviewers said (optional)."""
    explanation = _explanation(explanation, required=False)
    return _transition(
        actor=actor,
        pitch=pitch,
        name="accept",
        perm="initiatives.decide_pitch",
        fields={"decided_at": timezone.now(), "decision_explanation": explanation},
    )


def decline_pitch(*, actor, pitch: Pitch, reason: str, explanation: str) -> Pitch:
    """Under review → not taken forward: a reason from the list and an explanation, both required."""
    errors = {}
    if reason not in DeclineReason.values:
        errors["reason"] = "Choose a reason from the list."
    try:
        explanation = _explanation(explanation, required=True)
    except ValidationError as exc:
        errors["explanation"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return _transition(
        actor=actor,
        pitch=pitch,
        name="decline",
        perm="initiatives.decide_pitch",
        fields={"decided_at": timezone.now(), "decline_reason": reason, "decision_explanation": explanation},
    )


def withdraw_pitch(*, actor, pitch: Pitch) -> Pitch:
    """Its author withdraws it, from a draft, published or under review."""
    return _transition(actor=actor, pitch=pitch, name="withdraw", perm="initiatives.withdraw_pitch")


def _explanation(value, *, required: bool) -> str:
    if not isinstance(value, str):
        raise ValidationError("Enter the explanation as text.", code="invalid")
    value = value.strip()
    if required and not value:
        raise ValidationError("Explain the decision: the person who pitched and the network will read it.")
    if len(value) > EXPLANATION_MAX:
        raise ValidationError(f"Keep the explanation to {EXPLANATION_MAX} characters or fewer.", code="max_length")
    if any(ord(c) < 32 and c not in "\r\n\t" for c in value):
        raise ValidationError("Remove the control characters from the explanation.", code="control")
    return value


def available_actions(user, pitch: Pitch) -> list[str]:
    """The transitions `user` may make on `pitch` now (for the page's buttons)."""
    perms = {
        "publish": "initiatives.publish_pitch",
        "start_review": "initiatives.review_pitch",
        "accept": "initiatives.decide_pitch",
        "decline": "initiatives.decide_pitch",
        "withdraw": "initiatives.withdraw_pitch",
    }
    if not user.is_authenticated or not user.is_active:
        return []
    return [
        name
        for name, (sources, _) in TRANSITIONS.items()
        if pitch.state in sources and rules.has_perm(perms[name], user, pitch)
    ]


# --- Support and pledges ------------------------------------------------------------


def _locked_pitch(pitch: Pitch) -> Pitch:
    return Pitch.objects.select_for_update().select_related("network").get(pk=pitch.pk)


def _closed_message(pitch: Pitch, what: str) -> str:
    return f"This pitch is {pitch.get_state_display().lower()}: it cannot be {what} now."


def support_pitch(*, actor, pitch: Pitch) -> Support:
    """A member supports a pitch, once. In the same transaction, with the pitch row
    locked (so two supporters at once count each other), the support that reaches
    the network's threshold puts a published pitch under review."""
    require(actor, "initiatives.support_pitch", pitch)
    with transaction.atomic():
        locked = _locked_pitch(pitch)
        if locked.state not in OPEN_FOR_SUPPORT:
            raise ValidationError(_closed_message(locked, "supported"), code="closed")
        if Support.objects.filter(pitch=locked, user=actor).exists():
            raise ValidationError("You already support this pitch.", code="twice")
        support = Support.objects.create(pitch=locked, user=actor)
        audit.record(
            actor=actor, action=AuditEntry.Action.CREATE, instance=support, network=locked.network, summary="Supported"
        )
        supporters = Support.objects.filter(pitch=locked).count()
        threshold = support_threshold_of(locked.network)
        if locked.state == Pitch.State.PUBLISHED and supporters >= threshold:
            locked.state = Pitch.State.UNDER_REVIEW
            locked.save(update_fields=["state", "updated_at"])
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                instance=locked,
                network=locked.network,
                changes={"state": [Pitch.State.PUBLISHED, Pitch.State.UNDER_REVIEW]},
                summary=f"Pitch put under review: {supporters} members support it (the threshold is {threshold})",
            )
    pitch.refresh_from_db()
    return support


def withdraw_support(*, actor, pitch: Pitch) -> None:
    """A member takes their support back (a pitch already under review stays there)."""
    with transaction.atomic():
        locked = _locked_pitch(pitch)
        support = Support.objects.filter(pitch=locked, user=actor).first() if actor.is_authenticated else None
        if support is None:
            raise ValidationError("You do not support this pitch.", code="none")
        audit.record(
            actor=actor, action=AuditEntry.Action.DELETE, instance=support, network=locked.network, summary="Withdrawn"
        )
        support.delete()


def pledge_to_pitch(*, actor, pitch: Pitch, kind: str, hours=None, description: str = "", organisation=None) -> Pledge:
    """A member pledges time, a skill, a space or equipment, for themselves or for an
    organisation they work for. At most MAX_PLEDGE_HOURS hours from one person to one
    pitch. Hours are recorded as a pledge only: nothing moves in the time bank."""
    require(actor, "initiatives.pledge_to_pitch", pitch)
    if organisation is not None and organisation.pk not in scoping.professional_organisation_ids(actor):
        raise ValidationError({"organisation": "You can pledge only for an organisation you work for."})
    if not isinstance(description, str):
        raise ValidationError({"description": "Enter text."})
    with transaction.atomic():
        locked = _locked_pitch(pitch)
        if locked.state not in OPEN_FOR_PLEDGES:
            raise ValidationError(_closed_message(locked, "pledged to"), code="closed")
        pledge = Pledge(
            pitch=locked,
            pledged_by=actor,
            organisation=organisation,
            kind=kind,
            hours=hours,
            description=description.strip(),
        )
        pledge.full_clean()
        if kind == Pledge.Kind.HOURS:
            already = (
                Pledge.objects.filter(pitch=locked, pledged_by=actor, kind=Pledge.Kind.HOURS).aggregate(
                    total=Sum("hours")
                )["total"]
                or 0
            )
            if already + hours > MAX_PLEDGE_HOURS:
                raise ValidationError(
                    {
                        "hours": f"One person can pledge at most {MAX_PLEDGE_HOURS} hours to a pitch: "
                        f"you have pledged {already} already."
                    },
                    code="too_many_hours",
                )
        return create_instance(actor=actor, instance=pledge, network=locked.network, summary="Pledged")


def set_support_threshold(*, actor, network, threshold) -> NetworkSettings:
    """The network's coordinators choose how many supporters send a pitch to review."""
    require(actor, "initiatives.change_network_settings", network)
    current = NetworkSettings.objects.filter(network=network).first()
    if current is None:
        return create_instance(
            actor=actor, instance=NetworkSettings(network=network, support_threshold=threshold), network=network
        )
    update_instance(actor=actor, instance=current, data={"support_threshold": threshold}, network=network)
    return current
