"""Who may use the federation's pages and API. Its objects ("network",
"settlement", "organisation", "partnership", "membership", "person") fill
the URLs of every app's cases."""

from recoverynet.testing.permissions import (
    ALL,
    API_PERSON_VISIBLE,
    API_SIGNED_IN,
    COORDINATOR_OF_NETWORK,
    FEDERATION_ONLY,
    LOGIN,
    Case,
    roles,
)

MANAGE_SETTLEMENT = roles(
    403,
    anonymous=LOGIN,
    settlement_host=(200, 403),
    network_coordinator=(200, 403),
    federation_coordinator=200,
    admin=200,
)


def build(world):
    from recoverynet.federation.factories import CommissionerAccessFactory
    from recoverynet.federation.models import CommissionerAccess

    own_access = CommissionerAccess.objects.get(user=world.users["commissioner"])
    other_access = CommissionerAccessFactory(network=world.other_network)
    accesses = {"own": {"pk": own_access.pk}, "other": {"pk": other_access.pk}}
    return {
        scope: {
            "commissioner_access": accesses[scope],
            "network": {"slug": network.slug},
            "settlement": {"slug": settlement.slug},
            "organisation": {"slug": organisation.slug},
            "partnership": {"slug": partnership.slug},
            "membership": {"pk": membership.pk},
            "person": {"pk": membership.user_id},
        }
        for scope, network, settlement, organisation, partnership, membership in (
            (
                "own",
                world.own_network,
                world.own_settlement,
                world.own_organisation,
                world.own_partnership,
                world.own_membership,
            ),
            (
                "other",
                world.other_network,
                world.other_settlement,
                world.other_organisation,
                world.other_partnership,
                world.other_membership,
            ),
        )
    }


CASES = {
    # Public site
    "federation:home": Case(ALL),
    "federation:network_list": Case(ALL),
    "federation:network_detail": Case(ALL, obj="network"),
    "federation:settlement_detail": Case(ALL, obj="settlement"),
    "federation:organisation_list": Case(ALL),
    "federation:organisation_detail": Case(ALL, obj="organisation"),
    "federation:partnership_list": Case(ALL),
    "federation:partnership_detail": Case(ALL, obj="partnership"),
    # Coordinators', hosts' and commissioners' pages (a commissioner's shows only the outcomes)
    "federation:manage:index": Case(roles(200, anonymous=LOGIN, member=403, professional=403)),
    # Only the federation coordinator gives and ends commissioners' access.
    "federation:manage:commissioner_list": Case(FEDERATION_ONLY),
    "federation:manage:commissioner_grant": Case(FEDERATION_ONLY),
    "federation:manage:commissioner_revoke": Case(FEDERATION_ONLY, obj="commissioner_access"),
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
}


API_CASES = {
    "network-list": Case(ALL),
    "network-detail": Case(ALL, obj="network"),
    "settlement-list": Case(ALL),
    "settlement-detail": Case(ALL, obj="settlement"),
    "organisation-list": Case(ALL),
    "organisation-detail": Case(ALL, obj="organisation"),
    "partnership-list": Case(ALL),
    "partnership-detail": Case(ALL, obj="partnership"),
    "membership-list": Case(API_SIGNED_IN),
    "membership-detail": Case(
        API_PERSON_VISIBLE,
        obj="membership",
    ),
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
}
