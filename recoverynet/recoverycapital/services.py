"""Every state change of recovery capital: loading instruments, taking and
scoring assessments, reminders and the recovery plan. Each takes `actor`,
checks the rules, and audits without health data (no answers, no scores)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from jsonschema import Draft202012Validator

from recoverynet.accounts.models import ConsentPurpose
from recoverynet.accounts.privacy import require_consent
from recoverynet.core import audit
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import create_instance, made_at_the_same_moment, require, update_instance
from recoverynet.federation.models import Membership

from . import scoring
from .models import Answer, Assessment, Goal, Instrument, Item, ReminderPreference, Step

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "instrument-schema.json"
SHIPPED = Path(__file__).resolve().parent / "instruments"
MAX_INSTRUMENT_BYTES = 200_000


def instrument_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _where(error) -> str:
    path = "/".join(str(part) for part in error.absolute_path)
    return f"at {path}: " if path else ""


def instrument_errors(data) -> list[str]:
    """Everything wrong with an instrument definition, in plain words ([] when it is valid)."""
    validator = Draft202012Validator(instrument_schema())
    errors = [f"{_where(e)}{e.message}" for e in sorted(validator.iter_errors(data), key=lambda e: list(e.path))[:20]]
    if errors:
        return errors
    numbers = [item["number"] for item in data["items"]]
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        errors.append("Number the items 1, 2, 3 … without gaps or repeats.")
    values = [option["value"] for option in data["response_options"]]
    if len(set(values)) != len(values):
        errors.append("Each response option needs its own value.")
    domains = data["scoring"].get("domains", [])
    keys = [d["key"] for d in domains]
    if len(set(keys)) != len(keys):
        errors.append("Each scoring domain needs its own key.")
    for domain in domains:
        unknown = sorted(set(domain["items"]) - set(numbers))
        if unknown:
            errors.append(f"Domain {domain['key']} names items that do not exist: {unknown}.")
        if len(set(domain["items"])) != len(domain["items"]):
            errors.append(f"Domain {domain['key']} names an item twice.")
    if errors:
        return errors
    ranges = scoring.scale_ranges(data)
    for band in data["scoring"].get("bands", []):
        scale = band["scale"]
        if scale not in ranges:
            errors.append(f"Band {band['label']!r} is for {scale!r}, which is not the total or a domain.")
        elif band["min"] > band["max"]:
            errors.append(f"Band {band['label']!r} starts above where it ends.")
        elif band["min"] < ranges[scale][0] or band["max"] > ranges[scale][1]:
            low, high = ranges[scale]
            errors.append(f"Band {band['label']!r} must lie within {scale}'s range, {low} to {high}.")
    return errors


def parse_instrument_file(raw: bytes):
    """The JSON of an uploaded file, or a ValidationError saying why it is not JSON."""
    if len(raw) > MAX_INSTRUMENT_BYTES:
        raise ValidationError("The file is too large: an instrument file is at most 200 KB.")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError("The file must be text in UTF-8: save it as JSON and try again.") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValidationError(f"The file is not valid JSON ({str(exc)[:100]}).") from None


@transaction.atomic
def load_instrument(data, *, actor=None, network=None) -> Instrument:
    """Create an instrument and its items from a definition (docs/instrument-schema.json).
    Shipped instruments load with no actor and no network; a coordinator's upload is
    their network's. Nothing is written when anything is wrong."""
    if network is not None or actor is not None:
        require(actor, "recoverycapital.load_instrument", network)
    errors = instrument_errors(data)
    if errors:
        raise ValidationError(errors)
    if Instrument.objects.filter(slug=data["slug"], version=data["version"]).exists():
        raise ValidationError(
            f"{data['short_name']} version {data['version']} is loaded already: give the new one a higher version."
        )
    instrument = Instrument(
        slug=data["slug"],
        version=data["version"],
        name=data["name"],
        short_name=data["short_name"],
        citation=data["citation"],
        citation_note=data.get("citation_note", ""),
        licence=data["licence"],
        recall_period=data.get("recall_period", ""),
        instructions=data.get("instructions", ""),
        ready_for_use=data.get("ready_for_use", True),
        network=network,
        definition=data,
    )
    at_once = ValidationError("That instrument version was loaded at the same moment; reload the page.")
    with made_at_the_same_moment(at_once), transaction.atomic():
        if actor is None:  # shipped with the code: its history is the repository's
            instrument.full_clean()
            instrument.save()
        else:
            instrument = create_instance(actor=actor, instance=instrument, network=network)
    Item.objects.bulk_create(
        Item(
            instrument=instrument,
            number=item["number"],
            text=item["text"],
            domain=item.get("domain", ""),
            reverse_scored=item.get("reverse_scored", False),
        )
        for item in data["items"]
    )
    return instrument


def load_shipped_instruments() -> list[Instrument]:
    """BARC-10, MIRC-28 and ONS4 from instruments/*.json (each once; idempotent)."""
    loaded = []
    for path in sorted(SHIPPED.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        existing = Instrument.objects.filter(slug=data["slug"], version=data["version"]).first()
        loaded.append(existing or load_instrument(data))
    return loaded


# --- Assessments -----------------------------------------------------------------


def _active_membership(person, network):
    return Membership.objects.filter(user=person, network=network, status=Membership.Status.ACTIVE).first()


@transaction.atomic
def start_assessment(*, actor, person, network, instrument) -> Assessment:
    """A member starts an assessment, or a worker starts one to enter with them.
    Needs the member's outcome-measurement consent and active membership."""
    membership = _active_membership(person, network)
    if membership is None:
        raise ValidationError("Assessments are taken in a network you are an active member of.")
    if actor.pk == person.pk:
        require(actor, "recoverycapital.take_assessment", person)
        mode, entered_by = Assessment.Mode.SELF, None
    else:
        require(actor, "recoverycapital.enter_with_member", membership)
        mode, entered_by = Assessment.Mode.WITH_WORKER, actor
    require_consent(person, ConsentPurpose.OUTCOME_MEASUREMENT)
    if not instrument.ready_for_use:
        raise ValidationError(f"{instrument.short_name} is not ready for use yet.")
    if instrument.network_id not in (None, network.pk):
        raise ValidationError("That questionnaire belongs to another network.")
    assessment = Assessment(person=person, network=network, instrument=instrument, mode=mode, entered_by=entered_by)
    assessment.full_clean()
    assessment.save()
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        instance=assessment,
        network=network,
        summary=f"Started {instrument.short_name} ({assessment.get_mode_display().lower()})",
    )
    return assessment


def _answers_errors(instrument, answers: dict) -> dict:
    numbers = set(instrument.items.values_list("number", flat=True))
    allowed = set(instrument.option_values)
    errors = {}
    for number, value in answers.items():
        if number not in numbers:
            errors[f"item_{number}"] = "That question is not part of this questionnaire."
        elif type(value) is not int or value not in allowed:
            errors[f"item_{number}"] = "Choose one of the answers offered."
    return errors


@transaction.atomic
def save_answers(*, actor, assessment, answers: dict) -> Assessment:
    """Save some or all answers ({item number: value}); a partial save resumes later.
    Nothing is written when any answer is outside the response options."""
    assessment = Assessment.objects.select_for_update().select_related("instrument", "person").get(pk=assessment.pk)
    require(actor, "recoverycapital.answer_assessment", assessment)
    require_consent(assessment.person, ConsentPurpose.OUTCOME_MEASUREMENT)
    if assessment.is_complete:
        raise ValidationError("This assessment is finished: start a new one to answer again.")
    errors = _answers_errors(assessment.instrument, answers)
    if errors:
        raise ValidationError(errors)
    items = {item.number: item for item in assessment.instrument.items.all()}
    existing = {a.item_id: a for a in assessment.answers.all()}
    new, changed = [], []
    for number, value in answers.items():
        item = items[number]
        if item.pk in existing:
            if existing[item.pk].value != value:
                existing[item.pk].value = value
                changed.append(existing[item.pk])
        else:
            new.append(Answer(assessment=assessment, item=item, value=value))
    Answer.objects.bulk_create(new)
    Answer.objects.bulk_update(changed, ["value"])
    if new or changed:
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=assessment,
            network=assessment.network,
            summary=f"Saved {len(new) + len(changed)} answers",
        )
    return assessment


def answers_of(assessment) -> dict:
    return dict(assessment.answers.values_list("item__number", "value"))


@transaction.atomic
def complete_assessment(*, actor, assessment) -> Assessment:
    """Score a fully answered assessment from its instrument's rules and finish it."""
    assessment = Assessment.objects.select_for_update().select_related("instrument", "person").get(pk=assessment.pk)
    require(actor, "recoverycapital.answer_assessment", assessment)
    require_consent(assessment.person, ConsentPurpose.OUTCOME_MEASUREMENT)
    if assessment.is_complete:
        raise ValidationError("This assessment is finished already.")
    answers = answers_of(assessment)
    missing = sorted({item["number"] for item in assessment.instrument.definition["items"]} - set(answers))
    if missing:
        raise ValidationError(
            {f"item_{n}": "Answer this question, or save and come back later." for n in missing},
        )
    result = scoring.score(assessment.instrument.definition, answers)
    assessment.total_score = result.total
    assessment.domain_scores = result.domains
    assessment.completed_at = timezone.now()
    assessment.save(update_fields=["total_score", "domain_scores", "completed_at"])
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=assessment,
        network=assessment.network,
        summary="Finished",
    )
    return assessment


def scores_of(assessment) -> scoring.Scores | None:
    if not assessment.is_complete:
        return None
    return scoring.score(assessment.instrument.definition, answers_of(assessment))


# --- Reminders -------------------------------------------------------------------


def set_reminders(*, actor, person, interval_months: int, enabled: bool) -> ReminderPreference:
    require(actor, "recoverycapital.take_assessment", person)
    if not 1 <= interval_months <= 12:
        raise ValidationError({"interval_months": "Choose between 1 and 12 months."})
    preference, created = ReminderPreference.objects.get_or_create(person=person)
    data = {"interval_months": interval_months, "enabled": enabled}
    if created:
        for name, value in data.items():
            setattr(preference, name, value)
        preference.save(update_fields=list(data))
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, instance=preference, summary="Reminders chosen")
        return preference
    update_instance(actor=actor, instance=preference, data=data)
    return preference


# --- Recovery plan ---------------------------------------------------------------


def create_goal(*, actor, person, data: dict) -> Goal:
    require(actor, "recoverycapital.add_goal", person)
    return create_instance(actor=actor, instance=Goal(person=person, **data))


def update_goal(*, actor, goal, data: dict) -> dict:
    require(actor, "recoverycapital.change_goal", goal)
    return update_instance(actor=actor, instance=goal, data=data)


def set_goal_done(*, actor, goal, done: bool) -> dict:
    require(actor, "recoverycapital.change_goal", goal)
    return update_instance(actor=actor, instance=goal, data={"completed_at": timezone.now() if done else None})


def add_step(*, actor, goal, text: str) -> Step:
    require(actor, "recoverycapital.change_goal", goal)
    return create_instance(actor=actor, instance=Step(goal=goal, text=text))


def set_step_done(*, actor, step, done: bool) -> dict:
    require(actor, "recoverycapital.change_goal", step.goal)
    return update_instance(actor=actor, instance=step, data={"done": done})
