"""Forms for the directory's coordinators' pages (/manage/directory/), the
public "report a change" page (/changes/) and the finder (/meetings/).

As in recoverynet.federation.forms, the forms only collect and validate input;
their `cleaned_data` goes to a function in recoverynet.directory.services.
Choice querysets are limited to the network being managed, so choosing another
network's location is a form error, never a 500.
"""

from django import forms
from django.db.models import Q

from recoverynet.federation.forms import DATE_HELP, DATE_INPUT_FORMATS, formfield
from recoverynet.federation.models import Organisation, Settlement

from . import links, places
from .finder import SORT_DISTANCE, SORT_TIME, TIME_OF_DAY_LABELS, FinderQuery, resolve_day
from .models import (
    DAY_NAMES,
    Fellowship,
    Location,
    Meeting,
    MeetingType,
    Schedule,
    Service,
    TaxonomyTerm,
)
from .places import MAX_QUERY_LENGTH
from .services.changes import FIELD_CHOICES, MAX_PROPOSED_LENGTH, MAX_REASON_LENGTH

DAY_CHOICES = [(str(i), name) for i, name in enumerate(DAY_NAMES)]
TIME_HELP = "24-hour clock, for example 19:30."

# Meeting Guide type codes, grouped as a coordinator thinks of them. Codes not
# named here (and not derived, like TC) fall into "Format and focus".
TYPE_GROUPS = [
    ("types_open", "Open or closed", ("O", "C")),
    ("types_access", "Access", ("X", "XB", "ASL", "BA", "CF", "FF", "SM", "OUT", "POA", "DB")),
    (
        "types_people",
        "Who the meeting is for",
        ("BE", "W", "M", "Y", "SEN", "LGBTQ", "G", "L", "BI", "T", "NB", "POC", "N", "NDG", "P", "DD", "AL", "AL-AN"),
    ),
    (
        "types_language",
        "Language",
        (
            "EN",
            "AF",
            "AM",
            "AR",
            "BG",
            "DA",
            "DE",
            "EL",
            "FA",
            "FI",
            "FR",
            "HE",
            "HI",
            "HR",
            "HU",
            "IS",
            "ITA",
            "JA",
            "KA",
            "KOR",
            "LT",
            "ML",
            "MT",
            "NE",
            "NL",
            "NO",
            "POL",
            "POR",
            "PUN",
            "RUS",
            "S",
            "SK",
            "SL",
            "SV",
            "TH",
            "TL",
            "TUR",
            "UK",
        ),
    ),  # fmt: skip
    ("types_format", "Format and focus", None),
]
DERIVED_TYPES = ("TC", "ONL")  # worked out from the status and the online details, never chosen


def date_field(label, required=False):
    return forms.DateField(
        label=label,
        help_text=DATE_HELP,
        input_formats=DATE_INPUT_FORMATS,
        required=required,
        error_messages={"invalid": "Enter a real date, for example 27 3 2026"},
    )


def time_widget():
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


# --- Meetings -------------------------------------------------------------------


class MeetingForm(forms.ModelForm):
    """A meeting; `days` and the type groups are not model fields: the view
    passes them to create_meeting/update_meeting as days= and types=."""

    days = forms.TypedMultipleChoiceField(
        label="Days",
        choices=DAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every week on these days. For a monthly meeting, choose its day and the week of the month below.",
    )
    last_verified = date_field("Last checked (optional)")

    class Meta:
        model = Meeting
        formfield_callback = formfield
        fields = [
            "name",
            "fellowship",
            "group_name",
            "location",
            "days",
            "monthly_week",
            "start_time",
            "end_time",
            "timezone",
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
        ]
        labels = {
            "name": "Meeting name",
            "group_name": "Group (optional)",
            "location": "Location (optional for online-only meetings)",
            "monthly_week": "Week of the month (monthly meetings only)",
            "start_time": "Start time",
            "end_time": "End time (optional)",
            "timezone": "Time zone",
            "notes": "Notes (optional)",
            "conference_url": "Online meeting link (optional)",
            "conference_url_notes": "How to join online (optional)",
            "conference_phone": "Phone number to join (optional)",
            "conference_phone_notes": "How to join by phone (optional)",
            "contact_name": "Contact name (optional)",
            "contact_email": "Contact email address (optional)",
            "contact_phone": "Contact phone number (optional)",
        }
        help_texts = {
            "start_time": TIME_HELP,
            "end_time": "Leave empty for the usual hour. " + TIME_HELP,
            "timezone": "From the tz database. Almost always Europe/London.",
            "conference_url": "A Zoom, Teams, Google Meet or similar link. The meeting is then listed as online.",
            "conference_url_notes": "For example the meeting ID and passcode.",
            "contact_name": "First name or initial only: respect anonymity.",
            "contact_email": "A group's shared address is best.",
        }
        error_messages = {
            "name": {"required": "Enter the meeting's name"},
            "fellowship": {"required": "Choose the fellowship or kind of group"},
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "conference_url_notes": forms.Textarea(attrs={"rows": 2}),
            "conference_phone_notes": forms.Textarea(attrs={"rows": 2}),
            "status": forms.RadioSelect,
            "start_time": time_widget(),
            "end_time": time_widget(),
            "conference_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["fellowship"].queryset = Fellowship.objects.order_by("name")
        current_location = [self.instance.location_id] if self.instance.location_id else []
        self.fields["location"].queryset = Location.objects.filter(
            Q(network=network) | Q(pk__in=current_location)
        ).order_by("town", "name")
        self.fields["location"].empty_label = "No location (online only)"
        self.fields["monthly_week"].choices = [("", "Every week"), *Meeting.MonthlyWeek.choices]
        self.fields["status"].choices = Meeting.Status.choices
        current_codes = set()
        if self.instance.pk:
            self.initial["days"] = [str(d) for d in self.instance.days.values_list("day", flat=True)]
            current_codes = set(self.instance.types.values_list("code", flat=True))
        types = [
            t
            for t in MeetingType.objects.order_by("name")
            if t.code not in DERIVED_TYPES and (not t.proposed or t.code in current_codes)
        ]
        self.type_fields = []
        named = {code for _, _, codes in TYPE_GROUPS if codes for code in codes}
        for name, label, codes in TYPE_GROUPS:
            if codes is None:
                members = [t for t in types if t.code not in named]
            else:
                order = {code: i for i, code in enumerate(codes)}
                members = sorted((t for t in types if t.code in order), key=lambda t: order[t.code])
            self.fields[name] = forms.MultipleChoiceField(
                label=f"Meeting types: {label.lower()}",
                choices=[(t.code, t.name) for t in members],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[t.code for t in members if t.code in current_codes],
            )
            self.type_fields.append(name)
        self._types_by_code = {t.code: t for t in types}

    def clean(self):
        cleaned = super().clean()
        codes = [code for name in self.type_fields for code in cleaned.pop(name, [])]
        cleaned["types"] = [self._types_by_code[code] for code in codes]
        return cleaned

    def service_arguments(self):
        """(data, days, types) for create_meeting / update_meeting."""
        data = dict(self.cleaned_data)
        days = data.pop("days", [])
        types = data.pop("types", [])
        return data, days, types


# --- Locations ------------------------------------------------------------------


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "name",
            "address",
            "town",
            "postcode",
            "region",
            "settlement",
            "latitude",
            "longitude",
            "approximate",
            "notes",
        ]
        labels = {
            "name": "Building or landmark (optional)",
            "address": "Street address",
            "town": "Town or city",
            "postcode": "Postcode (optional)",
            "region": "Neighbourhood or district (optional)",
            "settlement": "Recovery settlement (optional)",
            "latitude": "Latitude (optional)",
            "longitude": "Longitude (optional)",
            "approximate": "This is only an area, not a specific address (for online meetings)",
            "notes": "Notes (optional)",
        }
        help_texts = {
            "latitude": "Decimal degrees, for the map and for finding meetings nearby. For example 54.89.",
            "longitude": "Decimal degrees. For example -2.93.",
        }
        error_messages = {"town": {"required": "Enter the town or city"}}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.filter(network=network).order_by("name")
        self.fields["settlement"].empty_label = "Not at a settlement"


# --- Services -------------------------------------------------------------------


class ServiceForm(forms.ModelForm):
    assured_date = date_field("Details last checked (optional)")

    class Meta:
        model = Service
        formfield_callback = formfield
        fields = [
            "name",
            "organisation",
            "description",
            "url",
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
        labels = {
            "name": "Service name",
            "url": "Website (optional)",
            "email": "Email address (optional)",
            "fees": "Fees (optional)",
            "minimum_age": "Minimum age (optional)",
            "maximum_age": "Maximum age (optional)",
            "accreditations": "Accreditations (optional)",
            "alert": "Alert (optional)",
            "taxonomy_terms": "Categories (optional)",
        }
        error_messages = {
            "name": {"required": "Enter the service's name"},
            "organisation": {"required": "Choose the organisation that runs the service"},
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "fees": forms.Textarea(attrs={"rows": 2}),
            "accreditations": forms.Textarea(attrs={"rows": 2}),
            "alert": forms.Textarea(attrs={"rows": 2}),
            "status": forms.RadioSelect,
            "taxonomy_terms": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        current = [self.instance.organisation_id] if self.instance.organisation_id else []
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(Q(networks=network, is_active=True) | Q(pk__in=current))
            .distinct()
            .order_by("name")
        )
        self.fields["status"].choices = Service.Status.choices
        self.fields["taxonomy_terms"].queryset = TaxonomyTerm.objects.select_related("taxonomy").order_by(
            "taxonomy__name", "name"
        )
        if self.instance.pk:
            # A professional edits their own organisation's service, but not which organisation runs it.
            self.fields["organisation"].disabled = True

    def service_arguments(self):
        data = dict(self.cleaned_data)
        terms = list(data.pop("taxonomy_terms", []))
        return data, terms


class ServiceLocationForm(forms.Form):
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        label="Location",
        empty_label=None,
        error_messages={"required": "Choose a location", "invalid_choice": "Choose one of this network's locations"},
    )

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(network_id=service.network_id).exclude(
            service_at_locations__service=service
        )


class ScheduleForm(forms.ModelForm):
    valid_from = date_field("Valid from (optional)")
    valid_to = date_field("Valid until (optional)")

    class Meta:
        model = Schedule
        fields = ["freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to", "description", "attending_type"]
        labels = {
            "freq": "How often",
            "byday": "Days (optional)",
            "opens_at": "Opens at (optional)",
            "closes_at": "Closes at (optional)",
            "description": "Description (optional)",
            "attending_type": "How people attend (optional)",
        }
        widgets = {
            "freq": forms.RadioSelect,
            "opens_at": time_widget(),
            "closes_at": time_widget(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["freq"].choices = Schedule.Freq.choices


class ServiceContactForm(forms.Form):
    name = forms.CharField(label="Name (optional)", max_length=100, required=False, help_text="A role or first name.")
    title = forms.CharField(label="Job title (optional)", max_length=100, required=False)
    email = forms.EmailField(label="Email address (optional)", required=False)
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    phone_description = forms.CharField(label="About the phone number (optional)", max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f) for f in ("name", "title", "email", "phone")):
            raise forms.ValidationError("Enter a name, job title, email address or phone number.")
        return cleaned

    def service_arguments(self):
        """(contact data, phone) for the contact services; an empty number means "no phone"."""
        data = dict(self.cleaned_data)
        phone = {"number": data.pop("phone"), "description": data.pop("phone_description")}
        return data, phone

    @classmethod
    def initial_for(cls, contact, phone=None):
        """The form's initial values for an existing contact and its (first) phone."""
        initial = {name: getattr(contact, name) for name in ("name", "title", "email")}
        if phone is not None:
            initial.update(phone=phone.number, phone_description=phone.description)
        return initial


# --- Fellowships ----------------------------------------------------------------


class FellowshipForm(forms.ModelForm):
    class Meta:
        model = Fellowship
        formfield_callback = formfield
        fields = ["name", "short_name", "kind", "description", "website", "email", "organisation"]
        labels = {
            "name": "Fellowship or group name",
            "short_name": "Short name (optional)",
            "kind": "Kind",
            "description": "Description (optional)",
            "website": "Website (optional)",
            "email": "Email address (optional)",
            "organisation": "Organisation (optional)",
        }
        error_messages = {
            "name": {"required": "Enter the name", "unique": "There is already a fellowship with this name"},
        }
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Fellowship.Kind.choices
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].empty_label = "None"


# --- Change requests ------------------------------------------------------------


class ChangeReportForm(forms.Form):
    """The public "report a change" form. `website` is a honeypot: hidden from
    people (and from screen readers), filled in by bots."""

    field = forms.ChoiceField(
        label="What needs changing?",
        choices=FIELD_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what needs changing"},
    )
    proposed_value = forms.CharField(
        label="What should it say? (optional)",
        help_text="For example the new time, 19:30, or the new address.",
        max_length=MAX_PROPOSED_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label="How do you know?",
        help_text="For example: I went last week and the meeting has moved to the church hall.",
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Tell us how you know the details have changed"},
    )
    reporter_email = forms.EmailField(
        label="Your email address (optional)",
        help_text=(
            "Only if you want to hear what happens. We use it only to tell you the outcome, "
            "and delete it as soon as a coordinator has decided."
        ),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)

    HONEYPOT = "website"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def visible_report_fields(self):
        return [f for f in self.visible_fields() if f.name != self.HONEYPOT]

    @property
    def is_bot(self):
        return bool(self.data.get(self.HONEYPOT))


class ChangeApplyForm(forms.Form):
    value = forms.CharField(
        label="New value",
        help_text="Correct it here if the proposed value is not quite right.",
        max_length=MAX_PROPOSED_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChangeDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining the change?",
        help_text="If the person left an email address, they will be told this.",
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason for declining the change"},
    )


# --- The finder (/meetings/) ------------------------------------------------------
# Its GET form: every field optional, every bad value an error message (never a
# 500), and `to_query()` turns what is valid into a FinderQuery.

# The types most people look for, shown first; the rest sit under "More types".
COMMON_TYPES = ["O", "C", "B", "BE", "D", "ST", "W", "M", "Y", "LGBTQ", "X", "S"]
# Kilometres, the unit of every search and of the API; labelled in miles too, the unit most people here read.
DISTANCE_CHOICES = [(str(km), f"{km} km ({links.format_radius(km)})") for km in (1, 2, 5, 10, 25, 50)]
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
    units = forms.ChoiceField(
        label="Show distances in",
        required=False,
        choices=list(links.UNITS.items()),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose miles or kilometres"},
    )

    def __init__(self, data=None, *args, now=None, **kwargs):
        if data is not None and not (data.get("distance") and data.get("units")):
            # The select always submits something; without this a search with no
            # distance chosen would show (and keep) the first option, 1 km.
            data = data.copy()
            data["distance"] = data.get("distance") or DEFAULT_DISTANCE
            data["units"] = data.get("units") or links.DEFAULT_UNITS  # so the choice shows what the page uses
        super().__init__(data, *args, **kwargs)
        self.initial.setdefault("distance", DEFAULT_DISTANCE)
        self.initial.setdefault("units", links.DEFAULT_UNITS)
        self.now = now
        self.place = None  # the Place (or geocoded postcode) searched around
        self.place_choices = []  # "Did you mean" when a name is ambiguous or unknown
        self.outside_region = None  # the name of a place outside North West England, when one was asked for

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
                self.outside_region = places.outside_region(where)
                if self.outside_region:
                    self.add_error("where", self.outside_message())
                else:
                    self.place_choices = places.suggestions(where)
                    self.add_error("where", "We could not find that place. Check the spelling, or enter a postcode")
            elif not places.in_region(found.latitude, found.longitude):
                self.outside_region = found.name
                self.add_error("where", self.outside_message())
            else:
                self.place = found
        return data

    def outside_message(self):
        return (
            f"{self.outside_region} is outside {places.REGION_NAME}. This directory covers {places.REGION_NAME}"
            " only: enter a place there, or find an online meeting"
        )

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

    @property
    def distance_units(self) -> str:
        """ "mi" (the default) or "km": how the page shows distances. Not part of the search."""
        return self.value("units", links.DEFAULT_UNITS) if self.is_bound else links.DEFAULT_UNITS

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
            # "Today" is what is left of today and "tomorrow" one date, not every such weekday.
            date_offset={"today": 0, "tomorrow": 1}.get(day),
            include_started=True,
        )
