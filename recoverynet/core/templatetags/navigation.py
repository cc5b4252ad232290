"""The site's service navigation (header): which links a person sees."""

from dataclasses import dataclass

from django import template
from django.urls import NoReverseMatch, reverse

from recoverynet.core import scoping

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool = False  # the current page is in this section
    current: bool = False  # the current page is this link's page


def _url(name, default=None):
    try:
        return reverse(name)
    except NoReverseMatch:
        return default


def can_manage(user) -> bool:
    """Whether a person coordinates or hosts anything, so has a Manage area."""
    if user is None or not user.is_authenticated:
        return False
    return scoping.can_manage(user)


# (label, URL name, fallback path, path prefixes that make the item active)
PUBLIC_ITEMS = (
    ("Home", "federation:home", "/", ()),
    ("Networks", "federation:network_list", "/networks/", ("/networks/", "/settlements/")),
    ("Organisations", "federation:organisation_list", "/organisations/", ("/organisations/",)),
)
MANAGE_URL_NAMES = ("federation:manage:index",)


def _item(label, url, path, prefixes):
    current = path == url
    active = current or any(path.startswith(prefix) for prefix in prefixes)
    return NavItem(label, url, active=active, current=current)


def build_navigation(user, path):
    items = [_item(label, _url(name, fallback), path, prefixes) for label, name, fallback, prefixes in PUBLIC_ITEMS]
    logout_url = None
    if user is not None and user.is_authenticated:
        profile_url = _url("accounts:profile", "/me/")
        items.append(_item("Your profile", profile_url, path, ("/me/", "/accounts/")))
        if can_manage(user):
            manage_url = next(filter(None, (_url(name) for name in MANAGE_URL_NAMES)), "/manage/")
            items.append(_item("Manage", manage_url, path, ("/manage/",)))
        logout_url = _url("account_logout")
    else:
        items.append(_item("Sign in", _url("account_login", "/accounts/login/"), path, ()))
        items.append(_item("Create an account", _url("account_signup", "/accounts/signup/"), path, ()))
    return {"items": items, "logout_url": logout_url}


@register.simple_tag(takes_context=True)
def service_navigation(context):
    """{% service_navigation as nav %}: nav.items (label, url, active, current)
    and nav.logout_url (set when someone is signed in: sign out is a POST)."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    path = getattr(request, "path", "")
    return build_navigation(user, path)
