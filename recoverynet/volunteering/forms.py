"""Forms of the volunteering pages; their cleaned data goes to volunteering.services."""

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from recoverynet.core.forms import DATE_INPUT_FORMATS
from recoverynet.core.manage_pages import add_service_errors
from recoverynet.federation.models import Membership, Organisation, Settlement
from recoverynet.initiatives.models import Initiative

from .models import (
    MAX_FLEXIBLE_HOURS,
    MAX_INTEREST_NAME,
    MAX_PLACES,
    MAX_SHIFT_HOURS,
    DBSLevel,
    Interest,
    Job,
    JobOutcome,
    Role,
    Shift,
    SkillLevel,
    status_label,
)

DATE_HELP = "For example, 27 3 2026"
SKILL_ROWS = 3


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class IdempotencyKeyMixin:
    """A hidden key made when the form is shown (as the time bank's forms have): the services
    create one row per key, so the same form sent twice creates nothing more."""

    def add_idempotency_key(self):
        self.fields["idempotency_key"] = forms.CharField(
            widget=forms.HiddenInput,
            max_length=80,
            required=False,
            initial=new_idempotency_key(),
            error_messages={"max_length": "This form has expired: open it again"},
        )

    def idempotency_key(self):
        return self.cleaned_data.get("idempotency_key") or None


def date_field(label, *, required_message="Enter a date", **kwargs):
    return forms.DateField(
        label=label,
        help_text=kwargs.pop("help_text", DATE_HELP),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": "Enter a real date, for example 27 3 2026", "required": required_message},
        **kwargs,
    )


class ProfileForm(forms.Form):
    recovery_start = date_field(
        "When did your recovery start? (optional)",
        required=False,
        help_text="Only you ever see this; it is kept encrypted. Some roles ask for a minimum time in recovery. "
        "For example, 27 3 2024",
    )
    avoid_alcohol_venues = forms.BooleanField(
        label="Do not offer me roles at venues where alcohol is served", required=False
    )
    avoid_medication_roles = forms.BooleanField(
        label="Do not offer me roles that involve handling medication", required=False
    )
    shift_reminders = forms.BooleanField(label="Email me the day before each shift", required=False)
    skills_findable = forms.BooleanField(
        label="Let my networks' coordinators find me by my skills",
        help_text="They would see your display name, the skill and its level: nothing else from this page.",
        required=False,
    )

    def __init__(self, *args, skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        add_skill_rows(self, list(skills), label="Your skill {i} (optional)")
        self.fields["interests"] = interests_field(
            "What are you interested in? (optional)",
            "Only you see these. Roles that suit them come higher in your list.",
        )

    def skills(self) -> list:
        return skill_rows(self)


def interests_field(label, help_text):
    return forms.ModelMultipleChoiceField(
        label=label,
        help_text=help_text,
        queryset=Interest.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choose interests from the list",
            "invalid_pk_value": "Choose interests from the list",
            "invalid_list": "Choose interests from the list",
        },
    )


class RoleSortForm(forms.Form):
    """How the public list of roles is ordered (a GET field): "Best match for you" only for a signed-in
    member with skills or interests, and then by default."""

    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        error_messages={"invalid_choice": "Choose an order from the list"},
    )

    def __init__(self, *args, best_match=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("title", "Title (A to Z)"), ("newest", "Newest first")]
        if best_match:
            choices.insert(0, ("match", "Best match for you"))
        self.fields["sort"].choices = choices
        self.default = choices[0][0]

    def order(self) -> str:
        if self.is_bound and self.is_valid() and self.cleaned_data["sort"]:
            return self.cleaned_data["sort"]
        return self.default


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        return membership.user.display_name  # never an email


def members_of(network):
    return (
        Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


class PersonForm(forms.Form):
    """Choose a member of the network (a walk-in, a DBS record, a commendation)."""

    person = PersonChoiceField(
        label="Member",
        queryset=Membership.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose a member", "invalid_choice": "Choose a member from the list"},
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members_of(network)


class DBSForm(PersonForm):
    level = forms.ChoiceField(
        label="Level",
        choices=[c for c in DBSLevel.choices if c[0] != DBSLevel.NONE],
        error_messages={"required": "Choose the level", "invalid_choice": "Choose a level from the list"},
    )
    checked_on = date_field("Date of the check")
    checker = forms.CharField(
        label="Checked by",
        help_text="Who saw the certificate. Never write down what the certificate says.",
        max_length=120,
        error_messages={"required": "Say who saw the certificate", "max_length": "Keep it to 120 characters"},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining this place?",
        help_text="The member sees this.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why, so the member understands", "max_length": "Keep it to 300 characters"},
    )


class InterestNameForm(forms.Form):
    """The name of an interest on the shared list, to add one or rename one (services check the rest:
    spaces, characters, a name the list already has in any case)."""

    name = forms.CharField(
        max_length=MAX_INTEREST_NAME,
        error_messages={
            "required": "Enter a name for the interest.",
            "max_length": f"Keep the name to {MAX_INTEREST_NAME} characters or fewer.",
            "null_characters_not_allowed": "Use letters, numbers, spaces and punctuation only.",
        },
    )

    def __init__(self, *args, label="Name", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = label
        self.fields["name"].widget.attrs["spellcheck"] = "true"


TIME_FORMATS = ["%H:%M", "%H.%M"]


def time_field(label, example, *, required=True, required_message="Enter a time"):
    return forms.TimeField(
        label=label,
        help_text=f"For example, {example}",
        input_formats=TIME_FORMATS,
        required=required,
        error_messages={"required": required_message, "invalid": f"Enter a time like {example}"},
    )


def places_field():
    return forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=MAX_PLACES,
        error_messages={
            "required": "Enter how many volunteers you need",
            "invalid": "Enter a whole number, like 4",
            "min_value": "Offer at least 1 place",
            "max_value": f"Offer at most {MAX_PLACES} places",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )


def _day(value) -> str:
    """A date as the form asks for it (27 3 2026), to show what is saved."""
    return f"{value.day} {value.month} {value.year}"


def _time(value) -> str:
    return f"{value:%H:%M}" if value else ""


def _sane_year(form, name, day) -> bool:
    if day.year < 2000 or day.year > 9000:
        form.add_error(name, "Enter a date in the next few years")
        return False
    return True


class ShiftForm(forms.Form):
    """A shift at fixed times. Its cleaned data: starts_at, ends_at, places."""

    # The service's field names, and the form's fields that show their errors.
    SERVICE_FIELDS = {"starts_at": "start", "ends_at": "end"}

    date = date_field("Date")
    start = time_field("Starts at", "09:30", required_message="Enter a start time")
    end = time_field("Ends at", "13:00", required_message="Enter an end time")
    places = places_field()

    def __init__(self, *args, shift=None, **kwargs):
        if shift is not None:
            start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
            kwargs["initial"] = {"date": _day(start), "start": _time(start), "end": _time(end), "places": shift.places}
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            if not _sane_year(self, "date", day):
                return cleaned
            zone = timezone.get_current_timezone()
            starts_at = datetime.datetime.combine(day, start, tzinfo=zone)
            ends_at = datetime.datetime.combine(day, end, tzinfo=zone)
            if ends_at <= starts_at:
                self.add_error("end", "The shift must end after it starts")
            cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned

    def shift_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("starts_at", "ends_at", "places")}


class FlexibleShiftForm(forms.Form):
    """A flexible window: from a first to a last day (optionally only between daily times), the
    time each volunteer gives (in total, or a week) and the places. Its cleaned data: starts_at,
    ends_at (the window), day_starts, day_ends, expected_minutes, expected_per, places."""

    SERVICE_FIELDS = {
        "starts_at": "first_day",
        "ends_at": "last_day",
        "day_ends": "day_end",
        "day_starts": "day_start",
        "expected_minutes": "expected_hours",
    }

    first_day = date_field("First day", required_message="Enter the first day")
    last_day = date_field(
        "Last day",
        required_message="Enter the last day",
        help_text="The same as the first day for a single day. For example, 5 12 2026",
    )
    day_start = time_field(
        "Each day from (optional)", "09:00", required=False, required_message="Enter a time, or leave both empty"
    )
    day_end = time_field(
        "Each day until (optional)", "17:00", required=False, required_message="Enter a time, or leave both empty"
    )
    expected_hours = forms.IntegerField(
        label="Hours each volunteer gives",
        min_value=0,
        max_value=MAX_FLEXIBLE_HOURS,
        error_messages={
            "required": "Enter how many hours each volunteer gives",
            "invalid": "Enter hours as a whole number, like 2",
            "min_value": "Hours cannot be negative",
            "max_value": f"Enter at most {MAX_FLEXIBLE_HOURS} hours",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    expected_extra_minutes = forms.IntegerField(
        label="And minutes (optional)",
        min_value=0,
        max_value=59,
        required=False,
        error_messages={
            "invalid": "Enter minutes as a whole number",
            "min_value": "Minutes cannot be negative",
            "max_value": "Enter minutes from 0 to 59",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    expected_per = forms.ChoiceField(
        label="Is that in total, or each week?",
        choices=[(Shift.Per.TOTAL, "In total"), (Shift.Per.WEEK, "Each week")],
        initial=Shift.Per.TOTAL,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose in total or a week", "invalid_choice": "Choose in total or a week"},
    )
    places = places_field()

    def __init__(self, *args, shift=None, **kwargs):
        if shift is not None:
            hours, minutes = divmod(shift.expected_minutes or 0, 60)
            kwargs["initial"] = {
                "first_day": _day(shift.first_day),
                "last_day": _day(shift.last_day),
                "day_start": _time(shift.day_starts),
                "day_end": _time(shift.day_ends),
                "expected_hours": hours,
                "expected_extra_minutes": minutes,
                "expected_per": shift.expected_per,
                "places": shift.places,
            }
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        day_start, day_end = cleaned.get("day_start"), cleaned.get("day_end")
        if (day_start is None) != (day_end is None) and not (self.has_error("day_start") or self.has_error("day_end")):
            self.add_error("day_end" if day_start else "day_start", "Enter both daily times, or leave both empty")
            return cleaned
        if day_start and day_end and day_end <= day_start:
            self.add_error("day_end", "The daily hours must end after they start")
            return cleaned
        hours = cleaned.get("expected_hours")
        if hours is not None:
            cleaned["expected_minutes"] = hours * 60 + (cleaned.get("expected_extra_minutes") or 0)
            if cleaned["expected_minutes"] == 0:
                self.add_error("expected_hours", "Enter how much time each volunteer gives")
            elif cleaned["expected_minutes"] > MAX_FLEXIBLE_HOURS * 60:
                self.add_error("expected_hours", f"Enter at most {MAX_FLEXIBLE_HOURS} hours")
        if first and last:
            if not (_sane_year(self, "first_day", first) and _sane_year(self, "last_day", last)):
                return cleaned
            if last < first:
                self.add_error("last_day", "The last day must be the same as the first day or after it")
                return cleaned
            zone = timezone.get_current_timezone()
            cleaned["starts_at"] = datetime.datetime.combine(first, day_start or datetime.time.min, tzinfo=zone)
            if day_end:
                cleaned["ends_at"] = datetime.datetime.combine(last, day_end, tzinfo=zone)
            else:
                cleaned["ends_at"] = datetime.datetime.combine(
                    last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
                )
        return cleaned

    def shift_data(self) -> dict:
        names = ("starts_at", "ends_at", "places", "expected_minutes", "expected_per")
        data = {name: self.cleaned_data[name] for name in names}
        data["day_starts"], data["day_ends"] = self.cleaned_data.get("day_start"), self.cleaned_data.get("day_end")
        return data


def show_service_errors(form, exc) -> None:
    """A service's errors on the form's own fields (its SERVICE_FIELDS name them), or at the top."""
    mapping = getattr(form, "SERVICE_FIELDS", {})
    if hasattr(exc, "error_dict"):
        exc = ValidationError({mapping.get(name, name): errors for name, errors in exc.error_dict.items()})
    add_service_errors(form, exc)


def shift_form_class(shift):
    return FlexibleShiftForm if shift.is_flexible else ShiftForm


class ChosenTimeForm(forms.Form):
    """On a flexible shift, the time a member picks within the window: all three fields, or none
    (they agree their time with the organiser). Its cleaned data: chosen, (start, end) or None."""

    SERVICE_FIELDS = {"chosen_start": "start", "chosen_end": "end"}

    def __init__(self, *args, shift, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = shift.first_day, shift.last_day
        within = f"On {first:%-d %B %Y}" if first == last else f"From {first:%-d %B} to {last:%-d %B %Y}"
        self.fields["date"].help_text = f"{within}. For example, {first.day} {first.month} {first.year}"
        if shift.day_starts and shift.day_ends:
            self.fields["start"].help_text = f"From {shift.day_starts:%H:%M}. For example, {shift.day_starts:%H:%M}"
            self.fields["end"].help_text = f"Until {shift.day_ends:%H:%M} at the latest"

    date = date_field("Day (optional)", required=False)
    start = time_field("From (optional)", "10:00", required=False)
    end = time_field("Until (optional)", "12:00", required=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        given = [value is not None for value in (day, start, end)]
        cleaned["chosen"] = None
        if any(given) and not all(given):
            missing = {
                "date": "Enter the day, or leave from and until empty too",
                "start": "Enter when you start, or leave the day and until empty too",
                "end": "Enter when you finish, or leave the day and from empty too",
            }
            for name, value in (("date", day), ("start", start), ("end", end)):
                if value is None:
                    self.add_error(name, missing[name])
            return cleaned
        if all(given):
            if not _sane_year(self, "date", day):
                return cleaned
            zone = timezone.get_current_timezone()
            starts_at = datetime.datetime.combine(day, start, tzinfo=zone)
            ends_at = datetime.datetime.combine(day, end, tzinfo=zone)
            if ends_at <= starts_at:
                self.add_error("end", "Your time must end after it starts")
                return cleaned
            cleaned["chosen"] = (starts_at, ends_at)
        return cleaned


class ChooseTimeForm(ChosenTimeForm):
    """Setting or changing the time of a place on a flexible shift, after signing up: all three
    fields needed. Its cleaned data: chosen, (start, end)."""

    date = date_field("Day", required_message="Enter the day")
    start = time_field("From", "10:00", required_message="Enter when the time starts")
    end = time_field("Until", "12:00", required_message="Enter when the time ends")

    def __init__(self, *args, signup, **kwargs):
        if signup.chosen_starts_at:
            start, end = timezone.localtime(signup.chosen_starts_at), timezone.localtime(signup.chosen_ends_at)
            kwargs["initial"] = {"date": _day(start), "start": _time(start), "end": _time(end)}
        super().__init__(*args, shift=signup.shift, **kwargs)


class ShiftCancelForm(forms.Form):
    reason = forms.CharField(
        label="Tell the volunteers why (optional)",
        help_text="Everyone with a place is emailed that the shift is cancelled, with this.",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep it to 300 characters"},
    )


class CommendationForm(IdempotencyKeyMixin, PersonForm):
    text = forms.CharField(
        label="What did they do well?",
        help_text="This goes in their volunteering reference if they choose. If it mentions their recovery, "
        "nobody sees it until they approve it.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write what they did well", "max_length": "Keep it to 2,000 characters"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_idempotency_key()


def hours_form(shift, signups, data=None):
    """One batch: for each confirmed place, whether they came and for how long (hours and minutes)."""

    fields = {}
    max_hours = MAX_FLEXIBLE_HOURS if shift.is_flexible else MAX_SHIFT_HOURS  # the service checks the exact bound
    for signup in signups:
        name = signup.user.display_name
        fields[f"attended_{signup.pk}"] = forms.BooleanField(label=f"{name} came", required=False)
        fields[f"hours_{signup.pk}"] = forms.IntegerField(
            label=f"Hours for {name}",
            min_value=0,
            max_value=max_hours,
            required=False,
            error_messages={
                "invalid": "Enter hours as a whole number",
                "min_value": "Hours cannot be negative",
                "max_value": f"Enter at most {max_hours} hours",
            },
            widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        )
        fields[f"minutes_{signup.pk}"] = forms.IntegerField(
            label=f"Minutes for {name}",
            min_value=0,
            max_value=59,
            required=False,
            error_messages={
                "invalid": "Enter minutes as a whole number",
                "min_value": "Minutes cannot be negative",
                "max_value": "Enter minutes from 0 to 59",
            },
            widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        )
    initial = {}  # what is already recorded (waiting for the member to confirm), so sending the form again keeps it
    for signup in signups:
        if signup.hours_recorded_at is not None:
            hours, minutes = divmod(signup.minutes or 0, 60)
            initial.update(
                {f"attended_{signup.pk}": signup.attended, f"hours_{signup.pk}": hours, f"minutes_{signup.pk}": minutes}
            )
    form_class = type("HoursForm", (forms.Form,), fields)
    form = form_class(data, initial=initial)
    form.signups = list(signups)
    return form


def hours_entries(form) -> dict:
    """{sign-up id: (attended, minutes)} from a valid hours form."""
    entries = {}
    for signup in form.signups:
        attended = form.cleaned_data.get(f"attended_{signup.pk}", False)
        hours = form.cleaned_data.get(f"hours_{signup.pk}") or 0
        minutes = form.cleaned_data.get(f"minutes_{signup.pk}") or 0
        entries[signup.pk] = (attended, hours * 60 + minutes)
    return entries


class ReferenceForm(forms.Form):
    """What the member chooses to put in their reference."""

    file_format = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "PDF, to print or send"), ("csv", "Spreadsheet (CSV)")],
        initial="pdf",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose PDF or CSV", "invalid_choice": "Choose PDF or CSV"},
    )
    include_hours = forms.BooleanField(label="Hours and shifts", required=False, initial=True)
    roles = forms.MultipleChoiceField(
        label="Roles to include",
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one role to include",
            "invalid_choice": "Choose roles from the list",
        },
    )

    commendations = forms.MultipleChoiceField(
        label="Commendations from organisers to include",
        help_text="Only those in the roles you include go in.",
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose commendations from the list"},
    )

    def __init__(self, *args, roles, commendations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(str(role.pk), role.title) for role in roles]
        self.fields["roles"].initial = [str(role.pk) for role in roles]
        commendations = list(commendations)
        if commendations:
            self.fields["commendations"].choices = [
                (str(c.pk), f"{c.role.title}, {c.created_at:%-d %B %Y}: “{Truncator(c.text).chars(80)}”")
                for c in commendations
            ]
            self.fields["commendations"].initial = [str(c.pk) for c in commendations]
        else:
            del self.fields["commendations"]

    def clean_commendations(self):
        return [int(pk) for pk in self.cleaned_data["commendations"]]

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        if not roles:
            raise forms.ValidationError("Choose at least one role to include")
        return [int(pk) for pk in roles]


class RoleForm(IdempotencyKeyMixin, forms.ModelForm):
    """A role and up to three skills it wants, each with a level."""

    class Meta:
        model = Role
        fields = [
            "title",
            "organisation",
            "settlement",
            "initiative",
            "description",
            "involves",
            "time_commitment",
            "is_remote",
            "min_recovery_months",
            "dbs_level",
            "early_recovery",
            "supervision_available",
            "alcohol_at_venue",
            "handles_medication",
            "lone_working",
            "confirm_automatically",
            "is_published",
        ]
        widgets = {
            "dbs_level": forms.RadioSelect,
            "early_recovery": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "involves": forms.Textarea(attrs={"rows": 4}),
            "min_recovery_months": forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        }
        labels = {"is_published": "Show the role publicly and take sign-ups"}
        error_messages = {
            "title": {"required": "Enter the role's title", "max_length": "Keep the title to 120 characters"},
            "description": {"required": "Say what the role is for"},
            "involves": {"required": "Say what a volunteer does"},
            "time_commitment": {"required": "Say how much time it takes", "max_length": "Keep it to 150 characters"},
            "min_recovery_months": {
                "invalid": "Enter a whole number of months, like 6",
                "min_value": "Enter 0 or more months",
                "max_value": "Enter at most 600 months",
            },
            "organisation": {"invalid_choice": "Choose an organisation from the list"},
            "settlement": {"invalid_choice": "Choose a settlement from the list"},
            "initiative": {"invalid_choice": "Choose an initiative from the list"},
            "dbs_level": {"invalid_choice": "Choose a DBS level", "required": "Choose a DBS level"},
            "early_recovery": {"invalid_choice": "Choose yes, no or ask us", "required": "Choose yes, no or ask us"},
        }

    def __init__(self, *args, network, skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(networks=network, is_active=True)
        self.fields["settlement"].queryset = Settlement.objects.filter(network=network, is_active=True)
        current = self.instance.initiative_id if self.instance else None
        self.fields["initiative"].queryset = Initiative.objects.filter(network=network).filter(
            ~Q(status=Initiative.Status.CLOSED) | Q(pk=current)
        )
        self.fields["initiative"].label_from_instance = lambda initiative: initiative.name
        self.fields["min_recovery_months"].validators.append(MaxValueValidator(600))
        add_skill_rows(self, list(skills), label="Skill {i} wanted (optional)")
        self.fields["interests"] = interests_field(
            "Interests it suits (optional)", "Members with these interests see the role higher in their lists."
        )
        if self.instance.pk:
            self.fields["interests"].initial = list(self.instance.interests.all())
        if self.instance.pk is None:  # adding: sent twice, one role
            self.add_idempotency_key()

    def clean(self):
        cleaned = super().clean()
        offerers = [bool(cleaned.get(name)) for name in ("organisation", "settlement", "initiative")]
        if offerers.count(True) != 1 and not self.has_error("organisation"):
            self.add_error("organisation", "Choose one organisation, settlement or initiative that offers the role")
        return cleaned

    def role_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def skills(self) -> list:
        return skill_rows(self)


def add_skill_rows(form, skills, *, label):
    for i in range(1, SKILL_ROWS + 1):
        existing = skills[i - 1] if i <= len(skills) else None
        form.fields[f"skill_{i}"] = forms.CharField(
            label=label.format(i=i),
            max_length=60,
            required=False,
            initial=existing.name if existing else "",
            error_messages={"max_length": "Keep a skill to 60 characters"},
        )
        form.fields[f"skill_{i}_level"] = forms.TypedChoiceField(
            label=f"Level for skill {i}",
            choices=SkillLevel.choices,
            coerce=int,
            required=False,
            empty_value=int(SkillLevel.SOME),
            initial=existing.level if existing else SkillLevel.SOME,
            error_messages={"invalid_choice": "Choose a level from the list", "required": "Choose a level"},
        )


def skill_rows(form) -> list:
    return [
        (form.cleaned_data[f"skill_{i}"].strip(), form.cleaned_data[f"skill_{i}_level"])
        for i in range(1, SKILL_ROWS + 1)
        if form.cleaned_data.get(f"skill_{i}", "").strip()
    ]


class JobForm(IdempotencyKeyMixin, forms.ModelForm):
    closing_date = date_field("Closing date")

    class Meta:
        model = Job
        fields = [
            "kind",
            "title",
            "employer",
            "organisation",
            "description",
            "hours",
            "pay",
            "closing_date",
            "how_to_apply",
            "lived_experience_welcomed",
            "recovery_friendly",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "Enter the job title", "max_length": "Keep the title to 120 characters"},
            "employer": {"required": "Enter the employer's name", "max_length": "Keep it to 150 characters"},
            "description": {"required": "Say what the job is"},
            "hours": {"required": "Say what hours it is", "max_length": "Keep it to 100 characters"},
            "pay": {"required": "Say what it pays", "max_length": "Keep it to 100 characters"},
            "how_to_apply": {"required": "Say how to apply"},
            "organisation": {"invalid_choice": "Choose an organisation from the list"},
            "kind": {"required": "Choose paid work or training", "invalid_choice": "Choose paid work or training"},
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(networks=network, is_active=True)
        self.add_idempotency_key()

    def job_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class JobOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label="Where are you with this job?",
        choices=JobOutcome.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where you are", "invalid_choice": "Choose from the list"},
    )

    def __init__(self, *args, job=None, **kwargs):
        super().__init__(*args, **kwargs)
        if job is not None and job.kind == Job.Kind.TRAINING:
            self.fields["status"].label = "Where are you with this training?"
            self.fields["status"].choices = [(value, status_label(value, job.kind)) for value in JobOutcome.Status]


class SkillSearchForm(forms.Form):
    """A coordinator's search for members by skill and minimum level (a GET form)."""

    skill = forms.CharField(
        label="Skill",
        max_length=60,
        help_text="As members write it, for example: Cooking",
        error_messages={"required": "Enter a skill", "max_length": "Keep the skill to 60 characters"},
    )
    level = forms.TypedChoiceField(
        label="At least",
        choices=SkillLevel.choices,
        coerce=int,
        initial=SkillLevel.SOME,
        help_text="A higher level counts too",
        error_messages={"required": "Choose a level", "invalid_choice": "Choose a level from the list"},
    )
