"""Forms for the coordinators' and hosts' pages (/manage/).

Each form's `cleaned_data` is handed to a function in services.py as `data`:
the forms only collect and validate input, the services decide and write.
Choice querysets are limited to what the user may manage, so choosing another
network's settlement is a form error, never a 500.

Edit forms run the model's own validation on their `instance`, which Django
changes in memory while validating: give them a copy of the object, never the
object that is then passed to the service (see manage_views).
"""

from django import forms
from django.db import models
from django.db.models import Q

from recoverynet.core.forms import DATE_INPUT_FORMATS

from . import scoping
from .models import Membership, Network, Organisation, Partnership, Sector, Settlement

DATE_HELP = "For example, 27 3 2026 or 2026-03-27."
COORDINATE_HELP = "Optional. Decimal degrees, for the map. For example, 54.89 and -2.93 for Carlisle."


def formfield(model_field, **kwargs):
    """Model fields' form fields, with web addresses assumed to be https."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


def manageable_networks(user):
    """Networks the user coordinates: every network for federation coordinators."""
    if scoping.is_federation_coordinator(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=scoping.coordinated_network_ids(user))


def _networks_with(user, current_ids):
    """The user's manageable networks plus the ones already chosen."""
    if scoping.is_federation_coordinator(user):
        return Network.objects.all()
    return Network.objects.filter(Q(pk__in=scoping.coordinated_network_ids(user)) | Q(pk__in=list(current_ids)))


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        formfield_callback = formfield
        fields = [
            "name",
            "summary",
            "description",
            "contact_email",
            "website",
            "latitude",
            "longitude",
            "requires_approval",
            "is_active",
        ]
        labels = {
            "name": "Network name",
            "summary": "Summary",
            "contact_email": "Contact email address (optional)",
            "website": "Website (optional)",
            "latitude": "Latitude (optional)",
            "longitude": "Longitude (optional)",
            "requires_approval": "New members need a coordinator's approval",
            "is_active": "The network is active and taking new members",
        }
        help_texts = {
            "summary": "One sentence, shown in lists.",
            "description": "What the network does and who it is for.",
            "contact_email": "A shared address for the network, not a person's own address.",
            "latitude": COORDINATE_HELP,
            "longitude": COORDINATE_HELP,
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "name": {"required": "Enter the network's name", "unique": "There is already a network with this name"},
        }


class SettlementForm(forms.ModelForm):
    class Meta:
        model = Settlement
        fields = [
            "name",
            "summary",
            "activities",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "latitude",
            "longitude",
            "opening_times",
            "accessibility",
            "contact_email",
            "phone",
            "is_active",
        ]
        labels = {
            "name": "Settlement name",
            "address_line_1": "Address line 1 (optional)",
            "address_line_2": "Address line 2 (optional)",
            "town": "Town or city",
            "postcode": "Postcode (optional)",
            "latitude": "Latitude (optional)",
            "longitude": "Longitude (optional)",
            "opening_times": "Opening times (optional)",
            "accessibility": "Accessibility (optional)",
            "contact_email": "Contact email address (optional)",
            "phone": "Phone number (optional)",
            "is_active": "The settlement is open",
        }
        help_texts = {
            "summary": "One sentence, shown in lists.",
            "latitude": COORDINATE_HELP,
            "longitude": COORDINATE_HELP,
            "contact_email": "A shared address for the hub, not a person's own address.",
        }
        error_messages = {
            "name": {"required": "Enter the settlement's name"},
            "town": {"required": "Enter the town or city"},
        }
        widgets = {
            "activities": forms.Textarea(attrs={"rows": 4}),
            "opening_times": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }


class OrganisationForm(forms.ModelForm):
    """`networks` offers the networks the user may add organisations to, plus
    the organisation's current ones; only those may be added or removed."""

    class Meta:
        model = Organisation
        formfield_callback = formfield
        fields = ["name", "sector", "networks", "description", "town", "website", "email", "phone", "is_active"]
        labels = {
            "name": "Organisation name",
            "networks": "Networks",
            "town": "Town or city (optional)",
            "website": "Website (optional)",
            "email": "Email address (optional)",
            "phone": "Phone number (optional)",
            "is_active": "The organisation is active",
        }
        help_texts = {
            "networks": "The recovery networks the organisation works with.",
            "email": "The organisation's general address, not a person's own address.",
        }
        error_messages = {
            "name": {"required": "Enter the organisation's name"},
            "sector": {"required": "Choose the sector the organisation works in"},
        }
        widgets = {
            "networks": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "sector": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current_ids = set(self.instance.networks.values_list("pk", flat=True)) if self.instance.pk else set()
        self.current_network_ids = current_ids
        self.allowed_network_ids = set(manageable_networks(user).values_list("pk", flat=True))
        self.fields["sector"].choices = Sector.choices  # radios: no "---------" option
        field = self.fields["networks"]
        field.queryset = _networks_with(user, current_ids).order_by("name")
        field.required = True
        field.error_messages["required"] = "Choose at least one network."
        if self.instance.pk and not self.allowed_network_ids:
            # People who work for the organisation may edit it, but which
            # networks it belongs to is for those networks' coordinators.
            field.disabled = True
            field.help_text = "Only a network's coordinators can add or remove the organisation."

    def clean_networks(self):
        networks = self.cleaned_data["networks"]
        if self.fields["networks"].disabled:
            return networks
        changed = {n.pk for n in networks} ^ self.current_network_ids
        if changed - self.allowed_network_ids:
            raise forms.ValidationError("You can only add or remove networks you coordinate.")
        return networks


class PartnershipForm(forms.ModelForm):
    start_date = forms.DateField(
        label="Start date",
        help_text=DATE_HELP,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": "Enter the start date", "invalid": "Enter a real date, for example 27 3 2026"},
    )
    end_date = forms.DateField(
        label="End date (optional)",
        help_text=DATE_HELP,
        input_formats=DATE_INPUT_FORMATS,
        required=False,
        error_messages={"invalid": "Enter a real date, for example 27 3 2026"},
    )

    class Meta:
        model = Partnership
        fields = ["name", "purpose", "lead_network", "networks", "organisations", "start_date", "end_date", "status"]
        labels = {
            "name": "Partnership name",
            "lead_network": "Lead network",
            "networks": "Networks taking part (optional)",
            "organisations": "Organisations taking part (optional)",
        }
        help_texts = {
            "purpose": "What the partners are working together to do.",
            "lead_network": "The network that looks after the partnership. It always takes part.",
        }
        error_messages = {
            "name": {"required": "Enter the partnership's name"},
            "purpose": {"required": "Describe what the partners are working together to do"},
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "networks": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        current_lead = [self.instance.lead_network_id] if self.instance.lead_network_id else []
        self.fields["lead_network"].queryset = _networks_with(user, current_lead).order_by("name")
        self.fields["lead_network"].empty_label = None
        self.fields["networks"].queryset = Network.objects.order_by("name")
        current_orgs = list(self.instance.organisations.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["organisations"].queryset = Organisation.objects.filter(
            Q(is_active=True) | Q(pk__in=current_orgs)
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_network")
        networks = cleaned.get("networks")
        if lead is not None and networks is not None:
            cleaned["networks"] = sorted({*networks, lead}, key=lambda n: n.name)
        return cleaned


class MembershipForm(forms.ModelForm):
    """A coordinator changes a person's role, settlement or organisation."""

    class Meta:
        model = Membership
        fields = ["role", "settlement", "organisation"]
        labels = {"settlement": "Settlement (optional)", "organisation": "Organisation (optional)"}
        help_texts = {
            "role": "Network coordinators must set up two-factor authentication before they can use their role.",
            "settlement": "Needed for settlement hosts.",
            "organisation": "Needed for professionals: the organisation they work for.",
        }
        widgets = {"role": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        network_id = self.instance.network_id
        self.fields["settlement"].queryset = Settlement.objects.filter(network_id=network_id).order_by("name")
        self.fields["settlement"].empty_label = "No settlement"
        self.fields["organisation"].queryset = Organisation.objects.filter(networks=network_id).order_by("name")
        self.fields["organisation"].empty_label = "No organisation"


class MembershipDecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[(APPROVE, "Approve: they join the network"), (DECLINE, "Decline the request")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or decline the request."},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed when you decline. The person will see it, so be kind and clear.",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not cleaned.get("reason"):
            self.add_error("reason", "Give a reason so the person knows why.")
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class CommissionerAccessForm(forms.Form):
    """The federation coordinator gives someone from a commissioning body read access to
    aggregated outcomes. They must have an account first (they sign in with it)."""

    email = forms.EmailField(
        label="Their email address",
        help_text="The address they created their RecoveryNet account with.",
        max_length=254,
        error_messages={
            "required": "Enter the email address of their account",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    body = forms.CharField(
        label="Commissioning body",
        help_text="For example, Cumbria County Council public health team.",
        max_length=150,
        error_messages={"required": "Enter the commissioning body they work for"},
    )
    network = forms.ModelChoiceField(
        label="Outcomes they may read",
        queryset=Network.objects.none(),
        required=False,
        empty_label="The whole federation (every network)",
        error_messages={"invalid_choice": "Choose a network from the list"},
    )
    ends_on = forms.DateField(
        label="Last day of access (optional)",
        help_text=DATE_HELP,
        input_formats=DATE_INPUT_FORMATS,
        required=False,
        error_messages={"invalid": "Enter a real date, for example 27 3 2026"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.active().order_by("name")

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Enter the commissioning body they work for")
        return body

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                "There is no account with that email address. Ask them to create one first, then try again."
            )
        self.user = user
        return email

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"user": self.user, "network": data["network"], "body": data["body"], "ends_on": data["ends_on"]}
