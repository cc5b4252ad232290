"""Every change to a pitch: one function per transition, each checking the
actor's permission, locking the pitch row, refusing a transition the state
machine (models.TRANSITIONS) does not allow with a clear error, and writing
the change and its audit entry together, or nothing."""

import math

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Sum
from django.utils import timezone

from recoverynet.core import audit, moderation, scoping
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import create_instance, require, update_instance
from recoverynet.federation.models import Membership

from . import notifications
from .models import (
    COMPONENT_NAMES,
    COMPONENTS,
    EXPLANATION_MAX,
    HIDE_REASON_MAX,
    MAX_PEOPLE_TARGET,
    MAX_PLEDGE_HOURS,
    OPEN_FOR_PLEDGES,
    OPEN_FOR_SUPPORT,
    SCORE_MAX,
    SCORE_MIN,
    TRANSITIONS,
    ConflictOfInterest,
    CoproductionAssessment,
    Decision,
    DecisionParticipant,
    DeclineReason,
    Initiative,
    Milestone,
    NetworkSettings,
    PanelMember,
    Pitch,
    Pledge,
    Report,
    Result,
    ResultMeasure,
    ReviewRound,
    Score,
    Support,
    TeamMember,
    Update,
    panel_balance,
    people_progress,
    support_threshold_of,
    validate_criteria,
)
from .results import Node, compute_progress, tree

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
    pitch = _transition(
        actor=actor,
        pitch=pitch,
        name="accept",
        perm="initiatives.decide_pitch",
        fields={"decided_at": timezone.now(), "decision_explanation": explanation},
    )
    notifications.decision_made(pitch)
    return pitch


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
    pitch = _transition(
        actor=actor,
        pitch=pitch,
        name="decline",
        perm="initiatives.decide_pitch",
        fields={"decided_at": timezone.now(), "decline_reason": reason, "decision_explanation": explanation},
    )
    notifications.decision_made(pitch)
    return pitch


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


HIDDEN_MESSAGE = "This pitch is hidden while the coordinators review it."


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
        if locked.hidden_at is not None:
            raise ValidationError(HIDDEN_MESSAGE, code="hidden")
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
        if locked.hidden_at is not None:
            raise ValidationError(HIDDEN_MESSAGE, code="hidden")
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
        pledge = create_instance(actor=actor, instance=pledge, network=locked.network, summary="Pledged")
        notifications.pledge_received(pledge)
        return pledge


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


# --- Review by peers ------------------------------------------------------------------


def _check_criteria(criteria) -> list[str]:
    if isinstance(criteria, str):
        criteria = [line.strip() for line in criteria.splitlines() if line.strip()]
    if not isinstance(criteria, list):
        raise ValidationError({"criteria": "Give the criteria as a list, one a line."})
    criteria = [c.strip() if isinstance(c, str) else c for c in criteria]
    try:
        validate_criteria(criteria)
    except ValidationError as exc:
        raise ValidationError({"criteria": exc.messages}) from exc
    return criteria


def create_review_round(*, actor, network, title: str, criteria, members) -> ReviewRound:
    """A coordinator starts a round with its published criteria and appoints its panel
    (active members of the network). Each panel member then declares for themselves
    whether they have lived experience; scoring opens only when at least half do."""
    require(actor, "initiatives.manage_review_round", network)
    criteria = _check_criteria(criteria)
    members = list(members)
    if not members:
        raise ValidationError({"members": "Appoint at least one member to the panel."})
    outsiders = [
        m
        for m in members
        if not Membership.objects.filter(user=m, network=network, status=Membership.Status.ACTIVE).exists()
    ]
    if outsiders:
        raise ValidationError({"members": "Appoint only active members of this network."})
    with transaction.atomic():
        review_round = create_instance(
            actor=actor,
            instance=ReviewRound(
                network=network, title=(title or "").strip() if isinstance(title, str) else title, criteria=criteria
            ),
            network=network,
        )
        for member in members:
            create_instance(actor=actor, instance=PanelMember(round=review_round, user=member), network=network)
    return review_round


def _seat(actor, review_round) -> PanelMember:
    require(actor, "initiatives.sit_on_panel", review_round)
    return review_round.panel.get(user=actor)


def declare_lived_experience(*, actor, review_round: ReviewRound, lived_experience) -> PanelMember:
    """A panel member says (only for the balance of the panel) whether they have lived experience."""
    seat = _seat(actor, review_round)
    if lived_experience not in (True, False):
        raise ValidationError({"lived_experience": "Choose yes or no."})
    if review_round.state == ReviewRound.State.CLOSED:
        raise ValidationError("This round is closed.", code="closed")
    update_instance(
        actor=actor,
        instance=seat,
        data={"lived_experience": lived_experience, "declared_at": timezone.now()},
        network=review_round.network,
    )
    return seat


def _balance_error(review_round) -> str | None:
    lived, size = panel_balance(review_round.panel.all())
    if size == 0:
        return "Appoint a panel before scoring starts."
    if lived * 2 < size:
        return (
            f"At least half of the panel must be people with lived experience: {lived} of {size} have said "
            "they are. Appoint more people with lived experience, or wait for panel members to declare."
        )
    return None


def open_scoring(*, actor, review_round: ReviewRound) -> ReviewRound:
    require(actor, "initiatives.manage_review_round", review_round)
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if locked.state != ReviewRound.State.FORMING:
            raise ValidationError("Scoring can only start while the panel is forming.", code="illegal_transition")
        problem = _balance_error(locked)
        if problem:
            raise ValidationError(problem, code="unbalanced")
        update_instance(actor=actor, instance=locked, data={"state": ReviewRound.State.SCORING}, network=locked.network)
    review_round.refresh_from_db()
    return review_round


def close_round(*, actor, review_round: ReviewRound) -> ReviewRound:
    require(actor, "initiatives.manage_review_round", review_round)
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if locked.state != ReviewRound.State.SCORING:
            raise ValidationError("Only a round that is scoring can be closed.", code="illegal_transition")
        update_instance(actor=actor, instance=locked, data={"state": ReviewRound.State.CLOSED}, network=locked.network)
    review_round.refresh_from_db()
    return review_round


def _check_scorable(review_round, pitch):
    if review_round.state != ReviewRound.State.SCORING:
        raise ValidationError("This round is not scoring now.", code="not_scoring")
    if pitch.network_id != review_round.network_id or pitch.state != Pitch.State.UNDER_REVIEW:
        raise ValidationError("Only pitches under review in this round's network can be scored.", code="not_scorable")


def declare_conflict(*, actor, review_round: ReviewRound, pitch: Pitch, description: str) -> ConflictOfInterest:
    """A panel member declares an interest in a pitch: any scores they gave it are removed and they cannot score it."""
    seat = _seat(actor, review_round)
    if not isinstance(description, str) or not description.strip():
        raise ValidationError({"description": "Say what the interest is, for example: a friend of the person."})
    if pitch.network_id != review_round.network_id:
        raise ValidationError("This pitch is not in this round's network.", code="not_scorable")
    with transaction.atomic():
        if seat.conflicts.filter(pitch=pitch).exists():
            raise ValidationError("You have declared an interest in this pitch already.", code="twice")
        conflict = create_instance(
            actor=actor,
            instance=ConflictOfInterest(panel_member=seat, pitch=pitch, description=description.strip()),
            network=review_round.network,
        )
        seat.scores.filter(pitch=pitch).delete()
    return conflict


def score_pitch(*, actor, review_round: ReviewRound, pitch: Pitch, values: dict) -> list[Score]:
    """A panel member scores a pitch from 1 to 5 on every one of the round's criteria
    (again: the new scores replace theirs). A member with a declared interest cannot."""
    seat = _seat(actor, review_round)
    _check_scorable(review_round, pitch)
    if seat.conflicts.filter(pitch=pitch).exists():
        raise ValidationError("You declared an interest in this pitch, so you cannot score it.", code="conflicted")
    errors = {}
    clean = {}
    for index, _ in enumerate(review_round.criteria):
        value = values.get(index) if isinstance(values, dict) else None
        if isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            errors[f"criterion_{index}"] = f"Score each criterion from {SCORE_MIN} to {SCORE_MAX}."
        else:
            clean[index] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        seat.scores.filter(pitch=pitch).delete()
        scores = Score.objects.bulk_create(
            Score(panel_member=seat, pitch=pitch, criterion=index, value=value) for index, value in clean.items()
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=pitch,
            network=review_round.network,
            changes={"scores": [None, [clean[i] for i in sorted(clean)]]},
            summary=f"Scored in review round #{review_round.pk}",
        )
    return scores


def round_results(review_round: ReviewRound) -> list[dict]:
    """Per pitch under review (or decided) in the round's network: the mean score on each
    criterion and overall, and how many panel members scored it. Two queries."""
    rows = (
        Score.objects.filter(panel_member__round=review_round)
        .values("pitch_id", "criterion")
        .annotate(mean=Avg("value"), scorers=Count("panel_member", distinct=True))
    )
    by_pitch: dict[int, dict] = {}
    for row in rows:
        entry = by_pitch.setdefault(row["pitch_id"], {"means": {}, "scorers": 0})
        entry["means"][row["criterion"]] = round(row["mean"], 1)
        entry["scorers"] = max(entry["scorers"], row["scorers"])
    pitches = Pitch.objects.filter(pk__in=by_pitch).order_by("title", "pk")
    results = []
    for pitch in pitches:
        entry = by_pitch[pitch.pk]
        means = [entry["means"].get(i) for i in range(len(review_round.criteria))]
        known = [m for m in means if m is not None]
        results.append(
            {
                "pitch": pitch,
                "means": means,
                "overall": round(sum(known) / len(known), 1) if known else None,
                "scorers": entry["scorers"],
            }
        )
    return results


# --- Initiatives ----------------------------------------------------------------------

INITIATIVE_FIELDS = ("name", "summary", "kind", "legal_form", "settlement", "started_on")


def start_initiative(*, actor, pitch: Pitch, data: dict, partners=()) -> Initiative:
    """An accepted pitch becomes an initiative or a social enterprise; its author leads it."""
    require(actor, "initiatives.start_initiative", pitch)
    unknown = set(data) - set(INITIATIVE_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be set on an initiative: {', '.join(sorted(unknown))}.")
    partners = list(partners)
    if any(not p.networks.filter(pk=pitch.network_id).exists() for p in partners):
        raise ValidationError({"partners": "Choose partner organisations that work with this network."})
    with transaction.atomic():
        locked = _locked_pitch(pitch)
        if locked.state != Pitch.State.ACCEPTED:
            raise ValidationError("Only an accepted pitch can become an initiative.", code="not_accepted")
        if Initiative.objects.filter(pitch=locked).exists():
            raise ValidationError("This pitch is an initiative already.", code="twice")
        initiative = create_instance(
            actor=actor,
            instance=Initiative(pitch=locked, network=locked.network, **data),
            network=locked.network,
            m2m={"partners": partners},
        )
        if (
            locked.author_id
            and Membership.objects.filter(
                user_id=locked.author_id, network=locked.network, status=Membership.Status.ACTIVE
            ).exists()
        ):
            create_instance(
                actor=actor,
                instance=TeamMember(initiative=initiative, user_id=locked.author_id, role=TeamMember.Role.LEAD),
                network=locked.network,
            )
    return initiative


def add_team_member(*, actor, initiative: Initiative, user, role: str) -> TeamMember:
    require(actor, "initiatives.manage_initiative", initiative)
    if not Membership.objects.filter(user=user, network=initiative.network, status=Membership.Status.ACTIVE).exists():
        raise ValidationError({"user": "Choose an active member of this network."})
    if initiative.team.filter(user=user).exists():
        raise ValidationError({"user": "They are on the team already."})
    return create_instance(
        actor=actor, instance=TeamMember(initiative=initiative, user=user, role=role), network=initiative.network
    )


def add_milestone(*, actor, initiative: Initiative, title: str, due_on) -> Milestone:
    require(actor, "initiatives.manage_initiative", initiative)
    return create_instance(
        actor=actor, instance=Milestone(initiative=initiative, title=title, due_on=due_on), network=initiative.network
    )


def set_milestone_status(*, actor, milestone: Milestone, status: str) -> Milestone:
    require(actor, "initiatives.manage_initiative", milestone.initiative)
    update_instance(actor=actor, instance=milestone, data={"status": status}, network=milestone.initiative.network)
    return milestone


def add_result(
    *,
    actor,
    initiative: Initiative,
    title: str,
    weight=1,
    parent=None,
    progress=0,
    measure=ResultMeasure.PERCENTAGE,
    target_people=None,
) -> Result:
    """A result, its progress reported as a percentage or measured in people in recovery
    (volunteering, trained or employed by the initiative) against a target."""
    require(actor, "initiatives.manage_initiative", initiative)
    result = Result(
        initiative=initiative,
        title=title,
        weight=weight,
        parent=parent,
        progress=progress,
        measure=measure,
        target_people=target_people,
    )
    if measure != ResultMeasure.PERCENTAGE:
        result.progress = 0  # nobody counted yet
    return create_instance(actor=actor, instance=result, network=initiative.network)


def set_people_achieved(*, actor, result: Result, achieved) -> Result:
    """For a result measured in people: how many have been reached so far; its progress
    is achieved / target (at most 100%)."""
    require(actor, "initiatives.manage_initiative", result.initiative)
    if not result.in_people:
        raise ValidationError({"achieved": "This result's progress is reported as a percentage."})
    if result.children.exists():
        raise ValidationError({"achieved": "This result's progress is computed from its parts: update those."})
    if isinstance(achieved, bool) or not isinstance(achieved, int) or not 0 <= achieved <= MAX_PEOPLE_TARGET:
        raise ValidationError({"achieved": f"Enter a whole number of people from 0 to {MAX_PEOPLE_TARGET:,}."})
    update_instance(
        actor=actor,
        instance=result,
        data={"achieved_people": achieved, "progress": people_progress(achieved, result.target_people)},
        network=result.initiative.network,
    )
    return result


def set_result_progress(*, actor, result: Result, progress) -> Result:
    """Only a leaf's progress is reported: a parent's is computed from its parts."""
    require(actor, "initiatives.manage_initiative", result.initiative)
    if result.children.exists():
        raise ValidationError({"progress": "This result's progress is computed from its parts: update those."})
    if result.in_people:
        raise ValidationError({"progress": "This result is measured in people: enter how many have been reached."})
    if isinstance(progress, bool) or not isinstance(progress, int):
        raise ValidationError({"progress": "Enter progress as a whole number from 0 to 100."})
    update_instance(actor=actor, instance=result, data={"progress": progress}, network=result.initiative.network)
    return result


def post_update(*, actor, initiative: Initiative, text: str) -> Update:
    require(actor, "initiatives.post_update", initiative)
    text = text.strip() if isinstance(text, str) else text
    return create_instance(
        actor=actor, instance=Update(initiative=initiative, author=actor, text=text), network=initiative.network
    )


def results_of(initiative: Initiative):
    """The initiative's results in tree order with computed progress (one query)."""
    rows = list(Result.objects.filter(initiative=initiative).order_by("pk"))
    computed = compute_progress(Node(r.id, r.parent_id, r.weight, r.progress) for r in rows)
    return tree(rows, computed)


# --- Moderation -----------------------------------------------------------------------


def report_content(*, actor, reason: str, details: str = "", pitch=None, update=None) -> Report:
    """Anyone signed in reports a pitch or an update they can see (once each while it is open;
    core.moderation: the reason, details, rate limit, audit)."""
    moderation.check_reporter(actor)
    if (pitch is None) == (update is None):
        raise ValidationError("Report one pitch or one update.")
    instance = Report(pitch=pitch, update=update)
    return moderation.report(actor=actor, instance=instance, reason=reason, details=details)


def _needs_a_hiding_reason(outcome, note):
    if outcome == Report.Outcome.HIDDEN:
        if not note:
            raise ValidationError({"outcome_note": "Say why it is hidden: the person who wrote it can ask."})
        if len(note) > HIDE_REASON_MAX:
            raise ValidationError({"outcome_note": f"Keep the reason to {HIDE_REASON_MAX} characters or fewer."})


def _hide_the_reported(actor, report: Report) -> None:
    """Inside the closing transaction: hide the item with the reason, and settle every other open report of it."""
    if report.outcome != Report.Outcome.HIDDEN:
        return
    update_instance(
        actor=actor,
        instance=report.target,
        data={"hidden_at": timezone.now(), "hidden_reason": report.outcome_note},
        network=report.get_network(),
        summary="Hidden after a report, pending review",
    )
    same = Report.objects.filter(pitch=report.pitch_id, update=report.update_id)
    moderation.close_alongside(actor=actor, report=report, reports=same)


def close_report(*, actor, report: Report, outcome: str, note: str = "") -> Report:
    """A coordinator hides the reported item pending review, with the reason recorded (every open report
    of the same item is settled with it), or leaves it up and dismisses the report."""
    return moderation.close_report(
        actor=actor, report=report, outcome=outcome, note=note, check=_needs_a_hiding_reason, after=_hide_the_reported
    )


def hide_reported(*, actor, report: Report, reason: str) -> Report:
    """A coordinator hides the reported item pending review, with the reason recorded."""
    return close_report(actor=actor, report=report, outcome=Report.Outcome.HIDDEN, note=reason)


def dismiss_report(*, actor, report: Report) -> Report:
    return close_report(actor=actor, report=report, outcome=Report.Outcome.DISMISSED)


# --- Co-production --------------------------------------------------------------------


def assess_coproduction(*, actor, initiative: Initiative, scores: dict) -> CoproductionAssessment:
    """A team member scores the initiative on the six components (1-4 each), separately from the others."""
    require(actor, "initiatives.assess_coproduction", initiative)
    if not isinstance(scores, dict):
        raise ValidationError("Score each of the six components.")
    errors = {}
    for name in COMPONENT_NAMES:
        value = scores.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            errors[name] = "Choose a level from 1 to 4."
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    if CoproductionAssessment.objects.filter(initiative=initiative, respondent=actor, taken_on=today).exists():
        raise ValidationError("You have scored it today already.", code="twice")
    assessment = CoproductionAssessment(
        initiative=initiative, respondent=actor, taken_on=today, **{n: scores[n] for n in COMPONENT_NAMES}
    )
    return create_instance(actor=actor, instance=assessment, network=initiative.network)


MIN_ANSWERS_SHOWN = 2  # an occasion's means are shown from two answers: nobody's own answer is exposed


def coproduction_summary(initiative: Initiative) -> list[dict]:
    """Per component: the team's mean, lowest and highest score (agreement) at the first and
    the latest occasion (a month), and the change between them. One query."""
    rows = list(initiative.assessments.values("taken_on", *COMPONENT_NAMES))
    by_month: dict = {}
    for row in rows:
        by_month.setdefault(row["taken_on"].replace(day=1), []).append(row)
    months = sorted(m for m, answers in by_month.items() if len(answers) >= MIN_ANSWERS_SHOWN)
    if not months:
        return []
    first, latest = months[0], months[-1]
    summary = []
    for name, label, meaning in COMPONENTS:
        entry = {"name": name, "label": label, "meaning": meaning}
        for key, month in (("first", first), ("latest", latest)):
            values = [answer[name] for answer in by_month[month]]
            entry[key] = {
                "month": month,
                "mean": round(sum(values) / len(values), 1),
                "low": min(values),
                "high": max(values),
                "answers": len(values),
            }
        entry["change"] = round(entry["latest"]["mean"] - entry["first"]["mean"], 1) if latest != first else None
        summary.append(entry)
    return summary


RADAR_CENTRE, RADAR_RADIUS = 160, 100


def _radar_point(index: int, level: float) -> tuple[float, float]:
    angle = math.radians(-90 + index * 360 / len(COMPONENTS))
    radius = RADAR_RADIUS * level / 4
    return round(RADAR_CENTRE + radius * math.cos(angle), 1), round(RADAR_CENTRE + radius * math.sin(angle), 1)


def _points(levels) -> str:
    return " ".join(f"{x},{y}" for x, y in (_radar_point(i, level) for i, level in enumerate(levels)))


def coproduction_radar(summary: list[dict]) -> dict | None:
    """Coordinates for a server-drawn radar chart of the team's means: the first occasion
    dashed, the latest solid (told apart by line, not colour), rings at levels 1 to 4."""
    if not summary:
        return None
    axes = []
    for index, row in enumerate(summary):
        end_x, end_y = _radar_point(index, 4)
        label_x, label_y = _radar_point(index, 4.9)
        anchor = "middle" if abs(label_x - RADAR_CENTRE) < 5 else ("start" if label_x > RADAR_CENTRE else "end")
        axes.append({"x": end_x, "y": end_y, "label": row["label"], "lx": label_x, "ly": label_y, "anchor": anchor})
    changed = summary[0]["first"]["month"] != summary[0]["latest"]["month"]
    return {
        "centre": RADAR_CENTRE,
        "rings": [_points([level] * len(summary)) for level in (1, 2, 3, 4)],
        "axes": axes,
        "first": _points(row["first"]["mean"] for row in summary) if changed else None,
        "latest": _points(row["latest"]["mean"] for row in summary),
    }


# --- Decisions ----------------------------------------------------------------------------

DECISION_FIELDS = ("title", "decided", "decided_on", "step", "you_said", "we_did")


def record_decision(*, actor, initiative: Initiative, data: dict, participants, lived_experience=()) -> Decision:
    """The lead or a coordinator records a decision: who on the team took part and, of
    them, who has lived experience (kept encrypted, counted only in aggregate)."""
    require(actor, "initiatives.manage_initiative", initiative)
    if not isinstance(data, dict):
        raise ValidationError("Describe the decision.")
    cleaned = {}
    for name in DECISION_FIELDS:
        value = data.get(name, "")
        cleaned[name] = value.strip() if isinstance(value, str) else value
    team_ids = set(initiative.team.values_list("user_id", flat=True))
    participant_ids = {getattr(p, "pk", p) for p in participants or ()}
    lived_ids = {getattr(p, "pk", p) for p in lived_experience or ()}
    if not participant_ids:
        raise ValidationError({"participants": "Choose who on the team took part in the decision."})
    if not participant_ids <= team_ids:
        raise ValidationError({"participants": "Choose people on the initiative's team."})
    if not lived_ids <= participant_ids:
        raise ValidationError({"lived_experience": "Mark only people who took part in the decision."})
    with transaction.atomic():
        decision = create_instance(
            actor=actor,
            instance=Decision(initiative=initiative, recorded_by=actor, **cleaned),
            network=initiative.network,
            summary=f"Decision recorded ({len(participant_ids)} took part)",
        )
        DecisionParticipant.objects.bulk_create(
            DecisionParticipant(decision=decision, user_id=user_id, lived_experience=user_id in lived_ids)
            for user_id in sorted(participant_ids)
        )
    return decision
