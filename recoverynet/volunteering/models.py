"""Volunteering: roles that are safe to take, shifts that fill, hours that count.

A Role is offered in one network by an organisation, a settlement or an
initiative of it (exactly one),
with its public requirements (skills, DBS level, minimum time in recovery,
flags such as alcohol served at the venue). What concerns a person — their
self-declared recovery start date, their DBS check — is private: the date is
encrypted and seen by nobody but the person; a DBS check is recorded as level,
date and checker only (never the certificate), seen only by coordinators of
that network. Whether a member may take a role is decided in one place:
`eligibility.eligibility`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from encrypted_fields.fields import EncryptedDateField

from recoverynet.core.personal_data import ANONYMISE, DELETE, KEEP, PersonalData

MAX_SHIFT_HOURS = 24
MAX_PLACES = 500
# A flexible shift: a window of at most this many days, and at most this many hours recorded per place.
MAX_WINDOW_DAYS = 92
MAX_FLEXIBLE_HOURS = 100


def format_minutes(minutes: int) -> str:
    hours, rest = divmod(abs(int(minutes or 0)), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"


class DBSLevel(models.TextChoices):
    NONE = "none", "None"
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"


DBS_RANK = {DBSLevel.NONE: 0, DBSLevel.BASIC: 1, DBSLevel.STANDARD: 2, DBSLevel.ENHANCED: 3}


class SkillLevel(models.IntegerChoices):
    SOME = 1, "Some experience"
    CONFIDENT = 2, "Confident"
    EXPERT = 3, "Experienced enough to teach others"


# The list migration 0005_seed_interests seeded (a migration keeps its own frozen copy).
DEFAULT_INTERESTS = (
    "Admin and office",
    "Cooking and food",
    "Creative arts",
    "Digital and IT",
    "Driving and transport",
    "Events",
    "Gardening and outdoors",
    "Peer support",
    "Sport and fitness",
    "Training others",
)


MAX_INTEREST_NAME = 60


class Interest(models.Model):
    """What a volunteer may enjoy doing ("Cooking and food"): a short shared list, so that roles and members
    name interests the same way. Seeded by a data migration (0005_seed_interests) on every site; after that,
    federation coordinators add, rename and remove them on /volunteering/manage/interests/ (services
    add_interest, rename_interest, remove_interest). Names are unique whatever their case."""

    name = models.CharField(max_length=MAX_INTEREST_NAME, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Events" and "events" are one interest; the database keeps it so even when two add at once.
            models.UniqueConstraint(
                Lower("name"),
                name="volunteering_interest_name_any_case",
                violation_error_code="unique",
                violation_error_message="There is already an interest with this name.",
            )
        ]

    def __str__(self):
        return self.name

    def audit_repr(self) -> str:
        return f"Volunteering interest {self.name}"


class RoleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, network__is_active=True)

    def for_lists(self):
        return self.select_related("network", "organisation", "settlement", "initiative__settlement").prefetch_related(
            "skills", "interests"
        )


class Role(models.Model):
    """A volunteering role, offered in one network by an organisation, a settlement or an initiative."""

    class EarlyRecovery(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        ASK = "ask", "Ask us"

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="volunteering_roles")
    organisation = models.ForeignKey(
        "federation.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteering_roles",
        help_text="The organisation offering the role, or leave empty and choose a settlement or initiative.",
    )
    settlement = models.ForeignKey(
        "federation.Settlement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteering_roles",
        help_text="The settlement offering the role, or leave empty and choose an organisation or initiative.",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteering_roles",
        help_text="The community initiative offering the role, or leave empty and choose an organisation or "
        "settlement.",
    )
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(help_text="What the role is for, in a few sentences.")
    involves = models.TextField("What it involves", help_text="What a volunteer does on a typical shift.")
    is_remote = models.BooleanField("Can be done remotely", default=False)
    time_commitment = models.CharField(max_length=150, help_text="For example: one morning a week for three months.")
    # Safety requirements: public, since they describe the role, not a person.
    min_recovery_months = models.PositiveSmallIntegerField(
        "Minimum time in recovery (months)", default=0, help_text="0 when the role asks for none."
    )
    dbs_level = models.CharField("DBS check needed", max_length=10, choices=DBSLevel.choices, default=DBSLevel.NONE)
    supervision_available = models.BooleanField(default=False)
    early_recovery = models.CharField(
        "Suitable early in recovery", max_length=3, choices=EarlyRecovery.choices, default=EarlyRecovery.ASK
    )
    alcohol_at_venue = models.BooleanField("Alcohol is served at the venue", default=False)
    handles_medication = models.BooleanField("Handles medication", default=False)
    lone_working = models.BooleanField("Lone working", default=False)
    confirm_automatically = models.BooleanField(
        "Confirm sign-ups at once", default=False, help_text="Otherwise the organiser confirms each sign-up."
    )
    is_published = models.BooleanField(default=True)
    interests = models.ManyToManyField(Interest, blank=True, related_name="roles")
    created_at = models.DateTimeField(auto_now_add=True)
    # The hidden key of the form that created it: the same form sent twice creates one row.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["network", "is_published"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, settlement__isnull=True, initiative__isnull=True)
                | Q(organisation__isnull=True, settlement__isnull=False, initiative__isnull=True)
                | Q(organisation__isnull=True, settlement__isnull=True, initiative__isnull=False),
                name="volunteering_role_offered_by_one",
            ),
            models.CheckConstraint(condition=Q(min_recovery_months__lte=600), name="volunteering_recovery_months"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteering:role_detail", kwargs={"slug": self.slug})

    def audit_repr(self) -> str:
        return f"Volunteering role {self.title}"

    @property
    def offered_by(self):
        """The organisation, settlement or initiative offering the role."""
        return self.organisation or self.settlement or self.initiative

    @property
    def offered_by_name(self) -> str:
        offerer = self.offered_by
        return offerer.name if offerer is not None else ""

    @property
    def location(self) -> str:
        if self.settlement_id:
            return ", ".join(self.settlement.address_lines)
        if self.initiative_id and self.initiative.settlement_id:
            return ", ".join(self.initiative.settlement.address_lines)
        return self.organisation.town if self.organisation_id else ""

    @property
    def flags(self) -> list[str]:
        names = ("alcohol_at_venue", "handles_medication", "lone_working")
        return [str(self._meta.get_field(name).verbose_name) for name in names if getattr(self, name)]

    def clean(self):
        errors = {}
        if [bool(self.organisation_id), bool(self.settlement_id), bool(self.initiative_id)].count(True) != 1:
            errors["organisation"] = "Choose one organisation, settlement or initiative that offers the role."
        if self.initiative_id and self.network_id and self.initiative.network_id != self.network_id:
            errors["initiative"] = "Choose an initiative in this network."
        if self.settlement_id and self.network_id and self.settlement.network_id != self.network_id:
            errors["settlement"] = "Choose a settlement in this network."
        if (
            self.organisation_id
            and self.network_id
            and not self.organisation.networks.filter(pk=self.network_id).exists()
        ):
            errors["organisation"] = "Choose an organisation that belongs to this network."
        if errors:
            raise ValidationError(errors)


class RoleSkill(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=60)
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices, default=SkillLevel.SOME)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["role", "name"], name="volunteering_one_skill_per_role")]

    def __str__(self):
        return f"{self.name} ({self.get_level_display().lower()})"

    @property
    def network_id(self):
        return self.role.network_id


class VolunteerProfile(models.Model):
    """What a member tells the app about themselves, for themselves: never shown to anyone else
    (but their skills, to their networks' coordinators, where they chose `skills_findable`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile")
    recovery_start = EncryptedDateField("When your recovery started", null=True, blank=True)
    avoid_alcohol_venues = models.BooleanField("Do not offer me roles where alcohol is served", default=False)
    avoid_medication_roles = models.BooleanField(
        "Do not offer me roles that involve handling medication", default=False
    )
    shift_reminders = models.BooleanField("Email me the day before a shift", default=True)
    skills_findable = models.BooleanField(
        "Let my networks' coordinators find me by my skills",
        default=False,
        help_text="They see your display name, the skill and its level; nothing else from this profile.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        owner="user",
        fields=("recovery_start",),
        on_erase=DELETE,
        export=(
            "recovery_start",
            "avoid_alcohol_venues",
            "avoid_medication_roles",
            "shift_reminders",
            "skills_findable",
            "updated_at",
        ),
        section="volunteering_profile",
        description="your volunteering profile (your recovery start date, if you gave one)",
    )

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Volunteering profile #{self.pk}"


class MemberSkill(models.Model):
    """A skill a member says they have, with its level: for their "for you" list. Only they see it,
    unless they let their networks' coordinators find them by it (VolunteerProfile.skills_findable)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_skills")
    name = models.CharField(max_length=60)
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices, default=SkillLevel.SOME)

    personal_data = PersonalData(
        owner="user",
        fields=("name",),
        on_erase=DELETE,
        export=("name", "level"),
        section="volunteering_skills",
        description="the skills you listed for volunteering",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="volunteering_one_skill_per_member")]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Volunteering skill #{self.pk}"


class MemberInterest(models.Model):
    """An interest a member chose, for their "for you" list and the "best match" order: only they see it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_interests")
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="members")

    personal_data = PersonalData(
        owner="user",
        fields=("interest",),
        on_erase=DELETE,
        export=("interest",),
        section="volunteering_interests",
        description="the interests you chose for volunteering",
    )

    class Meta:
        ordering = ["interest__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "interest"], name="volunteering_one_interest_per_member")
        ]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Volunteering interest #{self.pk}"


class DBSCheck(models.Model):
    """A member's DBS check as a coordinator saw it: level, date and who checked.
    Never the certificate or what it says. Seen only by the network's coordinators."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dbs_checks")
    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="dbs_checks")
    level = models.CharField(max_length=10, choices=[c for c in DBSLevel.choices if c[0] != DBSLevel.NONE])
    checked_on = models.DateField("Date of the check")
    checker = models.CharField("Checked by", max_length=120, help_text="The person or organisation who saw it.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="dbs_checks_recorded"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    personal_data = [
        PersonalData(
            owner="user",
            fields=("level", "checked_on", "checker"),
            on_erase=DELETE,
            export=("network", "level", "checked_on", "checker", "recorded_at"),
            section="dbs_checks",
            description="the DBS checks coordinators recorded for you (level, date and checker only)",
        ),
        PersonalData(
            owner="recorded_by",
            on_erase=KEEP,
            export=None,
            reason="The check belongs to the volunteer; who recorded it then points at a former member.",
        ),
    ]

    class Meta:
        ordering = ["network", "-checked_on"]
        constraints = [models.UniqueConstraint(fields=["user", "network"], name="volunteering_one_dbs_per_network")]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"DBS check record #{self.pk}"


class ShiftQuerySet(models.QuerySet):
    def with_taken(self):
        return self.annotate(
            taken=models.Count("signups", filter=Q(signups__status__in=SignUp.HOLDS_PLACE), distinct=True)
        )

    def open(self):
        """Not cancelled by the organiser."""
        return self.filter(cancelled_at__isnull=True)


class Shift(models.Model):
    """A shift of a role, with a number of places. Two kinds:

    * fixed: the volunteer comes from `starts_at` to `ends_at`;
    * flexible: a window (`starts_at` to `ends_at`, optionally only between
      `day_starts` and `day_ends` each day) in which the volunteer gives
      `expected_minutes`, in total or each week ("any 2 hours between Mon 1 and
      Fri 5 December, 9am to 5pm"; "3 hours a week during December"). Each
      volunteer picks their own time within the window when signing up, or
      leaves it to agree with the organiser. Places are capped just the same.

    A cancelled shift (`cancelled_at`) keeps its sign-ups (cancelled with it) for the record."""

    class Kind(models.TextChoices):
        FIXED = "fixed", "Fixed times"
        FLEXIBLE = "flexible", "Flexible window"

    class Per(models.TextChoices):
        TOTAL = "total", "in total"
        WEEK = "week", "a week"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="shifts")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FIXED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    places = models.PositiveSmallIntegerField(default=1)
    # Flexible shifts only:
    day_starts = models.TimeField(null=True, blank=True)
    day_ends = models.TimeField(null=True, blank=True)
    expected_minutes = models.PositiveIntegerField(null=True, blank=True)
    expected_per = models.CharField(max_length=5, choices=Per.choices, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["role", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="volunteering_shift_ends"),
            models.CheckConstraint(condition=Q(places__gte=1), name="volunteering_shift_places"),
            models.CheckConstraint(
                condition=Q(kind="fixed", expected_minutes__isnull=True, day_starts__isnull=True)
                | Q(kind="flexible", expected_minutes__gte=1, expected_minutes__lte=MAX_FLEXIBLE_HOURS * 60),
                name="volunteering_shift_kind",
            ),
        ]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Volunteering shift #{self.pk}"

    @property
    def network_id(self):
        return self.role.network_id

    @property
    def is_flexible(self) -> bool:
        return self.kind == self.Kind.FLEXIBLE

    @property
    def length_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def max_minutes(self) -> int:
        """The most time an organiser may record for one place: a fixed shift's length; a flexible
        window's length, and never more than MAX_FLEXIBLE_HOURS."""
        if self.is_flexible:
            return min(self.length_minutes, MAX_FLEXIBLE_HOURS * 60)
        return self.length_minutes

    @property
    def shown_max(self) -> str:
        return format_minutes(self.max_minutes)

    @property
    def first_day(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def last_day(self):
        """The window's last day (a window to midnight ends on the day before)."""
        return timezone.localtime(self.ends_at - datetime.timedelta(microseconds=1)).date()

    @property
    def closes_at(self):
        """Until when a member may sign up: a fixed shift's start, a flexible window's end."""
        return self.ends_at if self.is_flexible else self.starts_at

    @property
    def expected(self) -> str:
        if not self.is_flexible:
            return ""
        return f"{format_minutes(self.expected_minutes)} {self.get_expected_per_display()}"

    @property
    def when(self) -> str:
        """The shift's time in plain English, for pages, emails and calendars."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        if not self.is_flexible:
            return f"{start:%A %-d %B %Y, %H:%M} to {end:%H:%M}" + (
                "" if start.date() == end.date() else f" on {end:%A %-d %B}"
            )
        first, last = self.first_day, self.last_day
        if first == last:
            days = f"on {first:%A %-d %B %Y}"
        else:
            year = f" {first.year}" if first.year != last.year else ""
            days = f"between {first:%A %-d %B}{year} and {last:%A %-d %B %Y}"
        hours = ""
        if self.day_starts and self.day_ends:
            hours = f", {self.day_starts:%H:%M} to {self.day_ends:%H:%M} each day"
        return f"Any {self.expected} {days}{hours}"

    def contains(self, starts_at, ends_at) -> bool:
        """Whether a chosen time lies in this flexible shift's window (and its daily hours, if any)."""
        if starts_at < self.starts_at or ends_at > self.ends_at:
            return False
        if self.day_starts and self.day_ends:
            start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
            if start.date() != end.date() or start.time() < self.day_starts or end.time() > self.day_ends:
                return False
        return True

    def clean(self):
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": "The shift must end after it starts."})
            if not self.is_flexible and (self.ends_at - self.starts_at).total_seconds() > MAX_SHIFT_HOURS * 3600:
                raise ValidationError({"ends_at": f"A shift can last at most {MAX_SHIFT_HOURS} hours."})
            if self.is_flexible and self.ends_at - self.starts_at > datetime.timedelta(days=MAX_WINDOW_DAYS):
                raise ValidationError({"ends_at": f"A flexible window can last at most {MAX_WINDOW_DAYS} days."})
        if self.places is not None and not 1 <= self.places <= MAX_PLACES:
            raise ValidationError({"places": f"Offer between 1 and {MAX_PLACES} places."})
        if self.is_flexible:
            if not self.expected_minutes or not 1 <= self.expected_minutes <= MAX_FLEXIBLE_HOURS * 60:
                raise ValidationError({"expected_minutes": f"Expect between 1 minute and {MAX_FLEXIBLE_HOURS} hours."})
            if self.expected_per not in self.Per.values:
                raise ValidationError({"expected_per": "Choose in total or a week."})
            if bool(self.day_starts) != bool(self.day_ends):
                raise ValidationError({"day_ends": "Give both daily times, or neither."})
            if self.day_starts and self.day_ends and self.day_ends <= self.day_starts:
                raise ValidationError({"day_ends": "The daily hours must end after they start."})
            window = self.starts_at and self.ends_at
            if self.expected_per == self.Per.TOTAL and window and self.expected_minutes > self.max_minutes:
                raise ValidationError({"expected_minutes": "Expect no more time than the window lasts."})
        else:
            self.day_starts = self.day_ends = self.expected_minutes = None
            self.expected_per = ""


class SignUp(models.Model):
    """A member's place on a shift, and afterwards their hours."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for the organiser"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    HOLDS_PLACE = (Status.REQUESTED, Status.CONFIRMED)

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteering_signups")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    walk_in = models.BooleanField(default=False)
    # On a flexible shift, the time the member chose within the window (empty: agreed with the organiser).
    chosen_starts_at = models.DateTimeField(null=True, blank=True)
    chosen_ends_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Hours: recorded by the organiser, then confirmed by the member.
    attended = models.BooleanField(null=True, blank=True)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    hours_recorded_at = models.DateTimeField(null=True, blank=True)
    hours_confirmed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)  # the day before: sent at most once
    # The time bank transaction that credited these hours: at most one per sign-up (one-to-one).
    credit = models.OneToOneField(
        "timebank.Transaction", null=True, blank=True, on_delete=models.PROTECT, related_name="volunteering_signup"
    )

    personal_data = PersonalData(
        owner="user",
        # Hours given stay in the network's figures and the time bank; what an organiser wrote goes.
        on_erase=ANONYMISE,
        fields=("decline_reason",),
        export=(
            "shift",
            "status",
            "walk_in",
            "chosen_starts_at",
            "chosen_ends_at",
            "decline_reason",
            "created_at",
            "attended",
            "minutes",
        ),
        section="volunteering_signups",
        description="the volunteering shifts you signed up for, and your hours",
        free_text=("decline_reason",),
    )

    class Meta:
        ordering = ["shift__starts_at", "pk"]
        indexes = [models.Index(fields=["shift", "status"]), models.Index(fields=["user", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="volunteering_one_signup_per_shift"),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__lte=MAX_FLEXIBLE_HOURS * 60),
                name="volunteering_minutes_bounded",
            ),
            models.CheckConstraint(
                condition=Q(chosen_starts_at__isnull=True, chosen_ends_at__isnull=True)
                | Q(chosen_ends_at__gt=models.F("chosen_starts_at")),
                name="volunteering_chosen_time",
            ),
        ]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Volunteering sign-up #{self.pk}"

    @property
    def network_id(self):
        return self.shift.role.network_id

    @property
    def shown_minutes(self) -> str:
        return format_minutes(self.minutes or 0)

    @property
    def chosen_time(self) -> str:
        if not self.chosen_starts_at:
            return ""
        start, end = timezone.localtime(self.chosen_starts_at), timezone.localtime(self.chosen_ends_at)
        return f"{start:%A %-d %B, %H:%M} to {end:%H:%M}"

    @property
    def busy_when(self) -> str:
        """When this place keeps the member busy: the time they chose, or else the shift's time."""
        return self.chosen_time or self.shift.when


class CommendationQuerySet(models.QuerySet):
    def shown(self):
        """Commendations that may be shown and go in references: those saying nothing about the
        member's recovery, and those that do which the member approved."""
        return self.filter(Q(mentions_recovery=False) | Q(member_agreed_at__isnull=False))

    def awaiting_member(self):
        """Flagged by the recovery-word check, and not yet approved by the member: shown to nobody but them."""
        return self.filter(mentions_recovery=True, member_agreed_at__isnull=True)


class Commendation(models.Model):
    """What an organiser wrote about a member's volunteering, for their reference. When its words
    would tell a reader about the member's recovery (`services.mentions_recovery`), it waits for
    the member to approve it: until then nobody else sees it and no reference holds it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commendations")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="commendations")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="commendations_written"
    )
    text = models.TextField(max_length=2000)
    mentions_recovery = models.BooleanField(
        default=False, help_text="The recovery-word check flagged its text: it waits for the member's approval."
    )
    member_agreed_at = models.DateTimeField(null=True, blank=True)  # when the member approved a flagged text
    created_at = models.DateTimeField(auto_now_add=True)
    # The hidden key of the form that created it: the same form sent twice creates one row.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)

    objects = CommendationQuerySet.as_manager()

    personal_data = [
        PersonalData(
            owner="user",
            # Whether it mentions their recovery is theirs too: "(changed)" in the audit log.
            fields=("text", "mentions_recovery", "member_agreed_at"),
            on_erase=DELETE,
            export=("role", "text", "mentions_recovery", "member_agreed_at", "created_at"),
            section="volunteering_commendations",
            description="commendations organisers wrote about your volunteering",
            free_text=("text",),
        ),
        PersonalData(
            owner="written_by",
            on_erase=KEEP,
            export=None,
            reason="A commendation belongs to the volunteer it is about; its writer becomes a former member.",
        ),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Commendation #{self.pk}"

    @property
    def awaits_member(self) -> bool:
        return self.mentions_recovery and self.member_agreed_at is None

    @property
    def network_id(self):
        return self.role.network_id


class JobQuerySet(models.QuerySet):
    def open_on(self, today):
        return self.filter(is_published=True, network__is_active=True, closing_date__gte=today)


class Job(models.Model):
    """An opportunity on the jobs pathway: paid work, or training (a course, an apprenticeship),
    from an organisation of the network (an initiative, a social enterprise) or a partner employer,
    including employers who say they are recovery-friendly."""

    class Kind(models.TextChoices):
        WORK = "work", "Paid work"
        TRAINING = "training", "Training: a course or an apprenticeship"

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="jobs")
    organisation = models.ForeignKey(
        "federation.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
        help_text="The employer, when it is one of the network's organisations.",
    )
    employer = models.CharField(max_length=150, help_text="The employer's name, as applicants should know it.")
    title = models.CharField(max_length=120)
    kind = models.CharField(
        "What kind of opportunity",
        max_length=10,
        choices=Kind.choices,
        default=Kind.WORK,
        help_text="Someone who starts training is counted apart from someone who starts work.",
    )
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField()
    hours = models.CharField(max_length=100, help_text="For example: 16 hours a week, mornings.")
    pay = models.CharField(max_length=100, help_text="For example: £12.60 an hour, or: free, with travel paid.")
    closing_date = models.DateField()
    how_to_apply = models.TextField()
    lived_experience_welcomed = models.BooleanField("Lived experience of recovery is welcomed", default=False)
    recovery_friendly = models.BooleanField(
        "The employer says it is recovery-friendly", default=False, help_text="Only when the employer says so."
    )
    is_published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The hidden key of the form that created it: the same form sent twice creates one row.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["closing_date", "title", "pk"]
        indexes = [models.Index(fields=["network", "closing_date"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteering:job_detail", kwargs={"slug": self.slug})

    def audit_repr(self) -> str:
        return f"Job {self.title}"


class JobOutcome(models.Model):
    """A member's own progress with a job or training: saved, applied, interview, offered, started
    (work or training, as the opportunity is)."""

    class Status(models.TextChoices):
        SAVED = "saved", "Saved"
        APPLIED = "applied", "Applied"
        INTERVIEW = "interview", "Interview"
        OFFERED = "offered", "Offered"
        STARTED = "started", "Started work"
        NOT_THIS_TIME = "not_this_time", "Not this time"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_outcomes")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="outcomes")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SAVED)
    started_on = models.DateField(null=True, blank=True)  # when the status became "started"
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        owner="user",
        on_erase=KEEP,
        reason="People starting work are counted for the outcomes (suppressed below 5); the row then "
        "points at a former member and says nothing else about them.",
        export=("job", "status", "started_on", "updated_at"),
        section="job_outcomes",
        description="the jobs you saved and how your applications went",
    )

    class Meta:
        ordering = ["-updated_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "job"], name="volunteering_one_outcome_per_job")]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Job outcome #{self.pk}"

    @property
    def network_id(self):
        return self.job.network_id

    def get_status_display_for_kind(self) -> str:
        return status_label(self.status, self.job.kind)


def status_label(status, kind) -> str:
    """The status in words: "Started work", or for training "Started the training"."""
    if status == JobOutcome.Status.STARTED and kind == Job.Kind.TRAINING:
        return "Started the training"
    return JobOutcome.Status(status).label
