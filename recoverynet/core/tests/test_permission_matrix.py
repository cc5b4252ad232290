"""The permission matrix: every role × every view and API endpoint × an
object in the role's own scope and one in another network's scope, each
asserting the exact status. A URL that is not in the matrix fails the test,
so a new view cannot ship without deciding who may use it."""

import json
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recoverynet.directory.factories import FellowshipFactory, MeetingFactory, ServiceFactory
from recoverynet.directory.models import (
    ChangeRequest,
    FeedImport,
    FeedSource,
    Schedule,
    ServiceAtLocation,
    ServiceContact,
    Taxonomy,
    TaxonomyTerm,
)
from recoverynet.federation.models import Membership
from recoverynet.testing import ROLES, sign_in

pytestmark = pytest.mark.django_db

# Third-party URL namespaces with their own tests. Everything else served by our own
# code (a view in recoverynet.* or config.*) must be in the matrix, whatever its namespace.
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
    # "network", "settlement", "organisation", "partnership", "membership", "person", or a
    # directory object: "meeting", "location", "service", "fellowship", "change_request",
    # a service's parts: "service_at_location", "service_schedule", "service_contact",
    # "feed_source", "feed_import", and Open Referral ids: "oruk_service", "oruk_organisation",
    # "oruk_service_at_location", "oruk_taxonomy", "oruk_taxonomy_term"
    obj: str | None = None
    network_query: bool = False  # add ?network=<the scope's network slug>
    method: str = "get"
    data: dict = field(default_factory=dict)
    pending: bool = False  # make the own-scope membership a pending request first
    # Expected statuses for a POST to the same address as well (a download behind its
    # GET button page, say); None when only `method` is checked.
    post: dict | None = None


def _url_kwargs(world, case, scope):
    own = scope == "own"
    if case.obj is None:
        return {}
    if case.obj in DIRECTORY_OBJECTS:
        return DIRECTORY_OBJECTS[case.obj](world.directory[scope])
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
    "accounts:privacy": Case(ALL),
    "core:healthz": Case(ALL),
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
    "federation:manage:index": Case(
        roles(200, anonymous=LOGIN, member=403, professional=403),
    ),
    "federation:manage:network_create": Case(roles(403, anonymous=LOGIN, federation_coordinator=200, admin=200)),
    "federation:manage:network_dashboard": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "federation:manage:network_edit": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "federation:manage:member_list": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "federation:manage:settlement_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "federation:manage:organisation_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "federation:manage:partnership_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "federation:manage:settlement_edit": Case(MANAGE_SETTLEMENT, obj="settlement"),
    "federation:manage:settlement_member_list": Case(MANAGE_SETTLEMENT, obj="settlement"),
    "federation:manage:organisation_edit": Case(
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
    "federation:manage:partnership_edit": Case(COORDINATOR_OF_NETWORK, obj="partnership"),
    # Memberships someone may not see are "not found", never "forbidden".
    "federation:manage:membership_decide": Case(
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
    "federation:manage:membership_edit": Case(
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
    "core:audit_list": Case(AUDIT),
    "core:audit_csv": Case(AUDIT, post=AUDIT),
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
    # The admin's sign-in page hands over to allauth's; staff are sent on, others refused.
    "accounts:admin_login": Case(roles(403, anonymous=LOGIN, admin=302)),
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

# --- The directory (issue 5) -------------------------------------------------------

DIRECTORY_OBJECTS = {
    "meeting": lambda d: {"slug": d["meeting"].slug},
    "location": lambda d: {"pk": d["location"].pk},
    "service": lambda d: {"slug": d["service"].slug},
    "fellowship": lambda d: {"slug": d["fellowship"].slug},
    "change_request": lambda d: {"pk": d["change_request"].pk},
    "feed_source": lambda d: {"pk": d["feed_source"].pk},
    "feed_import": lambda d: {"pk": d["feed_import"].pk},
    "oruk_service": lambda d: {"id": str(d["service"].uuid)},
    "oruk_organisation": lambda d: {"id": str(d["service"].organisation.uuid)},
    "oruk_service_at_location": lambda d: {"id": str(d["service_at_location"].uuid)},
    "oruk_taxonomy": lambda d: {"id": str(d["taxonomy_term"].taxonomy.uuid)},
    "oruk_taxonomy_term": lambda d: {"id": str(d["taxonomy_term"].uuid)},
    "api_location": lambda d: {"uuid": str(d["location"].uuid)},
    "service_at_location": lambda d: {"slug": d["service"].slug, "pk": d["service_at_location"].pk},
    "service_schedule": lambda d: {"slug": d["service"].slug, "pk": d["service_schedule"].pk},
    "service_contact": lambda d: {"slug": d["service"].slug, "pk": d["service_contact"].pk},
}
PROFESSIONAL_OF_SERVICE = roles(
    403,
    anonymous=LOGIN,
    professional=(200, 403),
    network_coordinator=(200, 403),
    federation_coordinator=200,
    admin=200,
)
FEDERATION_ONLY = roles(403, anonymous=LOGIN, federation_coordinator=200, admin=200)
# Feed sources and reported changes are not public: out of scope is "not found".
COORDINATOR_SEES = roles(404, anonymous=LOGIN, network_coordinator=(200, 404), federation_coordinator=200, admin=200)

DIRECTORY = {
    "directory:finder": Case(ALL),
    "directory:meeting_detail": Case(ALL, obj="meeting"),
    "directory:meeting_ics": Case(ALL, obj="meeting"),
    "directory:service_detail": Case(ALL, obj="service"),
    "directory:fellowship_detail": Case(ALL, obj="fellowship"),
    "directory:network_schedule": Case(ALL, obj="network"),
    "directory:network_schedule_pdf": Case(ALL, obj="network"),
    "directory:data_sources": Case(ALL),
    "directory:feeds:meeting_guide": Case(ALL),
    "directory:feeds:network_meeting_guide": Case(ALL, obj="network"),
    "directory:openreferral:api_details": Case(ALL),
    "directory:openreferral:service_list": Case(ALL),
    "directory:openreferral:service_detail": Case(ALL, obj="oruk_service"),
    "directory:openreferral:organization_list": Case(ALL),
    "directory:openreferral:organization_detail": Case(ALL, obj="oruk_organisation"),
    "directory:openreferral:service_at_location_list": Case(ALL),
    "directory:openreferral:service_at_location_detail": Case(ALL, obj="oruk_service_at_location"),
    "directory:openreferral:taxonomy_list": Case(ALL),
    "directory:openreferral:taxonomy_detail": Case(ALL, obj="oruk_taxonomy"),
    "directory:openreferral:taxonomy_term_list": Case(ALL),
    "directory:openreferral:taxonomy_term_detail": Case(ALL, obj="oruk_taxonomy_term"),
    "directory:changes:report": Case(ALL, obj="meeting"),
    "directory:changes:report_done": Case(ALL, obj="meeting"),
    "directory:imports:source_list": Case(AUDIT),
    "directory:imports:source_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:imports:source_edit": Case(COORDINATOR_SEES, obj="feed_source"),
    "directory:imports:import": Case(COORDINATOR_SEES, obj="feed_source"),
    "directory:imports:import_detail": Case(COORDINATOR_SEES, obj="feed_import"),
    "directory:imports:import_apply": Case(
        roles(404, anonymous=LOGIN, network_coordinator=(302, 404), federation_coordinator=302, admin=302),
        obj="feed_import",
        method="post",
    ),
    "directory:imports:import_dismiss": Case(
        roles(404, anonymous=LOGIN, network_coordinator=(302, 404), federation_coordinator=302, admin=302),
        obj="feed_import",
        method="post",
    ),
    "directory:manage:meeting_list": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:meeting_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:meeting_edit": Case(COORDINATOR_OF_NETWORK, obj="meeting"),
    "directory:manage:location_list": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:location_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:location_edit": Case(COORDINATOR_OF_NETWORK, obj="location"),
    "directory:manage:service_list": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:service_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:service_edit": Case(PROFESSIONAL_OF_SERVICE, obj="service"),
    "directory:manage:service_location_add": Case(PROFESSIONAL_OF_SERVICE, obj="service"),
    "directory:manage:service_schedule_add": Case(PROFESSIONAL_OF_SERVICE, obj="service"),
    "directory:manage:service_contact_add": Case(PROFESSIONAL_OF_SERVICE, obj="service"),
    "directory:manage:service_location_remove": Case(PROFESSIONAL_OF_SERVICE, obj="service_at_location"),
    "directory:manage:service_schedule_edit": Case(PROFESSIONAL_OF_SERVICE, obj="service_schedule"),
    "directory:manage:service_schedule_remove": Case(PROFESSIONAL_OF_SERVICE, obj="service_schedule"),
    "directory:manage:service_contact_edit": Case(PROFESSIONAL_OF_SERVICE, obj="service_contact"),
    "directory:manage:service_contact_remove": Case(PROFESSIONAL_OF_SERVICE, obj="service_contact"),
    "directory:manage:fellowship_list": Case(FEDERATION_ONLY),
    "directory:manage:fellowship_create": Case(FEDERATION_ONLY),
    "directory:manage:fellowship_edit": Case(FEDERATION_ONLY, obj="fellowship"),
    "directory:manage:change_list": Case(AUDIT),
    "directory:manage:change_review": Case(COORDINATOR_SEES, obj="change_request"),
    "directory:exports:meetings_csv": Case(COORDINATOR_OF_NETWORK, network_query=True, post=COORDINATOR_OF_NETWORK),
    "directory:exports:services_csv": Case(COORDINATOR_OF_NETWORK, network_query=True, post=COORDINATOR_OF_NETWORK),
    "meeting-list": Case(ALL),
    "meeting-detail": Case(ALL, obj="meeting"),
    "fellowship-list": Case(ALL),
    "fellowship-detail": Case(ALL, obj="fellowship"),
    "service-list": Case(ALL),
    "service-detail": Case(ALL, obj="service"),
    "location-list": Case(ALL),
    "location-detail": Case(ALL, obj="api_location"),
}

MATRIX = {**PAGES, **ALLAUTH, **API, **DIRECTORY}


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
    for name, case in sorted(MATRIX.items())
    for method in ((case.method, "post") if case.post is not None else (case.method,))
    for role in ROLES
    for scope in (("own", "other") if case.obj or case.network_query else ("own",))
]


def build_directory(world) -> dict:
    """Directory objects in each scope: {"own": {...}, "other": {...}}."""
    fellowship = FellowshipFactory(name="Narcotics Anonymous", slug="na")
    term = TaxonomyTerm.objects.create(
        taxonomy=Taxonomy.objects.create(name="Support", description="Kinds of support"),
        code="peer",
        name="Peer support",
        description="Support from people with lived experience",
    )
    objects = {}
    for scope, network, organisation in (
        ("own", world.own_network, world.own_organisation),
        ("other", world.other_network, world.other_organisation),
    ):
        meeting = MeetingFactory(network=network, fellowship=fellowship, slug=f"{scope}-meeting")
        service = ServiceFactory(network=network, organisation=organisation, slug=f"{scope}-service")
        service.taxonomy_terms.add(term)
        source = FeedSource.objects.create(network=network, name=f"{scope} feed", default_fellowship=fellowship)
        objects[scope] = {
            "meeting": meeting,
            "location": meeting.location,
            "service": service,
            "service_at_location": ServiceAtLocation.objects.create(service=service, location=meeting.location),
            "service_schedule": Schedule.objects.create(service=service, byday="MO"),
            "service_contact": ServiceContact.objects.create(service=service, title="Duty worker"),
            "fellowship": fellowship,
            "taxonomy_term": term,
            "change_request": ChangeRequest.objects.create(meeting=meeting, field="notes", reason="Moved rooms"),
            "feed_source": source,
            "feed_import": FeedImport.objects.create(
                source=source, status=FeedImport.Status.PREVIEWED, report={}, payload="[]"
            ),
        }
    return objects


@pytest.mark.parametrize(("name", "role", "scope", "method"), CASES, ids=["-".join(c) for c in CASES])
def test_permission_matrix(client, world, name, role, scope, method):
    case = MATRIX[name]
    expected = (case.post if method != case.method else case.expect)[role]
    if isinstance(expected, tuple):
        expected = expected[0 if scope == "own" else 1]
    if case.pending:
        for membership in (world.own_membership, world.other_membership):
            membership.status = Membership.Status.PENDING
            membership.save(update_fields=["status"])
    world.directory = build_directory(world)
    user = world.users[role]
    if user is not None:
        sign_in(client, user)
    url = reverse(name, kwargs=_url_kwargs(world, case, scope))
    if case.network_query:
        url += "?network=" + (world.own_network if scope == "own" else world.other_network).slug
    if method == "get":
        response = client.get(url)
    else:
        response = client.generic(
            method.upper(),
            url,
            data=json.dumps(case.data) if name in API else "",
            content_type="application/json" if name in API else "application/x-www-form-urlencoded",
        )
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} {scope} {url}: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, f"{role} {scope} {url}: {response.status_code}, expected {expected}"
