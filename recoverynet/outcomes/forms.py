from django import forms
from django.utils import timezone

from .framework import Quarter, quarters_ending
from .models import SavingsAssumptions

QUARTER_CHOICES = 12


def quarter_choices(today=None):
    current = Quarter.containing(timezone.localdate() if today is None else today)
    return [(q.code, q.label) for q in reversed(quarters_ending(current, QUARTER_CHOICES))]


class DashboardFilterForm(forms.Form):
    """The dashboard's GET form: the last quarter shown and how many quarters of trend."""

    quarter = forms.ChoiceField(label="Up to the quarter", required=False)
    quarters = forms.TypedChoiceField(
        label="Quarters of trend",
        choices=[(4, "4 quarters"), (6, "6 quarters"), (8, "8 quarters")],
        coerce=int,
        required=False,
        empty_value=4,
    )

    def __init__(self, *args, settlements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices()
        self.fields["quarter"].error_messages["invalid_choice"] = "Choose one of the last 12 quarters."
        if settlements is not None:
            self.settlements = {settlement.slug: settlement for settlement in settlements}
            self.fields["settlement"] = forms.ChoiceField(
                label="Settlement",
                required=False,
                choices=[("", "The whole network"), *((s.slug, s.name) for s in settlements)],
                help_text="Figures that can be counted by settlement are shown for it too.",
                error_messages={"invalid_choice": "Choose one of the network's settlements."},
            )
        self.fields["quarters"].error_messages["invalid_choice"] = "Choose 4, 6 or 8 quarters."

    def selection(self) -> tuple[Quarter, int]:
        """The quarter and count chosen, or the defaults (this quarter, 4) for anything invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        code = data.get("quarter") or quarter_choices()[0][0]
        return Quarter.parse(code), data.get("quarters") or 4

    def chosen_settlement(self):
        if "settlement" not in self.fields or not (self.is_bound and self.is_valid()):
            return None
        return self.settlements.get(self.cleaned_data.get("settlement") or "")


class ReportForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter", required=False)
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("pdf", "PDF")], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices()

    def clean_quarter(self):
        code = self.cleaned_data.get("quarter")
        return Quarter.parse(code) if code else Quarter.containing(timezone.localdate()).previous()

    def clean_format(self):
        return self.cleaned_data.get("format") or "csv"


class SavingsAssumptionsForm(forms.ModelForm):
    class Meta:
        model = SavingsAssumptions
        fields = ["people_sustaining_recovery", "cost_per_episode", "return_per_pound", "basis"]
