"""Exchanges carry a category: from the agreed post, or chosen when time is
recorded (by the giver, by a coordinator for members offline, for a group
activity). Only active categories; vetting rules apply to whoever gave the time."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Account, Category, Exchange, Post, Transaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(db):
    services.ensure_default_categories()
    return {category.slug: category for category in Category.objects.all()}


@pytest.fixture
def coordinator(world):
    return world.users["network_coordinator"]


@pytest.fixture
def eden(world, coordinator):
    return services.open_holder_account(
        actor=coordinator, network=world.own_network, organisation=world.own_organisation
    )


def test_the_giver_chooses_a_category_and_the_confirmed_transaction_keeps_it(world, categories):
    giver = MemberAccountFactory(network=world.own_network)
    receiver = MemberAccountFactory(network=world.own_network)
    exchange = services.record_exchange(
        actor=giver.user,
        giver=giver,
        receiver=receiver,
        minutes=60,
        description="Garden",
        category=categories["gardening"],
    )
    assert exchange.category == categories["gardening"]
    services.confirm_exchange(actor=receiver.user, exchange=exchange)
    exchange.refresh_from_db()
    assert exchange.transaction.category == categories["gardening"]


def test_no_category_is_fine(world):
    giver = MemberAccountFactory(network=world.own_network)
    receiver = MemberAccountFactory(network=world.own_network)
    exchange = services.record_exchange(actor=giver.user, giver=giver, receiver=receiver, minutes=5, description="x")
    assert exchange.category is None


def test_an_inactive_category_or_something_else_is_refused_and_nothing_written(world, categories):
    giver = MemberAccountFactory(network=world.own_network)
    receiver = MemberAccountFactory(network=world.own_network)
    old = categories["diy"]
    old.is_active = False
    old.save()
    for bad in (old, "diy", 3, object()):
        with pytest.raises(ValidationError) as caught:
            services.record_exchange(
                actor=giver.user, giver=giver, receiver=receiver, minutes=5, description="x", category=bad
            )
        assert "category" in caught.value.message_dict
    assert Exchange.objects.count() == 0


def test_a_vetted_category_needs_a_vetted_giver(world, categories, coordinator):
    giver = MemberAccountFactory(network=world.own_network)
    receiver = MemberAccountFactory(network=world.own_network)
    visits = categories["home-visits"]
    with pytest.raises(ValidationError) as caught:
        services.record_exchange(
            actor=giver.user, giver=giver, receiver=receiver, minutes=5, description="x", category=visits
        )
    assert "you are not marked vetted" in caught.value.message_dict["category"][0]
    assert Exchange.objects.count() == 0
    # The receiver being vetted changes nothing: the rule is about who gives.
    services.set_vetted(actor=coordinator, user=receiver.user, network=world.own_network, vetted=True)
    with pytest.raises(ValidationError):
        services.record_exchange(
            actor=giver.user, giver=giver, receiver=receiver, minutes=5, description="x", category=visits
        )
    services.set_vetted(actor=coordinator, user=giver.user, network=world.own_network, vetted=True)
    exchange = services.record_exchange(
        actor=giver.user, giver=giver, receiver=receiver, minutes=5, description="x", category=visits
    )
    assert exchange.category == visits


def test_an_agreed_answer_carries_the_posts_category(world, categories):
    poster = MemberAccountFactory(network=world.own_network)
    helper = MemberAccountFactory(network=world.own_network)
    post = services.create_post(
        actor=poster.user,
        account=poster,
        data={
            "kind": "request",
            "category": categories["cooking"],
            "title": "Help me cook",
            "description": "",
            "visibility": "network",
        },
    )
    response = services.respond_to_post(actor=helper.user, post=post, message="I can")
    exchange = services.agree_response(actor=poster.user, response=response, minutes=90)
    assert exchange.category == categories["cooking"] and exchange.giver == helper
    assert post.kind == Post.Kind.REQUEST


def test_the_coordinators_offline_form_records_a_category(world, categories, coordinator, client_for):
    giver = MemberAccountFactory(network=world.own_network)
    receiver = MemberAccountFactory(network=world.own_network)
    client = client_for(coordinator)
    url = reverse("timebank:manage_record", kwargs={"slug": world.own_network.slug})
    data = {
        "giver": giver.pk,
        "receiver": receiver.pk,
        "hours": "1",
        "minutes": "",
        "description": "Meeting the commissioners",
        "note": "I was there",
        "category": categories["co-production"].pk,
        "idempotency_key": "k1",
    }
    assert client.post(url, data).status_code == 302
    exchange = Exchange.objects.get()
    assert exchange.category == exchange.transaction.category == categories["co-production"]
    # A vetted-only category for an unvetted giver: the form says so, nothing written.
    page = client.post(url, data | {"category": categories["home-visits"].pk, "idempotency_key": "k2"})
    assert page.status_code == 200 and "not marked vetted" in page.content.decode()
    assert Exchange.objects.count() == 1


def test_a_group_activity_records_a_category_and_checks_every_member(world, categories, coordinator, eden, client_for):
    a = MemberAccountFactory(network=world.own_network)
    b = MemberAccountFactory(network=world.own_network)
    client = client_for(coordinator)
    url = reverse("timebank:manage_group", kwargs={"slug": world.own_network.slug})
    data = {
        "payer": eden.pk,
        "description": "Service design day",
        "hours": "2",
        "minutes": "",
        "members": [a.pk, b.pk],
        "category": categories["co-production"].pk,
        "idempotency_key": "g1",
    }
    assert client.post(url, data).status_code == 302
    assert Transaction.objects.get().category == categories["co-production"]
    services.set_vetted(actor=coordinator, user=a.user, network=world.own_network, vetted=True)
    page = client.post(url, data | {"category": categories["with-children"].pk, "idempotency_key": "g2"})
    assert page.status_code == 200 and b.user.display_name in page.content.decode()  # b is not vetted
    assert Transaction.objects.count() == 1


def test_the_members_form_offers_active_categories_and_saves_the_choice(world, categories, client_for):
    own = Account.objects.create(network=world.own_network, kind=Account.Kind.MEMBER, user=world.users["member"])
    other = MemberAccountFactory(network=world.own_network)
    client = client_for(world.users["member"])
    url = reverse("timebank:exchange_new", kwargs={"pk": own.pk})
    page = client.get(url).content.decode()
    assert "No category" in page and "Gardening" in page
    data = {"receiver": other.pk, "hours": "1", "minutes": "", "description": "Garden", "idempotency_key": "m1"}
    assert client.post(url, data | {"category": categories["gardening"].pk}).status_code == 302
    assert Exchange.objects.get().category == categories["gardening"]


TEXT = st.one_of(st.text(max_size=80), st.integers(-(10**12), 10**12).map(str), st.just(""))


@pytest.fixture
def member_form(world, categories, client_for):
    own = Account.objects.create(network=world.own_network, kind=Account.Kind.MEMBER, user=world.users["member"])
    other = MemberAccountFactory(network=world.own_network)
    url = reverse("timebank:exchange_new", kwargs={"pk": own.pk})
    return client_for(world.users["member"]), url, other, categories


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(category=TEXT)
def test_any_category_value_in_the_members_form_is_a_form_error_or_a_valid_choice(member_form, category):
    client, url, other, categories = member_form
    allowed = {c.pk for c in categories.values() if c.is_active and not c.requires_vetting}
    before = Exchange.objects.count()
    data = {"receiver": other.pk, "hours": "1", "minutes": "", "description": "x", "category": category}
    response = client.post(url, data | {"idempotency_key": ""})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        latest = Exchange.objects.latest("pk")
        assert Exchange.objects.count() == before + 1
        assert latest.category_id is None or latest.category_id in allowed
        assert latest.category_id is not None or category.strip() == ""
    else:
        assert response.context["form"].errors and Exchange.objects.count() == before
    if category in {str(pk) for pk in allowed} | {""}:
        assert response.status_code == 302  # a real choice is never refused
