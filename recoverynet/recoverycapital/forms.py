"""Forms of recovery capital: starting and answering an assessment, reminders,
the recovery plan, and a coordinator's instrument upload."""

from django import forms

from recoverynet.federation.forms import DATE_HELP, DATE_INPUT_FORMATS

from .models import Goal, Instrument

REMINDER_CHOICES = [
    (1, "Every month"),
    (2, "Every 2 months"),
    (3, "Every 3 months"),
    (6, "Every 6 months"),
    (12, "Every year"),
]


class StartAssessmentForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label="Which questionnaire?",
        queryset=Instrument.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a questionnaire", "invalid_choice": "Choose one of the questionnaires"},
    )
    network = forms.ModelChoiceField(
        label="Which network are you taking it with?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a network", "invalid_choice": "Choose one of your networks"},
    )

    def __init__(self, *args, instruments, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments
        self.fields["instrument"].label_from_instance = lambda i: f"{i.short_name}: {i.name}"
        self.fields["network"].queryset = networks
        only = list(networks[:2])
        if len(only) == 1:
            self.fields["network"].initial = only[0].pk


class EnterWithMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        label="Which member are you sitting with?",
        help_text="Only members who have said yes to outcome measurement are listed.",
        queryset=None,
        error_messages={"required": "Choose the member", "invalid_choice": "Choose one of the members listed"},
    )
    instrument = forms.ModelChoiceField(
        label="Which questionnaire?",
        queryset=Instrument.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a questionnaire", "invalid_choice": "Choose one of the questionnaires"},
    )

    def __init__(self, *args, members, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda user: user.display_name
        self.fields["instrument"].queryset = instruments
        self.fields["instrument"].label_from_instance = lambda i: f"{i.short_name}: {i.name}"


class AnswersForm(forms.Form):
    """One radio question per item; any may be left for later."""

    def __init__(self, *args, instrument, items, initial_answers, **kwargs):
        super().__init__(*args, **kwargs)
        options = instrument.response_options
        for item in items:
            extra = item_scale_hint(instrument, item)
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=f"{item.number}. {item.text}",
                help_text=extra,
                choices=[(o["value"], o["label"]) for o in options],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                initial=initial_answers.get(item.number),
                error_messages={"invalid_choice": "Choose one of the answers offered"},
            )

    def answers(self) -> dict:
        return {
            int(name.removeprefix("item_")): value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


def item_scale_hint(instrument, item) -> str:
    for entry in instrument.definition["items"]:
        if entry["number"] == item.number and (entry.get("low_label") or entry.get("high_label")):
            low, high = instrument.option_values[0], instrument.option_values[-1]
            return f"{low} is {entry.get('low_label', '').lower()}, {high} is {entry.get('high_label', '').lower()}."
    return ""


class ReminderForm(forms.Form):
    enabled = forms.TypedChoiceField(
        label="Would you like an email when your next assessment is due?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no", "invalid_choice": "Select yes or no"},
    )
    interval_months = forms.TypedChoiceField(
        label="How often?",
        help_text="Counted from your last finished assessment.",
        choices=REMINDER_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often", "invalid_choice": "Choose one of the intervals"},
    )


class GoalForm(forms.ModelForm):
    review_on = forms.DateField(
        label="When will you review it? (optional)",
        help_text=DATE_HELP,
        input_formats=DATE_INPUT_FORMATS,
        required=False,
        error_messages={"invalid": "Enter a real date, for example 27 3 2027"},
    )

    class Meta:
        model = Goal
        fields = ["title", "domain", "review_on"]
        labels = {"title": "Your goal", "domain": "Which part of your life is it about?"}
        help_texts = {"title": "In your own words, for example: 'Get back in touch with my sister'."}
        widgets = {"domain": forms.RadioSelect}
        error_messages = {
            "title": {"required": "Enter your goal", "max_length": "Keep your goal under 150 characters"},
            "domain": {
                "required": "Choose which part of your life it is about",
                "invalid_choice": "Choose one of the options",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios need no "---------" choice: leaving them all unticked is the blank answer.
        self.fields["domain"].choices = Goal.Domain.choices


class StepForm(forms.Form):
    text = forms.CharField(
        label="Add a step",
        help_text="A small thing you will do towards this goal.",
        max_length=200,
        error_messages={"required": "Enter the step", "max_length": "Keep the step under 200 characters"},
    )


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label="Instrument file (JSON)",
        help_text="A questionnaire described as in docs/instrument-schema.json, at most 200 KB.",
        error_messages={"required": "Choose a JSON file to upload", "empty": "The file you chose is empty"},
    )
