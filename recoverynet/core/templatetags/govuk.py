"""Template helpers for GOV.UK Frontend markup: form fields, error summaries,
pagination, page titles and the styling of django-allauth's elements."""

import re
from dataclasses import dataclass, field

from django import forms, template
from django.http import QueryDict
from django.utils.safestring import SafeString

from recoverynet.core.forms import render_choice_items
from recoverynet.core.text import sentence

register = template.Library()

SITE_NAME = "RecoveryNet"


# --- Page titles -------------------------------------------------------------


@register.filter
def full_page_title(value):
    """'Networks' -> 'Networks – RecoveryNet'; whitespace collapsed; empty -> 'RecoveryNet'."""
    title = " ".join(str(value).split())
    return f"{title} – {SITE_NAME}" if title else SITE_NAME


# Words that keep their capitals in sentence case: acronyms and names.
_SENTENCE_CASE_WORD = re.compile(r"^[A-Z][a-z]+(?:-[A-Za-z][a-z]*)*[?.!:,]?$")


@register.filter(is_safe=True)
def sentence_case(value):
    """'Change Email Address' -> 'Change email address', as GOV.UK style asks.

    For django-allauth's Title Case headings and buttons. Leaves the first
    word, 'I', acronyms and mixed-case names (RecoveryNet) alone, and leaves
    any text containing markup untouched."""
    text = str(value)
    if "<" in text:
        return value
    words = text.strip().split()
    out = []
    for index, word in enumerate(words):
        if index == 0:
            head, *rest = word.split("-")
            out.append("-".join([head, *(part.lower() if part.istitle() else part for part in rest)]))
        elif word != "I" and _SENTENCE_CASE_WORD.match(word):
            out.append(word.lower())
        else:
            out.append(word)
    result = " ".join(out)
    return SafeString(result) if isinstance(value, SafeString) else result


# --- Pagination --------------------------------------------------------------


@register.simple_tag(takes_context=True)
def page_url(context, number, query_string=""):
    """A link to page `number`, keeping every other query-string parameter:
    those of `query_string` if given, else those of the current request."""
    if query_string:
        params = QueryDict(query_string, mutable=True)
    else:
        request = context.get("request")
        params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params["page"] = str(number)
    return "?" + params.urlencode()


@register.filter
def elided_page_range(page, on_each_side=1):
    """Page numbers to show, with Paginator.ELLIPSIS for the gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=int(on_each_side), on_ends=1)


# --- Forms -------------------------------------------------------------------


@dataclass
class GovukField:
    """How to render one bound field as a GOV.UK form group."""

    field: forms.BoundField
    kind: str
    template: str
    widget_attrs: dict = field(default_factory=dict)

    @property
    def widget_html(self):
        return self.field.as_widget(attrs=self.widget_attrs)

    @property
    def options(self):
        """Radio and checkbox items: dicts for django/forms/widgets/input.html."""
        bound = self.field
        widget = bound.field.widget
        id_ = widget.attrs.get("id") or bound.auto_id
        attrs = bound.build_widget_attrs({"id": id_} if id_ else {})
        attrs["class"] = self.widget_attrs["class"]
        return list(widget.subwidgets(bound.html_name, bound.value(), attrs=attrs))

    @property
    def hint_id(self):
        return f"{self.field.auto_id}_helptext" if self.field.auto_id else ""

    @property
    def error_id(self):
        return f"{self.field.auto_id}_error" if self.field.auto_id else ""


# Most specific first: CheckboxSelectMultiple is a RadioSelect, SelectMultiple a Select.
_KINDS = (
    (forms.HiddenInput, "hidden", None),
    (forms.MultipleHiddenInput, "hidden", None),
    (forms.CheckboxSelectMultiple, "checkboxes", "govuk-checkboxes__input"),
    (forms.RadioSelect, "radios", "govuk-radios__input"),
    (forms.CheckboxInput, "checkbox", "govuk-checkboxes__input"),
    (forms.Textarea, "control", "govuk-textarea"),
    (forms.Select, "control", "govuk-select"),
    (forms.FileInput, "control", "govuk-file-upload"),
    (forms.MultiWidget, "fieldset", "govuk-input govuk-input--width-10"),
    (forms.widgets.Input, "control", "govuk-input"),
)
_TEMPLATES = {
    "hidden": "govuk/forms/widgets/hidden.html",
    "control": "govuk/forms/widgets/control.html",
    "radios": "govuk/forms/widgets/choices.html",
    "checkboxes": "govuk/forms/widgets/choices.html",
    "checkbox": "govuk/forms/widgets/checkbox.html",
    "fieldset": "govuk/forms/widgets/fieldset.html",
}
_NARROW_INPUTS = {"number": "govuk-input--width-10", "date": "govuk-input--width-10", "time": "govuk-input--width-5"}


def _classes(*names):
    return " ".join(name for name in names if name)


@register.simple_tag
def govuk_choice_items(govuk):
    """{% govuk_choice_items govuk %}: every radio or checkbox of a group, in
    Python (a list of seventy types would be hundreds of template renders)."""
    return render_choice_items(govuk.options, govuk.kind)


@register.simple_tag
def govuk_field(bound_field):
    """{% govuk_field field as g %}: the kind of GOV.UK control, its template
    and the attributes (classes, error state) for the widget. Django adds
    aria-describedby (hint and error ids), aria-invalid, required and
    autocomplete itself."""
    widget = bound_field.field.widget
    kind, css = "control", None
    for widget_class, widget_kind, widget_css in _KINDS:
        if isinstance(widget, widget_class):
            kind, css = widget_kind, widget_css
            break
    attrs = {}
    if css:
        error_css = ""
        if bound_field.errors and kind == "control":
            error_css = css.split()[0] + "--error"
        elif bound_field.errors and kind == "fieldset":
            error_css = "govuk-input--error"
        width_css = ""
        if css == "govuk-input":
            width_css = _NARROW_INPUTS.get(getattr(widget, "input_type", ""), "")
            if widget.attrs.get("autocomplete") == "one-time-code":  # two-factor and recovery codes
                width_css = "govuk-input--width-10"
        attrs["class"] = _classes(css, width_css, error_css, widget.attrs.get("class"))
    if getattr(widget, "input_type", "") in ("email", "password") or widget.attrs.get("autocomplete") in (
        "email",
        "username",
        "one-time-code",
    ):
        attrs["spellcheck"] = "false"
    # GOV.UK asks for labels and hints, never placeholders (they vanish on input).
    if "placeholder" in widget.attrs:
        attrs["placeholder"] = False
    return GovukField(bound_field, kind, _TEMPLATES[kind], attrs)


def _first_control_id(bound_field):
    """The id an error summary link should jump to."""
    if not bound_field.auto_id:
        return ""
    if bound_field.use_fieldset:
        return bound_field.field.widget.attrs.get("id") or f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


@register.simple_tag
def govuk_error_list(form):
    """[(href, message)] for the error summary: non-field errors first (they
    link to the first visible field), then each field's errors in order."""
    if form is None or not getattr(form, "errors", None):
        return []
    visible = [bf for bf in form if not bf.is_hidden]
    first_href = f"#{_first_control_id(visible[0])}" if visible else "#main-content"
    errors = [(first_href, message) for message in form.non_field_errors()]
    for bound_field in form:
        if bound_field.is_hidden:
            errors.extend((first_href, message) for message in bound_field.errors)
        else:
            errors.extend((f"#{_first_control_id(bound_field)}", message) for message in bound_field.errors)
    return errors


# --- django-allauth elements -------------------------------------------------


@register.filter
def allauth_button_classes(tags):
    """allauth's button tags (prominent, secondary, danger, ...) as GOV.UK button classes."""
    tags = set(tags or ())
    classes = ["govuk-button"]
    if tags & {"danger", "delete"}:
        classes.append("govuk-button--warning")
    elif tags & {"secondary", "outline", "link", "cancel"}:
        classes.append("govuk-button--secondary")
    return " ".join(classes)


@register.filter
def allauth_tag_classes(tags):
    """allauth's badge tags as GOV.UK tag classes."""
    tags = set(tags or ())
    if "success" in tags:
        return "govuk-tag govuk-tag--green"
    if "warning" in tags:
        return "govuk-tag govuk-tag--yellow"
    if "danger" in tags:
        return "govuk-tag govuk-tag--red"
    return "govuk-tag govuk-tag--grey"


@register.filter
def full_stop(value):
    """{{ summary|full_stop }}: end a sentence with one full stop, never two
    (a name such as "Morgan T." or a time such as "6 p.m." may end it)."""
    return sentence(value)
