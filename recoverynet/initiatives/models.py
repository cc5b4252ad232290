"""Community pitches: an idea put to a network (or one of its settlements) in
at most three minutes of reading, supported by members, reviewed by peers.

A pitch moves through its states only by the services (one function per
transition, each checking the actor's permission and writing an audit entry);
TRANSITIONS below is the whole state machine."""

import math
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from encrypted_fields.fields import EncryptedBooleanField

from recoverynet.core.moderation import ReportBase
from recoverynet.core.personal_data import ANONYMISE, DELETE, NoPersonalData, PersonalData
from recoverynet.core.suppression import protect_count

# Three minutes of reading at a stated speed: the word limit follows from both.
READING_WORDS_PER_MINUTE = 200
PITCH_MAX_SECONDS = 180
PITCH_MAX_WORDS = PITCH_MAX_SECONDS * READING_WORDS_PER_MINUTE // 60  # 600

TITLE_MAX = 120
PROBLEM_MAX = 1500
IDEA_MAX = 1500
WHO_FOR_MAX = 600
PITCH_MAX_CHARACTERS = 6000  # 600 words of ten letters: longer is not a pitch
EXPLANATION_MAX = 1000
HIDE_REASON_MAX = 300
NEEDS_TEXT_MAX = 300
MAX_MONEY_POUNDS = 1_000_000
MAX_HOURS = 10_000

WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    return len(WORD.findall(text or ""))


def reading_seconds(text: str) -> int:
    """Seconds to read `text` aloud at READING_WORDS_PER_MINUTE (rounded up)."""
    return math.ceil(word_count(text) * 60 / READING_WORDS_PER_MINUTE)


def reading_time(text: str) -> str:
    """ "about 2 minutes 15 seconds to read" (the same words as the page's live counter)."""
    minutes, seconds = divmod(reading_seconds(text), 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if seconds or not minutes:
        parts.append(f"{seconds} second{'s' if seconds != 1 else ''}")
    return f"about {' '.join(parts)} to read"


def validate_https(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError("Enter a video link that starts with https://", code="https")


def validate_pitch_length(value: str) -> None:
    words = word_count(value)
    if words > PITCH_MAX_WORDS:
        raise ValidationError(
            f"Keep your pitch to {PITCH_MAX_WORDS} words (3 minutes of reading at {READING_WORDS_PER_MINUTE} "
            f"words a minute): it has {words}.",
            code="too_long",
        )


def validate_no_control_characters(value: str) -> None:
    if value and any(ord(c) < 32 and c not in "\r\n\t" for c in value):
        raise ValidationError("Remove the control characters from this text.", code="control")


class Theme(models.TextChoices):
    PEER_SUPPORT = "peer_support", "Peer support"
    HOUSING = "housing", "Housing"
    WORK = "work", "Work, training and volunteering"
    ARTS = "arts", "Arts and culture"
    SPORT = "sport", "Sport and wellbeing"
    FOOD = "food", "Food"
    FAMILIES = "families", "Families and children"
    ENVIRONMENT = "environment", "Environment and green spaces"
    OTHER = "other", "Something else"


class DeclineReason(models.TextChoices):
    NOT_ENOUGH_SUPPORT = "support", "Not enough support yet"
    EXISTS_ALREADY = "exists", "Something similar exists already"
    NOT_FEASIBLE = "feasible", "Not possible with what the network has"
    SAFETY = "safety", "Concerns about safety"
    OUT_OF_SCOPE = "scope", "Outside what the network does"
    OTHER = "other", "Another reason (explained below)"


class PitchQuerySet(models.QuerySet):
    def public(self):
        """Published at some point, not a draft and not hidden by a coordinator."""
        return self.exclude(state=Pitch.State.DRAFT).filter(published_at__isnull=False, hidden_at__isnull=True)


class Pitch(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        UNDER_REVIEW = "under_review", "Under review"
        ACCEPTED = "accepted", "Accepted"
        NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"
        WITHDRAWN = "withdrawn", "Withdrawn"

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="pitches")
    settlement = models.ForeignKey(
        "federation.Settlement", null=True, blank=True, on_delete=models.SET_NULL, related_name="pitches"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="pitches"
    )
    title = models.CharField(max_length=TITLE_MAX, validators=[validate_no_control_characters])
    theme = models.CharField(max_length=20, choices=Theme.choices, default=Theme.OTHER)
    problem = models.TextField(
        "The problem",
        max_length=PROBLEM_MAX,
        validators=[MaxLengthValidator(PROBLEM_MAX), validate_no_control_characters],
    )
    idea = models.TextField(
        "The idea", max_length=IDEA_MAX, validators=[MaxLengthValidator(IDEA_MAX), validate_no_control_characters]
    )
    who_for = models.TextField(
        "Who it is for",
        max_length=WHO_FOR_MAX,
        validators=[MaxLengthValidator(WHO_FOR_MAX), validate_no_control_characters],
    )
    pitch_text = models.TextField(
        "The pitch",
        blank=True,
        max_length=PITCH_MAX_CHARACTERS,
        validators=[MaxLengthValidator(PITCH_MAX_CHARACTERS), validate_pitch_length, validate_no_control_characters],
    )
    video_url = models.URLField("Video link", blank=True, max_length=300, validators=[validate_https])
    # What it needs, structured so pledges can be set against it.
    needs_money = models.PositiveIntegerField(
        "Money (pounds)", default=0, validators=[MaxValueValidator(MAX_MONEY_POUNDS)]
    )
    needs_hours = models.PositiveIntegerField("Volunteer hours", default=0, validators=[MaxValueValidator(MAX_HOURS)])
    needs_space = models.CharField(
        "Space", max_length=NEEDS_TEXT_MAX, blank=True, validators=[validate_no_control_characters]
    )
    needs_skills = models.CharField(
        "Skills", max_length=NEEDS_TEXT_MAX, blank=True, validators=[validate_no_control_characters]
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decision_explanation = models.TextField(
        blank=True,
        max_length=EXPLANATION_MAX,
        validators=[MaxLengthValidator(EXPLANATION_MAX), validate_no_control_characters],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Hidden by a coordinator after a report, pending review: then only coordinators see it.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=HIDE_REASON_MAX, blank=True)

    objects = PitchQuerySet.as_manager()

    personal_data = PersonalData(
        owner="author",
        on_erase="recoverynet.initiatives.personal_data.erase_pitches",
        export=("network", "title", "state", "created_at", "published_at"),
        section="initiatives_pitches",
        description="the ideas you pitched to a network",
        # Drafts are deleted on erasure; published pitches stay, no longer linked to their author.
        # What people typed is never copied into the audit log.
        free_text=(
            "problem",
            "idea",
            "who_for",
            "pitch_text",
            "video_url",
            "decision_explanation",
            "needs_space",
            "needs_skills",
            "hidden_reason",
        ),
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = "pitches"
        indexes = [
            models.Index(fields=["network", "state"]),
            models.Index(fields=["state", "published_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="not_taken_forward") | ~models.Q(decline_reason=""),
                name="initiatives_pitch_declined_with_reason",
            ),
        ]

    def __str__(self):
        return self.audit_repr()

    def get_absolute_url(self):
        return reverse("initiatives:pitch_detail", kwargs={"pk": self.pk})

    def audit_repr(self) -> str:
        return f"Pitch #{self.pk}"

    def clean(self):
        errors = {}
        if self.settlement_id and self.network_id and self.settlement.network_id != self.network_id:
            errors["settlement"] = "Choose a settlement in this network."
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.state != self.State.DRAFT and self.published_at is not None

    @property
    def reading_time(self) -> str:
        return reading_time(self.pitch_text)


# The whole state machine: each transition's name, where it may start, where it ends.
TRANSITIONS = {
    "publish": ((Pitch.State.DRAFT,), Pitch.State.PUBLISHED),
    "start_review": ((Pitch.State.PUBLISHED,), Pitch.State.UNDER_REVIEW),
    "accept": ((Pitch.State.UNDER_REVIEW,), Pitch.State.ACCEPTED),
    "decline": ((Pitch.State.UNDER_REVIEW,), Pitch.State.NOT_TAKEN_FORWARD),
    "withdraw": ((Pitch.State.DRAFT, Pitch.State.PUBLISHED, Pitch.State.UNDER_REVIEW), Pitch.State.WITHDRAWN),
}

DEFAULT_SUPPORT_THRESHOLD = 10
MAX_SUPPORT_THRESHOLD = 1000
MAX_PLEDGE_HOURS = 100  # one person's hours pledged to one pitch, in all
PLEDGE_TEXT_MAX = 300
# Stages at which members may support and pledge.
OPEN_FOR_SUPPORT = (Pitch.State.PUBLISHED, Pitch.State.UNDER_REVIEW)
OPEN_FOR_PLEDGES = (Pitch.State.PUBLISHED, Pitch.State.UNDER_REVIEW, Pitch.State.ACCEPTED)


class NetworkSettings(models.Model):
    """A network's choices about pitches, set by its coordinators."""

    network = models.OneToOneField("federation.Network", on_delete=models.CASCADE, related_name="pitch_settings")
    support_threshold = models.PositiveIntegerField(
        default=DEFAULT_SUPPORT_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SUPPORT_THRESHOLD)],
        help_text="A published pitch with this many supporters goes to review by itself.",
    )

    class Meta:
        verbose_name_plural = "network settings"

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Pitch settings of {self.network.name}"


def support_threshold_of(network) -> int:
    found = NetworkSettings.objects.filter(network=network).values_list("support_threshold", flat=True).first()
    return found or DEFAULT_SUPPORT_THRESHOLD


class Support(models.Model):
    """A member's support for a pitch: one each, which they may withdraw."""

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pitch_supports")
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        owner="user",
        on_erase=DELETE,
        export=("pitch", "created_at"),
        section="initiatives_supports",
        description="the pitches you supported",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["pitch", "user"], name="initiatives_one_support_each")]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Support #{self.pk} for pitch #{self.pitch_id}"

    @property
    def network_id(self):
        return self.pitch.network_id


class Pledge(models.Model):
    """What a member (or, through a member who works there, an organisation) will give a pitch.
    Hours are a pledge only: nothing moves in the time bank until the time is given."""

    class Kind(models.TextChoices):
        HOURS = "hours", "Hours of time"
        SKILLS = "skills", "Skills"
        SPACE = "space", "A space"
        EQUIPMENT = "equipment", "Equipment"

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="pledges")
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="pitch_pledges"
    )
    organisation = models.ForeignKey(
        "federation.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="pitch_pledges"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    hours = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_PLEDGE_HOURS)]
    )
    description = models.CharField(max_length=PLEDGE_TEXT_MAX, blank=True, validators=[validate_no_control_characters])
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        owner="pledged_by",
        on_erase="recoverynet.initiatives.personal_data.erase_pledges",
        fields=("description",),
        export=("pitch", "kind", "hours", "description", "organisation", "created_at"),
        section="initiatives_pledges",
        description="what you pledged to pitches",
        free_text=("description",),
    )

    class Meta:
        ordering = ["kind", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="hours", hours__isnull=False) | (~models.Q(kind="hours") & models.Q(hours=None))
                ),
                name="initiatives_pledge_hours_only_for_hours",
            ),
        ]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Pledge #{self.pk} to pitch #{self.pitch_id}"

    @property
    def network_id(self):
        return self.pitch.network_id

    def clean(self):
        errors = {}
        if self.kind == self.Kind.HOURS and not self.hours:
            errors["hours"] = "Enter how many hours you pledge, from 1 to 100."
        if self.kind != self.Kind.HOURS and self.hours is not None:
            errors["hours"] = "Only a pledge of time has hours."
        if self.kind and self.kind != self.Kind.HOURS and not (self.description or "").strip():
            errors["description"] = "Say what you pledge: the skill, the space or the equipment."
        if errors:
            raise ValidationError(errors)


# --- Review by peers ----------------------------------------------------------------

SCORE_MIN, SCORE_MAX = 1, 5
CRITERION_MAX = 100
MAX_CRITERIA = 8
CONFLICT_MAX = 300


def validate_criteria(value) -> None:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_CRITERIA:
        raise ValidationError(f"Give from 1 to {MAX_CRITERIA} criteria, one a line.", code="criteria")
    for item in value:
        if not isinstance(item, str) or not item.strip() or len(item) > CRITERION_MAX:
            raise ValidationError(f"Each criterion is a line of at most {CRITERION_MAX} characters.", code="criterion")
    if len({item.strip().lower() for item in value}) != len(value):
        raise ValidationError("Each criterion must be different.", code="criteria_twice")


class ReviewRound(models.Model):
    """A network's round of review: a panel of peers scores the pitches under review
    on criteria published with the round; the coordinators then record each decision."""

    class State(models.TextChoices):
        FORMING = "forming", "Forming the panel"
        SCORING = "scoring", "Scoring"
        CLOSED = "closed", "Closed"

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="review_rounds")
    title = models.CharField(max_length=120, validators=[validate_no_control_characters])
    criteria = models.JSONField(validators=[validate_criteria])
    state = models.CharField(max_length=10, choices=State.choices, default=State.FORMING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.audit_repr()

    def get_absolute_url(self):
        return reverse("initiatives:round_detail", kwargs={"pk": self.pk})

    def audit_repr(self) -> str:
        return f"Review round #{self.pk}"


class PanelMember(models.Model):
    """A member appointed to a round's panel. Whether they have lived experience of
    recovery is theirs to declare (special-category data: encrypted, never shown
    to anyone, used only to check the panel's balance, erased with them)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_panels")
    lived_experience = EncryptedBooleanField(null=True, blank=True)  # None: not declared yet
    declared_at = models.DateTimeField(null=True, blank=True)
    appointed_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        owner="user",
        fields=("lived_experience",),
        on_erase=DELETE,
        export=("round", "lived_experience", "declared_at", "appointed_at"),
        section="initiatives_review_panels",
        description="the review panels you were appointed to, and what you declared",
    )

    class Meta:
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="initiatives_one_seat_per_panel")]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Panel member #{self.pk} of review round #{self.round_id}"

    @property
    def network_id(self):
        return self.round.network_id


def panel_balance(members) -> tuple[int, int]:
    """(people who declared lived experience, panel size), counted in Python: the flag is encrypted."""
    members = list(members)
    return sum(1 for m in members if m.lived_experience is True), len(members)


class ConflictOfInterest(models.Model):
    """A panel member's declared interest in a pitch: they cannot score it."""

    panel_member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="conflicts")
    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="conflicts")
    description = models.CharField(max_length=CONFLICT_MAX, validators=[validate_no_control_characters])
    declared_at = models.DateTimeField(auto_now_add=True)

    # Linked to the person through their panel seat (PanelMember, deleted on erasure, with this).
    personal_data = NoPersonalData(
        reason="Reached through PanelMember, whose erasure deletes it; what was typed stays out of the audit log.",
        free_text=("description",),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel_member", "pitch"], name="initiatives_one_conflict_per_pitch")
        ]

    def __str__(self):
        return f"Conflict of interest #{self.pk}"


class Score(models.Model):
    """One panel member's score (1-5) for one pitch on one of the round's criteria."""

    panel_member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="scores")
    criterion = models.PositiveSmallIntegerField()  # index into the round's criteria
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pitch", "criterion", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel_member", "pitch", "criterion"], name="initiatives_one_score_each"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="initiatives_score_1_to_5"),
        ]

    def __str__(self):
        return f"Score #{self.pk}"


# --- Initiatives and social enterprises ------------------------------------------------

UPDATE_MAX = 2000
MAX_WEIGHT = 100


class Initiative(models.Model):
    """What an accepted pitch becomes: a community initiative, or a social enterprise with its legal form."""

    class Kind(models.TextChoices):
        INITIATIVE = "initiative", "Community initiative"
        SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"

    class LegalForm(models.TextChoices):
        CIC = "cic", "Community interest company (CIC)"
        CHARITY = "charity", "Charity"
        COOPERATIVE = "cooperative", "Co-operative"
        CLG = "clg", "Company limited by guarantee"
        UNINCORPORATED = "unincorporated", "Unincorporated group"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    pitch = models.OneToOneField(Pitch, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiative")
    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="initiatives")
    settlement = models.ForeignKey(
        "federation.Settlement", null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives"
    )
    name = models.CharField(max_length=TITLE_MAX, validators=[validate_no_control_characters])
    summary = models.TextField(
        max_length=IDEA_MAX, validators=[MaxLengthValidator(IDEA_MAX), validate_no_control_characters]
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INITIATIVE)
    legal_form = models.CharField(max_length=20, choices=LegalForm.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    partners = models.ManyToManyField("federation.Organisation", blank=True, related_name="initiatives")
    started_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self):
        return self.audit_repr()

    def get_absolute_url(self):
        return reverse("initiatives:initiative_detail", kwargs={"pk": self.pk})

    def audit_repr(self) -> str:
        return f"Initiative #{self.pk}"

    def clean(self):
        errors = {}
        if self.kind == self.Kind.SOCIAL_ENTERPRISE and not self.legal_form:
            errors["legal_form"] = "Choose the social enterprise's legal form."
        if self.settlement_id and self.network_id and self.settlement.network_id != self.network_id:
            errors["settlement"] = "Choose a settlement in this network."
        if errors:
            raise ValidationError(errors)


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        MEMBER = "member", "Member"
        ALLY = "ally", "Ally"
        PROFESSIONAL = "professional", "Professional"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="initiative_roles")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        owner="user",
        on_erase=DELETE,
        export=("initiative", "role", "joined_at"),
        section="initiatives_team_roles",
        description="your roles in community initiatives",
    )

    class Meta:
        ordering = ["role", "pk"]
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="initiatives_one_role_each")]

    def __str__(self):
        return f"Team member #{self.pk} of initiative #{self.initiative_id}"


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=TITLE_MAX, validators=[validate_no_control_characters])
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"Milestone #{self.pk}"


MAX_PEOPLE_TARGET = 10_000


class ResultMeasure(models.TextChoices):
    """How a result's progress is measured: reported as a percentage, or counted in people
    in recovery the initiative involves (progress = achieved / target)."""

    PERCENTAGE = "percentage", "Progress reported as a percentage"
    VOLUNTEERING = "volunteering", "People in recovery volunteering"
    TRAINED = "trained", "People in recovery trained"
    EMPLOYED = "employed", "People in recovery employed"


def people_progress(achieved, target) -> int:
    """Whole per cent of a people target reached, at most 100."""
    if not target:
        return 0
    return min(100, max(achieved or 0, 0) * 100 // target)


class Result(models.Model):
    """One result the initiative is accountable for. A leaf's progress is reported (or, for a
    result measured in people, achieved / target); a parent's is the weighted mean of its
    children's (see results.compute_progress)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="results")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    title = models.CharField(max_length=TITLE_MAX, validators=[validate_no_control_characters])
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT)]
    )
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    measure = models.CharField(max_length=20, choices=ResultMeasure.choices, default=ResultMeasure.PERCENTAGE)
    target_people = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE_TARGET)]
    )
    achieved_people = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(MAX_PEOPLE_TARGET)])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="initiatives_progress_0_to_100"),
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="initiatives_weight_positive"),
        ]

    def __str__(self):
        return f"Result #{self.pk}"

    @property
    def in_people(self) -> bool:
        return self.measure != ResultMeasure.PERCENTAGE

    @property
    def achieved_figure(self):
        """The people reached, for publishing: from 1 to 4 it reads "fewer than 5"."""
        return protect_count(self.achieved_people)

    def clean(self):
        if self.in_people and not self.target_people:
            raise ValidationError({"target_people": "Enter how many people the result aims for."})
        if not self.in_people and self.target_people:
            raise ValidationError({"target_people": "Only a result measured in people has a target of people."})
        if self.parent_id is None:
            return
        if self.parent.initiative_id != self.initiative_id:
            raise ValidationError({"parent": "Choose a result of the same initiative."})
        ancestor = self.parent
        while ancestor is not None:  # no result may sit under itself
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "A result cannot sit under itself or one of its own parts."})
            ancestor = ancestor.parent


class Update(models.Model):
    """An entry on the initiative's public timeline."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiative_updates"
    )
    text = models.TextField(
        max_length=UPDATE_MAX, validators=[MaxLengthValidator(UPDATE_MAX), validate_no_control_characters]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=HIDE_REASON_MAX, blank=True)

    personal_data = PersonalData(
        owner="author",
        fields=("author",),
        on_erase=ANONYMISE,  # the update stays on the public timeline, no longer named
        export=("initiative", "text", "created_at"),
        section="initiatives_updates",
        description="the updates you posted on initiatives' timelines",
        public_text=("text",),
        free_text=("hidden_reason",),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Update #{self.pk}"


class Report(ReportBase):
    """A member's report of a pitch or an update; a coordinator hides it pending review, or dismisses the
    report (core.moderation)."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        OFFENSIVE = "offensive", "Offensive or abusive"
        UNSAFE = "unsafe", "Unsafe: it could put someone at risk"
        IDENTIFIES = "identifies", "It identifies someone who has not agreed to it"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a coordinator"
        HIDDEN = "hidden", "Hidden"
        DISMISSED = "dismissed", "Dismissed"

    class Outcome(models.TextChoices):
        HIDDEN = "hidden", "Hidden pending review"
        DISMISSED = "dismissed", "Left up: the report was dismissed"

    pitch = models.ForeignKey(Pitch, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    update = models.ForeignKey(Update, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.CharField(max_length=HIDE_REASON_MAX, blank=True, validators=[validate_no_control_characters])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    target_fields = ("pitch", "update")
    network_lookups = ("pitch__network", "update__initiative__network")
    moderate_permission = "initiatives.moderate"
    area = "Initiatives"
    queue_related = ("pitch__network", "update__initiative__network")
    reason_label = "What is wrong with it?"
    reason_required = "Choose what is wrong with it"
    details_label = "Anything the coordinators should know (optional)"
    details_hint = "Only the network's coordinators see this."
    outcome_label = "Decision"
    outcome_required = "Choose what to do"
    note_label = "Why it is hidden"
    already_closed = "This report has been dealt with already."

    personal_data = [
        PersonalData(
            owner="reporter",
            fields=("reporter", "details"),
            on_erase=ANONYMISE,  # the report stays for the coordinators' record, no longer linked or in their words
            export=("reason", "details", "status", "created_at"),
            section="initiatives_reports",
            description="the pitches and updates you reported",
            free_text=("details", "outcome_note"),
        ),
        PersonalData(
            owner="closed_by",
            fields=("closed_by",),
            on_erase=ANONYMISE,
            export=("reason", "outcome", "closed_at"),
            section="initiatives_reports_closed",
            description="reports of pitches and updates you closed as a coordinator",
        ),
    ]

    class Meta(ReportBase.Meta):
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            *ReportBase.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(pitch__isnull=False, update__isnull=True)
                | models.Q(pitch__isnull=True, update__isnull=False),
                name="initiatives_report_one_thing",
            ),
        ]

    def __str__(self):
        return f"Report #{self.pk}"

    @property
    def target(self):
        return self.pitch if self.pitch_id else self.update

    @property
    def network_id(self):
        return self.pitch.network_id if self.pitch_id else self.update.initiative.network_id

    def get_network(self):
        return self.pitch.network if self.pitch_id else self.update.initiative.network

    def target_label(self) -> str:
        return f"Pitch: {self.pitch.title}" if self.pitch_id else f"Update on {self.update.initiative.name}"

    def get_review_url(self) -> str:
        url = reverse("initiatives:moderation", kwargs={"slug": self.get_network().slug})
        return f"{url}#report-{self.pk}"

    def check_reportable(self) -> None:
        if self.target is not None and self.target.hidden_at is not None:
            raise ValidationError("This has been hidden already while a coordinator looks at it.", code="hidden")

    def closed_status(self, outcome: str) -> str:
        return outcome  # hidden or dismissed


# --- Co-production self-assessment ------------------------------------------------------

# The six components of co-production (nef and NESTA, "Public services inside out", 2010).
COMPONENTS = (
    ("assets", "Assets", "People are seen as assets, not problems."),
    ("capacity", "Capacity", "It builds on people's existing capabilities."),
    ("mutuality", "Mutuality", "Reciprocity: people give as well as receive."),
    ("networks", "Networks", "It works through peer and personal networks."),
    ("shared_roles", "Shared roles", "Professionals and people with lived experience share power and roles."),
    ("catalysts", "Catalysts", "Services act as catalysts, not only providers."),
)
COMPONENT_NAMES = tuple(name for name, _, _ in COMPONENTS)
LEVELS = ((1, "Not yet"), (2, "Starting"), (3, "Developing"), (4, "Embedded"))


class CoproductionAssessment(models.Model):
    """One team member's own scoring of the initiative on the six components, on one day."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="assessments")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_on = models.DateField()
    assets = models.PositiveSmallIntegerField(choices=LEVELS)
    capacity = models.PositiveSmallIntegerField(choices=LEVELS)
    mutuality = models.PositiveSmallIntegerField(choices=LEVELS)
    networks = models.PositiveSmallIntegerField(choices=LEVELS)
    shared_roles = models.PositiveSmallIntegerField(choices=LEVELS)
    catalysts = models.PositiveSmallIntegerField(choices=LEVELS)

    personal_data = PersonalData(
        owner="respondent",
        fields=("respondent",),
        on_erase=ANONYMISE,  # the team's scores stay, no longer linked to the person
        export=("initiative", "taken_on", *COMPONENT_NAMES),
        section="initiatives_coproduction",
        description="your co-production self-assessments of initiatives",
    )

    class Meta:
        ordering = ["taken_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "respondent", "taken_on"], name="initiatives_one_assessment_a_day"
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 4}), name=f"initiatives_{name}_1_to_4"
                )
                for name in COMPONENT_NAMES
            ),
        ]

    def __str__(self):
        return f"Co-production self-assessment #{self.pk}"


# --- Decisions, on a ladder of participation ----------------------------------------------

DECISION_MAX = 1500
YOU_SAID_MAX = 1000


class Ladder(models.TextChoices):
    """How far the community shared the decision (a ladder of participation, lowest first)."""

    INFORMING = "informing", "Informing"
    CONSULTATION = "consultation", "Consultation"
    ENGAGEMENT = "engagement", "Engagement"
    CO_DESIGN = "co_design", "Co-design"
    CO_PRODUCTION = "co_production", "Co-production"


class Decision(models.Model):
    """A decision the initiative took, its step on the ladder and, where it answered a
    request from the community, what was asked ("you said") and what was done ("we did")."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(max_length=TITLE_MAX, validators=[validate_no_control_characters])
    decided = models.TextField(
        max_length=DECISION_MAX, validators=[MaxLengthValidator(DECISION_MAX), validate_no_control_characters]
    )
    decided_on = models.DateField()
    step = models.CharField(max_length=20, choices=Ladder.choices)
    you_said = models.TextField(
        max_length=YOU_SAID_MAX,
        blank=True,
        validators=[MaxLengthValidator(YOU_SAID_MAX), validate_no_control_characters],
    )
    we_did = models.TextField(
        max_length=YOU_SAID_MAX,
        blank=True,
        validators=[MaxLengthValidator(YOU_SAID_MAX), validate_no_control_characters],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        owner="recorded_by",
        fields=("recorded_by",),
        on_erase=ANONYMISE,  # the decision stays on the initiative's public record, no longer linked to them
        export=("initiative", "title", "decided_on", "step"),
        section="initiatives_decisions_recorded",
        description="the decisions you recorded on initiatives",
        public_text=("title", "decided", "you_said", "we_did"),
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Decision #{self.pk} of initiative #{self.initiative_id}"

    def clean(self):
        if bool((self.you_said or "").strip()) != bool((self.we_did or "").strip()):
            missing = "we_did" if (self.you_said or "").strip() else "you_said"
            raise ValidationError(
                {missing: "Fill in both what the community said and what was done, or neither."}, code="you_said_pair"
            )


class DecisionParticipant(models.Model):
    """A team member who took part in a decision. Whether they have lived experience is
    special-category data: encrypted, never shown per person, counted only in aggregate
    (the share of decision-makers, hidden below five people) and erased with them."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="initiative_decisions")
    lived_experience = EncryptedBooleanField(null=True, blank=True)

    personal_data = PersonalData(
        owner="user",
        fields=("lived_experience",),
        on_erase=DELETE,
        export=("decision", "lived_experience"),
        section="initiatives_decisions_taken_part",
        description="the initiatives' decisions you took part in, and whether you have lived experience",
    )

    class Meta:
        ordering = ["decision", "pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "user"], name="initiatives_one_place_per_decision")]

    def __str__(self):
        return f"Decision participant #{self.pk}"


def lived_experience_share(rows) -> tuple[int, int]:
    """(decision-makers with lived experience, decision-makers) from (user_id, decided_on, pk,
    lived_experience) rows: each person counted once, as marked on their latest decision."""
    latest: dict = {}
    for user_id, decided_on, pk, lived in rows:
        key = (decided_on, pk)
        if user_id not in latest or key > latest[user_id][0]:
            latest[user_id] = (key, lived)
    return sum(1 for _, lived in latest.values() if lived is True), len(latest)
