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


# --- Offers and requests ----------------------------------------------------------
# In each network: a post by another member (the member answered the own one), and a report about it.
# Posts are seen by the members of their network; an answer by its poster, its responder and coordinators.

POST_VISIBLE = roles(
    404,
    anonymous=LOGIN,
    member=(200, 404),
    professional=(200, 404),
    settlement_host=(200, 404),
    network_coordinator=(200, 404),
    federation_coordinator=200,
    admin=200,
)
ONLY_THE_POSTER = {
    role: (403, 404) if isinstance(status, tuple) else (403 if status == 200 else status)
    for role, status in POST_VISIBLE.items()
}
# The member wrote the own answer: they may not report or block themselves, nor agree it (the poster does).
ANSWER_SEEN_BY_OTHERS = roles(
    404, anonymous=LOGIN, member=(403, 404), network_coordinator=(200, 404), federation_coordinator=200, admin=200
)
ANSWER_AGREED_BY_ITS_POSTER = roles(
    404, anonymous=LOGIN, member=(403, 404), network_coordinator=(403, 404), federation_coordinator=403, admin=403
)
COORDINATOR_OF_NETWORK = roles(
    403, anonymous=LOGIN, network_coordinator=(200, 403), federation_coordinator=200, admin=200
)
REPORT_VISIBLE = roles(404, anonymous=LOGIN, network_coordinator=(200, 404), federation_coordinator=200, admin=200)

CASES.update(
    {
        "timebank:post_list": Case(signed_in(200)),
        "timebank:post_new": Case(ACCOUNT_VISIBLE, obj="account"),
        "timebank:post_detail": Case(POST_VISIBLE, obj="post"),
        "timebank:post_edit": Case(ONLY_THE_POSTER, obj="post"),
        "timebank:post_report": Case(POST_VISIBLE, obj="post"),
        "timebank:post_block": Case(POST_VISIBLE, obj="post"),
        "timebank:response_agree": Case(ANSWER_AGREED_BY_ITS_POSTER, obj="response"),
        "timebank:response_report": Case(ANSWER_SEEN_BY_OTHERS, obj="response"),
        "timebank:response_block": Case(ANSWER_SEEN_BY_OTHERS, obj="response"),
        "timebank:blocks": Case(signed_in(200)),
        "timebank:manage:vetting": Case(COORDINATOR_OF_NETWORK, obj="network"),
        "timebank:manage:reports": Case(COORDINATOR_OF_NETWORK, obj="network"),
        "timebank:manage:report_detail": Case(REPORT_VISIBLE, obj="report"),
    }
)

_build_ledger = build


def build(world):  # noqa: F811 - the ledger's objects, and the offers' beside them
    from recoverynet.timebank.models import Category, Post, Report, Response

    objects = _build_ledger(world)
    category, _ = Category.objects.get_or_create(slug="gardening", defaults={"name": "Gardening"})
    for scope, network in (("own", world.own_network), ("other", world.other_network)):
        answering = Account.objects.get(pk=objects[scope]["account"]["pk"])
        poster = MemberAccountFactory(network=network)
        post = Post.objects.create(
            network=network, poster=poster, kind=Post.Kind.OFFER, category=category, title="Help in the garden"
        )
        response = Response.objects.create(post=post, responder=answering, message="I would love that")
        report = Report.objects.create(
            network=network, reporter=answering.user, post=post, reported_member=poster.user, reason="other"
        )
        objects[scope].update(
            {
                "post": {"pk": post.pk},
                "post_api": {"pk": post.pk},
                "response": {"pk": response.pk},
                "report": {"pk": report.pk},
            }
        )
    return objects


# The API for offers and requests: posts are seen as on the pages ("not found" otherwise). The member
# answered the own post already: the same message again answers with that answer. Anyone else who sees
# it has no time bank account, so answering is a 400 that says to join first.
API_POST_VISIBLE = roles(
    404,
    anonymous=403,
    member=(200, 404),
    professional=(200, 404),
    settlement_host=(200, 404),
    network_coordinator=(200, 404),
    federation_coordinator=200,
    admin=200,
)
API_ANSWER = roles(
    404,
    anonymous=403,
    member=(200, 404),
    professional=(400, 404),
    settlement_host=(400, 404),
    network_coordinator=(400, 404),
    federation_coordinator=400,
    admin=400,
)
API_CASES.update(
    {
        "timebank-post-list": Case(API_SIGNED_IN),
        "timebank-post-detail": Case(API_POST_VISIBLE, obj="post_api"),
        "timebank-post-respond": Case(API_ANSWER, obj="post_api", method="post", data={"message": "I would love that"}),
    }
)
