"""The vocabulary of the permission matrix, for each app's cases.

Every app that serves URLs declares who may use them in its own
``tests/permission_cases.py`` (found by :func:`declared_cases`, no list to
edit): a ``CASES`` dict of URL name → :class:`Case` for pages, an
``API_CASES`` dict for API routes (sent JSON), and, when its cases name
objects of its own, ``build(world) -> {"own": {obj: url_kwargs}, "other": {...}}``
giving the URL keyword arguments of one such object in each network.
``core/tests/test_permission_matrix.py`` runs every case for every role and
fails for any URL of ours that no app declared.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps

from . import ROLES

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
    # The object whose keys fill the URL: a federation object ("network", "settlement",
    # "organisation", "partnership", "membership", "person") or one the declaring
    # app's build(world) returns.
    obj: str | None = None
    network_query: bool = False  # add ?network=<the scope's network slug>
    method: str = "get"
    data: dict = field(default_factory=dict)
    pending: bool = False  # make the own-scope membership a pending request first
    # Expected statuses for a POST to the same address as well (a download behind its
    # GET button page, say); None when only `method` is checked.
    post: dict | None = None


# Answers shared by several apps' cases. Own-scope objects are in `own_network`,
# where every role's person belongs.
COORDINATOR_OF_NETWORK = roles(
    403, anonymous=LOGIN, network_coordinator=(200, 403), federation_coordinator=200, admin=200
)
COORDINATORS = roles(403, anonymous=LOGIN, network_coordinator=200, federation_coordinator=200, admin=200)
FEDERATION_ONLY = roles(403, anonymous=LOGIN, federation_coordinator=200, admin=200)
# A person's own record through the API: theirs, their settlement's host's and
# their network's coordinators'; anyone else's is "not found".
API_SIGNED_IN = signed_in(200, anonymous=403)
API_PERSON_VISIBLE = roles(
    404,
    anonymous=403,
    member=(200, 404),
    settlement_host=(200, 404),
    network_coordinator=(200, 404),
    federation_coordinator=200,
    admin=200,
)
# What is not public and out of a coordinator's scope is "not found", never "forbidden".
COORDINATOR_SEES = roles(404, anonymous=LOGIN, network_coordinator=(200, 404), federation_coordinator=200, admin=200)


@dataclass
class AppCases:
    label: str
    pages: dict
    api: dict
    build: object  # build(world) -> {"own": {...}, "other": {...}}, or None


def declared_cases() -> list[AppCases]:
    """Every installed app's permission cases, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("recoverynet."):
            continue
        try:
            module = import_module(f"{config.name}.tests.permission_cases")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.permission_cases" and exc.name != f"{config.name}.tests":
                raise
            continue
        found.append(
            AppCases(
                label=config.label,
                pages=getattr(module, "CASES", {}),
                api=getattr(module, "API_CASES", {}),
                build=getattr(module, "build", None),
            )
        )
    return found
