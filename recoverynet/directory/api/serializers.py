"""Serializers for the directory API: meetings, fellowships ("groups"),
services and locations.

Reads and writes use different shapes: a meeting is read with summaries of
its fellowship, network and location, and written with their slugs (uuid for
a location). The serializers only check the *shape* of input; the services
layer (recoverynet.directory.services) decides whether a change is allowed
and valid, and writes it with its audit entry.
"""

import zoneinfo

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recoverynet.core.api import ChangeCheckMixin, StrictCharField, StrictModelSerializer
from recoverynet.federation.models import Network, Organisation

from .. import finder
from ..links import conference_provider, km_to_miles
from ..models import (
    DAY_NAMES,
    Fellowship,
    Location,
    Meeting,
    MeetingType,
    Schedule,
    Service,
    ServiceContact,
    ServicePhone,
    TaxonomyTerm,
)


def absolute(request, url):
    if url is None:
        return None
    return request.build_absolute_uri(url) if request is not None else url


def safe_reverse(name, **kwargs):
    """The URL of a page, or None while the page does not exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN, "example": "19:30"})
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the meeting's own time zone, "HH:MM" as Meeting Guide writes it."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


# --- Summaries (read only) -------------------------------------------------------


class NetworkSummarySerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class FellowshipSummarySerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    short_name = serializers.CharField(read_only=True)


class OrganisationSummarySerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class LocationSummarySerializer(serializers.Serializer):
    """Where: a venue, or for online meetings only an approximate place of origin."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    town = serializers.CharField(read_only=True)
    postcode = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)
    formatted_address = serializers.CharField(read_only=True)
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5, read_only=True, allow_null=True)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5, read_only=True, allow_null=True)
    approximate = serializers.BooleanField(read_only=True)
    notes = serializers.CharField(read_only=True)


class MeetingLinksSerializer(serializers.Serializer):
    html = serializers.URLField(read_only=True, allow_null=True, help_text="The meeting's page on the website.")
    ics = serializers.URLField(read_only=True, allow_null=True, help_text="Add it to a calendar (iCalendar).")


# --- Meetings --------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    """A recurring mutual-aid meeting. `days` use the Meeting Guide numbering
    (0 = Sunday); a monthly meeting has `monthly_week` (1-4, or -1 for the
    last) and one day. `attendance` is derived: online needs a conference URL
    or phone, in person a specific address and not being temporarily closed."""

    url = serializers.HyperlinkedIdentityField(view_name="meeting-detail", lookup_field="slug")
    id = serializers.UUIDField(source="uuid", read_only=True)
    fellowship = FellowshipSummarySerializer(read_only=True)
    network = NetworkSummarySerializer(read_only=True)
    location = LocationSummarySerializer(read_only=True, allow_null=True)
    days = serializers.SerializerMethodField(help_text="Weekdays, 0 = Sunday to 6 = Saturday.")
    day_names = serializers.SerializerMethodField(help_text="The same days, in English.")
    types = serializers.SerializerMethodField(help_text="Meeting Guide type codes.")
    attendance = serializers.ChoiceField(choices=Meeting.Attendance.choices, read_only=True)
    start_time = LocalTimeField(read_only=True, allow_null=True, help_text="Local time; null by appointment.")
    end_time = LocalTimeField(read_only=True, allow_null=True, help_text="Local time, when given.")
    effective_end_time = LocalTimeField(
        read_only=True, allow_null=True, help_text="The end time, or an hour after the start when none is given."
    )
    links = serializers.SerializerMethodField()
    next_start = serializers.SerializerMethodField(
        help_text="When it next starts (in its own time zone); null for meetings by appointment."
    )
    distance_km = serializers.SerializerMethodField(help_text="How far from `near`, when the list was asked with it.")
    distance_miles = serializers.SerializerMethodField(help_text="The same distance in miles.")
    conference_provider = serializers.SerializerMethodField(
        help_text='Where an online meeting is held ("Zoom", "Microsoft Teams"), from its link; null when not known.'
    )
    # Declared so the schema says they may be "" (read-only model fields lose allow_blank).
    conference_url = serializers.URLField(read_only=True, allow_blank=True)
    contact_email = serializers.EmailField(read_only=True, allow_blank=True)
    website = serializers.URLField(source="url", read_only=True, allow_blank=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "group_name",
            "fellowship",
            "network",
            "location",
            "days",
            "day_names",
            "monthly_week",
            "start_time",
            "end_time",
            "effective_end_time",
            "timezone",
            "types",
            "attendance",
            "notes",
            "conference_url",
            "conference_url_notes",
            "conference_phone",
            "conference_phone_notes",
            "status",
            "last_verified",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "links",
            "next_start",
            "distance_km",
            "distance_miles",
            "conference_provider",
            "updated_at",
        ]
        read_only_fields = fields

    def get_days(self, meeting) -> list[int]:
        return meeting.weekdays

    def get_day_names(self, meeting) -> list[str]:
        return [DAY_NAMES[d] for d in meeting.weekdays]

    def get_types(self, meeting) -> list[str]:
        return sorted(t.code for t in meeting.types.all())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_start(self, meeting):
        if not hasattr(meeting, "next_start"):
            meeting.next_start = finder.next_occurrence(
                meeting.weekdays, meeting.start_time, meeting.timezone, meeting.monthly_week, timezone.now()
            )
        return None if meeting.next_start is None else meeting.next_start.isoformat()

    def get_distance_km(self, meeting) -> float | None:
        distance = getattr(meeting, "distance_km", None)
        return None if distance is None else round(distance, 2)

    def get_distance_miles(self, meeting) -> float | None:
        distance = getattr(meeting, "distance_km", None)
        return None if distance is None else round(km_to_miles(distance), 2)

    def get_conference_provider(self, meeting) -> str | None:
        return conference_provider(meeting.conference_url)

    @extend_schema_field(MeetingLinksSerializer)
    def get_links(self, meeting):
        request = self.context.get("request")
        return {
            "html": absolute(request, safe_reverse("directory:meeting_detail", slug=meeting.slug)),
            "ics": absolute(request, safe_reverse("directory:meeting_ics", slug=meeting.slug)),
        }


class TimezoneField(StrictCharField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in zoneinfo.available_timezones():
            raise serializers.ValidationError("Enter a time zone from the tz database, for example Europe/London.")
        return value


class MeetingWriteSerializer(ChangeCheckMixin, StrictModelSerializer):
    """Add or change a meeting. Name its network, fellowship (slug), location
    (its id) and types (Meeting Guide codes). `days` replace the meeting's days."""

    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.active(), help_text="The slug of the meeting's network."
    )
    fellowship = serializers.SlugRelatedField(
        slug_field="slug", queryset=Fellowship.objects.all(), help_text="The slug of the fellowship."
    )
    location = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Location.objects.all(),
        allow_null=True,
        required=False,
        help_text="The id of a location in the same network (none for online-only meetings).",
    )
    days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        max_length=7,
        required=False,
        help_text="Weekdays, 0 = Sunday to 6 = Saturday.",
    )
    types = serializers.SlugRelatedField(
        slug_field="code",
        queryset=MeetingType.objects.all(),
        many=True,
        required=False,
        help_text="Meeting Guide type codes, for example O, D, X, ONL.",
    )
    timezone = TimezoneField(max_length=64, required=False)
    start_time = LocalTimeField(required=False, allow_null=True, help_text="Local time; null for by appointment.")
    end_time = LocalTimeField(required=False, allow_null=True, help_text="Leave out for the usual hour.")
    website = serializers.URLField(source="url", max_length=500, required=False, allow_blank=True)

    class Meta:
        model = Meeting
        fields = [
            "network",
            "fellowship",
            "location",
            "name",
            "slug",
            "group_name",
            "notes",
            "days",
            "monthly_week",
            "start_time",
            "end_time",
            "timezone",
            "types",
            "conference_url",
            "conference_url_notes",
            "conference_phone",
            "conference_phone_notes",
            "status",
            "last_verified",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
        ]
        # Without a slug, the service makes one from the name; a taken one fails the field's unique check.
        extra_kwargs = {"slug": {"required": False}}

    def validate_days(self, value):
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Give each day once.")
        return value

    def validate(self, attrs):
        network = self.value_after(attrs, "network")
        location = self.value_after(attrs, "location")
        if location is not None and network is not None and location.network_id != network.pk:
            raise serializers.ValidationError({"location": "Choose a location in this network."})
        return attrs


# --- Fellowships -----------------------------------------------------------------


class FellowshipSerializer(StrictModelSerializer):
    """A mutual-aid fellowship or kind of group (AA, NA, SMART Recovery, Al-Anon, recovery cafés...)."""

    url = serializers.HyperlinkedIdentityField(view_name="fellowship-detail", lookup_field="slug")
    id = serializers.UUIDField(source="uuid", read_only=True)
    website = serializers.URLField(read_only=True, allow_blank=True)
    email = serializers.EmailField(read_only=True, allow_blank=True)
    meeting_count = serializers.IntegerField(read_only=True, help_text="Its listed meetings.")

    class Meta:
        model = Fellowship
        fields = ["id", "url", "slug", "name", "short_name", "kind", "description", "website", "email", "meeting_count"]
        read_only_fields = fields


# --- Locations -------------------------------------------------------------------


class LocationSerializer(StrictModelSerializer):
    """A venue where meetings and services happen."""

    url = serializers.HyperlinkedIdentityField(view_name="location-detail", lookup_field="uuid")
    id = serializers.UUIDField(source="uuid", read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    settlement = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    formatted_address = serializers.CharField(read_only=True)

    class Meta:
        model = Location
        fields = [
            "id",
            "url",
            "network",
            "settlement",
            "name",
            "address",
            "town",
            "postcode",
            "region",
            "formatted_address",
            "latitude",
            "longitude",
            "approximate",
            "notes",
        ]
        read_only_fields = fields


# --- Services (Open Referral UK shape) -----------------------------------------------


class TaxonomyTermSummarySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    taxonomy = serializers.CharField(source="taxonomy.name", read_only=True)

    class Meta:
        model = TaxonomyTerm
        fields = ["id", "taxonomy", "code", "name"]
        read_only_fields = fields


class ScheduleSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    opens_at = LocalTimeField(read_only=True, allow_null=True)
    closes_at = LocalTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Schedule
        fields = ["id", "freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to", "description",
                  "attending_type"]  # fmt: skip
        read_only_fields = fields


class PhoneSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = ServicePhone
        fields = ["id", "number", "description"]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    """A public contact for the service: a role or a first name."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    email = serializers.EmailField(read_only=True, allow_blank=True)
    phones = PhoneSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceContact
        fields = ["id", "name", "title", "email", "phones"]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    """A service an organisation offers, in the Open Referral UK shape."""

    url = serializers.HyperlinkedIdentityField(view_name="service-detail", lookup_field="slug")
    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    network = NetworkSummarySerializer(read_only=True)
    website = serializers.URLField(source="url", read_only=True, allow_blank=True)
    email = serializers.EmailField(read_only=True, allow_blank=True)
    taxonomy_terms = TaxonomyTermSummarySerializer(many=True, read_only=True)
    locations = LocationSummarySerializer(many=True, read_only=True)
    schedules = ScheduleSerializer(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    web_url = serializers.SerializerMethodField(help_text="The service's page on the website, when there is one.")

    class Meta:
        model = Service
        fields = [
            "id",
            "url",
            "web_url",
            "slug",
            "name",
            "organisation",
            "network",
            "description",
            "website",
            "email",
            "status",
            "fees",
            "minimum_age",
            "maximum_age",
            "accreditations",
            "alert",
            "assured_date",
            "taxonomy_terms",
            "locations",
            "schedules",
            "contacts",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, service) -> str | None:
        return absolute(self.context.get("request"), safe_reverse("directory:service_detail", slug=service.slug))


class ServiceWriteSerializer(ChangeCheckMixin, StrictModelSerializer):
    """Add or change a service. The organisation must belong to the network."""

    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.active(), help_text="The slug of the service's network."
    )
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.filter(is_active=True),
        help_text="The slug of the organisation that offers it.",
    )
    taxonomy_terms = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=TaxonomyTerm.objects.all(),
        many=True,
        required=False,
        help_text="The ids of its taxonomy terms.",
    )
    website = serializers.URLField(source="url", max_length=500, required=False, allow_blank=True)

    class Meta:
        model = Service
        fields = [
            "network",
            "organisation",
            "name",
            "slug",
            "description",
            "website",
            "email",
            "status",
            "fees",
            "minimum_age",
            "maximum_age",
            "accreditations",
            "alert",
            "assured_date",
            "taxonomy_terms",
        ]
        # Without a slug, the service makes one from the name; a taken one fails the field's unique check.
        extra_kwargs = {"slug": {"required": False}}

    def validate(self, attrs):
        network = self.value_after(attrs, "network")
        organisation = self.value_after(attrs, "organisation")
        if (
            ("network" in attrs or "organisation" in attrs)
            and network is not None
            and organisation is not None
            and not organisation.networks.filter(pk=network.pk).exists()
        ):
            raise serializers.ValidationError({"organisation": "Choose an organisation that belongs to this network."})
        minimum = self.value_after(attrs, "minimum_age")
        maximum = self.value_after(attrs, "maximum_age")
        if minimum is not None and maximum is not None and maximum < minimum:
            raise serializers.ValidationError({"maximum_age": "The maximum age must be at least the minimum age."})
        return attrs
