import datetime
import unicodedata

from django import forms
from django.utils import timezone

from .consent import current_wording
from .models import ConsentPurpose, SelfDescription, User

DISPLAY_NAME_HELP = (
    "This is the name other people see. It does not have to be your real name: "
    "a first name, initials or a pseudonym are all fine."
)
DISPLAY_NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length
# Control characters and bidirectional overrides let one name pass for another.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_display_name_value(value) -> str:
    value = (value or "").strip()
    if not value:
        raise forms.ValidationError("Enter a display name", code="required")
    if any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in value):
        raise forms.ValidationError("Display name must only use letters, numbers, spaces and punctuation")
    if len(value) > DISPLAY_NAME_MAX_LENGTH:
        raise forms.ValidationError(
            f"Display name must be {DISPLAY_NAME_MAX_LENGTH} characters or fewer", code="max_length"
        )
    return value


SIGNUP_ERROR_MESSAGES = {
    "email": {
        "required": "Enter your email address",
        "invalid": "Enter an email address in the correct format, like name@example.org",
    },
    "password1": {"required": "Enter a password"},
    "password2": {"required": "Enter the same password again, to check it"},
}


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label="Display name",
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=DISPLAY_NAME_HELP,
        error_messages={
            "required": "Enter a display name",
            "max_length": f"Display name must be {DISPLAY_NAME_MAX_LENGTH} characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )

    def full_clean(self):
        # allauth's own fields (its SignupForm subclasses this one and adds the
        # passwords after our __init__): messages that name the field and the fix.
        for name, messages in SIGNUP_ERROR_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages.update(messages)
        super().full_clean()

    def clean_display_name(self):
        return clean_display_name_value(self.cleaned_data["display_name"])

    def signup(self, request, user):
        """allauth calls this after creating the user; the adapter already set the name."""


class ProfileForm(forms.ModelForm):
    self_descriptions = forms.MultipleChoiceField(
        label="Which of these describe you? (optional)",
        help_text="Select all that apply. This is kept encrypted and only you can see it.",
        choices=SelfDescription.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        help_text="For example, 27 3 1980 or 1980-03-27. Kept encrypted.",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y", "%d-%m-%Y"],
        error_messages={"invalid": "Enter your date of birth as a real date, for example 27 3 1980"},
    )

    class Meta:
        model = User
        fields = ["display_name", "legal_name", "phone", "date_of_birth", "self_descriptions"]
        labels = {"legal_name": "Legal name (optional)", "phone": "Phone number (optional)"}
        help_texts = {
            "display_name": DISPLAY_NAME_HELP,
            "legal_name": "Only needed for things like training certificates. Kept encrypted.",
            "phone": "Kept encrypted. Coordinators only see it if you agree to be contacted.",
        }
        error_messages = {
            "display_name": {
                "required": "Enter a display name",
                "max_length": f"Display name must be {DISPLAY_NAME_MAX_LENGTH} characters or fewer",
            },
            "legal_name": {"max_length": "Legal name must be 150 characters or fewer"},
            "phone": {"max_length": "Phone number must be 30 characters or fewer"},
        }
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
            "legal_name": forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The encrypted fields read back as None when empty.
        if self.instance is not None and not self.is_bound:
            self.initial["self_descriptions"] = list(self.instance.self_descriptions or [])
        self.fields["date_of_birth"].widget.attrs.update({"autocomplete": "bday", "class": "govuk-input--width-10"})

    def clean_display_name(self):
        return clean_display_name_value(self.cleaned_data.get("display_name"))

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if value and not all(ch.isdigit() or ch in " +()-" for ch in value):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or +44 7700 900 982")
        return value or None

    def clean_legal_name(self):
        return (self.cleaned_data.get("legal_name") or "").strip() or None

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value is None:
            return None
        if value > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        if value < datetime.date(1900, 1, 1):
            raise forms.ValidationError("Date of birth must be after 1 1 1900")
        return value

    def _post_clean(self):
        # Validation of the model happens in services.update_profile, on the
        # real user object; the form must not change the instance it was given.
        pass


YES, NO = "yes", "no"


class ConsentForm(forms.Form):
    """One yes/no question per purpose, with the current wording."""

    def __init__(self, *args, in_force=None, **kwargs):
        super().__init__(*args, **kwargs)
        in_force = in_force or {}
        self.changed_wording = []
        for purpose in ConsentPurpose:
            wording = current_wording(purpose)
            record = in_force.get(purpose.value)
            initial = None
            hint = f"{wording.text} (Wording version {wording.version}.)"
            if record is not None:
                if record.wording_version == wording.version:
                    initial = YES if record.granted else NO
                else:
                    # Never carry a "yes" over to words the person has not seen.
                    self.changed_wording.append(purpose)
                    hint += " This wording has changed since you last answered: please answer again."
            self.fields[purpose.value] = forms.ChoiceField(
                label=purpose.label,
                help_text=hint,
                choices=[(YES, "Yes, I agree"), (NO, "No")],
                widget=forms.RadioSelect,
                initial=initial,
                error_messages={"required": f"Select yes or no for {purpose.label.lower()}"},
            )

    def decisions(self) -> dict:
        return {name: value == YES for name, value in self.cleaned_data.items()}


class JoinNetworkForm(forms.Form):
    settlement = forms.ModelChoiceField(
        label="Which recovery settlement would you like to be part of? (optional)",
        help_text="You can join the network without choosing a settlement.",
        queryset=None,
        required=False,
        blank=True,
        initial="",
        empty_label="No particular settlement",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of this network's settlements"},
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["settlement"].queryset = network.settlements.filter(is_active=True).order_by("name")
        if not self.fields["settlement"].queryset.exists():
            del self.fields["settlement"]


class ExportForm(forms.Form):
    """No fields: the POST (with its CSRF token) asks for the download."""


class EraseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that erasing my account cannot be undone",
        error_messages={"required": "Tick the box to confirm you understand erasing your account cannot be undone"},
    )
    password = forms.CharField(
        label="Your password",
        help_text="Enter your password to confirm it is you.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not right")
        return password
