"""The time bank's emails: an exchange to confirm (to the receiver), a dispute
(to the giver and the network's coordinators), the reminder that an exchange
will confirm itself (to the receiver), and an answer to a post (to its poster). Plain text, display names only,
a link to the page. Each is sent after the ledger's transaction commits
(`on_commit`), and a mail server that fails is logged, never undoes the write."""

import contextlib
import contextvars
import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from recoverynet.accounts.models import ConsentPurpose, User
from recoverynet.accounts.privacy import consented_user_ids
from recoverynet.federation.models import Membership

logger = logging.getLogger(__name__)
_suppressed = contextvars.ContextVar("timebank_notifications_suppressed", default=False)


@contextlib.contextmanager
def suppressed():
    """No emails inside this block (the demo loader records a year of exchanges nobody should be emailed about)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def link(name, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def coordinators_to_tell(network) -> list:
    """Active coordinators of the network whose latest contact consent is yes."""
    ids = Membership.objects.filter(
        network=network, role=Membership.Role.NETWORK_COORDINATOR, status=Membership.Status.ACTIVE
    ).values_list("user_id", flat=True)
    consented = consented_user_ids(ConsentPurpose.CONTACT, ids)
    return list(User.objects.filter(pk__in=consented, is_active=True).exclude(email="").order_by("pk"))


def _member(account):
    """The account holder to email: an active person with an address, else None."""
    user = account.user
    if user is None or not user.is_active or not user.email:
        return None
    return user


def _send(subject, template, context, recipients) -> int:
    recipients = [user for user in recipients if user is not None]
    if not recipients:
        return 0
    connection = get_connection()
    messages = [
        EmailMessage(
            f"[RecoveryNet] {subject}",
            render_to_string(template, {**context, "recipient": user}),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            connection=connection,
        )
        for user in recipients
    ]
    return connection.send_messages(messages) or 0


def _send_safely(*args) -> int:
    try:
        return _send(*args)
    except Exception:  # a mail server that is down never loses the ledger's write
        logger.exception("Time bank email %r could not be sent", args[0])
        return 0


def _on_commit(*args) -> None:
    if not _suppressed.get():
        transaction.on_commit(partial(_send_safely, *args))


def exchange_to_confirm(exchange) -> None:
    """To the receiver: someone recorded time they gave you."""
    _on_commit(
        "Time to confirm in the time bank",
        "timebank/email/exchange_to_confirm.txt",
        {"exchange": exchange, "url": link("timebank:exchange_decide", pk=exchange.pk)},
        [_member(exchange.receiver)],
    )


def exchange_disputed(exchange) -> None:
    """To the giver and the network's coordinators: the receiver disputed it."""
    recipients = [_member(exchange.giver)]
    recipients += [user for user in coordinators_to_tell(exchange.network) if user.pk != exchange.giver.user_id]
    _on_commit(
        "An exchange was disputed in the time bank",
        "timebank/email/exchange_disputed.txt",
        {"exchange": exchange, "url": link("timebank:home")},
        recipients,
    )


def auto_confirm_reminder(exchange, confirms_on) -> None:
    """To the receiver: it confirms itself on `confirms_on` unless they act."""
    _on_commit(
        "An exchange will confirm itself soon",
        "timebank/email/auto_confirm_reminder.txt",
        {"exchange": exchange, "confirms_on": confirms_on, "url": link("timebank:exchange_decide", pk=exchange.pk)},
        [_member(exchange.receiver)],
    )


def post_answered(response) -> None:
    """To the poster: someone answered their offer or request. Their message stays on the page, not in the email."""
    post = response.post
    _on_commit(
        "Someone answered your post in the time bank",
        "timebank/email/post_answered.txt",
        {"response": response, "post": post, "url": link("timebank:post_detail", pk=post.pk)},
        [_member(post.poster)],
    )
