"""Forms of the time bank's pages; their cleaned data goes to timebank.services."""

from django import forms

from .models import MAX_TRANSFER_MINUTES, Account


class ReceiverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, account):
        return account.user.display_name  # a display name (may be a pseudonym), never an email


class ExchangeForm(forms.Form):
    receiver = ReceiverChoiceField(
        label="Who did you give time to?",
        queryset=Account.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose who you gave time to", "invalid_choice": "Choose a member from the list"},
    )
    hours = forms.IntegerField(
        label="Hours",
        min_value=0,
        max_value=MAX_TRANSFER_MINUTES // 60,
        required=False,
        error_messages={
            "invalid": "Enter hours as a whole number, like 2",
            "min_value": "Hours cannot be less than 0",
            "max_value": f"One exchange can be at most {MAX_TRANSFER_MINUTES // 60} hours",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=0,
        max_value=59,
        required=False,
        error_messages={
            "invalid": "Enter minutes as a whole number, like 30",
            "min_value": "Minutes cannot be less than 0",
            "max_value": "Enter minutes from 0 to 59",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    description = forms.CharField(
        label="What was it for?",
        help_text="For example, a lift to a meeting or help with a CV. Both of you and the coordinators see this.",
        max_length=200,
        error_messages={
            "required": "Say what the time was for",
            "max_length": "Keep it to 200 characters or fewer",
        },
    )

    def __init__(self, *args, giver: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = (
            Account.objects.filter(network_id=giver.network_id, kind=Account.Kind.MEMBER, is_open=True)
            .exclude(pk=giver.pk)
            .select_related("user")
            .order_by("user__display_name", "pk")
        )

    def clean(self):
        cleaned = super().clean()
        total = (cleaned.get("hours") or 0) * 60 + (cleaned.get("minutes") or 0)
        if "hours" not in self.errors and "minutes" not in self.errors and total <= 0:
            self.add_error("hours", "Enter how long you gave, for example 1 hour 30 minutes")
        cleaned["total_minutes"] = total
        return cleaned


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with it?",
        help_text="For example, it was shorter, or it did not happen. The giver and the coordinators see this.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what is wrong with this exchange", "max_length": "Keep it to 300 characters"},
    )


class JoinForm(forms.Form):
    consent = forms.BooleanField(
        label="I agree",
        error_messages={"required": "To join, tick “I agree” to what joining shares"},
    )


class LeaveForm(forms.Form):
    """Nothing to fill in: the POST itself is the decision (with its CSRF token)."""
