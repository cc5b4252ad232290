"""Who may use the time bank's pages. An account or exchange someone may not see is "not found"."""

from recoverynet.testing.permissions import API_SIGNED_IN, COORDINATOR_OF_NETWORK, LOGIN, Case, roles, signed_in
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Account, Exchange

# The member's own account; coordinators see their network's; federation coordinators all.
ACCOUNT_VISIBLE = roles(
    404, anonymous=LOGIN, member=(200, 404), network_coordinator=(200, 404), federation_coordinator=200, admin=200
)

CASES = {
    "timebank:home": Case(signed_in(200)),
    # Someone who has joined already is sent back to their time bank page.
    "timebank:join": Case(roles(200, anonymous=LOGIN, member=(302, 200)), obj="network"),
    "timebank:statement": Case(ACCOUNT_VISIBLE, obj="account"),
    "timebank:statement_csv": Case(ACCOUNT_VISIBLE, obj="account"),
    "timebank:exchange_new": Case(ACCOUNT_VISIBLE, obj="account"),
    "timebank:exchange_decide": Case(ACCOUNT_VISIBLE, obj="exchange"),
    # Only the holder leaves their own account; anyone else's is "not found".
    "timebank:leave": Case(roles(404, anonymous=LOGIN, member=(200, 404)), obj="account"),
    # The network's coordinators (and the federation's).
    "timebank:manage": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "timebank:manage_open_account": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "timebank:manage_record": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "timebank:manage_group": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "timebank:manage_report": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "timebank:manage_report_csv": Case(COORDINATOR_OF_NETWORK, obj="network", post=COORDINATOR_OF_NETWORK),
}

# The API: the same rules, with 403 for the signed-out and "not found" for what is not yours.
API_ACCOUNT_VISIBLE = roles(
    404, anonymous=403, member=(200, 404), network_coordinator=(200, 404), federation_coordinator=200, admin=200
)

API_CASES = {
    "timebank-account-list": Case(API_SIGNED_IN),
    "timebank-account-detail": Case(API_ACCOUNT_VISIBLE, obj="account_api"),
    "timebank-account-statement": Case(API_ACCOUNT_VISIBLE, obj="account_api"),
    "timebank-exchange-list": Case(API_SIGNED_IN),
    "timebank-exchange-detail": Case(API_ACCOUNT_VISIBLE, obj="exchange_api"),
    # The receiver confirms; their network's coordinators may, for a member offline.
    "timebank-exchange-confirm": Case(API_ACCOUNT_VISIBLE, obj="exchange_api", method="post"),
    "timebank-exchange-dispute": Case(
        API_ACCOUNT_VISIBLE, obj="exchange_api", method="post", data={"reason": "It was shorter"}
    ),
}


def build(world):
    """In each network: the member's (or someone's) account, and an exchange they are asked to confirm."""
    objects = {}
    for scope, network, user in (
        ("own", world.own_network, world.users["member"]),
        ("other", world.other_network, world.other_membership.user),
    ):
        account = Account.objects.create(network=network, kind=Account.Kind.MEMBER, user=user)
        giver = MemberAccountFactory(network=network)
        exchange = Exchange.objects.create(
            network=network, giver=giver, receiver=account, minutes=30, description="Lift", recorded_by=giver.user
        )
        objects[scope] = {
            "account": {"pk": account.pk},
            "exchange": {"pk": exchange.pk},
            "account_api": {"pk": account.pk},
            "exchange_api": {"pk": exchange.pk},
        }
    return objects
