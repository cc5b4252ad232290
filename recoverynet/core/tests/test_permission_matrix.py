"""The permission matrix: every role × every view and API endpoint × an
object in the role's own scope and one in another network's scope, each
asserting the exact status. A URL that is not in the matrix fails the test,
so a new view cannot ship without deciding who may use it."""

import json
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recoverynet.core.testing import ROLES
from recoverynet.federation.models import Membership

pytestmark = pytest.mark.django_db

# Namespaces and API route names we own; admin and allauth have their own tests.
OWN_NAMESPACES = {"core", "federation", "manage", "accounts"}
IGNORED_NAMESPACES = {"admin", "allauth", "mfa", "account", "usersessions", "socialaccount"}

LOGIN = "login"  # a redirect to the sign-in page
ALL = dict.fromkeys(ROLES, 200)


def signed_in(status, anonymous=LOGIN):
    return {role: (anonymous if role == "anonymous" else status) for role in ROLES}


def roles(default, **overrides):
    """{role: expected}, where expected is a status or an (own, other) pair."""
    return {role: overrides.get(role, default) for role in ROLES}


@dataclass
class Case:
    expect: dict
    obj: str | None = None  # "network", "settlement", "organisation", "partnership", "membership", "person"
    method: str = "get"
    data: dict = field(default_factory=dict)
    pending: bool = False  # make the own-scope membership a pending request first


def _url_kwargs(world, case, scope):
    own = scope == "own"
    if case.obj is None:
        return {}
    if case.obj == "network":
        return {"slug": (world.own_network if own else world.other_network).slug}
    if case.obj == "settlement":
        return {"slug": (world.own_settlement if own else world.other_settlement).slug}
    if case.obj == "organisation":
        return {"slug": (world.own_organisation if own else world.other_organisation).slug}
    if case.obj == "partnership":
        return {"slug": (world.own_partnership if own else world.other_partnership).slug}
    if case.obj == "membership":
        return {"pk": (world.own_membership if own else world.other_membership).pk}
    if case.obj == "person":
        return {"pk": (world.own_membership if own else world.other_membership).user_id}
    raise AssertionError(case.obj)


# Own-scope objects: in `own_network`, where every role's person belongs; the
# membership is the member's own, at the host's settlement.
COORDINATOR_OF_NETWORK = roles(
    403, anonymous=LOGIN, network_coordinator=(200, 403), federation_coordinator=200, admin=200
)
MANAGE_SETTLEMENT = roles(
    403,
    anonymous=LOGIN,
    settlement_host=(200, 403),
    network_coordinator=(200, 403),
    federation_coordinator=200,
    admin=200,
)
AUDIT = roles(403, anonymous=LOGIN, network_coordinator=200, federation_coordinator=200, admin=200)

PAGES = {
    # Public site
    "federation:home": Case(ALL),
    "federation:network_list": Case(ALL),
    "federation:network_detail": Case(ALL, obj="network"),
    "federation:settlement_detail": Case(ALL, obj="settlement"),
    "federation:organisation_list": Case(ALL),
    "federation:organisation_detail": Case(ALL, obj="organisation"),
    "federation:partnership_list": Case(ALL),
    "federation:partnership_detail": Case(ALL, obj="partnership"),
    "core:accessibility": Case(ALL),
    "core:privacy": Case(ALL),
    "api-schema": Case(ALL),
    "api-docs": Case(ALL),
    "api-redoc": Case(ALL),
    # A person's own pages
    "accounts:profile": Case(signed_in(200)),
    "accounts:profile_edit": Case(signed_in(200)),
    "accounts:consent": Case(signed_in(200)),
    "accounts:export": Case(signed_in(200)),
    "accounts:erase": Case(signed_in(200)),
    "accounts:erased": Case(ALL),
    "accounts:join_network": Case(signed_in(200), obj="network"),
    "accounts:leave_membership": Case(roles(404, anonymous=LOGIN, member=(302, 404)), obj="membership", method="post"),
    # Coordinators' and hosts' pages
    "manage:index": Case(
        roles(200, anonymous=LOGIN, member=403, professional=403),
    ),
    "manage:network_create": Case(roles(403, anonymous=LOGIN, federation_coordinator=200, admin=200)),
    "manage:network_dashboard": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "manage:network_edit": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "manage:member_list": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "manage:settlement_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "manage:organisation_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "manage:partnership_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "manage:settlement_edit": Case(MANAGE_SETTLEMENT, obj="settlement"),
    "manage:settlement_member_list": Case(MANAGE_SETTLEMENT, obj="settlement"),
    "manage:organisation_edit": Case(
        roles(
            403,
            anonymous=LOGIN,
            professional=(200, 403),
            network_coordinator=(200, 403),
            federation_coordinator=200,
            admin=200,
        ),
        obj="organisation",
    ),
    "manage:partnership_edit": Case(COORDINATOR_OF_NETWORK, obj="partnership"),
    # Memberships someone may not see are "not found", never "forbidden".
    "manage:membership_decide": Case(
        roles(
            404,
            anonymous=LOGIN,
            member=(403, 404),
            settlement_host=(200, 404),
            network_coordinator=(200, 404),
            federation_coordinator=200,
            admin=200,
        ),
        obj="membership",
        pending=True,
    ),
    "manage:membership_edit": Case(
        roles(
            404,
            anonymous=LOGIN,
            member=(403, 404),
            settlement_host=(403, 404),
            network_coordinator=(200, 404),
            federation_coordinator=200,
            admin=200,
        ),
        obj="membership",
    ),
    "manage:audit_list": Case(AUDIT),
    "manage:audit_csv": Case(AUDIT),
}

# django-allauth's own pages (sign-in, password, two-factor), as they answer here.
SIGNED_IN_ELSEWHERE = roles(302, anonymous=200)  # signed-in people are sent on to their profile
PRIVILEGED = ("network_coordinator", "federation_coordinator", "admin")
ALLAUTH = {
    "account_login": Case(SIGNED_IN_ELSEWHERE),
    "account_signup": Case(SIGNED_IN_ELSEWHERE),
    "account_logout": Case(roles(200, anonymous=302)),
    "account_inactive": Case(ALL),
    "account_email_verification_sent": Case(ALL),
    "account_reset_password": Case(ALL),
    "account_reset_password_done": Case(ALL),
    "account_reset_password_from_key_done": Case(ALL),
    "account_change_password": Case(signed_in(200)),
    "account_set_password": Case(signed_in(302)),  # they have a password: sent to "change"
    "account_email": Case(signed_in(200)),
    "account_reauthenticate": Case(signed_in(200)),
    "account_confirm_login_code": Case(roles(302)),
    "mfa_index": Case(signed_in(200)),
    "mfa_authenticate": Case(roles(302)),
    "mfa_activate_totp": Case(signed_in(302)),  # already active, or reauthenticate first
    "mfa_deactivate_totp": Case(roles(404, anonymous=LOGIN, **dict.fromkeys(PRIVILEGED, 302))),
    "mfa_generate_recovery_codes": Case(signed_in(302)),
    "mfa_view_recovery_codes": Case(signed_in(404)),
    "mfa_download_recovery_codes": Case(signed_in(404)),
    "mfa_reauthenticate": Case(roles(302, anonymous=LOGIN, **dict.fromkeys(PRIVILEGED, 200))),
}

API_SIGNED_IN = signed_in(200, anonymous=403)
API_MEMBERSHIP_VISIBLE = roles(
    404,
    anonymous=403,
    member=(200, 404),
    settlement_host=(200, 404),
    network_coordinator=(200, 404),
    federation_coordinator=200,
    admin=200,
)
API = {
    "api-root": Case(ALL),
    "network-list": Case(ALL),
    "network-detail": Case(ALL, obj="network"),
    "settlement-list": Case(ALL),
    "settlement-detail": Case(ALL, obj="settlement"),
    "organisation-list": Case(ALL),
    "organisation-detail": Case(ALL, obj="organisation"),
    "partnership-list": Case(ALL),
    "partnership-detail": Case(ALL, obj="partnership"),
    "membership-list": Case(API_SIGNED_IN),
    "membership-detail": Case(API_MEMBERSHIP_VISIBLE, obj="membership"),
    "membership-decide": Case(
        roles(
            404,
            anonymous=403,
            member=(403, 404),
            settlement_host=(200, 404),
            network_coordinator=(200, 404),
            federation_coordinator=200,
            admin=200,
        ),
        obj="membership",
        method="post",
        data={"approve": True},
        pending=True,
    ),
    "membership-leave": Case(
        roles(
            404,
            anonymous=403,
            member=(200, 404),
            settlement_host=(403, 404),
            network_coordinator=(403, 404),
            federation_coordinator=403,
            admin=403,
        ),
        obj="membership",
        method="post",
    ),
    "member-list": Case(API_SIGNED_IN),
    "member-me": Case(API_SIGNED_IN),
    "member-detail": Case(
        roles(
            404,
            anonymous=403,
            member=(200, 404),
            settlement_host=(200, 404),
            network_coordinator=(200, 404),
            federation_coordinator=200,
            admin=200,
        ),
        obj="person",
    ),
}

MATRIX = {**PAGES, **ALLAUTH, **API}


def _named_patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in IGNORED_NAMESPACES:
                continue
            nested = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _named_patterns(pattern, nested)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if pattern.callback.__module__.startswith("allauth") and pattern.pattern.regex.groupindex:
                # allauth's keyed links (email confirmation, password reset) are
                # covered by the sign-up and password tests.
                continue
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_view_is_in_the_matrix():
    names = set(_named_patterns())
    ours = {n for n in names if ":" not in n or n.split(":")[0] in OWN_NAMESPACES}
    missing = sorted(ours - set(MATRIX))
    assert not missing, f"Add these views to the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"The matrix names views that no longer exist: {stale}"


CASES = [
    (name, role, scope)
    for name, case in sorted(MATRIX.items())
    for role in ROLES
    for scope in (("own", "other") if case.obj else ("own",))
]


@pytest.mark.parametrize(("name", "role", "scope"), CASES, ids=["-".join(c) for c in CASES])
def test_permission_matrix(client, world, name, role, scope):
    case = MATRIX[name]
    expected = case.expect[role]
    if isinstance(expected, tuple):
        expected = expected[0 if scope == "own" else 1]
    if case.pending:
        for membership in (world.own_membership, world.other_membership):
            membership.status = Membership.Status.PENDING
            membership.save(update_fields=["status"])
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=_url_kwargs(world, case, scope))
    if case.method == "get":
        response = client.get(url)
    else:
        response = client.generic(
            case.method.upper(),
            url,
            data=json.dumps(case.data) if name in API else "",
            content_type="application/json" if name in API else "application/x-www-form-urlencoded",
        )
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} {scope} {url}: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, f"{role} {scope} {url}: {response.status_code}, expected {expected}"
