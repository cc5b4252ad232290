"""Who coordinates, hosts or works where: the facts every permission rule and
every scoped queryset is built on, asked here by core and by every app.

The answers come from the app that holds the memberships (the federation
registers its provider in its AppConfig.ready), so core depends on no app.
They are computed once per user object (one query each), so a page that checks
many objects does not repeat them; call forget_scope after changing a user's
memberships within a request."""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    federation: bool = False  # coordinates the whole federation (or is a superuser)
    coordinated: frozenset = frozenset()  # network ids
    hosted: frozenset = frozenset()  # settlement ids
    member_of: frozenset = frozenset()  # network ids, any active role
    organisations: frozenset = frozenset()  # organisation ids the person works for
    # A commissioner's access in force today: to every network's aggregated outcomes, or to these networks'.
    commissions_federation: bool = False
    commissioned: frozenset = frozenset()  # network ids


NOBODY = Scope()
_provider: Callable | None = None
_CACHE_ATTRIBUTE = "_recoverynet_scope"


def register_scope_provider(provider: Callable) -> None:
    """provider(user) -> Scope for an active, signed-in user."""
    global _provider
    _provider = provider


def scope_of(user) -> Scope:
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = NOBODY
    if user is not None and user.is_authenticated and user.is_active:
        if _provider is None:
            raise RuntimeError("No scope provider registered: is the federation app installed?")
        scope = _provider(user)
    with contextlib.suppress(AttributeError):  # AnonymousUser takes no attributes; nothing to cache
        setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def is_federation_coordinator(user) -> bool:
    return scope_of(user).federation


def coordinated_network_ids(user) -> frozenset:
    return scope_of(user).coordinated


def hosted_settlement_ids(user) -> frozenset:
    return scope_of(user).hosted


def member_network_ids(user) -> frozenset:
    return scope_of(user).member_of


def professional_organisation_ids(user) -> frozenset:
    return scope_of(user).organisations


def is_coordinator(user) -> bool:
    """Coordinates anything: the roles that must use two-factor authentication."""
    return is_federation_coordinator(user) or bool(coordinated_network_ids(user))


def commissions_federation(user) -> bool:
    """A commissioner of the whole federation: reads every network's aggregated outcomes."""
    return scope_of(user).commissions_federation


def commissioned_network_ids(user) -> frozenset:
    """The networks whose aggregated outcomes a commissioner was given (not those of a whole-federation one)."""
    return scope_of(user).commissioned


def commissions_network(user, network_id) -> bool:
    scope = scope_of(user)
    return scope.commissions_federation or network_id in scope.commissioned


def is_commissioner(user) -> bool:
    """Reads aggregated outcomes on behalf of a commissioning body: never a person."""
    scope = scope_of(user)
    return scope.commissions_federation or bool(scope.commissioned)


def is_privileged(user) -> bool:
    """The roles that must use two-factor authentication: coordinators and commissioners."""
    return is_coordinator(user) or is_commissioner(user)


def can_manage(user) -> bool:
    """Coordinates, hosts or commissions anything, so has a Manage area (a commissioner's
    shows only the outcomes)."""
    return is_coordinator(user) or bool(hosted_settlement_ids(user)) or is_commissioner(user)
