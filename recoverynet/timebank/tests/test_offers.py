"""Offers and requests: who may post, answer and agree; vetting; blocks both ways;
reports; who sees what across networks. Every refusal writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recoverynet.core.models import AuditEntry
from recoverynet.core.personal_data import TEXT_NOT_RECORDED
from recoverynet.federation.factories import MembershipFactory, NetworkFactory
from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import (
    DEFAULT_CATEGORIES,
    Block,
    Category,
    Exchange,
    Post,
    Report,
    Response,
    Transaction,
    Vetting,
)
from recoverynet.timebank.selectors import posts_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(db):
    services.ensure_default_categories()
    return {category.slug: category for category in Category.objects.all()}


def post_data(categories, **changes):
    return {
        "kind": "offer",
        "category": categories["gardening"],
        "title": "Help in your garden",
        "description": "Saturday mornings",
        "visibility": "network",
        **changes,
    }


def offered(account, categories, **changes):
    return services.create_post(actor=account.user, account=account, data=post_data(categories, **changes))


def timebank_audit_count():
    return AuditEntry.objects.filter(content_type__app_label="timebank").count()


def visible(user):
    return set(posts_visible_to(user).values_list("pk", flat=True))


# --- Categories -------------------------------------------------------------------


def test_default_categories_are_data_added_once(db):
    Category.objects.all().delete()
    assert services.ensure_default_categories() == len(DEFAULT_CATEGORIES)
    assert services.ensure_default_categories() == 0
    vetted = set(Category.objects.filter(requires_vetting=True).values_list("slug", flat=True))
    assert vetted == {"home-visits", "with-children"}
    assert list(Category.objects.filter(co_production=True).values_list("slug", flat=True)) == ["co-production"]
    names = set(Category.objects.values_list("name", flat=True))
    assert {"Lifts to meetings", "Cooking", "Befriending", "CV help", "DIY", "Gardening", "Peer support"} <= names
    assert "Digital help" in names


# --- Posting ------------------------------------------------------------------------


def test_a_member_posts_edits_and_closes_an_offer(world, accounts, categories):
    member = world.users["member"]
    post = offered(accounts["own"], categories)
    assert (post.network, post.poster, post.status) == (world.own_network, accounts["own"], Post.Status.OPEN)
    entry = AuditEntry.objects.get(object_id=str(post.pk), content_type__model="post")
    assert entry.actor == member and entry.network == world.own_network
    assert entry.changes["title"] == [None, TEXT_NOT_RECORDED]  # free text never copied into the log
    changed = services.update_post(actor=member, post=post, data=post_data(categories, title="Help with hedges"))
    assert set(changed) == {"title"}
    services.close_post(actor=member, post=post)
    post.refresh_from_db()
    assert post.status == Post.Status.CLOSED and post.title == "Help with hedges"
    with pytest.raises(ValidationError, match="already closed"):
        services.close_post(actor=member, post=post)
    with pytest.raises(ValidationError, match="closed"):
        services.update_post(actor=member, post=post, data=post_data(categories))


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("kind", {"kind": "swap"}),
        ("kind", {"kind": None}),
        ("category", {"category": None}),
        ("category", {"category": "gardening"}),
        ("title", {"title": "   "}),
        ("title", {"title": "x" * 121}),
        ("title", {"title": "nul\x00"}),
        ("title", {"title": 12}),
        ("description", {"description": "x" * 2001}),
        ("visibility", {"visibility": "everyone"}),
    ],
)
def test_a_bad_post_is_a_clear_error_and_writes_nothing(world, accounts, categories, field, changes):
    before = timebank_audit_count()
    with pytest.raises(ValidationError) as caught:
        offered(accounts["own"], categories, **changes)
    assert field in caught.value.message_dict
    assert not Post.objects.exists() and timebank_audit_count() == before


def test_an_inactive_category_cannot_be_chosen(world, accounts, categories):
    Category.objects.filter(slug="diy").update(is_active=False)
    categories["diy"].refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        offered(accounts["own"], categories, category=categories["diy"])
    assert "category" in caught.value.message_dict


def test_only_the_account_holder_posts_and_only_the_poster_changes(world, accounts, categories):
    data = post_data(categories)
    with pytest.raises(PermissionDenied):  # somebody else's account
        services.create_post(actor=world.users["member"], account=accounts["neighbour"], data=data)
    with pytest.raises(PermissionDenied):  # another network's coordinator
        services.create_post(actor=world.users["network_coordinator"], account=accounts["elsewhere"], data=data)
    assert not Post.objects.exists()
    post = offered(accounts["neighbour"], categories)
    for role in ("member", "network_coordinator", "federation_coordinator", "admin"):
        with pytest.raises(PermissionDenied):
            services.update_post(actor=world.users[role], post=post, data=post_data(categories, title="Mine now"))
        with pytest.raises(PermissionDenied):
            services.close_post(actor=world.users[role], post=post)
    post.refresh_from_db()
    assert post.title == "Help in your garden" and post.status == Post.Status.OPEN


def test_a_closed_account_cannot_post(world, accounts, categories):
    accounts["own"].is_open = False
    accounts["own"].save(update_fields=["is_open"])
    with pytest.raises(ValidationError, match="Join"):
        offered(accounts["own"], categories)
    assert not Post.objects.exists()


# --- Vetting ------------------------------------------------------------------------


def test_offering_help_that_needs_vetting_takes_a_vetted_member(world, accounts, categories):
    member, coordinator = world.users["member"], world.users["network_coordinator"]
    with pytest.raises(ValidationError) as caught:
        offered(accounts["own"], categories, category=categories["home-visits"])
    message = caught.value.message_dict["category"][0]
    assert "Home visits" in message and "Ask a coordinator of Cumbria about being vetted" in message
    assert not Post.objects.exists()
    # Asking for such help needs no vetting: giving it does.
    offered(accounts["own"], categories, kind="request", category=categories["with-children"])
    assert services.set_vetted(actor=coordinator, user=member, network=world.own_network, vetted=True) is True
    assert offered(accounts["own"], categories, category=categories["home-visits"]).pk


def test_answering_a_request_that_needs_vetting_takes_a_vetted_member(world, accounts, categories):
    member, coordinator = world.users["member"], world.users["network_coordinator"]
    request = offered(accounts["neighbour"], categories, kind="request", category=categories["home-visits"])
    with pytest.raises(ValidationError, match="you are not marked vetted in Cumbria"):
        services.respond_to_post(actor=member, post=request, message="I can visit")
    assert not Response.objects.exists()
    services.set_vetted(actor=coordinator, user=member, network=world.own_network, vetted=True)
    response = services.respond_to_post(actor=member, post=request, message="I can visit")
    # Unmarked before the poster agrees: the giver is no longer vetted, so nothing is agreed.
    services.set_vetted(actor=coordinator, user=member, network=world.own_network, vetted=False)
    with pytest.raises(ValidationError, match="Member is not marked vetted"):
        services.agree_response(actor=accounts["neighbour"].user, response=response, minutes=60)
    assert not Exchange.objects.exists()
    response.refresh_from_db()
    assert response.status == Response.Status.WAITING


def test_receiving_help_that_needs_vetting_needs_no_vetting(world, accounts, categories):
    coordinator = world.users["network_coordinator"]
    services.set_vetted(actor=coordinator, user=accounts["neighbour"].user, network=world.own_network, vetted=True)
    offer = offered(accounts["neighbour"], categories, category=categories["with-children"])
    response = services.respond_to_post(actor=world.users["member"], post=offer, message="Tuesday school run?")
    exchange = services.agree_response(actor=accounts["neighbour"].user, response=response, minutes=45)
    assert (exchange.giver, exchange.receiver) == (accounts["neighbour"], accounts["own"])


def test_coordinators_mark_and_unmark_vetted_in_their_network_only(world, accounts):
    member, coordinator = world.users["member"], world.users["network_coordinator"]
    for role in ("member", "professional", "settlement_host"):
        with pytest.raises(PermissionDenied):
            services.set_vetted(actor=world.users[role], user=member, network=world.own_network, vetted=True)
    with pytest.raises(PermissionDenied):
        services.set_vetted(
            actor=coordinator, user=accounts["elsewhere"].user, network=world.other_network, vetted=True
        )
    with pytest.raises(ValidationError, match="Only members of Cumbria"):
        services.set_vetted(actor=coordinator, user=accounts["elsewhere"].user, network=world.own_network, vetted=True)
    assert not Vetting.objects.exists()
    assert services.set_vetted(actor=coordinator, user=member, network=world.own_network, vetted=True) is True
    assert services.set_vetted(actor=coordinator, user=member, network=world.own_network, vetted=True) is False
    vetting = Vetting.objects.get()
    assert vetting.marked_by == coordinator
    assert services.set_vetted(actor=coordinator, user=member, network=world.own_network, vetted=False) is True
    assert not Vetting.objects.exists()
    entries = AuditEntry.objects.filter(content_type__model="vetting", object_id=str(vetting.pk)).order_by("pk")
    assert [(e.action, e.actor, e.summary) for e in entries] == [
        (AuditEntry.Action.CREATE, coordinator, "Marked a member vetted"),
        (AuditEntry.Action.DELETE, coordinator, "No longer marked vetted"),
    ]


# --- Answering and agreeing -----------------------------------------------------


def test_an_answered_offer_becomes_an_exchange_the_receiver_confirms(world, accounts, categories):
    member = world.users["member"]
    giver = accounts["neighbour"]
    offer = offered(giver, categories)
    response = services.respond_to_post(actor=member, post=offer, message="  Saturday suits me  ")
    assert response.message == "Saturday suits me" and response.responder == accounts["own"]
    with pytest.raises(PermissionDenied):  # only the poster agrees
        services.agree_response(actor=member, response=response, minutes=60)
    with pytest.raises(PermissionDenied):
        services.agree_response(actor=world.users["network_coordinator"], response=response, minutes=60)
    exchange = services.agree_response(actor=giver.user, response=response, minutes=90, description="Hedges")
    assert (exchange.giver, exchange.receiver, exchange.minutes) == (giver, accounts["own"], 90)
    assert exchange.status == Exchange.Status.RECORDED and exchange.recorded_by == giver.user
    assert not Transaction.objects.exists()  # nothing moves until the receiver confirms
    response.refresh_from_db()
    assert response.status == Response.Status.AGREED and response.exchange == exchange
    assert AuditEntry.objects.filter(content_type__model="response", summary="Agreed").exists()
    with pytest.raises(ValidationError, match="already agreed"):
        services.agree_response(actor=giver.user, response=response, minutes=90)
    services.confirm_exchange(actor=member, exchange=exchange)
    assert (giver.balance(), accounts["own"].balance()) == (90, -90)


def test_an_answered_request_is_given_by_the_responder_and_confirmed_by_the_poster(world, accounts, categories):
    member = world.users["member"]
    request = offered(accounts["own"], categories, kind="request", title="A lift on Tuesday")
    helper = accounts["neighbour"]
    response = services.respond_to_post(actor=helper.user, post=request, message="I drive past you")
    exchange = services.agree_response(actor=member, response=response, minutes=30)
    assert (exchange.giver, exchange.receiver, exchange.recorded_by) == (helper, accounts["own"], member)
    assert exchange.description == "A lift on Tuesday"
    with pytest.raises(PermissionDenied):  # the giver does not confirm their own time
        services.confirm_exchange(actor=helper.user, exchange=exchange)
    services.confirm_exchange(actor=member, exchange=exchange)
    assert helper.balance() == 30


@pytest.mark.parametrize("minutes", [0, -30, 1.5, "60", None, 10**6])
def test_a_bad_agreed_time_writes_nothing(world, accounts, categories, minutes):
    offer = offered(accounts["neighbour"], categories)
    response = services.respond_to_post(actor=world.users["member"], post=offer, message="Yes please")
    before = timebank_audit_count()
    with pytest.raises(ValidationError) as caught:
        services.agree_response(actor=accounts["neighbour"].user, response=response, minutes=minutes)
    assert "minutes" in caught.value.message_dict
    response.refresh_from_db()
    assert response.status == Response.Status.WAITING and not Exchange.objects.exists()
    assert timebank_audit_count() == before


def test_answers_that_are_refused(world, accounts, categories):
    member = world.users["member"]
    own = offered(accounts["own"], categories)
    with pytest.raises(ValidationError, match="your own post"):
        services.respond_to_post(actor=member, post=own, message="Me!")
    offer = offered(accounts["neighbour"], categories)
    for message in ("", "   ", "x" * 501, "\x00"):
        with pytest.raises(ValidationError):
            services.respond_to_post(actor=member, post=offer, message=message)
    services.respond_to_post(actor=member, post=offer, message="Yes please")
    with pytest.raises(ValidationError, match="already answered"):
        services.respond_to_post(actor=member, post=offer, message="Again")
    services.close_post(actor=accounts["neighbour"].user, post=offer)
    with pytest.raises(ValidationError, match="closed"):
        services.respond_to_post(actor=accounts["third"].user, post=offer, message="Too late")
    with pytest.raises(PermissionDenied):  # a network-only post in another network
        services.respond_to_post(
            actor=accounts["elsewhere"].user, post=offered(accounts["third"], categories), message="Hi"
        )
    assert Response.objects.count() == 1


def test_a_member_without_a_time_bank_account_cannot_answer(world, accounts, categories):
    offer = offered(accounts["neighbour"], categories)
    with pytest.raises(ValidationError, match="Join the Cumbria time bank"):
        services.respond_to_post(actor=world.users["professional"], post=offer, message="Hello")
    assert not Response.objects.exists()


# --- Across the federation ------------------------------------------------------------


def test_who_sees_which_posts_across_networks(world, accounts, categories):
    local = offered(accounts["neighbour"], categories)
    wide = offered(accounts["third"], categories, visibility="federation")
    theirs = offered(accounts["elsewhere"], categories)
    theirs_wide = offered(accounts["elsewhere"], categories, visibility="federation")
    member, stranger = world.users["member"], accounts["elsewhere"].user
    assert visible(member) == {local.pk, wide.pk, theirs_wide.pk}
    assert visible(stranger) == {theirs.pk, theirs_wide.pk, wide.pk}
    assert visible(world.users["network_coordinator"]) == {local.pk, wide.pk, theirs_wide.pk}
    assert visible(world.users["federation_coordinator"]) == {local.pk, wide.pk, theirs.pk, theirs_wide.pk}
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
    # A federation-wide post in another federation's network stays there.
    from recoverynet.federation.factories import FederationFactory

    outsider = MemberAccountFactory(network=NetworkFactory(federation=FederationFactory(slug="elsewhere")))
    elsewhere_wide = offered(outsider, categories, visibility="federation")
    assert elsewhere_wide.pk not in visible(member)
    # Someone who belongs to no network sees no other network's posts, federation-wide or not.
    loner = MemberAccountFactory(network=world.own_network).user
    loner.memberships.update(status="left")
    from recoverynet.core import scoping

    scoping.forget_scope(loner)
    assert visible(loner) == set()


def test_a_federation_wide_post_is_answered_from_another_network_but_agreed_only_within_one(
    world, accounts, categories
):
    wide = offered(accounts["neighbour"], categories, visibility="federation")
    stranger = accounts["elsewhere"].user
    response = services.respond_to_post(actor=stranger, post=wide, message="I can come over")
    assert response.responder == accounts["elsewhere"]
    with pytest.raises(ValidationError, match="is not in the Cumbria time bank"):
        services.agree_response(actor=accounts["neighbour"].user, response=response, minutes=60)
    assert not Exchange.objects.exists()
    # Once they join the Cumbria time bank too, the exchange is recorded there.
    MembershipFactory(user=stranger, network=world.own_network)
    here = services.open_member_account(actor=stranger, user=stranger, network=world.own_network)
    exchange = services.agree_response(actor=accounts["neighbour"].user, response=response, minutes=60)
    assert exchange.receiver == here and exchange.network == world.own_network


# --- Blocks -------------------------------------------------------------------------


def test_a_block_works_both_ways(world, accounts, categories):
    member, neighbour = world.users["member"], accounts["neighbour"].user
    theirs = offered(accounts["neighbour"], categories)
    mine = offered(accounts["own"], categories, kind="request")
    response = services.respond_to_post(actor=member, post=theirs, message="Yes please")
    block = services.block_member(actor=neighbour, member=member)
    assert services.block_member(actor=neighbour, member=member) == block  # once
    assert theirs.pk not in visible(member) and mine.pk not in visible(neighbour)
    assert mine.pk in visible(member) and theirs.pk in visible(neighbour)  # their own stay
    with pytest.raises(PermissionDenied):
        services.respond_to_post(actor=member, post=theirs, message="Hello?")
    with pytest.raises(PermissionDenied):
        services.respond_to_post(actor=neighbour, post=mine, message="Hello?")
    with pytest.raises(ValidationError, match="blocked"):  # an answer made before the block
        services.agree_response(actor=neighbour, response=response, minutes=30)
    assert not Exchange.objects.exists()
    # The coordinators still see both, to help.
    assert {theirs.pk, mine.pk} <= visible(world.users["network_coordinator"])
    with pytest.raises(PermissionDenied):
        services.unblock_member(actor=member, block=block)
    services.unblock_member(actor=neighbour, block=block)
    assert not Block.objects.exists() and theirs.pk in visible(member)
    assert AuditEntry.objects.filter(content_type__model="block", summary="Unblocked a member").exists()


def test_blocking_yourself_or_signed_out_is_refused(world):
    from django.contrib.auth.models import AnonymousUser

    member = world.users["member"]
    with pytest.raises(ValidationError, match="yourself"):
        services.block_member(actor=member, member=member)
    with pytest.raises(PermissionDenied):
        services.block_member(actor=AnonymousUser(), member=member)
    assert not Block.objects.exists()


# --- Reports ------------------------------------------------------------------------


def test_a_report_goes_to_the_networks_coordinators_who_close_it(world, accounts, categories):
    member, coordinator = world.users["member"], world.users["network_coordinator"]
    post = offered(accounts["neighbour"], categories)
    report = services.report_to_coordinators(
        actor=member,
        network=world.own_network,
        reason="scam",
        details="Asked me for £20",
        post=post,
        member=post.poster.user,
    )
    entry = AuditEntry.objects.get(content_type__model="report", object_id=str(report.pk))
    assert entry.changes["details"] == [None, TEXT_NOT_RECORDED]
    for role in ("member", "professional", "settlement_host"):
        with pytest.raises(PermissionDenied):
            services.close_report(actor=world.users[role], report=report, outcome="no_action")
        with pytest.raises(PermissionDenied):
            services.set_post_hidden(actor=world.users[role], post=post, hidden=True)
    with pytest.raises(ValidationError) as caught:
        services.close_report(actor=coordinator, report=report, outcome="banished")
    assert "outcome" in caught.value.message_dict
    services.set_post_hidden(actor=coordinator, post=post, hidden=True)
    assert post.pk not in visible(member) and post.pk in visible(accounts["neighbour"].user)
    assert post.pk in visible(coordinator)
    services.close_report(actor=coordinator, report=report, outcome="post_hidden", note="Spoke to them")
    report.refresh_from_db()
    assert (report.status, report.outcome, report.closed_by) == (Report.Status.CLOSED, "post_hidden", coordinator)
    with pytest.raises(ValidationError, match="already closed"):
        services.close_report(actor=coordinator, report=report, outcome="no_action")
    # Another network's coordinator has no say.
    stranger_coordinator = MemberAccountFactory(network=world.other_network).user
    stranger_coordinator.memberships.update(role="network_coordinator")
    other_report = services.report_to_coordinators(
        actor=member, network=world.own_network, reason="other", member=post.poster.user
    )
    with pytest.raises(PermissionDenied):
        services.close_report(actor=stranger_coordinator, report=other_report, outcome="no_action")


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"reason": "boring"}, "reason"),
        ({"reason": None}, "reason"),
        ({"details": "x" * 1001}, "details"),
        ({"post": None, "member": None}, "which post or member"),
        ({"member": "self"}, "yourself"),
        ({"network": "other"}, "own network"),
    ],
)
def test_a_bad_report_writes_nothing(world, accounts, categories, changes, match):
    post = offered(accounts["neighbour"], categories)
    before = timebank_audit_count()
    data = {"network": world.own_network, "reason": "other", "details": "", "post": post, "member": None, **changes}
    if data["member"] == "self":
        data["member"] = world.users["member"]
    if data["network"] == "other":
        data["network"] = world.other_network
    with pytest.raises(ValidationError, match=match):
        services.report_to_coordinators(actor=world.users["member"], **data)
    assert not Report.objects.exists() and timebank_audit_count() == before


def test_the_demo_has_offers_and_requests_across_categories_and_loads_once(db):
    from recoverynet.core.registry import DemoContext
    from recoverynet.federation.demo.loader import load_federation_demo
    from recoverynet.timebank.demo import load_timebank_demo

    demo = DemoContext()
    load_federation_demo(demo)
    load_timebank_demo(demo)
    posts = Post.objects.count()
    assert posts >= 10
    assert Post.objects.values("category").distinct().count() >= 9
    assert set(Post.objects.values_list("kind", flat=True)) == {"offer", "request"}
    assert Post.objects.filter(visibility="federation").exists()
    assert Response.objects.count() >= 4 and Response.objects.filter(status="agreed").exists()
    assert Post.objects.filter(category__requires_vetting=True).exists()
    assert Post.objects.filter(poster__user__email="demo.member@example.org", responses__isnull=False).exists()
    load_timebank_demo(demo)
    assert Post.objects.count() == posts
