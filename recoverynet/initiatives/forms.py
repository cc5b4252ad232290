"""Forms of the pitch pages; their cleaned data goes to initiatives.services."""

from django import forms

from recoverynet.accounts.models import User
from recoverynet.core import moderation, scoping
from recoverynet.core.forms import DATE_INPUT_FORMATS
from recoverynet.federation.filters import active_network_choices
from recoverynet.federation.models import Network, Organisation, Settlement

from .models import (
    COMPONENTS,
    CONFLICT_MAX,
    CRITERION_MAX,
    DECISION_MAX,
    EXPLANATION_MAX,
    HIDE_REASON_MAX,
    IDEA_MAX,
    LEVELS,
    MAX_CRITERIA,
    MAX_HOURS,
    MAX_MONEY_POUNDS,
    MAX_PEOPLE_TARGET,
    MAX_PLEDGE_HOURS,
    MAX_SUPPORT_THRESHOLD,
    MAX_WEIGHT,
    NEEDS_TEXT_MAX,
    PITCH_MAX_CHARACTERS,
    PITCH_MAX_WORDS,
    PLEDGE_TEXT_MAX,
    PROBLEM_MAX,
    READING_WORDS_PER_MINUTE,
    SCORE_MAX,
    SCORE_MIN,
    TITLE_MAX,
    UPDATE_MAX,
    WHO_FOR_MAX,
    YOU_SAID_MAX,
    DeclineReason,
    Initiative,
    Ladder,
    Milestone,
    Pitch,
    Pledge,
    Report,
    Result,
    ResultMeasure,
    TeamMember,
    validate_criteria,
)


def _too_long(limit):
    return f"Keep it to {limit} characters or fewer"


class PitchForm(forms.ModelForm):
    """A new pitch (with the network it is put to) or a draft's changes."""

    network = forms.ModelChoiceField(
        label="Which network are you pitching to?",
        queryset=Network.objects.none(),
        empty_label="Choose a network",
        error_messages={"required": "Choose a network", "invalid_choice": "Choose one of your networks from the list"},
    )

    video_url = forms.URLField(
        label="Or a link to a short video of your pitch (optional)",
        help_text="It must start with https://",
        required=False,
        max_length=300,
        assume_scheme="https",
        error_messages={"invalid": "Enter a video link like https://example.org/my-pitch"},
    )

    class Meta:
        model = Pitch
        fields = (
            "network",
            "settlement",
            "title",
            "theme",
            "problem",
            "idea",
            "who_for",
            "pitch_text",
            "video_url",
            "needs_money",
            "needs_hours",
            "needs_space",
            "needs_skills",
        )
        labels = {
            "settlement": "Recovery settlement (optional)",
            "title": "Title",
            "theme": "Theme",
            "problem": "What is the problem?",
            "idea": "What is your idea?",
            "who_for": "Who is it for?",
            "pitch_text": "Your pitch",
            "video_url": "Or a link to a short video of your pitch (optional)",
            "needs_money": "Money it needs, in pounds",
            "needs_hours": "Volunteer hours it needs",
            "needs_space": "Space it needs (optional)",
            "needs_skills": "Skills it needs (optional)",
        }
        help_texts = {
            "settlement": "If the idea is for one settlement of the network.",
            "title": f"A few words, at most {TITLE_MAX} characters.",
            "pitch_text": (
                f"At most {PITCH_MAX_WORDS} words: about 3 minutes to read at {READING_WORDS_PER_MINUTE} words a "
                "minute. Write it as you would say it."
            ),
            "video_url": "It must start with https://",
            "needs_money": "0 if it needs no money.",
            "needs_hours": "0 if it needs no volunteer time.",
            "needs_space": "For example, a room for 20 people one evening a week.",
            "needs_skills": "For example, cooking, bookkeeping, driving.",
        }
        error_messages = {
            "title": {"required": "Enter a title", "max_length": _too_long(TITLE_MAX)},
            "theme": {"required": "Choose a theme", "invalid_choice": "Choose a theme from the list"},
            "settlement": {"invalid_choice": "Choose a settlement from the list"},
            "problem": {"required": "Say what the problem is", "max_length": _too_long(PROBLEM_MAX)},
            "idea": {"required": "Say what your idea is", "max_length": _too_long(IDEA_MAX)},
            "who_for": {"required": "Say who it is for", "max_length": _too_long(WHO_FOR_MAX)},
            "pitch_text": {"max_length": _too_long(PITCH_MAX_CHARACTERS)},
            "video_url": {"invalid": "Enter a video link like https://example.org/my-pitch"},
            "needs_money": {
                "invalid": "Enter money as a whole number of pounds, like 500",
                "min_value": "Money cannot be less than 0",
                "max_value": f"Money can be at most £{MAX_MONEY_POUNDS:,}",
            },
            "needs_hours": {
                "invalid": "Enter hours as a whole number, like 20",
                "min_value": "Hours cannot be less than 0",
                "max_value": f"Hours can be at most {MAX_HOURS:,}",
            },
            "needs_space": {"max_length": _too_long(NEEDS_TEXT_MAX)},
            "needs_skills": {"max_length": _too_long(NEEDS_TEXT_MAX)},
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "idea": forms.Textarea(attrs={"rows": 4}),
            "who_for": forms.Textarea(attrs={"rows": 3}),
            "pitch_text": forms.Textarea(
                attrs={"rows": 12, "data-reading-time": READING_WORDS_PER_MINUTE, "data-max-words": PITCH_MAX_WORDS}
            ),
            "needs_money": forms.NumberInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
            "needs_hours": forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["network"]
            networks = Network.objects.filter(pk=self.instance.network_id)
        else:
            networks = Network.objects.active().filter(memberships__user=user, memberships__status="active")
            self.fields["network"].queryset = networks.order_by("name")
            only = list(networks.values_list("pk", flat=True)[:2])
            if not self.is_bound and len(only) == 1:  # one network: nothing to choose
                self.initial["network"] = only[0]
        self.fields["settlement"].queryset = (
            Settlement.objects.filter(network__in=networks, is_active=True).select_related("network").order_by("name")
        )
        self.fields["settlement"].empty_label = "The whole network"
        self.fields["settlement"].label_from_instance = lambda s: f"{s.name} ({s.network.name})"
        self.fields["needs_money"].min_value = 0
        self.fields["needs_hours"].min_value = 0
        for name in ("needs_money", "needs_hours"):
            self.fields[name].required = False

    def clean_needs_money(self):
        return self.cleaned_data.get("needs_money") or 0

    def clean_needs_hours(self):
        return self.cleaned_data.get("needs_hours") or 0

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "network"}


class PitchActionForm(forms.Form):
    """A change of state: the actions the person may take now, and a decision's reason."""

    action = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do", "invalid_choice": "Choose one of the options"},
    )
    reason = forms.ChoiceField(
        label="If not taken forward: the reason",
        choices=[("", "Choose a reason"), *DeclineReason.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a reason from the list"},
    )
    explanation = forms.CharField(
        label="Explanation",
        help_text="Published with the decision. Required when a pitch is not taken forward.",
        max_length=EXPLANATION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _too_long(EXPLANATION_MAX)},
    )

    LABELS = {
        "publish": "Publish it: the network and the public can read it",
        "start_review": "Put it under review",
        "accept": "Accept it",
        "decline": "Do not take it forward",
        "withdraw": "Withdraw it",
    }

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, self.LABELS[a]) for a in actions]
        if not {"accept", "decline"} & set(actions):
            del self.fields["reason"]
            del self.fields["explanation"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "decline":
            if "reason" in self.fields and not cleaned.get("reason") and "reason" not in self.errors:
                self.add_error("reason", "Choose a reason the pitch is not taken forward")
            if not (cleaned.get("explanation") or "").strip() and "explanation" not in self.errors:
                self.add_error("explanation", "Explain the decision: the person who pitched will read it")
        return cleaned


class PledgeForm(forms.Form):
    kind = forms.ChoiceField(
        label="What will you give?",
        choices=Pledge.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you will give", "invalid_choice": "Choose one of the options"},
    )
    hours = forms.IntegerField(
        label="Hours (for a pledge of time)",
        help_text=f"From 1 to {MAX_PLEDGE_HOURS}. A pledge only: nothing moves in the time bank until you give it.",
        min_value=1,
        max_value=MAX_PLEDGE_HOURS,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter hours as a whole number, like 4",
            "min_value": "Pledge at least 1 hour",
            "max_value": f"One person can pledge at most {MAX_PLEDGE_HOURS} hours to a pitch",
        },
    )
    description = forms.CharField(
        label="What exactly?",
        help_text="For example: bookkeeping; our hall on Tuesday evenings; a laptop. Shown on the pitch.",
        max_length=PLEDGE_TEXT_MAX,
        required=False,
        error_messages={"max_length": _too_long(PLEDGE_TEXT_MAX)},
    )
    organisation = forms.ModelChoiceField(
        label="Pledge for",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Yourself",
        error_messages={"invalid_choice": "Choose an organisation you work for"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(pk__in=scoping.professional_organisation_ids(user))
        if organisations.exists():
            self.fields["organisation"].queryset = organisations.order_by("name")
            self.fields["organisation"].help_text = "You can pledge for an organisation you work for."
        else:
            del self.fields["organisation"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Pledge.Kind.HOURS and not cleaned.get("hours") and "hours" not in self.errors:
            self.add_error("hours", f"Enter how many hours you pledge, from 1 to {MAX_PLEDGE_HOURS}")
        if kind and kind != Pledge.Kind.HOURS:
            cleaned["hours"] = None
            if not (cleaned.get("description") or "").strip() and "description" not in self.errors:
                self.add_error("description", "Say what you pledge: the skill, the space or the equipment")
        return cleaned


class ThresholdForm(forms.Form):
    support_threshold = forms.IntegerField(
        label="Supporters needed for review",
        help_text="When a published pitch has this many supporters, it goes to review by itself.",
        min_value=1,
        max_value=MAX_SUPPORT_THRESHOLD,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many supporters a pitch needs",
            "invalid": "Enter a whole number, like 10",
            "min_value": "Enter at least 1",
            "max_value": f"Enter {MAX_SUPPORT_THRESHOLD} or fewer",
        },
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.display_name  # a display name, never an email


class ReviewRoundForm(forms.Form):
    title = forms.CharField(
        label="Name of the round",
        help_text="For example: Spring 2027 ideas.",
        max_length=120,
        error_messages={"required": "Enter a name for the round", "max_length": _too_long(120)},
    )
    criteria = forms.CharField(
        label="Criteria",
        help_text=f"One a line, at most {MAX_CRITERIA}. They are published with the round; "
        f"the panel scores each pitch from {SCORE_MIN} to {SCORE_MAX} on each.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_CRITERIA * (CRITERION_MAX + 2),
        initial="Meets a need people have told us about\nLed by people with lived experience\nCan start with what "
        "the network has",
        error_messages={"required": "Enter at least one criterion", "max_length": "Keep the criteria shorter"},
    )
    members = MemberChoiceField(
        label="Panel members",
        help_text="Each will be asked whether they have lived experience of recovery: scoring can start only "
        "when at least half of the panel say they do. Nobody else sees what they say.",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one panel member",
            "invalid_choice": "Choose members from the list",
            "invalid_pk_value": "Choose members from the list",
        },
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(
            memberships__network=network, memberships__status="active", is_active=True
        ).order_by("display_name", "pk")

    def clean_criteria(self):
        lines = [line.strip() for line in self.cleaned_data["criteria"].splitlines() if line.strip()]
        try:
            validate_criteria(lines)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return lines


class LivedExperienceForm(forms.Form):
    lived_experience = forms.TypedChoiceField(
        label="Do you have lived experience of addiction and recovery, your own or a family member's?",
        help_text="Only to check that at least half of the panel are people with lived experience. "
        "Nobody sees your answer: it is kept encrypted and deleted if you erase your account.",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no", "invalid_choice": "Choose yes or no"},
    )


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for index, criterion in enumerate(criteria):
            self.fields[f"criterion_{index}"] = forms.TypedChoiceField(
                label=criterion,
                choices=[(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                help_text=f"{SCORE_MIN} is poor, {SCORE_MAX} is excellent.",
                error_messages={
                    "required": f"Score “{criterion}” from {SCORE_MIN} to {SCORE_MAX}",
                    "invalid_choice": f"Score “{criterion}” from {SCORE_MIN} to {SCORE_MAX}",
                },
            )

    def values(self) -> dict:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items()}


class ConflictForm(forms.Form):
    description = forms.CharField(
        label="What is your interest in this pitch?",
        help_text="For example: the person who pitched it is a friend. The coordinators see this.",
        max_length=CONFLICT_MAX,
        error_messages={"required": "Say what your interest is", "max_length": _too_long(CONFLICT_MAX)},
    )


# --- Initiatives --------------------------------------------------------------------

DATE_HELP = "For example, 31 3 2027 or 2027-03-31."


class InitiativeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=TITLE_MAX, error_messages={"required": "Enter a name"})
    summary = forms.CharField(
        label="What it does",
        max_length=IDEA_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what it does", "max_length": _too_long(IDEA_MAX)},
    )
    kind = forms.ChoiceField(
        label="Is it a community initiative or a social enterprise?",
        choices=Initiative.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which it is", "invalid_choice": "Choose one of the options"},
    )
    legal_form = forms.ChoiceField(
        label="Legal form (for a social enterprise)",
        choices=[("", "None yet"), *Initiative.LegalForm.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a legal form from the list"},
    )
    settlement = forms.ModelChoiceField(
        label="Recovery settlement",
        queryset=Settlement.objects.none(),
        required=False,
        empty_label="The whole network",
        error_messages={"invalid_choice": "Choose a settlement from the list"},
    )
    started_on = forms.DateField(
        label="Start date",
        help_text=DATE_HELP,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": "Enter the start date", "invalid": "Enter a real date, for example 31 3 2027"},
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partner organisations",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose organisations from the list",
            "invalid_pk_value": "Choose organisations from the list",
        },
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.filter(network=network, is_active=True)
        self.fields["partners"].queryset = Organisation.objects.filter(networks=network, is_active=True)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "partners"}


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Member",
        queryset=User.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose a member", "invalid_choice": "Choose a member from the list"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=TeamMember.Role.choices,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role from the list"},
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__network_id=initiative.network_id, memberships__status="active", is_active=True
        ).order_by("display_name", "pk")
        self.fields["user"].label_from_instance = lambda user: user.display_name


class MilestoneForm(forms.Form):
    title = forms.CharField(label="Milestone", max_length=TITLE_MAX, error_messages={"required": "Name the milestone"})
    due_on = forms.DateField(
        label="Due on",
        help_text=DATE_HELP,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": "Enter the date it is due", "invalid": "Enter a real date, for example 31 3 2027"},
    )


class MilestoneStatusForm(forms.Form):
    milestone = forms.ModelChoiceField(
        label="Milestone",
        queryset=Milestone.objects.none(),
        error_messages={"required": "Choose a milestone", "invalid_choice": "Choose a milestone from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Milestone.Status.choices,
        error_messages={"required": "Choose a status", "invalid_choice": "Choose a status from the list"},
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = initiative.milestones.all()


class ResultForm(forms.Form):
    title = forms.CharField(label="Result", max_length=TITLE_MAX, error_messages={"required": "Name the result"})
    weight = forms.IntegerField(
        label="Weight",
        help_text=f"How much it counts towards the result above it, from 1 to {MAX_WEIGHT}.",
        min_value=1,
        max_value=MAX_WEIGHT,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter a weight",
            "invalid": "Enter the weight as a whole number",
            "min_value": "Enter a weight of at least 1",
            "max_value": f"Enter a weight of {MAX_WEIGHT} or less",
        },
    )
    parent = forms.ModelChoiceField(
        label="Part of",
        queryset=Result.objects.none(),
        required=False,
        empty_label="Nothing: a main result",
        error_messages={"invalid_choice": "Choose a result from the list"},
    )

    measure = forms.ChoiceField(
        label="Measured as",
        choices=ResultMeasure.choices,
        initial=ResultMeasure.PERCENTAGE,
        required=False,  # left out: a percentage
        error_messages={"invalid_choice": "Choose a measure from the list"},
    )
    target_people = forms.IntegerField(
        label="Target: how many people (for a result measured in people)",
        required=False,
        min_value=1,
        max_value=MAX_PEOPLE_TARGET,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the target as a whole number",
            "min_value": "Enter a target of at least 1",
            "max_value": f"Enter a target of {MAX_PEOPLE_TARGET:,} or less",
        },
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = initiative.results.all()
        self.fields["parent"].label_from_instance = lambda result: result.title

    def clean(self):
        cleaned = super().clean()
        if "measure" in cleaned and not cleaned["measure"]:
            cleaned["measure"] = ResultMeasure.PERCENTAGE
        measure, target = cleaned.get("measure"), cleaned.get("target_people")
        if measure and measure != ResultMeasure.PERCENTAGE and not target and "target_people" not in self.errors:
            self.add_error("target_people", "Enter how many people the result aims for")
        if measure == ResultMeasure.PERCENTAGE and target:
            self.add_error("target_people", "Leave the target empty for a result reported as a percentage")
        return cleaned


class ProgressForm(forms.Form):
    result = forms.ModelChoiceField(
        label="Result",
        queryset=Result.objects.none(),
        error_messages={"required": "Choose a result", "invalid_choice": "Choose a result from the list"},
    )
    progress = forms.IntegerField(
        label="Progress (per cent)",
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the progress",
            "invalid": "Enter progress as a whole number from 0 to 100",
            "min_value": "Enter progress from 0 to 100",
            "max_value": "Enter progress from 0 to 100",
        },
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = initiative.results.filter(
            children__isnull=True, measure=ResultMeasure.PERCENTAGE
        )
        self.fields["result"].label_from_instance = lambda result: result.title


class PeopleForm(forms.Form):
    """How many people a result measured in people has reached so far."""

    result = forms.ModelChoiceField(
        label="Result",
        queryset=Result.objects.none(),
        error_messages={"required": "Choose a result", "invalid_choice": "Choose a result from the list"},
    )
    achieved = forms.IntegerField(
        label="How many people so far",
        min_value=0,
        max_value=MAX_PEOPLE_TARGET,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many people",
            "invalid": "Enter a whole number of people",
            "min_value": "Enter 0 or more people",
            "max_value": f"Enter {MAX_PEOPLE_TARGET:,} people or fewer",
        },
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = initiative.results.filter(children__isnull=True).exclude(
            measure=ResultMeasure.PERCENTAGE
        )
        self.fields["result"].label_from_instance = lambda result: f"{result.title} (target {result.target_people})"


class UpdateForm(forms.Form):
    text = forms.CharField(
        label="What has happened?",
        help_text="Shown on the initiative's public timeline.",
        max_length=UPDATE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the update", "max_length": _too_long(UPDATE_MAX)},
    )


class InitiativeFilterForm(forms.Form):
    network = forms.ChoiceField(
        label="Network",
        required=False,
        error_messages={"invalid_choice": "Choose a network from the list"},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("", "Initiatives and social enterprises"), *Initiative.Kind.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a kind from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [("", "All networks"), *active_network_choices()]


class ReportForm(moderation.ReportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, model=Report, **kwargs)


class ModerationForm(forms.Form):
    report = forms.ModelChoiceField(
        queryset=Report.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a report", "invalid_choice": "That report has been dealt with already"},
    )
    action = forms.ChoiceField(
        label="Decision",
        choices=[("hide", "Hide it pending review"), ("dismiss", "Leave it up: dismiss the report")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do", "invalid_choice": "Choose one of the options"},
    )
    reason = forms.CharField(
        label="Why it is hidden",
        help_text="Recorded, and shown to the coordinators reviewing it.",
        max_length=HIDE_REASON_MAX,
        required=False,
        error_messages={"max_length": _too_long(HIDE_REASON_MAX)},
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = reports

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "hide" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why it is hidden")
        return cleaned


class CoproductionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, meaning in COMPONENTS:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                help_text=meaning,
                choices=[(str(value), f"{value}: {text}") for value, text in LEVELS],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose a level for {label.lower()}",
                    "invalid_choice": f"Choose a level for {label.lower()} from 1 to 4",
                },
            )


_CHOOSE_TEAM = {
    "invalid_choice": "Choose people from the team",
    "invalid_pk_value": "Choose people from the team",
    "invalid_list": "Choose people from the team",
}


class DecisionForm(forms.Form):
    title = forms.CharField(
        label="Decision",
        max_length=TITLE_MAX,
        error_messages={"required": "Name the decision", "max_length": _too_long(TITLE_MAX)},
    )
    decided = forms.CharField(
        label="What was decided",
        max_length=DECISION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what was decided", "max_length": _too_long(DECISION_MAX)},
    )
    decided_on = forms.DateField(
        label="Decided on",
        help_text=DATE_HELP,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "required": "Enter the date of the decision",
            "invalid": "Enter a real date, for example 31 3 2027",
        },
    )
    step = forms.ChoiceField(
        label="How far was the community part of it?",
        help_text="Informing: told; consultation: asked; engagement: involved; co-design: designed it together; "
        "co-production: designed and delivered it together.",
        choices=Ladder.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a step on the ladder", "invalid_choice": "Choose a step from the list"},
    )
    participants = MemberChoiceField(
        label="Who took part",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who on the team took part", **_CHOOSE_TEAM},
    )
    lived_experience = MemberChoiceField(
        label="Of them, who has lived experience of recovery?",
        help_text="Only the share of decision-makers with lived experience is published, and only when at least "
        "five people took part in the initiative's decisions. Nobody sees this per person.",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_CHOOSE_TEAM,
    )
    you_said = forms.CharField(
        label="You said: what the community asked for (optional)",
        required=False,
        max_length=YOU_SAID_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _too_long(YOU_SAID_MAX)},
    )
    we_did = forms.CharField(
        label="We did: what was done about it (optional)",
        required=False,
        max_length=YOU_SAID_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _too_long(YOU_SAID_MAX)},
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        team = User.objects.filter(initiative_roles__initiative=initiative).order_by("display_name", "pk")
        for name in ("participants", "lived_experience"):
            self.fields[name].queryset = team
