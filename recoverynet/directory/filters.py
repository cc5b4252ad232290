"""The finder's GET form: every field optional, every bad value an error
message (never a 500), and `to_query()` turns what is valid into a FinderQuery."""

from django import forms

from . import places
from .finder import SORT_DISTANCE, SORT_TIME, TIME_OF_DAY_LABELS, FinderQuery, resolve_day
from .models import DAY_NAMES, Fellowship, Meeting, MeetingType
from .places import MAX_QUERY_LENGTH

# The types most people look for, shown first; the rest sit under "More types".
COMMON_TYPES = ["O", "C", "B", "BE", "D", "ST", "W", "M", "Y", "LGBTQ", "X", "S"]
DISTANCE_CHOICES = [("1", "1 km"), ("2", "2 km"), ("5", "5 km"), ("10", "10 km"), ("25", "25 km"), ("50", "50 km")]
DEFAULT_DISTANCE = "10"
SOON_CHOICES = [("", "Any time"), ("1", "In the next hour"), ("2", "In the next 2 hours"), ("3", "In the next 3 hours")]
SOON_CHOICES += [("6", "In the next 6 hours"), ("12", "In the next 12 hours"), ("24", "In the next 24 hours")]


def day_choices():
    return [("", "Any day"), ("today", "Today"), ("tomorrow", "Tomorrow")] + [
        (str(number), name) for number, name in enumerate(DAY_NAMES)
    ]


def type_choices(common=True):
    types = MeetingType.objects.filter(proposed=False).order_by("name").values_list("code", "name")
    return [(code, name) for code, name in types if (code in COMMON_TYPES) == common]


def fellowship_choices():
    return [("", "All fellowships")] + list(Fellowship.objects.order_by("name").values_list("slug", "name"))


def network_choices():
    from recoverynet.federation.models import Network

    return [("", "All networks")] + list(Network.objects.active().order_by("name").values_list("slug", "name"))


class FinderForm(forms.Form):
    where = forms.CharField(
        label="Town or postcode",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text="For example Preston, PR1 2HE or M4",
        error_messages={"max_length": f"Town or postcode must be {MAX_QUERY_LENGTH} characters or fewer"},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    distance = forms.ChoiceField(
        label="Distance",
        required=False,
        choices=DISTANCE_CHOICES,
        error_messages={"invalid_choice": "Choose a distance from the list"},
    )
    day = forms.ChoiceField(
        label="Day",
        required=False,
        choices=day_choices,
        error_messages={"invalid_choice": "Choose a day from the list"},
    )
    time = forms.MultipleChoiceField(
        label="Time of day",
        required=False,
        choices=list(TIME_OF_DAY_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose morning, afternoon or evening"},
    )
    soon = forms.ChoiceField(
        label="Starting soon",
        required=False,
        choices=SOON_CHOICES,
        error_messages={"invalid_choice": "Choose a time from the list"},
    )
    attendance = forms.ChoiceField(
        label="How to attend",
        required=False,
        choices=[("", "In person or online")] + [c for c in Meeting.Attendance.choices if c[0] != "inactive"],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose in person, online or both"},
    )
    wheelchair = forms.BooleanField(label="Wheelchair accessible only", required=False)
    type = forms.MultipleChoiceField(
        label="Type of meeting",
        required=False,
        choices=type_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose types from the list"},
    )
    more_types = forms.MultipleChoiceField(
        label="More types",
        required=False,
        choices=lambda: type_choices(common=False),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose types from the list"},
    )
    fellowship = forms.ChoiceField(
        label="Fellowship",
        required=False,
        choices=fellowship_choices,
        error_messages={"invalid_choice": "Choose a fellowship from the list"},
    )
    network = forms.ChoiceField(
        label="Network",
        required=False,
        choices=network_choices,
        error_messages={"invalid_choice": "Choose a network from the list"},
    )
    q = forms.CharField(
        label="Meeting name",
        required=False,
        max_length=100,
        error_messages={"max_length": "Meeting name must be 100 characters or fewer"},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(SORT_TIME, "Next meeting first"), (SORT_DISTANCE, "Nearest first")],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how to sort"},
    )

    def __init__(self, data=None, *args, now=None, **kwargs):
        if data is not None and not data.get("distance"):
            # The select always submits something; without this a search with no
            # distance chosen would show (and keep) the first option, 1 km.
            data = data.copy()
            data["distance"] = DEFAULT_DISTANCE
        super().__init__(data, *args, **kwargs)
        self.initial.setdefault("distance", DEFAULT_DISTANCE)
        self.now = now
        self.place = None  # the Place (or geocoded postcode) searched around
        self.place_choices = []  # "Did you mean" when a name is ambiguous or unknown

    def clean(self):
        data = super().clean()
        where = (data.get("where") or "").strip()
        lat, lng = data.get("lat"), data.get("lng")
        if (lat is None) != (lng is None):
            self.add_error("where", "Your location could not be read. Enter a town or postcode instead")
        elif lat is not None and not where:
            self.place = None
        elif where and "where" not in self.errors:
            found = places.lookup(where)
            if isinstance(found, list):
                self.place_choices = found
                self.add_error("where", f"There is more than one place called {where}. Choose one below")
            elif found is None:
                self.place_choices = places.suggestions(where)
                self.add_error("where", "We could not find that place. Check the spelling, or enter a postcode")
            else:
                self.place = found
        return data

    @property
    def point(self):
        if self.place is not None:
            return (float(self.place.latitude), float(self.place.longitude))
        if not self.is_valid():
            return None
        lat, lng = self.cleaned_data.get("lat"), self.cleaned_data.get("lng")
        if lat is not None and lng is not None:
            return (lat, lng)
        return None

    def value(self, name, default=None):
        """A cleaned value, or `default` when the field is missing or was rejected."""
        if not hasattr(self, "cleaned_data") or name in self.errors:
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "", []) else value

    def to_query(self) -> FinderQuery:
        """The valid parts of the form as a FinderQuery (rejected fields are left out)."""
        self.is_valid()
        point = None if "where" in self.errors else self.point
        day = self.value("day")
        soon = self.value("soon")
        sort = self.value("sort", SORT_TIME)
        return FinderQuery(
            point=point,
            radius_km=float(self.value("distance", DEFAULT_DISTANCE)),
            days=(resolve_day(day, self.now),) if day is not None else (),
            time_of_day=tuple(self.value("time", ())),
            starting_within_hours=float(soon) if soon else None,
            types=tuple(self.value("type", ())) + tuple(self.value("more_types", ())),
            fellowship=self.value("fellowship"),
            attendance=self.value("attendance"),
            wheelchair=bool(self.value("wheelchair", False)),
            network=self.value("network"),
            q=self.value("q", ""),
            sort=sort,
        )
