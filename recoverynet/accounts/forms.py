from django import forms

from .models import SelfDescription, User

DISPLAY_NAME_HELP = (
    "This is the name other people see. It does not have to be your real name: "
    "a first name, initials or a pseudonym are all fine."
)


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(label="Display name", max_length=60, help_text=DISPLAY_NAME_HELP)

    def clean_display_name(self):
        value = self.cleaned_data["display_name"].strip()
        if not value:
            raise forms.ValidationError("Enter a display name")
        return value

    def signup(self, request, user):
        """allauth calls this after creating the user; the adapter already set the name."""


class ProfileForm(forms.ModelForm):
    self_descriptions = forms.MultipleChoiceField(
        label="Which of these describe you?",
        help_text="Select all that apply. This is kept encrypted and only you can see it.",
        choices=SelfDescription.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        help_text="Optional. For example, 27 3 1980 or 1980-03-27.",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
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
