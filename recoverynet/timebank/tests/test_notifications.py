"""Emails: an exchange to confirm (receiver), a dispute (giver and coordinators)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from recoverynet.accounts import services as accounts_services
from recoverynet.accounts.models import ConsentPurpose
from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Exchange

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(world):
    giver = MemberAccountFactory(network=world.own_network, user__display_name="Alex R.")
    receiver = MemberAccountFactory(network=world.own_network, user__display_name="Sam K.")
    return giver, receiver


def test_the_receiver_is_asked_to_confirm(pair, django_capture_on_commit_callbacks):
    giver, receiver = pair
    with django_capture_on_commit_callbacks(execute=True):
        exchange = services.record_exchange(
            actor=giver.user, giver=giver, receiver=receiver, minutes=90, description="Lift to a meeting"
        )
    [message] = mail.outbox
    assert message.to == [receiver.user.email]
    assert "Alex R. recorded 1 h 30 min" in message.body and "Lift to a meeting" in message.body
    assert message.body.count(f"http://localhost:8000/timebank/exchanges/{exchange.pk}/") == 1
    assert giver.user.email not in message.body and "<" not in message.body  # plain text, names only


def test_a_dispute_tells_the_giver_and_the_coordinators_who_agreed(world, pair, django_capture_on_commit_callbacks):
    giver, receiver = pair
    coordinator = world.users["network_coordinator"]
    accounts_services.record_consents(actor=coordinator, user=coordinator, decisions={ConsentPurpose.CONTACT: True})
    exchange = services.record_exchange(actor=giver.user, giver=giver, receiver=receiver, minutes=30, description="DIY")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_exchange(actor=receiver.user, exchange=exchange, reason="It did not happen")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([giver.user.email, coordinator.email])
    body = mail.outbox[0].body
    assert "Sam K. disputed the 30 min that Alex R. recorded" in body and receiver.user.email not in body


def test_a_failing_mail_server_keeps_the_dispute(pair, monkeypatch, django_capture_on_commit_callbacks):
    giver, receiver = pair
    exchange = services.record_exchange(actor=giver.user, giver=giver, receiver=receiver, minutes=30, description="DIY")

    def broken(*args, **kwargs):
        raise OSError("down")

    monkeypatch.setattr("recoverynet.timebank.notifications.get_connection", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_exchange(actor=receiver.user, exchange=exchange, reason="No")
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.DISPUTED


def test_the_demo_loader_emails_nobody(pair, django_capture_on_commit_callbacks):
    from recoverynet.timebank import notifications

    giver, receiver = pair
    with django_capture_on_commit_callbacks(execute=True), notifications.suppressed():
        services.record_exchange(actor=giver.user, giver=giver, receiver=receiver, minutes=5, description="Tea")
    assert mail.outbox == []


def _request(account):
    from recoverynet.timebank.models import Category

    services.ensure_default_categories()
    data = {
        "kind": "request",
        "category": Category.objects.get(slug="cooking"),
        "title": "Batch cooking on Sunday",
        "description": "",
        "visibility": "network",
    }
    return services.create_post(actor=account.user, account=account, data=data)


def test_the_poster_is_told_of_an_answer_once_it_is_committed(pair, django_capture_on_commit_callbacks):
    poster, helper = pair
    post = _request(poster)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.respond_to_post(actor=helper.user, post=post, message="Private: I live on Elm Street")
    assert mail.outbox == [] and len(callbacks) == 1  # nothing sent before the answer is committed
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == [poster.user.email]
    assert "Sam K. answered your request “Batch cooking on Sunday”" in message.body
    assert message.body.count(f"http://localhost:8000/timebank/offers/{post.pk}/") == 1
    assert helper.user.email not in message.body and "Elm Street" not in message.body and "<" not in message.body


def test_a_refused_answer_emails_nobody_and_the_demo_is_suppressed(pair, django_capture_on_commit_callbacks):
    from recoverynet.timebank import notifications

    poster, helper = pair
    post = _request(poster)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):  # the poster cannot answer their own post
            services.respond_to_post(actor=poster.user, post=post, message="Me")
        with notifications.suppressed():
            services.respond_to_post(actor=helper.user, post=post, message="Yes")
    assert mail.outbox == []
