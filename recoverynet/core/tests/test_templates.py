"""The site's templates: GOV.UK form rendering, error summaries, the header,
pagination, maps, the accessibility statement and privacy notice, error pages
and the Content Security Policy."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.template import Template
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import reverse

from recoverynet.accounts.consent import CURRENT_WORDING
from recoverynet.accounts.models import ConsentPurpose
from recoverynet.core.templatetags.govuk import full_page_title, sentence_case
from recoverynet.testing import sign_in

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


# --- A very small HTML inspector (no third-party parser needed) -------------


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # [{"tag", "attrs", "text"}] in document order
        self._open = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in {"input", "br", "img", "meta", "link", "hr", "path", "circle", "rect"}:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": ""})

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


def parse(html):
    collector = _Collector()
    collector.feed(str(html))
    return collector.elements


def find_all(html, tag=None, css=None, **attrs):
    found = []
    for element in parse(html) if isinstance(html, str) else html:
        if tag and element["tag"] != tag:
            continue
        if css and css not in (element["attrs"].get("class") or "").split():
            continue
        if any(element["attrs"].get(name.replace("_", "-")) != value for name, value in attrs.items()):
            continue
        found.append(element)
    return found


def find_one(html, tag=None, css=None, **attrs):
    found = find_all(html, tag, css, **attrs)
    assert len(found) == 1, f"expected one <{tag} class={css} {attrs}>, found {len(found)}"
    return found[0]


def text(element):
    return " ".join(element["text"].split())


# --- Forms -------------------------------------------------------------------


class ExampleForm(forms.Form):
    name = forms.CharField(label="Your name", help_text="A pseudonym is fine.", max_length=20)
    email = forms.EmailField(label="Email address")
    login = forms.CharField(
        label="Sign-in email",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "email", "placeholder": "you@example.org"}),
    )
    age = forms.IntegerField(label="Age", required=False)
    story = forms.CharField(label="Your story", widget=forms.Textarea, required=False)
    region = forms.ChoiceField(label="Region", choices=[("", "Choose a region"), ("cumbria", "Cumbria")])
    colour = forms.ChoiceField(
        label="Favourite colour", choices=[("teal", "Teal"), ("amber", "Amber")], widget=forms.RadioSelect
    )
    roles = forms.MultipleChoiceField(
        label="Which describe you?",
        help_text="Select all that apply.",
        choices=[("ally", "Ally"), ("family", "Family")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agree = forms.BooleanField(label="I agree", help_text="You can change your mind later.")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") == "clash":
            raise forms.ValidationError("That name and email address do not go together")
        return cleaned


def test_form_renders_govuk_markup():
    html = str(ExampleForm())

    assert len(find_all(html, "div", "govuk-form-group")) == 9  # every visible field
    label = find_one(html, "label", "govuk-label", **{"for": "id_name"})
    assert text(label) == "Your name"
    assert text(find_one(html, "div", "govuk-hint", id="id_name_helptext")) == "A pseudonym is fine."
    name_input = find_one(html, "input", name="name")
    assert name_input["attrs"]["class"] == "govuk-input"
    assert name_input["attrs"]["aria-describedby"] == "id_name_helptext"
    assert find_one(html, "input", name="email")["attrs"]["type"] == "email"
    assert "govuk-input--width-10" in find_one(html, "input", name="age")["attrs"]["class"]
    assert find_one(html, "textarea", name="story")["attrs"]["class"] == "govuk-textarea"
    assert find_one(html, "select", name="region")["attrs"]["class"] == "govuk-select"
    assert find_one(html, "input", type="hidden", name="token")


def test_form_keeps_autocomplete_and_drops_placeholders():
    login = find_one(str(ExampleForm()), "input", name="login")
    assert login["attrs"]["autocomplete"] == "email"
    assert login["attrs"]["spellcheck"] == "false"
    assert "placeholder" not in login["attrs"]


def test_radios_and_checkboxes_are_fieldsets_with_legends():
    html = str(ExampleForm())
    legends = [text(e) for e in find_all(html, "legend", "govuk-fieldset__legend")]
    assert legends == ["Favourite colour", "Which describe you?"]

    radios = find_all(html, "input", "govuk-radios__input")
    assert [(r["attrs"]["id"], r["attrs"]["value"]) for r in radios] == [
        ("id_colour_0", "teal"),
        ("id_colour_1", "amber"),
    ]
    assert text(find_one(html, "label", "govuk-radios__label", **{"for": "id_colour_0"})) == "Teal"
    assert find_one(html, "div", "govuk-radios")["attrs"]["data-module"] == "govuk-radios"

    checkboxes = find_all(html, "input", "govuk-checkboxes__input", name="roles")
    assert [c["attrs"]["id"] for c in checkboxes] == ["id_roles_0", "id_roles_1"]
    roles_fieldset = [f for f in find_all(html, "fieldset", "govuk-fieldset") if "aria-describedby" in f["attrs"]]
    assert roles_fieldset[0]["attrs"]["aria-describedby"] == "id_roles_helptext"

    agree = find_one(html, "input", name="agree")
    assert agree["attrs"]["class"] == "govuk-checkboxes__input"
    assert agree["attrs"]["type"] == "checkbox"
    assert text(find_one(html, "label", "govuk-checkboxes__label", **{"for": "id_agree"})) == "I agree"
    assert find_one(html, "div", "govuk-checkboxes__hint", id="id_agree_helptext")


def test_bound_form_keeps_choices_selected():
    form = ExampleForm(data={"colour": "amber", "roles": ["family"], "agree": "on", "name": "Sam"})
    html = str(form)
    assert "checked" in find_one(html, "input", id="id_colour_1")["attrs"]
    assert "checked" not in find_one(html, "input", id="id_colour_0")["attrs"]
    assert "checked" in find_one(html, "input", id="id_roles_1")["attrs"]
    assert "checked" in find_one(html, "input", id="id_agree")["attrs"]
    assert find_one(html, "input", name="name")["attrs"]["value"] == "Sam"


def test_invalid_form_shows_error_messages_by_each_field():
    form = ExampleForm(data={"name": "x" * 30, "email": "not an email", "region": "", "age": "old"})
    assert not form.is_valid()
    html = str(form)

    error_groups = find_all(html, "div", "govuk-form-group--error")
    assert len(error_groups) == 6  # name, email, age, region, colour, agree (the rest are optional)
    message = find_one(html, "p", "govuk-error-message", id="id_name_error")
    assert "Error:" in text(message)
    assert "at most 20 characters" in text(message)
    name_input = find_one(html, "input", name="name")
    assert name_input["attrs"]["class"] == "govuk-input govuk-input--error"
    assert name_input["attrs"]["aria-describedby"] == "id_name_helptext id_name_error"
    assert name_input["attrs"]["aria-invalid"] == "true"
    assert name_input["attrs"]["value"] == "x" * 30  # what they typed is kept
    assert find_one(html, "select", name="region")["attrs"]["class"] == "govuk-select govuk-select--error"
    assert find_one(html, "p", "govuk-error-message", id="id_colour_error")
    colour_fieldset = [f for f in find_all(html, "fieldset") if f["attrs"].get("aria-describedby") == "id_colour_error"]
    assert len(colour_fieldset) == 1


def test_error_summary_links_to_each_field_and_non_field_errors():
    form = ExampleForm(
        data={"name": "clash", "email": "sam@example.org", "region": "cumbria", "colour": "purple", "agree": "on"}
    )
    assert not form.is_valid()
    html = render_to_string("govuk/includes/error_summary.html", {"form": form})

    summary = find_one(html, "div", "govuk-error-summary")
    assert summary["attrs"]["data-module"] == "govuk-error-summary"
    assert text(find_one(html, "h2", "govuk-error-summary__title")) == "There is a problem"
    assert find_one(html, "div", role="alert")
    links = [(a["attrs"]["href"], text(a)) for a in find_all(html, "a")]
    assert links[0] == ("#id_name", "That name and email address do not go together")
    assert links[1][0] == "#id_colour_0"  # a radio group links to its first radio
    assert "purple is not one of the available choices" in links[1][1]
    assert len(links) == 2

    # The form itself shows the non-field error too.
    form_html = str(form)
    assert "That name and email address do not go together" in text(find_one(form_html, "div", id="form-errors"))


def test_error_summary_is_empty_for_a_valid_or_missing_form():
    assert render_to_string("govuk/includes/error_summary.html", {"form": ExampleForm()}).strip() == ""
    assert render_to_string("govuk/includes/error_summary.html", {}).strip() == ""


def test_hidden_field_errors_are_summarised():
    class HiddenForm(forms.Form):
        name = forms.CharField()
        token = forms.IntegerField(widget=forms.HiddenInput)

    form = HiddenForm(data={"name": "Sam", "token": "abc"})
    assert not form.is_valid()
    html = render_to_string("govuk/includes/error_summary.html", {"form": form})
    (link,) = find_all(html, "a")
    assert link["attrs"]["href"] == "#id_name"
    assert "whole number" in text(link)


# --- Template filters ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sign In", "Sign in"),
        ("Two-Factor Authentication", "Two-factor authentication"),
        ("Activate Authenticator App", "Activate authenticator app"),
        ("Trust this Browser?", "Trust this browser?"),
        ("Make Primary", "Make primary"),
        ("  Email\n   Addresses ", "Email addresses"),
        ("Sign in to RecoveryNet", "Sign in to RecoveryNet"),
        ("Use a QR Code", "Use a QR code"),
        ("Send <strong>Now</strong>", "Send <strong>Now</strong>"),
    ],
)
def test_sentence_case(value, expected):
    assert sentence_case(value) == expected


def test_full_page_title():
    assert full_page_title("  Networks \n") == "Networks – RecoveryNet"
    assert full_page_title("") == "RecoveryNet"


# --- Pages -----------------------------------------------------------------


@pytest.mark.django_db
def test_accessibility_statement(client):
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    assert text(find_one(html, "h1")) == "Accessibility statement for RecoveryNet"
    for phrase in (
        "WCAG",
        "2.2",
        "AA",
        "axe-core",
        "keyboard",
        "JavaScript",
        "Natural Earth",
        "list of the same places",
        "Equality and Human Rights Commission",
        "Equality Advisory and Support Service",
        "Reporting accessibility problems",
    ):
        assert phrase in html, phrase
    assert find_one(html, id="contact")
    assert response.context["federation_name"] == settings.FEDERATION_NAME


@pytest.mark.django_db
def test_privacy_notice_shows_current_consent_wording_and_rights(client):
    response = client.get(reverse("accounts:privacy"))
    assert response.status_code == 200
    html = response.content.decode()
    text_of_page = " ".join(html.split())
    assert text(find_one(html, "h1")) == "Privacy notice"
    assert set(CURRENT_WORDING) == set(ConsentPurpose)  # every purpose has its wording, shown below
    for purpose, wording in CURRENT_WORDING.items():
        row = find_one(html, "div", id=f"consent-{purpose.value}")
        assert purpose.label in text(row)
        assert wording.text in text(row)
        assert wording.version in text(row)
    for phrase in (
        "Article 6(1)(a)",
        "Article 9(2)(a)",
        "explicit consent",
        "legitimate interests",
        "encrypted at rest",
        "pseudonym",
        "We do not sell your information",
        "Information Commissioner's Office",
        "How long we keep your information",
    ):
        assert phrase in text_of_page, phrase
    for url in ("/me/export/", "/me/erase/", "/me/edit/", "/me/consent/"):
        assert f'href="{url}"' in html, url


@pytest.mark.django_db
def test_privacy_notice_names_the_configured_contact(client):
    with override_settings(PRIVACY_CONTACT_EMAIL="privacy@recovery.example", DATA_CONTROLLER="NW Recovery CIC"):
        html = client.get(reverse("accounts:privacy")).content.decode()
    assert 'href="mailto:privacy@recovery.example"' in html
    assert "NW Recovery CIC" in html


@pytest.mark.django_db
def test_unknown_page_uses_the_404_template(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert text(find_one(html, "h1")) == "Page not found"
    assert find_one(html, "a", "govuk-skip-link")


def test_500_page_renders_without_any_context():
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert find_one(html, "main", id="main-content")
    assert 'href="/static/vendor/govuk-frontend/govuk-frontend.min.css"' in html


@pytest.mark.django_db
def test_403_and_400_pages_render(rf):
    request = rf.get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html_403 = render_to_string("403.html", request=request)
    assert "You cannot use this page" in html_403
    assert "can see this page" not in html_403  # it refuses the page: never "you can see this page, but…"
    assert "/accounts/login/?next=/somewhere/" in html_403
    assert "problem with your request" in render_to_string("400.html", request=request)


@pytest.mark.django_db
def test_csrf_failure_page_uses_the_site_layout():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "a@example.org"})
    assert response.status_code == 403
    html = response.content.decode()
    assert text(find_one(html, "h1")) == "Your form could not be sent"
    assert not STYLE_ATTRIBUTE.findall(html)  # Django's own CSRF page has inline styles


# --- Header and navigation -------------------------------------------------------


def nav_links(html):
    nav = parse(html)
    return [text(a) for a in find_all(nav, "a", "govuk-service-navigation__link")]


@pytest.mark.django_db
def test_header_for_anonymous_people(client, world):
    html = client.get(reverse("accounts:privacy")).content.decode()
    assert nav_links(html) == ["Home", "Networks", "Organisations", "Sign in", "Create an account"]
    header = find_one(html, "header", "govuk-header")
    assert header
    assert "RecoveryNet" in text(find_one(html, "a", "govuk-header__link--homepage"))
    assert "crown" not in html.lower()
    assert not find_all(html, "form", action=reverse("account_logout"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_manage"),
    [
        ("member", False),
        ("professional", False),
        ("settlement_host", True),
        ("network_coordinator", True),
        ("federation_coordinator", True),
    ],
)
def test_header_for_signed_in_people(client, world, role, sees_manage):
    sign_in(client, world.users[role])
    html = client.get(reverse("accounts:privacy")).content.decode()
    expected = ["Home", "Networks", "Organisations", "Your profile"] + (["Manage"] if sees_manage else [])
    assert nav_links(html) == expected
    # Signing out is a POST form with a CSRF token, not a link.
    logout = find_one(html, "form", action=reverse("account_logout"))
    assert logout["attrs"]["method"] == "post"
    assert text(find_one(html, "button", "rn-link-button")) == "Sign out"
    assert find_all(html, "input", name="csrfmiddlewaretoken")


@pytest.mark.django_db
def test_current_section_is_marked(client, world):
    html = client.get(reverse("core:accessibility")).content.decode()
    assert not find_all(html, "a", "govuk-service-navigation__link", aria_current="page")
    html = client.get(reverse("account_login")).content.decode()
    current = find_one(html, "a", "govuk-service-navigation__link", aria_current="page")
    assert text(current) == "Sign in"


@pytest.mark.django_db
def test_footer_links(client):
    html = client.get(reverse("core:accessibility")).content.decode()
    footer_links = {text(a): a["attrs"]["href"] for a in find_all(html, "a", "govuk-footer__link")}
    assert footer_links["Accessibility statement"] == reverse("core:accessibility")
    assert footer_links["Privacy notice"] == reverse("accounts:privacy")
    assert footer_links["API documentation"] == reverse("core:api_reference")  # the accessible one
    assert "GNU Affero General Public License v3.0 or later" in footer_links
    assert "Recovery is a Reality" in html
    assert find_one(html, "strong", "govuk-phase-banner__content__tag")


@pytest.mark.django_db
def test_messages_become_notification_banners(client, world):
    from django.contrib.messages import constants

    sign_in(client, world.users["member"])
    html = render_to_string(
        "includes/messages.html",
        {"messages": [_Message(constants.SUCCESS, "success", "Profile saved"), _Message(constants.INFO, "info", "Hi")]},
    )
    success = find_one(html, "div", "govuk-notification-banner--success")
    assert success["attrs"]["role"] == "alert"
    assert "Profile saved" in text(success)
    banners = find_all(html, "div", "govuk-notification-banner")
    assert banners[1]["attrs"]["role"] == "region"
    assert banners[0]["attrs"]["aria-labelledby"] != banners[1]["attrs"]["aria-labelledby"]


class _Message:
    def __init__(self, level, level_tag, message):
        self.level, self.level_tag, self.message = level, level_tag, message

    def __str__(self):
        return self.message


# --- Pagination --------------------------------------------------------------------


def render_pagination(path, number, count=100, per_page=10, **extra):
    request = RequestFactory().get(path)
    page = Paginator(range(count), per_page).page(number)
    return render_to_string("includes/pagination.html", {"page_obj": page, "request": request, **extra})


def test_pagination_keeps_other_query_parameters():
    html = render_pagination("/organisations/?sector=private&q=caf%C3%A9&page=5", 5)
    hrefs = {text(a): a["attrs"]["href"] for a in find_all(html, "a", "govuk-pagination__link")}
    assert hrefs["Previous page"] == "?sector=private&q=caf%C3%A9&page=4"
    assert hrefs["Next page"] == "?sector=private&q=caf%C3%A9&page=6"
    assert hrefs["1"] == "?sector=private&q=caf%C3%A9&page=1"
    current = find_one(html, "a", aria_current="page")
    assert text(current) == "5"
    assert find_all(html, "li", "govuk-pagination__item--ellipses")
    assert "Showing 41 to 50 of 100 results" in " ".join(html.split()).replace("<strong>", "").replace("</strong>", "")


def test_pagination_prefers_an_explicit_query_string():
    html = render_pagination("/networks/?page=2&junk=1", 2, query_string="sector=private")
    hrefs = [a["attrs"]["href"] for a in find_all(html, "a", "govuk-pagination__link")]
    assert all(href.startswith("?sector=private&page=") for href in hrefs)


def test_pagination_first_and_last_pages():
    first = render_pagination("/networks/", 1)
    assert "Previous" not in first
    assert find_one(first, "a", rel="next")
    last = render_pagination("/networks/", 10)
    assert "Next" not in last
    assert find_one(last, "a", rel="prev")


def test_no_pagination_for_a_single_page():
    assert render_pagination("/networks/", 1, count=5).strip() == ""


# --- Maps ---------------------------------------------------------------------------


MARKERS = [
    {"name": "Carlisle Hub", "url": "/settlements/carlisle-hub/", "lat": 54.89, "lng": -2.93, "kind": "settlement"},
    {"name": "<script>alert(1)</script>", "url": "/networks/x/", "lat": 53.4, "lng": -3.0, "kind": "network"},
]


@override_settings(MAP_TILE_URL="https://tiles.example/{z}/{x}/{y}.png", MAP_TILE_ATTRIBUTION="© Example")
def test_map_include_emits_json_data_and_tile_settings(rf):
    from django.template import RequestContext

    template = Template('{% include "includes/map.html" with markers=markers map_id="networks-map" label="networks" %}')
    html = template.render(RequestContext(rf.get("/"), {"markers": MARKERS}))

    data = find_one(html, "script", id="networks-map-data")
    assert data["attrs"]["type"] == "application/json"
    assert "<script>alert" not in html  # json_script escapes markup
    map_div = find_one(html, "div", "rn-map", id="networks-map")
    attrs = map_div["attrs"]
    assert "hidden" in attrs and "data-map" in attrs  # shown by map.js only
    assert attrs["data-markers-id"] == "networks-map-data"
    assert attrs["data-tile-url"] == "https://tiles.example/{z}/{x}/{y}.png"
    assert attrs["data-tile-attribution"] == "© Example"
    assert attrs["aria-describedby"] == "networks-map-description"
    assert "networks are listed on this page" in text(find_one(html, "p", id="networks-map-description"))
    for name in (
        "data-leaflet-src",
        "data-leaflet-css",
        "data-markercluster-src",
        "data-markercluster-css",
        "data-base-map",
    ):
        assert finders.find(attrs[name].removeprefix(settings.STATIC_URL)), name


def test_map_include_without_tiles_and_with_id(rf):
    from django.template import RequestContext

    template = Template('{% include "includes/map.html" with markers=markers id="m" %}')
    html = template.render(RequestContext(rf.get("/"), {"markers": MARKERS}))
    assert find_one(html, "div", id="m")["attrs"]["data-tile-url"] == ""
    assert find_one(html, "script", id="m-data")


# --- Content Security Policy and static files -----------------------------------------


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:accessibility", "accounts:privacy", "account_login", "account_signup"])
def test_pages_have_csp_and_no_inline_scripts_or_styles(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html)
    assert not STYLE_ATTRIBUTE.findall(html)
    assert "<style" not in html
    # The only script is the module entry point, from our own origin.
    scripts = find_all(html, "script")
    assert [s["attrs"].get("type") for s in scripts if "src" in s["attrs"]] == ["module"]


@pytest.mark.django_db
def test_signed_in_pages_have_no_inline_scripts_or_styles(client, world):
    sign_in(client, world.users["member"])
    for name in ("account_email", "account_change_password", "mfa_index"):
        html = client.get(reverse(name)).content.decode()
        assert not INLINE_SCRIPT.findall(html), name
        assert not STYLE_ATTRIBUTE.findall(html), name


STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")


@pytest.mark.parametrize("template_name", ["base.html", "500.html", "includes/map.html", "includes/map_head.html"])
def test_static_files_referenced_by_templates_exist(template_name):
    source = (TEMPLATES_DIR / template_name).read_text()
    paths = STATIC_TAG.findall(source)
    assert paths
    for path in paths:
        assert finders.find(path), f"{template_name} refers to missing static file {path}"


def test_module_imports_resolve_to_static_files():
    """init.js imports GOV.UK Frontend and map.js by relative URL."""
    init = Path(finders.find("recoverynet/js/init.js"))
    imports = re.findall(r'from\s+"([^"]+)"', init.read_text())
    assert imports
    for relative in imports:
        assert (init.parent / relative).resolve().is_file(), relative
    govuk_js = Path(finders.find("vendor/govuk-frontend/govuk-frontend.min.js")).read_text()
    assert re.search(r"export\s*\{[^}]*\binitAll\b", govuk_js)  # an ES module exporting initAll
    assert "sourceMappingURL" not in govuk_js  # the map is not shipped
    assert "export async function initMaps" in Path(finders.find("recoverynet/js/map.js")).read_text()


def test_vendored_frontend_is_rebranded():
    css = Path(finders.find("vendor/govuk-frontend/govuk-frontend.min.css")).read_text()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "url(" not in css  # no crown, royal arms or font files
    assert "#1d5c4d" in css
    for name in ("VERSION", "LICENSE.txt"):
        assert finders.find(f"vendor/govuk-frontend/{name}")
    assert Path(finders.find("vendor/govuk-frontend/VERSION")).read_text().startswith("5.")
    assert Path(finders.find("vendor/leaflet/VERSION")).read_text().startswith("1.9.")
    vendored = [p.name for p in (Path(settings.BASE_DIR) / "static" / "vendor").rglob("*")]
    assert not [name for name in vendored if "crest" in name or "crown" in name or name.endswith((".woff", ".woff2"))]


# --- Colour contrast of the brand colours ---------------------------------------------


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_brand_colours_meet_wcag_aa_contrast():
    scss = (Path(settings.BASE_DIR) / "static" / "recoverynet" / "scss" / "govuk-rebrand.scss").read_text()
    brand = re.search(r"\$rn-brand-colour:\s*(#[0-9a-fA-F]{6})", scss).group(1)
    dark = re.search(r"\$rn-brand-dark-colour:\s*(#[0-9a-fA-F]{6})", scss).group(1)
    assert contrast(brand, "#ffffff") >= 7  # header text and buttons (AAA)
    assert contrast(dark, "#ffffff") >= 7
    css = Path(finders.find("vendor/govuk-frontend/govuk-frontend.min.css")).read_text()
    footer = re.search(r"\.govuk-template--rebranded \.govuk-footer\{background:(#[0-9a-f]{6})\}", css).group(1)
    navigation = re.search(
        r"\.govuk-template--rebranded \.govuk-service-navigation\{background-color:(#[0-9a-f]{6})\}", css
    ).group(1)
    assert contrast(brand, footer) >= 4.5  # the "Recovery is a Reality" tagline
    assert contrast("#1d70b8", navigation) >= 4.5  # navigation links
    assert contrast("#0b0c0c", footer) >= 4.5  # footer text


# --- django-allauth pages -----------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_page_is_govuk_styled(client):
    html = client.get(reverse("account_login")).content.decode()
    assert text(find_one(html, "h1", "govuk-heading-l")) == "Sign in to RecoveryNet"
    login = find_one(html, "input", name="login")
    assert "govuk-input" in login["attrs"]["class"]
    assert login["attrs"]["autocomplete"] == "email"
    assert find_one(html, "input", name="password")["attrs"]["autocomplete"] == "current-password"
    assert find_one(html, "button", "govuk-button", type="submit")
    assert "novalidate" in find_one(html, "form", action=reverse("account_login"))["attrs"]
    assert find_one(html, "main", "rn-main--narrow")


@pytest.mark.django_db
def test_failed_sign_in_shows_error_summary(client, world):
    response = client.post(reverse("account_login"), {"login": "member@example.org", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert find_one(html, "div", "govuk-error-summary")
    link = find_all(html, "a", href="#id_login")
    assert link and "not correct" in text(link[0])
    assert text(find_one(html, "title")).startswith("Error: Sign in")


@pytest.mark.django_db
def test_sign_up_page_has_display_name_and_privacy_link(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert find_one(html, "input", name="display_name")
    assert find_one(html, "div", "govuk-hint", id="id_display_name_helptext")
    assert find_all(html, "a", href=reverse("accounts:privacy"))
    assert text(find_one(html, "title")) == "Create an account – RecoveryNet"


@pytest.mark.django_db
def test_account_settings_pages_are_govuk_styled(client, world):
    sign_in(client, world.users["member"])
    html = client.get(reverse("mfa_index")).content.decode()
    assert text(find_one(html, "h1", "govuk-heading-l")) == "Two-factor authentication"
    assert find_all(html, "div", "govuk-summary-card")
    assert find_one(html, "nav", "govuk-breadcrumbs")
    html = client.get(reverse("account_change_password")).content.decode()
    assert text(find_one(html, "title")) == "Change password – RecoveryNet"
    assert len(find_all(html, "input", "govuk-input", type="password")) == 3


@pytest.mark.django_db
def test_totp_activation_shows_the_qr_code_as_an_image(client, world):
    member = world.users["member"]
    sign_in(client, member)
    # allauth asks for the password again before two-factor changes.
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery staple"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    qr = find_one(html, "img", "rn-qr-code")
    assert qr["attrs"]["src"].startswith("data:image/svg+xml")  # allowed by img-src data:
    assert "QR code" in qr["attrs"]["alt"]
    assert find_one(html, "input", id="authenticator_secret")["attrs"]["class"] == "govuk-input"
    code = find_one(html, "input", name="code")
    assert code["attrs"]["autocomplete"] == "one-time-code"
    assert code["attrs"]["class"] == "govuk-input govuk-input--width-10"
    assert not STYLE_ATTRIBUTE.findall(html)


def test_a_refused_signed_in_person_is_told_what_they_can_do(login):
    """A member who opens a coordinator's page: not "you can see this page", but where to go instead."""
    response = login("member").get(reverse("federation:manage:index"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot use this page" in html
    assert f'href="{reverse("accounts:profile")}"' in html
    assert "ask the coordinator of your network" in html
