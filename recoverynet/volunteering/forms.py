"""Forms of the volunteering pages; their cleaned data goes to volunteering.services."""

import datetime
import uuid

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from recoverynet.federation.models import Membership, Organisation, Settlement
from recoverynet.initiatives.models import Initiative

from .models import MAX_PLACES, MAX_SHIFT_HOURS, DBSLevel, Job, JobOutcome, Role, SkillLevel, status_label

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y", "%d-%m-%Y"]
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


def date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        help_text=kwargs.pop("help_text", DATE_HELP),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": "Enter a real date, for example 27 3 2026", "required": "Enter a date"},
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

    def skills(self) -> list:
        return skill_rows(self)


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


class ShiftForm(forms.Form):
    date = date_field("Date")
    start = forms.TimeField(
        label="Starts at",
        help_text="For example, 09:30",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": "Enter a start time", "invalid": "Enter a time like 09:30"},
    )
    end = forms.TimeField(
        label="Ends at",
        help_text="For example, 13:00",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": "Enter an end time", "invalid": "Enter a time like 13:00"},
    )
    places = forms.IntegerField(
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

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            if day.year < 2000 or day.year > 9000:
                self.add_error("date", "Enter a date in the next few years")
                return cleaned
            zone = timezone.get_current_timezone()
            starts_at = datetime.datetime.combine(day, start, tzinfo=zone)
            ends_at = datetime.datetime.combine(day, end, tzinfo=zone)
            if ends_at <= starts_at:
                self.add_error("end", "The shift must end after it starts")
            cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned


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
    for signup in signups:
        name = signup.user.display_name
        fields[f"attended_{signup.pk}"] = forms.BooleanField(label=f"{name} came", required=False)
        fields[f"hours_{signup.pk}"] = forms.IntegerField(
            label=f"Hours for {name}",
            min_value=0,
            max_value=MAX_SHIFT_HOURS,
            required=False,
            error_messages={
                "invalid": "Enter hours as a whole number",
                "min_value": "Hours cannot be negative",
                "max_value": f"Enter at most {MAX_SHIFT_HOURS} hours",
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
