"""Recovery capital: instruments (versioned questionnaires held as data), the
assessments a member completes with them, and the member's recovery plan.

Answers are special-category health data. They belong to the member: erasure
deletes them, the export includes them, and the audit log records that an
assessment changed, never what was answered or scored.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from recoverynet.core.personal_data import ANONYMISE, DELETE, NoPersonalData, PersonalData

DEFAULT_REMINDER_MONTHS = 3


class InstrumentQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(ready_for_use=True)

    def for_network(self, network_id):
        """Federation-wide instruments and the network's own."""
        return self.filter(models.Q(network__isnull=True) | models.Q(network_id=network_id))


class Instrument(models.Model):
    """A questionnaire as data: its items, response options and scoring rules
    (`definition` is the validated JSON it was loaded from, docs/instrument-schema.json)."""

    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=150)
    short_name = models.CharField(max_length=30)
    citation = models.TextField()
    citation_note = models.TextField(blank=True)
    licence = models.TextField()
    recall_period = models.CharField(max_length=150, blank=True)
    instructions = models.TextField(blank=True)
    # Shipped instruments are federation-wide (no network); a coordinator's upload is their network's.
    network = models.ForeignKey(
        "federation.Network", null=True, blank=True, on_delete=models.PROTECT, related_name="instruments"
    )
    ready_for_use = models.BooleanField(default=True)
    definition = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["short_name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="recoverycapital_instrument_slug_version"),
        ]

    def __str__(self):
        return f"{self.short_name} (version {self.version})"

    def audit_repr(self):
        return f"Instrument {self.short_name} v{self.version}"

    @property
    def response_options(self) -> list[dict]:
        return self.definition["response_options"]

    @property
    def option_values(self) -> list[int]:
        return [option["value"] for option in self.response_options]

    @property
    def scoring(self) -> dict:
        return self.definition["scoring"]


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    domain = models.CharField(max_length=40, blank=True)
    reverse_scored = models.BooleanField(default=False)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="recoverycapital_item_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class Assessment(models.Model):
    """One completion of an instrument by a member, alone or with a worker entering it with them."""

    class Mode(models.TextChoices):
        SELF = "self", "Completed alone"
        WITH_WORKER = "with_worker", "Entered with a peer worker or coordinator"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.SELF)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments_entered"
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    total_score = models.IntegerField(null=True, blank=True)
    domain_scores = models.JSONField(default=dict, blank=True)

    personal_data = [
        PersonalData(
            owner="person",
            on_erase=DELETE,  # health data: the answers go with it (cascade)
            export="recoverynet.recoverycapital.personal_data.export_assessments",
            section="recovery_capital_assessments",
            description="your recovery capital and wellbeing assessments, with every answer and score",
        ),
        PersonalData(
            owner="entered_by",
            fields=("entered_by",),
            on_erase=ANONYMISE,  # the member's assessment stays theirs; who typed it is forgotten
            export=("instrument", "started_at", "completed_at"),
            section="recovery_capital_assessments_entered",
            description="assessments you entered with a member (their answers are theirs, not listed)",
        ),
    ]

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["network", "completed_at"]),
            models.Index(fields=["person", "completed_at"]),
            # The change indicator's first/earlier/later look-ups per member and network (bench/README.md).
            models.Index(fields=["person", "network", "completed_at"]),
        ]

    def __str__(self):
        return f"{self.instrument.short_name} assessment #{self.pk}"

    def get_absolute_url(self):
        return reverse("recoverycapital:assessment", kwargs={"pk": self.pk})

    def audit_repr(self):
        return f"Assessment #{self.pk}"

    @property
    def is_complete(self):
        return self.completed_at is not None


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField()

    class Meta:
        ordering = ["assessment", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="recoverycapital_one_answer_per_item"),
        ]

    def __str__(self):
        return f"Answer to item {self.item_id}"

    def clean(self):
        if self.item_id and self.value not in self.item.instrument.option_values:
            raise ValidationError({"value": "Choose one of the answers offered."})


class ReminderPreference(models.Model):
    """How often a member wants to be reminded to take an assessment, and which
    completed assessment they were last reminded after (so a reminder never repeats)."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    interval_months = models.PositiveSmallIntegerField(default=DEFAULT_REMINDER_MONTHS)
    enabled = models.BooleanField(default=True)
    reminded_after = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        owner="person",
        on_erase=DELETE,
        export=("interval_months", "enabled", "last_sent_at"),
        section="recovery_capital_reminders",
        description="how often you asked to be reminded to take an assessment",
    )

    def __str__(self):
        return f"Reminders every {self.interval_months} months"

    def audit_repr(self):
        return f"Reminder preference #{self.pk}"


class Goal(models.Model):
    """A goal in the member's recovery plan, linked to a domain of recovery capital."""

    class Domain(models.TextChoices):
        SOCIAL = "social", "Social: family, friends, community"
        PHYSICAL = "physical", "Physical: housing, money, health"
        HUMAN = "human", "Human: skills, learning, work, confidence"
        CULTURAL = "cultural", "Cultural: values, belonging, traditions"
        WELLBEING = "wellbeing", "Wellbeing: how you feel"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_goals")
    domain = models.CharField(max_length=20, choices=Domain.choices)
    title = models.CharField(max_length=150)
    review_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        owner="person",
        fields=("title",),
        on_erase=DELETE,
        export="recoverynet.recoverycapital.personal_data.export_goals",
        section="recovery_plan_goals",
        description="the goals in your recovery plan",
        free_text=("title",),
    )

    class Meta:
        ordering = ["completed_at", "review_on", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("recoverycapital:goal_edit", kwargs={"pk": self.pk})

    def audit_repr(self):
        return f"Recovery goal #{self.pk}"


class Step(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(max_length=200)
    done = models.BooleanField(default=False)

    # Linked to the person through the goal: erased with it, exported with it (export_goals).
    personal_data = NoPersonalData(reason="Part of a Goal, which declares the person's plan.", free_text=("text",))

    class Meta:
        ordering = ["goal", "pk"]

    def __str__(self):
        return self.text

    def audit_repr(self):
        return f"Recovery plan step #{self.pk}"
