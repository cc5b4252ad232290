"""The permission matrix: every role × every view and API endpoint × an
object in the role's own scope and one in another network's scope, each
asserting the exact status. Each app declares its cases in its own
``tests/permission_cases.py`` (see recoverynet.testing.permissions); a URL of
ours that no app declared fails the test, so a new view cannot ship without
deciding who may use it."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recoverynet.federation.models import Membership
from recoverynet.federation.tests import permission_cases as federation_cases
from recoverynet.testing import ROLES, sign_in
from recoverynet.testing.permissions import LOGIN, declared_cases

pytestmark = pytest.mark.django_db

# Third-party URL namespaces with their own tests. Everything else served by our own
# code (a view in recoverynet.* or config.*) must be in the matrix, whatever its namespace.
IGNORED_NAMESPACES = {"admin", "allauth", "mfa", "account", "usersessions", "socialaccount"}


def _collect():
    """{url name: (app's cases, case, is_api)} over every app's declared cases."""
    matrix = {}
    for app in declared_cases():
        for cases, is_api in ((app.pages, False), (app.api, True)):
            for name, case in cases.items():
                if name in matrix:
                    raise AssertionError(f"{name} is declared by {matrix[name][0].label} and {app.label}")
                matrix[name] = (app, case, is_api)
    return matrix


MATRIX = _collect()


def _view_module(callback) -> str:
    """The module of a URL pattern's view (class-based views and DRF viewsets included)."""
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return view.__module__


def _patterns(resolver=None, namespace=None):
    """(name or None, view module, route) for every URL pattern, outside the ignored namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in IGNORED_NAMESPACES:
                continue
            nested = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _patterns(pattern, nested)
        elif isinstance(pattern, URLPattern):
            if pattern.callback.__module__.startswith("allauth") and pattern.pattern.regex.groupindex:
                # allauth's keyed links (email confirmation, password reset) are
                # covered by the sign-up and password tests.
                continue
            name = (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else None
            yield name, _view_module(pattern.callback), str(pattern.pattern)


def _is_ours(module: str) -> bool:
    return module.startswith(("recoverynet.", "config."))


def test_every_view_is_in_the_matrix():
    """Derived from the URL patterns themselves: a new app's views are ours
    because their code is, whatever namespace they are mounted under."""
    patterns = list(_patterns())
    unnamed = sorted(route for name, module, route in patterns if name is None and _is_ours(module))
    assert not unnamed, f"Name these URL patterns, so the matrix can cover them: {unnamed}"
    names = {name for name, _, _ in patterns if name}
    ours = {name for name, module, _ in patterns if name and _is_ours(module)}
    missing = sorted(ours - set(MATRIX))
    assert not missing, f"Add these views to the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"The matrix names views that no longer exist: {stale}"


def test_the_matrix_sees_views_in_any_namespace():
    """A view of ours mounted under a namespace nobody listed is still found."""
    ours = {name for name, module, _ in _patterns() if name and _is_ours(module)}
    assert {
        "directory:openreferral:service_list",
        "directory:exports:meetings_csv",
        "accounts:privacy",
        "accounts:admin_login",
    } - ours == set()


CASES = [
    (name, role, scope, method)
    for name, (_, case, _) in sorted(MATRIX.items())
    for method in ((case.method, "post") if case.post is not None else (case.method,))
    for role in ROLES
    for scope in (("own", "other") if case.obj or case.network_query else ("own",))
]


def test_every_app_with_views_declares_its_cases():
    labels = {app.label for app in declared_cases()}
    assert {"core", "accounts", "federation", "directory"} <= labels


@pytest.mark.parametrize(("name", "role", "scope", "method"), CASES, ids=["-".join(c) for c in CASES])
def test_permission_matrix(client, world, name, role, scope, method):
    app, case, is_api = MATRIX[name]
    expected = (case.post if method != case.method else case.expect)[role]
    if isinstance(expected, tuple):
        expected = expected[0 if scope == "own" else 1]
    if case.pending:
        for membership in (world.own_membership, world.other_membership):
            membership.status = Membership.Status.PENDING
            membership.save(update_fields=["status"])
    objects = federation_cases.build(world)[scope]
    if app.build is not None and app.build is not federation_cases.build:
        objects = {**objects, **app.build(world)[scope]}
    user = world.users[role]
    if user is not None:
        sign_in(client, user)
    url = reverse(name, kwargs=objects[case.obj] if case.obj else {})
    if case.network_query:
        url += "?network=" + (world.own_network if scope == "own" else world.other_network).slug
    if method == "get":
        response = client.get(url)
    else:
        response = client.generic(
            method.upper(),
            url,
            data=json.dumps(case.data) if is_api else "",
            content_type="application/json" if is_api else "application/x-www-form-urlencoded",
        )
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} {scope} {url}: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, f"{role} {scope} {url}: {response.status_code}, expected {expected}"
