"""GOV.UK Frontend markup for Django forms, through Django's form renderer.

Django renders every widget, and every option of a select or a list of
checkboxes, through its own small templates (input.html, attrs.html,
select_option.html): a finder page with thirty options runs some three hundred
template renders for them. The renderer below writes exactly the same markup
in Python for those leaf templates (tests/test_forms_renderer.py checks it
against Django's templates over arbitrary widgets, values and attributes) and
hands everything else to the templates as usual."""

import html

from django.forms.renderers import TemplatesSetting
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, SafeString, mark_safe

# Dates as people type them here: 27 3 2026, 27/3/2026, 27-3-2026, or 2026-03-27.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y", "%d-%m-%Y"]

WIDGETS = "django/forms/widgets/"
# Django's widget templates that are nothing but {% include "…/input.html" %}.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "password",
        "url",
        "search",
        "tel",
        "date",
        "datetime",
        "time",
        "color",
        "hidden",
        "checkbox",
    )
)
SELECT_TEMPLATE = f"{WIDGETS}select.html"
SELECT_OPTION_TEMPLATE = f"{WIDGETS}select_option.html"

_OUTPUT = Context(autoescape=True)  # how {{ value }} renders: localised, escaped


def _escape(text) -> str:
    """conditional_escape, without its lazy-string wrapper (called thousands of times a page)."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _output(value) -> str:
    """{{ value }}: strings are only escaped; numbers and dates localised first."""
    if isinstance(value, str):
        return _escape(value)
    return render_value_in_context(value, _OUTPUT)


def _string_format(value) -> str:
    """{{ value|stringformat:'s' }}: %-formatted, escaped unless already safe."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        formatted = "%s" % value  # noqa: UP031 - exactly what the filter does
    except (ValueError, TypeError):
        formatted = ""
    if isinstance(value, SafeData):
        formatted = mark_safe(formatted)  # noqa: S308 - the filter keeps safe input safe
    return _escape(formatted)


def render_attrs(attrs) -> str:
    """django/forms/widgets/attrs.html"""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_output(name)}" if value is True else f' {_output(name)}="{_string_format(value)}"')
    return "".join(parts)


def render_input(widget) -> SafeString:
    """django/forms/widgets/input.html, for a widget's template context (or a
    checkbox or radio option), without the file's final newline (the renderer
    strips it from a widget)."""
    value = "" if widget["value"] == None else f' value="{_string_format(widget["value"])}"'  # noqa: E711 - the template's != None
    return mark_safe(  # noqa: S308 - every part is escaped above
        f'<input type="{_output(widget["type"])}" name="{_output(widget["name"])}"'
        f"{value}{render_attrs(widget['attrs'])}>"
    )


CHOICE_ITEM = {
    "radios": ("govuk-radios__item", "govuk-label govuk-radios__label"),
    "checkboxes": ("govuk-checkboxes__item", "govuk-label govuk-checkboxes__label"),
}


def render_choice_items(options, kind) -> SafeString:
    """The items of a GOV.UK radios or checkboxes group: each option's input and its label."""
    item_class, label_class = CHOICE_ITEM[kind]
    return mark_safe(  # noqa: S308 - every part is escaped
        "".join(
            f'\n<div class="{item_class}">\n  {render_input(option)}\n  '
            f'<label class="{label_class}" for="{_output(option["attrs"].get("id", ""))}">'
            f"{_output(option['label'])}</label>\n</div>"
            for option in options
        )
    )


def _render_option(option) -> str:
    value, attrs = _string_format(option["value"]), render_attrs(option["attrs"])
    return f'<option value="{value}"{attrs}>{_output(option["label"])}</option>'


def render_select(widget) -> SafeString | None:
    """django/forms/widgets/select.html, or None for options with templates of their own."""
    parts = [f'<select name="{_output(widget["name"])}"{render_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_output(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION_TEMPLATE:
                return None
            parts.append(f"\n  {_render_option(option)}\n")  # select_option.html ends in a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        if template_name == SELECT_TEMPLATE:
            rendered = render_select(context["widget"])
            if rendered is not None:
                return rendered
        return super().render(template_name, context, request=request)
