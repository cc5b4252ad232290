"""Forms of the time bank's pages; their cleaned data goes to timebank.services."""

import uuid

from django import forms

from recoverynet.core import moderation

from .models import MAX_TRANSFER_MINUTES, Account


def duration_fields(prefix_label="", too_long=f"At most {MAX_TRANSFER_MINUTES // 60} hours"):
    """Hours and minutes of one amount of time, each optional (their total is checked by the form)."""
    hours = forms.IntegerField(
        label=f"{prefix_label}Hours",
        min_value=0,
        max_value=MAX_TRANSFER_MINUTES // 60,
        required=False,
        error_messages={
            "invalid": "Enter hours as a whole number, like 2",
            "min_value": "Hours cannot be less than 0",
            "max_value": too_long,
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
    return hours, minutes


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
    hours, minutes = duration_fields(too_long=f"One exchange can be at most {MAX_TRANSFER_MINUTES // 60} hours")
    description = forms.CharField(
        label="What was it for?",
        help_text="For example, a lift to a meeting or help with a CV. Both of you and the coordinators see this.",
        max_length=200,
        error_messages={
            "required": "Say what the time was for",
            "max_length": "Keep it to 200 characters or fewer",
        },
    )

    # Made when the form is shown: the same form sent twice records one exchange.
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, max_length=80, required=False, error_messages={"max_length": "Open the form again"}
    )

    def __init__(self, *args, giver: Account, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = (
            Account.objects.filter(network_id=giver.network_id, kind=Account.Kind.MEMBER, is_open=True)
            .exclude(pk=giver.pk)
            .select_related("user")
            .order_by("user__display_name", "pk")
        )
        self.fields["category"] = exchange_category_field()
        self.fields["category"].queryset = active_categories()

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


# --- Offers and requests ----------------------------------------------------------


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return f"{category.name} (vetted members only)" if category.requires_vetting else category.name


def active_categories():
    from .models import Category

    return Category.objects.filter(is_active=True).order_by("name")


def exchange_category_field(label="What kind of help was it? (optional)"):
    """An optional category for time given; services.check_category checks it again (active, vetting)."""
    return CategoryChoiceField(
        label=label,
        help_text="Reports count hours by category, including co-production with services.",
        queryset=Account.objects.none(),  # set to the active categories when the form is made
        required=False,
        empty_label="No category",
        error_messages={"invalid_choice": "Choose a category from the list"},
    )


class PostForm(forms.Form):
    kind = forms.ChoiceField(
        label="Are you offering help or asking for it?",
        choices=[("offer", "I can give this help"), ("request", "I need this help")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you offer or ask for help"},
    )
    category = CategoryChoiceField(
        label="Category",
        queryset=None,  # the active categories, set in __init__
        empty_label="Choose a category",
        error_messages={"required": "Choose a category", "invalid_choice": "Choose a category from the list"},
    )
    title = forms.CharField(
        label="Title",
        help_text="A few words, for example “Lifts to the Tuesday meeting in Carlisle”.",
        max_length=120,
        error_messages={"required": "Enter a title", "max_length": "Keep the title to 120 characters or fewer"},
    )
    description = forms.CharField(
        label="More about it (optional)",
        help_text="When and where, and anything people should know. Do not put your phone number or address here.",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Keep it to 2,000 characters or fewer"},
    )
    visibility = forms.ChoiceField(
        label="Who can see it?",
        choices=[
            ("network", "Members of my network only"),
            ("federation", "Members of every network in the federation"),
        ],
        initial="network",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can see it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = active_categories()


class ResponseForm(forms.Form):
    message = forms.CharField(
        label="Your message",
        help_text="Say when you could help, or what you need. The poster sees this and your display name.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a short message", "max_length": "Keep it to 500 characters or fewer"},
    )


class AgreeForm(forms.Form):
    """How long the agreed help will take: recorded as an exchange the receiver confirms afterwards."""

    hours = ExchangeForm.base_fields["hours"]
    minutes = ExchangeForm.base_fields["minutes"]
    description = forms.CharField(
        label="What is it for?",
        help_text="Both of you and the coordinators see this.",
        max_length=200,
        required=False,
        error_messages={"max_length": "Keep it to 200 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        total = (cleaned.get("hours") or 0) * 60 + (cleaned.get("minutes") or 0)
        if "hours" not in self.errors and "minutes" not in self.errors and total <= 0:
            self.add_error("hours", "Enter how long it will take, for example 1 hour 30 minutes")
        cleaned["total_minutes"] = total
        return cleaned


class ReportForm(moderation.ReportForm):
    """core.moderation's form for a time bank report; about a post, it asks whether the post or its poster."""

    def __init__(self, *args, about_post=False, **kwargs):
        from .models import Report

        super().__init__(*args, model=Report, **kwargs)
        if about_post:
            self.fields["about"] = forms.ChoiceField(
                label="What are you reporting?",
                choices=[("post", "This post"), ("member", "The member who posted it")],
                widget=forms.RadioSelect,
                initial="post",
                error_messages={"required": "Choose what you are reporting"},
            )
            self.order_fields(["about", "reason", "details"])


class CloseReportForm(moderation.CloseReportForm):
    def __init__(self, *args, **kwargs):
        from .models import Report

        super().__init__(*args, model=Report, **kwargs)


class JoinForm(forms.Form):
    consent = forms.BooleanField(
        label="I agree",
        error_messages={"required": "To join, tick “I agree” to what joining shares"},
    )


class LeaveForm(forms.Form):
    """Nothing to fill in: the POST itself is the decision (with its CSRF token)."""


# --- Coordinators' forms (manage pages) ----------------------------------------------


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, account):
        return account.user.display_name


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, account):
        return account.user.display_name


class HolderAccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, account):
        holder = account.organisation or account.settlement
        return f"{holder.name} ({account.get_kind_display().lower()})"


def member_accounts(network):
    return (
        Account.objects.filter(network=network, kind=Account.Kind.MEMBER, is_open=True)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class IdempotentForm(forms.Form):
    """A hidden key made when the form is shown: the same form sent twice is applied once."""

    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=80,
        error_messages={"required": "This form has expired: open it again", "max_length": "Open the form again"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", new_idempotency_key())
        super().__init__(*args, **kwargs)


def _total_minutes(form, cleaned, message):
    total = (cleaned.get("hours") or 0) * 60 + (cleaned.get("minutes") or 0)
    if "hours" not in form.errors and "minutes" not in form.errors and total <= 0:
        form.add_error("hours", message)
    cleaned["total_minutes"] = total
    return cleaned


class OfflineExchangeForm(IdempotentForm):
    """A coordinator records, and confirms at once, an exchange between two members without internet access."""

    giver = MemberChoiceField(
        label="Who gave the time?",
        queryset=Account.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose who gave the time", "invalid_choice": "Choose a member from the list"},
    )
    receiver = MemberChoiceField(
        label="Who received it?",
        queryset=Account.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose who received the time", "invalid_choice": "Choose a member from the list"},
    )
    hours, minutes = duration_fields()
    description = forms.CharField(
        label="What was it for?",
        max_length=200,
        error_messages={"required": "Say what the time was for", "max_length": "Keep it to 200 characters or fewer"},
    )
    note = forms.CharField(
        label="How do you know?",
        help_text="For example, both told you at the drop-in. Coordinators see this note.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say how you know about this exchange", "max_length": "Keep it to 300 characters"},
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = member_accounts(network)
        self.fields["receiver"].queryset = member_accounts(network)
        self.fields["category"] = exchange_category_field()
        self.fields["category"].queryset = active_categories()
        self.order_fields(["giver", "receiver", "hours", "minutes", "description", "category", "note"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("giver") is not None and cleaned.get("giver") == cleaned.get("receiver"):
            self.add_error("receiver", "Choose someone else: an exchange is between two people")
        return _total_minutes(self, cleaned, "Enter how long, for example 1 hour 30 minutes")


class GroupActivityForm(IdempotentForm):
    """One activity, one payer, the same time credited to each member who took part."""

    payer = HolderAccountChoiceField(
        label="Who credits the time?",
        help_text="An organisation's or a settlement's time bank account.",
        queryset=Account.objects.none(),
        empty_label="Choose an account",
        error_messages={"required": "Choose who credits the time", "invalid_choice": "Choose an account from the list"},
    )
    description = forms.CharField(
        label="What was the activity?",
        help_text="For example, community clean-up at the park.",
        max_length=200,
        error_messages={"required": "Say what the activity was", "max_length": "Keep it to 200 characters or fewer"},
    )
    hours, minutes = duration_fields("Time for each person: ")
    members = MembersField(
        label="Who took part?",
        queryset=Account.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one member who took part",
            "invalid_choice": "Choose members from the list",
            "invalid_pk_value": "Choose members from the list",
            "invalid_list": "Choose members from the list",
        },
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = (
            Account.objects.filter(
                network=network, kind__in=(Account.Kind.ORGANISATION, Account.Kind.SETTLEMENT), is_open=True
            )
            .select_related("organisation", "settlement")
            .order_by("kind", "pk")
        )
        self.fields["members"].queryset = member_accounts(network)
        self.fields["category"] = exchange_category_field("What kind of activity was it? (optional)")
        self.fields["category"].queryset = active_categories()
        self.order_fields(["payer", "description", "category", "hours", "minutes", "members"])

    def clean(self):
        return _total_minutes(self, super().clean(), "Enter how long each person gave, for example 2 hours")


class HolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OpenHolderAccountForm(forms.Form):
    holder = forms.ChoiceField(
        label="Whose account?",
        error_messages={"required": "Choose an organisation or a settlement", "invalid_choice": "Choose from the list"},
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = network.organisations.filter(is_active=True).order_by("name")
        settlements = network.settlements.filter(is_active=True).order_by("name")
        self.holders = {f"organisation-{o.pk}": ("organisation", o) for o in organisations}
        self.holders |= {f"settlement-{s.pk}": ("settlement", s) for s in settlements}
        self.fields["holder"].choices = [("", "Choose one")] + [
            (key, f"{obj.name} ({'organisation' if kind == 'organisation' else 'settlement'})")
            for key, (kind, obj) in self.holders.items()
        ]

    def clean_holder(self):
        kind, obj = self.holders[self.cleaned_data["holder"]]
        return {kind: obj}
