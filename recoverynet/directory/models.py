"""The mutual-aid directory: fellowships, meetings and services, shaped so
they speak the Meeting Guide spec and Open Referral UK 3.0 without loss."""

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, FloatField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from encrypted_fields.fields import EncryptedEmailField

from recoverynet.core.personal_data import ANONYMISE, KEEP, NoPersonalData, PersonalData
from recoverynet.federation.models import LATITUDE, LONGITUDE

DEFAULT_TIMEZONE = "Europe/London"
# The spec's default meeting length when no end time is given.
DEFAULT_DURATION = datetime.timedelta(minutes=60)
DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]  # Meeting Guide: 0 = Sunday


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Enter a time zone from the tz database, for example Europe/London.")


class Fellowship(models.Model):
    """A mutual-aid fellowship or kind of group: AA, NA, CA, SMART Recovery,
    Al-Anon, recovery cafés, peer-led groups. In Open Referral UK each one is
    an organization whose services are its meetings."""

    class Kind(models.TextChoices):
        TWELVE_STEP = "twelve_step", "Twelve-step fellowship"
        SMART = "smart", "SMART Recovery and other self-management"
        FAMILY = "family", "For families and friends"
        CAFE = "cafe", "Recovery café"
        PEER_LED = "peer_led", "Peer-led group"
        OTHER = "other", "Other mutual aid"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, unique=True)
    short_name = models.CharField(max_length=30, blank=True, help_text="For example AA, NA, SMART.")
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    personal_data = NoPersonalData(reason="The fellowship's public contact address.", fields=("email",))
    organisation = models.ForeignKey(
        "federation.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fellowships",
        help_text="The organisation that speaks for it, where there is one.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("directory:fellowship_detail", kwargs={"slug": self.slug})

    def audit_repr(self):
        return f"Fellowship {self.name}"


class MeetingType(models.Model):
    """A Meeting Guide type code (O, C, X, W, ONL, ...) with its English name."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    proposed = models.BooleanField(default=False, help_text="Proposed in the spec but not yet used by the app.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Location(models.Model):
    """Where meetings and services happen: a building, a settlement, or for
    online meetings an approximate place of origin."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="locations")
    settlement = models.ForeignKey(
        "federation.Settlement", null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    name = models.CharField(max_length=255, blank=True, help_text="A recognisable building or landmark.")
    address = models.CharField(max_length=255, blank=True, help_text="Street address only; directions go in notes.")
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10, blank=True)
    region = models.CharField(max_length=100, blank=True, help_text="Neighbourhood or district.")
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True, validators=LATITUDE)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True, validators=LONGITUDE)
    approximate = models.BooleanField(
        default=False, help_text="Only a town or area, not a specific address (online meetings)."
    )
    notes = models.TextField(blank=True, help_text="Notes for every meeting here: entrance, parking, floor.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["town", "name"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self):
        return ", ".join(p for p in (self.name, self.town) if p)

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or {"latitude", "longitude"} & set(update_fields)):
            MeetingDay.objects.filter(meeting__location=self).refresh_copies()

    def audit_repr(self):
        return f"Location {self}"

    @property
    def formatted_address(self):
        return ", ".join(p for p in (self.address, self.town, self.postcode, "UK") if p)

    def clean(self):
        if not self.approximate and not self.address:
            raise ValidationError({"address": "Enter the street address, or mark the location as approximate."})
        if self.settlement_id and self.network_id and self.settlement.network_id != self.network_id:
            raise ValidationError({"settlement": "Choose a settlement in this network."})


class MeetingQuerySet(models.QuerySet):
    def listed(self):
        """Meetings anyone can find: not inactive, in an active network."""
        return self.filter(Meeting.LISTED_Q)

    def online(self):
        return self.filter(Meeting.ONLINE_Q)

    def change_stamp(self) -> tuple:
        """(newest change, count) of these meetings, a location edit counting as a
        change to its meetings: what feeds and cached pages key their versions on."""
        stamp = self.order_by().aggregate(
            newest=Max("updated_at"), newest_location=Max("location__updated_at"), count=Count("pk")
        )
        newest = max((t for t in (stamp["newest"], stamp["newest_location"]) if t is not None), default=None)
        return newest, stamp["count"]

    def in_person(self):
        return self.filter(Meeting.IN_PERSON_Q)

    def with_attendance(self, mode):
        """in_person / online / hybrid, derived as the Meeting Guide ecosystem derives it."""
        return self.filter(Meeting.attendance_q(mode))


class Meeting(models.Model):
    """A recurring mutual-aid meeting. Weekly on one or more days, or monthly
    ("first Monday"), at a start time in its own time zone."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        TEMPORARILY_CLOSED = "temporarily_closed", "Temporarily closed"
        INACTIVE = "inactive", "Inactive"

    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "In person and online"
        INACTIVE = "inactive", "Not meeting"

    class MonthlyWeek(models.IntegerChoices):
        FIRST = 1, "First"
        SECOND = 2, "Second"
        THIRD = 3, "Third"
        FOURTH = 4, "Fourth"
        LAST = -1, "Last"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="meetings")
    fellowship = models.ForeignKey(Fellowship, on_delete=models.PROTECT, related_name="meetings")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=64, unique=True)
    group_name = models.CharField("group", max_length=255, blank=True)
    notes = models.TextField(blank=True, help_text="Plain text. No surnames: respect anonymity.")
    start_time = models.TimeField(null=True, blank=True, help_text="Leave empty for meetings by appointment.")
    end_time = models.TimeField(null=True, blank=True, help_text="Leave empty for the usual hour.")
    timezone = models.CharField(max_length=64, default=DEFAULT_TIMEZONE, validators=[validate_timezone])
    monthly_week = models.SmallIntegerField(
        choices=MonthlyWeek.choices,
        null=True,
        blank=True,
        help_text="For monthly meetings: which week of the month. Leave empty for weekly meetings.",
    )
    types = models.ManyToManyField(MeetingType, blank=True, related_name="meetings")
    conference_url = models.URLField(max_length=500, blank=True)
    conference_url_notes = models.TextField(blank=True)
    conference_phone = models.CharField(max_length=50, blank=True)
    conference_phone_notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    last_verified = models.DateField(null=True, blank=True)
    contact_name = models.CharField(max_length=100, blank=True, help_text="First name or initial only.")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    personal_data = NoPersonalData(
        reason="A listing's contact, given for publication in the meeting's public listing and feeds "
        "(first name or initial only); not tied to an account, changed or removed by editing the meeting.",
        fields=("contact_email",),
    )
    url = models.URLField(max_length=500, blank=True, help_text="The meeting's page on its own website, if any.")
    source = models.ForeignKey(
        "directory.FeedSource", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = MeetingQuerySet.as_manager()

    # Derived attendance, as Meeting Guide and TSML derive it: online needs a
    # conference link or phone; in person needs a specific (not approximate)
    # address at a location that is not temporarily closed.
    ONLINE_Q = ~Q(conference_url="") | ~Q(conference_phone="")
    IN_PERSON_Q = Q(location__isnull=False, location__approximate=False) & ~Q(status="temporarily_closed")
    LISTED_Q = ~Q(status="inactive") & Q(network__is_active=True)

    class Meta:
        ordering = ["start_time", "name"]
        indexes = [
            models.Index(fields=["network", "status"]),
            models.Index(fields=["start_time"]),
            # The finder looks up the rare meetings outside Europe/London by range on this.
            models.Index(fields=["timezone"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        copied = {"start_time", "monthly_week", "location", "location_id"}
        if not adding and (update_fields is None or copied & set(update_fields)):
            self.days.all().refresh_copies()

    def get_absolute_url(self):
        return reverse("directory:meeting_detail", kwargs={"slug": self.slug})

    @classmethod
    def attendance_q(cls, mode) -> Q:
        """in_person / online / hybrid as a filter, derived as the Meeting Guide ecosystem derives it."""
        if mode == cls.Attendance.HYBRID:
            return cls.IN_PERSON_Q & cls.ONLINE_Q
        if mode == cls.Attendance.ONLINE:
            return cls.ONLINE_Q & ~cls.IN_PERSON_Q
        if mode == cls.Attendance.IN_PERSON:
            return cls.IN_PERSON_Q & ~cls.ONLINE_Q
        raise ValueError(mode)

    def audit_repr(self):
        return f"Meeting {self.name}"

    # The audit log records weekday changes as Meeting Guide day numbers.
    audit_value_labels = {"days": dict(enumerate(DAY_NAMES))}

    @property
    def is_online(self):
        return bool(self.conference_url or self.conference_phone)

    @property
    def is_in_person(self):
        return (
            self.location_id is not None
            and not self.location.approximate
            and self.status != self.Status.TEMPORARILY_CLOSED
        )

    @property
    def attendance(self):
        if self.status == self.Status.INACTIVE or not (self.is_online or self.is_in_person):
            return self.Attendance.INACTIVE
        if self.is_online and self.is_in_person:
            return self.Attendance.HYBRID
        return self.Attendance.ONLINE if self.is_online else self.Attendance.IN_PERSON

    @property
    def effective_end_time(self):
        if self.end_time is not None or self.start_time is None:
            return self.end_time
        start = datetime.datetime.combine(datetime.date(2000, 1, 3), self.start_time)
        return (start + DEFAULT_DURATION).time()

    @property
    def weekdays(self):
        """Meeting Guide day numbers (0 = Sunday), from the prefetched `days`."""
        return sorted(d.day for d in self.days.all())

    def clean(self):
        errors = {}
        if self.location_id and self.network_id and self.location.network_id != self.network_id:
            errors["location"] = "Choose a location in this network."
        if self.end_time and not self.start_time:
            errors["end_time"] = "Give a start time as well, or leave both empty for meetings by appointment."
        if errors:
            raise ValidationError(errors)


class MeetingDayQuerySet(models.QuerySet):
    def add(self, meeting, days):
        """Create the rows for `meeting` on `days`, with the finder's copies filled in
        from the database (the meeting or its location in memory may be out of date)."""
        self.bulk_create(MeetingDay(meeting=meeting, day=day) for day in days)
        return self.filter(meeting=meeting, day__in=days).refresh_copies()

    def refresh_copies(self):
        """Copy each row's meeting start time, monthly rule and location coordinates again (one UPDATE)."""
        meeting = Meeting.objects.filter(pk=OuterRef("meeting_id"))
        return self.update(
            start_time=Subquery(meeting.values("start_time")[:1]),
            monthly_week=Subquery(meeting.values("monthly_week")[:1]),
            latitude=Subquery(meeting.values(v=Cast("location__latitude", FloatField()))[:1]),
            longitude=Subquery(meeting.values(v=Cast("location__longitude", FloatField()))[:1]),
        )


class MeetingDay(models.Model):
    """One weekday a meeting happens on (Meeting Guide numbering, 0 = Sunday).

    It also carries copies of its meeting's start time and monthly rule and its
    location's coordinates, so the finder answers "Tuesday evening within 10 km" from one
    index on this table instead of joining meetings and locations for every
    candidate. Meeting.save(), Location.save() and MeetingDay.objects.add()
    keep them in step; bulk writes call refresh_copies().
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="days")
    day = models.SmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(6)])
    start_time = models.TimeField(null=True, editable=False)
    monthly_week = models.SmallIntegerField(null=True, editable=False)
    latitude = models.FloatField(null=True, editable=False)
    longitude = models.FloatField(null=True, editable=False)

    objects = MeetingDayQuerySet.as_manager()

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "day"], name="one_row_per_meeting_day"),
            models.CheckConstraint(condition=Q(day__gte=0, day__lte=6), name="meeting_day_0_to_6"),
        ]
        indexes = [
            models.Index(fields=["day", "meeting"]),
            # The finder reads only these indexes, never the table: near a point, a day then a
            # latitude band (longitude and start time checked inside the index); at a time of
            # day, a day then a start-time range (the planner picks whichever is narrower).
            models.Index(
                fields=["day", "latitude", "longitude", "start_time", "meeting", "monthly_week"],
                name="meeting_day_finder",
            ),
            models.Index(
                fields=["day", "start_time", "latitude", "longitude", "meeting", "monthly_week"],
                name="meeting_day_start",
            ),
        ]

    def __str__(self):
        return DAY_NAMES[self.day]


# --- Open Referral UK 3.0 ----------------------------------------------------------


class Taxonomy(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, unique=True)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self):
        return self.name


class TaxonomyTerm(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.CharField(max_length=50, help_text="The term's code in its taxonomy.")
    name = models.CharField(max_length=150)
    description = models.TextField()
    term_uri = models.URLField(blank=True)

    class Meta:
        ordering = ["taxonomy__name", "name"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_term_code_per_taxonomy")]

    def __str__(self):
        return self.name


class ServiceQuerySet(models.QuerySet):
    def listed(self):
        """Services that are public, with a page, in the API and in Open Referral:
        active or temporarily closed (the page says so), of an active organisation
        in an active network."""
        return self.filter(Service.listed_q())

    def findable(self):
        """Listed services the finder offers: open now, so not temporarily closed."""
        return self.listed().filter(status=Service.Status.ACTIVE)


class Service(models.Model):
    """A service an organisation offers (Open Referral UK `service`)."""

    class Status(models.TextChoices):  # Open Referral UK's service statuses
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    LISTED_STATUSES = (Status.ACTIVE, Status.TEMPORARILY_CLOSED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="services")
    organisation = models.ForeignKey("federation.Organisation", on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    personal_data = NoPersonalData(reason="The service's public contact address (Open Referral).", fields=("email",))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees = models.TextField(blank=True, help_text="Leave empty if it is free.")
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    accreditations = models.TextField(blank=True)
    alert = models.TextField(blank=True, help_text="A short notice shown prominently, such as a temporary change.")
    assured_date = models.DateField(null=True, blank=True, help_text="When the details were last checked.")
    taxonomy_terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    locations = models.ManyToManyField(Location, through="ServiceAtLocation", blank=True, related_name="services")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:service_detail", kwargs={"slug": self.slug})

    @staticmethod
    def listed_q(prefix="") -> Q:
        """The rule behind Service.objects.listed(), for a query reaching the service through `prefix`."""
        return Q(
            **{
                f"{prefix}status__in": Service.LISTED_STATUSES,
                f"{prefix}network__is_active": True,
                f"{prefix}organisation__is_active": True,
            }
        )

    def audit_repr(self):
        return f"Service {self.name}"

    def clean(self):
        if self.minimum_age is not None and self.maximum_age is not None and self.maximum_age < self.minimum_age:
            raise ValidationError({"maximum_age": "The maximum age must be at least the minimum age."})


class ServiceAtLocation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="service_at_locations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="unique_service_at_location")]

    def __str__(self):
        return f"{self.service} at {self.location}"


class Schedule(models.Model):
    """When a service is open, as an iCalendar-style rule (Open Referral UK `schedule`)."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    freq = models.CharField(max_length=10, choices=Freq.choices, default=Freq.WEEKLY)
    byday = models.CharField(max_length=50, blank=True, help_text="iCalendar days, for example MO,WE,FR or 1MO.")
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    attending_type = models.CharField(max_length=30, blank=True, help_text="in person, online or phone")

    class Meta:
        ordering = ["service", "id"]

    def __str__(self):
        return self.description or f"{self.get_freq_display()} {self.byday}"


class ServiceContact(models.Model):
    """A public contact for a service: a role or a first name, never a private person's details."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    personal_data = NoPersonalData(
        reason="A service's published contact (Open Referral), entered for publication by its coordinators; "
        "not tied to an account, changed or removed by editing the service.",
        fields=("email",),
    )

    def __str__(self):
        return self.name or self.title or f"Contact #{self.pk}"


class ServicePhone(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(ServiceContact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=30)
    description = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return self.number


# --- Finding places ------------------------------------------------------------


class Place(models.Model):
    """The offline gazetteer: North West towns and every Great Britain postcode
    district (outcode), with their centres. Loaded by `manage.py load_places`."""

    class Kind(models.TextChoices):
        PLACE = "place", "Town or village"
        OUTCODE = "outcode", "Postcode district"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, help_text="Lower case, for matching.")
    county = models.CharField(max_length=100, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "search_name", "county"], name="unique_place")]

    def __str__(self):
        return f"{self.name}, {self.county}" if self.county else self.name


# --- Keeping it current --------------------------------------------------------


class FeedSource(models.Model):
    """A Meeting Guide JSON feed a network imports from (by upload or URL)."""

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="feed_sources")
    name = models.CharField(max_length=150)
    url = models.URLField(max_length=500, blank=True, help_text="Fetched on a schedule when set.")
    default_fellowship = models.ForeignKey(
        Fellowship, on_delete=models.PROTECT, related_name="+", help_text="For meetings the feed does not say."
    )
    scheduled = models.BooleanField(default=False, help_text="Re-import from the URL every night.")
    last_imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["network__name", "name"]
        constraints = [models.UniqueConstraint(fields=["network", "name"], name="unique_feed_name_per_network")]

    def __str__(self):
        return self.name

    def audit_repr(self):
        return f"Feed {self.name}"


class FeedImport(models.Model):
    """One run of an import: its change report, and whether it was applied."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Dry run"
        APPLIED = "applied", "Applied"
        REFUSED = "refused", "Refused"
        # The nightly re-import raised an error nobody foresaw: recorded, never silent.
        FAILED = "failed", "Failed"
        # A nightly re-import that would remove too many meetings, waiting for a coordinator.
        HELD = "held", "Held for review"
        DISMISSED = "dismissed", "Dismissed"

    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="imports")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    personal_data = PersonalData(
        owner="started_by",
        on_erase=KEEP,
        export=("source", "status", "created_at"),
        section="feed_imports",
        description="the meeting feed imports you started",
        reason="A network's record of its imports; it points at 'Former member' and holds nothing about the person.",
        public_text=("error", "payload"),
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    # {"added": [...], "changed": [{"slug":..., "fields": {field: [old, new]}}], "removed": [...], "rejected": [...]}
    report = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    # The feed a dry run checked, kept so "Apply these changes" applies exactly it; cleared once applied.
    payload = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M}"

    def audit_repr(self):
        return f"Feed import #{self.pk}"


class ChangeRequest(models.Model):
    """Anyone's report that a listing is out of date, for the network's
    coordinators to apply or decline."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for review"
        APPLIED = "applied", "Applied"
        DECLINED = "declined", "Declined"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="change_requests")
    field = models.CharField(max_length=40, help_text="Which detail is wrong.")
    proposed_value = models.TextField(blank=True)
    reason = models.TextField()
    # Optional, only to hear back; encrypted and cleared once the request is decided.
    reporter_email = EncryptedEmailField(blank=True, null=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = [
        PersonalData(
            owner="reporter",
            # Erased with the account; the detail proposed (about the meeting) stays for the coordinators.
            fields=("reporter_email", "reason"),
            on_erase=ANONYMISE,
            # Reports made while signed out with the same address are the person's too.
            matches_email=("reporter_email",),
            export=("meeting", "field", "proposed_value", "reason", "reporter_email", "status", "created_at"),
            section="change_requests",
            description="the changes to meetings you reported",
            free_text=("reason", "proposed_value", "decision_reason"),
        ),
        PersonalData(
            owner="decided_by",
            on_erase=KEEP,
            export=("meeting", "field", "status", "decided_at", "decision_reason"),
            section="change_requests_decided",
            description="the reported changes you decided, as a coordinator",
            reason="The network's record of a coordinator's decision; it points at 'Former member'.",
        ),
    ]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"Change to {self.meeting} ({self.field})"

    def audit_repr(self):
        return f"Change request #{self.pk}"

    @property
    def network_id(self):
        return self.meeting.network_id
