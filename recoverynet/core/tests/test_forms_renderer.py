"""The form renderer's Python fast path writes exactly what Django's widget templates write."""

import os

from django import forms
from django.forms.renderers import TemplatesSetting
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.forms import GovukFormRenderer, render_input

EXAMPLES = int(os.environ.get("FORM_RENDERER_EXAMPLES", "150"))

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
attr_names = st.from_regex(r"\A[a-z][a-z0-9-]{0,10}\Z")
attr_values = st.one_of(text, st.booleans(), st.integers(-5, 10**6), st.builds(mark_safe, text))
attrs = st.dictionaries(attr_names.filter(lambda n: n not in {"type", "name", "value"}), attr_values, max_size=4)
values = st.one_of(st.none(), text, st.integers(), st.builds(mark_safe, text))
choice_values = st.one_of(text, st.integers())
flat_choices = st.lists(st.tuples(choice_values, text), max_size=5)
grouped_choices = st.lists(st.one_of(st.tuples(choice_values, text), st.tuples(text, flat_choices)), max_size=4)

INPUT_WIDGETS = [
    forms.TextInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.URLInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.TimeInput,
    forms.DateTimeInput,
    forms.CheckboxInput,
]


def both_ways(widget, name, value):
    return widget.render(name, value, renderer=GovukFormRenderer()), widget.render(
        name, value, renderer=TemplatesSetting()
    )


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(INPUT_WIDGETS), attrs, text, values)
def test_inputs_match_django_templates(widget_class, widget_attrs, name, value):
    fast, templated = both_ways(widget_class(attrs=widget_attrs), name, value)
    assert fast == templated


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([forms.Select, forms.SelectMultiple]), attrs, grouped_choices, text, values)
def test_selects_match_django_templates(widget_class, widget_attrs, choices, name, value):
    fast, templated = both_ways(widget_class(attrs=widget_attrs, choices=choices), name, value)
    assert fast == templated


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([forms.RadioSelect, forms.CheckboxSelectMultiple]), attrs, flat_choices, text, values)
def test_choice_options_match_django_input_template(widget_class, widget_attrs, choices, name, value):
    widget = widget_class(attrs=widget_attrs, choices=choices)
    for option in widget.subwidgets(name, value, attrs={"id": "id_x"}):
        templated = render_to_string("django/forms/widgets/input.html", {"widget": option})
        assert render_input(option) == templated.removesuffix("\n")


class EveryControl(forms.Form):
    name = forms.CharField(help_text="As you like to be known")
    email = forms.EmailField(required=False)
    count = forms.IntegerField(min_value=0)
    day = forms.ChoiceField(
        choices=[("", "Any day"), ("1", "Monday"), ("Weekend", [("6", "Saturday"), ("0", "Sunday")])]
    )
    days = forms.MultipleChoiceField(choices=[("1", "Monday"), ("2", "Tuesday")], required=False)
    mode = forms.ChoiceField(choices=[("a", "In person"), ("b", "Online")], widget=forms.RadioSelect)
    kinds = forms.MultipleChoiceField(choices=[("x", "<X>"), ("y", "Y & Z")], widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField()
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.SplitDateTimeField()
    notes = forms.CharField(widget=forms.Textarea, required=False)
    token = forms.CharField(widget=forms.HiddenInput)


def test_a_whole_form_renders_the_same_either_way():
    """Every kind of control, bound with errors and with values, fast path or templates only."""

    class TemplatesOnly(TemplatesSetting):
        form_template_name = GovukFormRenderer.form_template_name
        field_template_name = GovukFormRenderer.field_template_name

    data = {"name": "<b>Sam</b>", "count": "-1", "day": "6", "days": ["2"], "mode": "b", "kinds": ["x", "y"]}
    for form_data in (None, data):
        fast = EveryControl(form_data, renderer=GovukFormRenderer()).render()
        templated = EveryControl(form_data, renderer=TemplatesOnly()).render()
        assert "govuk-checkboxes__input" in fast and "<select" in fast
        assert fast == templated
