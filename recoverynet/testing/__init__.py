"""Test support for every app (above all of them; tests only): a two-network
world with one person per role, signing in as each, and query-count checks."""

from dataclasses import dataclass

from allauth.mfa.models import Authenticator

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import (
    CommissionerAccessFactory,
    FederationFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PartnershipFactory,
    SettlementFactory,
)
from recoverynet.federation.models import Membership, Sector

ROLES = (
    "anonymous",
    "member",
    "professional",
    "settlement_host",
    "network_coordinator",
    "federation_coordinator",
    "admin",
    "commissioner",
)
# Roles that must use two-factor authentication.
PRIVILEGED_ROLES = ("network_coordinator", "federation_coordinator", "admin", "commissioner")


def give_totp(user):
    """Enrol a TOTP authenticator, as a coordinator must have."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )


def sign_in(client, user):
    """Sign `user` in on a test client as allauth would: with the second factor
    passed in this session when they have a TOTP device (as privileged roles must)."""
    from recoverynet.accounts.second_factor import mark_second_factor

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        session = client.session
        mark_second_factor(session, user)
        session.save()
    return client


@dataclass
class World:
    federation: object
    own_network: object
    other_network: object
    own_settlement: object
    other_settlement: object
    own_organisation: object
    other_organisation: object
    own_partnership: object
    other_partnership: object
    users: dict  # role -> User (None for anonymous)
    own_membership: object  # the member's membership in own_network
    other_membership: object  # someone's membership in other_network


def build_world() -> World:
    """Two networks. Every role's person belongs to `own_network`, but the
    commissioner, who is no member of any network: someone from a commissioning
    body given read access to `own_network`'s aggregated outcomes. Nobody but
    the federation coordinator and admin has any say over `other_network`."""
    federation = FederationFactory()
    own, other = (
        NetworkFactory(federation=federation, name="Cumbria", slug="cumbria"),
        NetworkFactory(federation=federation, name="Merseyside", slug="merseyside"),
    )
    own_settlement = SettlementFactory(network=own, name="Carlisle Hub", slug="carlisle-hub")
    other_settlement = SettlementFactory(network=other, name="Bootle Hub", slug="bootle-hub")
    own_org = OrganisationFactory(name="Eden Recovery", slug="eden-recovery", networks=[own])
    other_org = OrganisationFactory(
        name="Mersey Works", slug="mersey-works", sector=Sector.SOCIAL_ENTERPRISE, networks=[other]
    )
    own_partnership = PartnershipFactory(lead_network=own, slug="own-partnership", organisations=[own_org])
    own_partnership.networks.set([own])
    other_partnership = PartnershipFactory(lead_network=other, slug="other-partnership", organisations=[other_org])
    other_partnership.networks.set([other])

    users = {"anonymous": None}
    users["member"] = UserFactory(display_name="Member", email="member@example.org")
    own_membership = MembershipFactory(user=users["member"], network=own, settlement=own_settlement)
    users["professional"] = UserFactory(display_name="Professional", email="professional@example.org")
    MembershipFactory(user=users["professional"], network=own, role=Membership.Role.PROFESSIONAL, organisation=own_org)
    users["settlement_host"] = UserFactory(display_name="Host", email="host@example.org")
    MembershipFactory(
        user=users["settlement_host"], network=own, role=Membership.Role.SETTLEMENT_HOST, settlement=own_settlement
    )
    users["network_coordinator"] = UserFactory(display_name="Coordinator", email="coordinator@example.org")
    MembershipFactory(user=users["network_coordinator"], network=own, role=Membership.Role.NETWORK_COORDINATOR)
    users["federation_coordinator"] = UserFactory(display_name="Federation", email="federation@example.org")
    federation.coordinators.add(users["federation_coordinator"])
    users["admin"] = UserFactory(display_name="Admin", email="admin@example.org", is_staff=True, is_superuser=True)
    users["commissioner"] = UserFactory(display_name="Commissioner", email="commissioner@example.org")
    CommissionerAccessFactory(
        user=users["commissioner"],
        network=own,
        body="Cumbria public health",
        granted_by=users["federation_coordinator"],
    )
    for role in PRIVILEGED_ROLES:
        give_totp(users[role])
    other_membership = MembershipFactory(network=other, settlement=other_settlement)
    return World(
        federation=federation,
        own_network=own,
        other_network=other,
        own_settlement=own_settlement,
        other_settlement=other_settlement,
        own_organisation=own_org,
        other_organisation=other_org,
        own_partnership=own_partnership,
        other_partnership=other_partnership,
        users=users,
        own_membership=own_membership,
        other_membership=other_membership,
    )


def assert_constant_queries(fetch, add_rows, *, few=3, many=30):
    """The query count of `fetch()` does not grow with the data: add_rows(few),
    count fetch()'s queries, add_rows(many - few) more, and fetch() again with
    the same count. Returns the second fetch's result; shows both runs' SQL on
    failure, so the query that grew is plain to see."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_rows(few)
    with CaptureQueriesContext(connection) as with_few:
        fetch()
    add_rows(many - few)
    with CaptureQueriesContext(connection) as with_many:
        result = fetch()
    if len(with_many) != len(with_few):
        listing = "\n".join(
            f"--- {label} ({len(queries)} queries)\n" + "\n".join(q["sql"] for q in queries.captured_queries)
            for label, queries in ((f"{few} rows", with_few), (f"{many} rows", with_many))
        )
        raise AssertionError(f"{len(with_few)} queries with {few} rows, {len(with_many)} with {many}:\n{listing}")
    return result


def run_schemathesis(operation, *, mode, path_parameters, examples, checks, cookies=None, headers=None):
    """Drive one OpenAPI operation with schemathesis-generated requests (in-process,
    repeatable: derandomized, no example database) and apply `checks` to every
    response. A negative mode with nothing left to make invalid is not a failure."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable

    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers, cookies=cookies)
        case.validate_response(response, checks=checks, headers=headers)

    try:
        run()
    except Unsatisfiable:
        # e.g. a GET whose only parameter is fixed to a real object: nothing to make invalid.
        if mode is not schemathesis.GenerationMode.NEGATIVE:
            raise


CONCURRENT_THREAD_TIMEOUT = 30


def run_concurrently(*calls):
    """For PostgreSQL race tests. Run each callable in its own thread (and so its own connection); return
    [("ok", result) or ("error", exception)] in the same order."""
    import threading

    from django.db import connections

    results = [None] * len(calls)

    def target(index, call):
        try:
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread raised
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(CONCURRENT_THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results
