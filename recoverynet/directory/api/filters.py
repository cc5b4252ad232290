"""Query-string filters for the directory API. Every value is validated first:
a bad value is a 400 with a message for its parameter, never a database error.

The meeting list asks recoverynet.directory.finder, the one query behind the
public finder page, so the API and the page give the same answers for the
same parameters."""

import re
from decimal import Decimal, InvalidOperation

import django_filters
from rest_framework import serializers

from recoverynet.federation.api.filters import SearchFilterSet, search, slug
from recoverynet.federation.models import Sector

from .. import finder, places, reference
from ..models import DAY_NAMES, Fellowship, Location, Meeting, Service

SEARCH_MAX_LENGTH = 100
POINT = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def resolve_near(text):
    """(latitude, longitude) for "53.48,-2.24", or for a town or postcode as the
    finder page reads it (recoverynet.directory.places, offline gazetteer).
    Raises serializers.ValidationError with a message when it cannot say."""
    match = POINT.match(text)
    if match:
        try:
            lat, lng = Decimal(match.group(1)), Decimal(match.group(2))
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            lat = lng = None
        if lat is not None and -90 <= lat <= 90 and -180 <= lng <= 180:
            return float(lat), float(lng)
        raise serializers.ValidationError("A point is a latitude (-90 to 90) and a longitude (-180 to 180).")
    found = places.lookup(text)
    if isinstance(found, list):
        choices = "; ".join(f"{p.name}, {p.county}" if p.county else p.name for p in found[:5])
        raise serializers.ValidationError(
            f"There is more than one place with this name ({choices}). Add the county after a comma."
        )
    if found is None:
        raise serializers.ValidationError("We could not find that place. Try a town, a postcode or a point.")
    return float(found.latitude), float(found.longitude)


DAY_CHOICES = [(str(d), name) for d, name in enumerate(DAY_NAMES)] + [("today", "Today"), ("tomorrow", "Tomorrow")]
SORT_CHOICES = [(finder.SORT_TIME, "Next occurrence"), (finder.SORT_DISTANCE, "Distance (needs near)")]


class MeetingQuerySerializer(serializers.Serializer):
    """The meeting finder's parameters (all optional)."""

    near = serializers.CharField(
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text='A point ("53.48,-2.24"), a town or a postcode (district): only meetings within radius_km.',
    )
    radius_km = serializers.FloatField(
        required=False, min_value=0.1, max_value=finder.MAX_RADIUS_KM, help_text="How far from `near` (default 10)."
    )
    day = serializers.ListField(
        child=serializers.ChoiceField(choices=DAY_CHOICES),
        required=False,
        max_length=9,
        help_text=(
            "A weekday, 0 = Sunday to 6 = Saturday, or today / tomorrow (UK time); repeatable. `today` alone "
            "is what is left of today (meetings that started up to 10 minutes ago included), `tomorrow` alone "
            "one date."
        ),
    )
    time_of_day = serializers.ListField(
        child=serializers.ChoiceField(choices=list(finder.TIME_OF_DAY_LABELS.items())),
        required=False,
        max_length=3,
        help_text="When it starts, in its own time zone; repeatable.",
    )
    starting_within_hours = serializers.FloatField(
        required=False, min_value=0.5, max_value=48, help_text="Only meetings starting from now until this many hours."
    )
    type = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(reference.meeting_guide_types())),
        required=False,
        max_length=20,
        help_text="A Meeting Guide type code; repeatable (meetings with every type given).",
    )
    fellowship = serializers.SlugField(required=False, max_length=80, help_text="The fellowship's slug.")
    attendance = serializers.ChoiceField(
        required=False,
        choices=[c for c in Meeting.Attendance.choices if c[0] != Meeting.Attendance.INACTIVE],
        help_text="In person, online, or both (hybrid).",
    )
    wheelchair = serializers.BooleanField(required=False, default=False, help_text="Wheelchair access (type X).")
    network = serializers.SlugField(required=False, max_length=80, help_text="The network's slug.")
    q = serializers.CharField(
        required=False, max_length=SEARCH_MAX_LENGTH, allow_blank=True, help_text="Words in the name or group."
    )
    sort = serializers.ChoiceField(
        required=False, choices=SORT_CHOICES, default=finder.SORT_TIME, help_text="Sort by next occurrence or distance."
    )

    def validate_near(self, value):
        value = value.strip()
        return resolve_near(value) if value else None

    def to_query(self, now=None) -> finder.FinderQuery:
        data = self.validated_data
        asked = data.get("day", [])
        days = tuple(sorted({finder.resolve_day(d, now) for d in asked}))
        # As on the finder page: "today" alone is what is left of today and "tomorrow" one date,
        # not every such weekday.
        only = asked[0] if len(set(asked)) == 1 else None
        return finder.FinderQuery(
            point=data.get("near"),
            radius_km=data.get("radius_km") or 10.0,
            days=days,
            time_of_day=tuple(dict.fromkeys(data.get("time_of_day", []))),
            starting_within_hours=data.get("starting_within_hours"),
            types=tuple(sorted(set(data.get("type", [])))),
            fellowship=data.get("fellowship"),
            attendance=data.get("attendance"),
            wheelchair=data.get("wheelchair", False),
            network=data.get("network"),
            q=(data.get("q") or "").strip(),
            sort=data.get("sort", finder.SORT_TIME),
            date_offset={"today": 0, "tomorrow": 1}.get(only),
            # As on the page: a search (any parameter) keeps meetings that started a few minutes ago;
            # no parameters at all lists every meeting by its next start.
            include_started=bool(self.initial_data),
        )


class FellowshipFilterSet(SearchFilterSet):
    search_fields = ("name", "short_name", "description")
    q = search("Text in the name or description.")
    kind = django_filters.ChoiceFilter(choices=Fellowship.Kind.choices, help_text="Kind of fellowship or group.")

    class Meta:
        model = Fellowship
        fields = ["q", "kind"]


class LocationFilterSet(SearchFilterSet):
    search_fields = ("name", "address", "town", "region")
    q = search("Text in the name, address, town or district.")
    network = slug("network__slug", "The network's slug.")
    town = django_filters.CharFilter(field_name="town", lookup_expr="iexact", max_length=100, help_text="Town.")

    class Meta:
        model = Location
        fields = ["q", "network", "town"]


class ServiceFilterSet(SearchFilterSet):
    search_fields = ("name", "description", "organisation__name")
    q = search("Text in the name, description or organisation's name.")
    network = slug("network__slug", "The network's slug.")
    organisation = slug("organisation__slug", "The organisation's slug.")
    sector = django_filters.ChoiceFilter(
        field_name="organisation__sector", choices=Sector.choices, help_text="The organisation's sector."
    )
    taxonomy_term = django_filters.CharFilter(
        method="filter_term", max_length=50, help_text="The code of one of its taxonomy terms."
    )
    near = django_filters.CharFilter(
        method="filter_near",
        max_length=SEARCH_MAX_LENGTH,
        help_text='A point ("53.48,-2.24"), a town or a postcode (district): services with a location within '
        "radius_km.",
    )
    radius_km = django_filters.NumberFilter(
        method="filter_radius", min_value=0.1, max_value=finder.MAX_RADIUS_KM, help_text="How far (default 10)."
    )

    class Meta:
        model = Service
        fields = ["q", "network", "organisation", "sector", "taxonomy_term", "near", "radius_km"]

    def filter_term(self, queryset, name, value):
        through = Service.taxonomy_terms.through.objects
        return queryset.filter(pk__in=through.filter(taxonomyterm__code=value).values("service_id"))

    def filter_radius(self, queryset, name, value):
        return queryset  # read by filter_near

    def filter_near(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        try:
            point = resolve_near(value)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"near": error.detail}) from error
        radius = float(self.form.cleaned_data.get("radius_km") or 10)
        nearby = [
            pk
            for pk, lat, lng in Location.objects.filter(finder.bbox_q("", point[0], point[1], radius)).values_list(
                "pk", "latitude", "longitude"
            )
            if finder.haversine_km(point[0], point[1], lat, lng) <= radius
        ]
        through = Service.locations.through.objects
        return queryset.filter(pk__in=through.filter(location_id__in=nearby).values("service_id"))
