"""Every change to the time bank's ledger. Each runs in one transaction that
locks the accounts it touches (always in primary-key order, so two transfers
never wait on each other in a circle), checks every balance against its
account's floor and ceiling after the change, and writes the transaction, its
postings and the audit entry together, or nothing. A deadlock or
serialization failure is retried a few times, never shown as a 500."""

import datetime
import random
import time
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from recoverynet.accounts import services as accounts_services
from recoverynet.accounts.consent import current_wording
from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
from recoverynet.core import audit, moderation
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import made_at_the_same_moment, require
from recoverynet.federation.models import Membership

from . import notifications
from .models import MAX_TRANSFER_MINUTES, Account, Exchange, Posting, Transaction, format_minutes

RETRIES = 6
MAX_DESCRIPTION = 200
MAX_REASON = 300
MAX_IDEMPOTENCY_KEY = 80


def _retrying(work):
    """Run `work()` in its own transaction, again after a deadlock, a
    serialization failure or a locked SQLite database. Inside a caller's
    transaction it runs once: only the outermost transaction can start over."""
    if connection.in_atomic_block:
        with transaction.atomic():  # a savepoint: a refusal leaves the caller's transaction as it was
            return work()
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as exc:
            if attempt == RETRIES - 1 or not _is_transient(exc):
                raise
            time.sleep(random.uniform(0, 0.01 * 2**attempt))  # noqa: S311 - jitter, not security
    raise AssertionError("unreachable")  # pragma: no cover


def _is_transient(exc) -> bool:
    code = getattr(getattr(exc, "__cause__", None), "sqlstate", None) or getattr(exc, "pgcode", None)
    return code in ("40P01", "40001") or "database is locked" in str(exc)


def check_minutes(minutes) -> int:
    """A whole, positive number of minutes, at most MAX_TRANSFER_MINUTES: anything else is a clear error."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValidationError({"minutes": "Enter the time as a whole number of minutes."}, code="invalid")
    if minutes <= 0:
        raise ValidationError({"minutes": "Enter a time of at least 1 minute."}, code="min_value")
    if minutes > MAX_TRANSFER_MINUTES:
        raise ValidationError(
            {"minutes": f"One exchange can record at most {format_minutes(MAX_TRANSFER_MINUTES)}."}, code="max_value"
        )
    return minutes


def _check_text(value, name, limit) -> str:
    if not isinstance(value, str):
        raise ValidationError({name: "Enter text."}, code="invalid")
    value = value.strip()
    if len(value) > limit or "\x00" in value:
        raise ValidationError({name: f"Keep it to {limit} characters or fewer."}, code="max_length")
    return value


def clearing_account(network, counterpart) -> Account:
    """`network`'s clearing account for what it owes `counterpart` (made when first needed)."""
    try:
        with transaction.atomic():
            account, _ = Account.objects.get_or_create(
                network=network,
                counterpart=counterpart,
                kind=Account.Kind.CLEARING,
                defaults={"floor": None, "ceiling": None},
            )
    except IntegrityError:  # made at the same moment by another transfer
        account = Account.objects.get(network=network, counterpart=counterpart)
    return account


def _lock(account_ids) -> dict[int, Account]:
    locked = Account.objects.select_for_update().filter(pk__in=sorted(set(account_ids))).order_by("pk")
    return {account.pk: account for account in locked}


def _balances(account_ids) -> dict[int, int]:
    rows = Posting.objects.filter(account_id__in=account_ids).values("account_id").annotate(total=Sum("amount"))
    return {row["account_id"]: row["total"] for row in rows}


def _post(
    *, actor, legs, kind, description="", reason="", reverses=None, idempotency_key=None, network, category=None
) -> Transaction:
    """Write one balanced transaction: `legs` is [(account, minutes)], locked and checked here."""
    if sum(amount for _, amount in legs) != 0:
        raise AssertionError("A transaction's postings must sum to zero")  # a programming error, not input
    for network_id in {account.network_id for account, _ in legs}:
        if sum(amount for account, amount in legs if account.network_id == network_id) != 0:
            raise AssertionError("Each network's postings must sum to zero")
    locked = _lock(account.pk for account, _ in legs)
    balances = _balances(locked)
    moved: dict[int, int] = {}
    for account, amount in legs:
        moved[account.pk] = moved.get(account.pk, 0) + amount
    for account_id, change in moved.items():
        account = locked[account_id]
        if not account.is_open:
            raise ValidationError("This time bank account is closed.", code="closed")
        after = balances.get(account_id, 0) + change
        if not account.allows(after):
            if account.floor is not None and after < account.floor:
                raise ValidationError(
                    f"This would take an account below its limit of {format_minutes(account.floor)}.", code="floor"
                )
            raise ValidationError(
                f"This would take an account above its limit of {format_minutes(account.ceiling)}.", code="ceiling"
            )
    key = uuid.uuid4()
    record = Transaction(
        uuid=key,
        kind=kind,
        description=description,
        reason=reason,
        reverses=reverses,
        idempotency_key=idempotency_key,
        category=category,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        digest=Transaction.digest_of(key, [(account.pk, amount) for account, amount in legs]),
    )
    record.save()
    Posting.objects.bulk_create(Posting(transaction=record, account=account, amount=amount) for account, amount in legs)
    total = sum(amount for _, amount in legs if amount > 0)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        instance=record,
        network=network,
        changes={"kind": [None, kind], "postings": [None, [[account.pk, amount] for account, amount in legs]]},
        summary=f"{record.get_kind_display()} of {format_minutes(total)}",
    )
    return record


def _same_request(existing: Transaction, legs) -> bool:
    posted = sorted(existing.postings.values_list("account_id", "amount"))
    return posted == sorted((account.pk, amount) for account, amount in legs)


def transfer(
    *, actor, source: Account, destination: Account, minutes, description="", idempotency_key=None, kind=None
) -> Transaction:
    """Move `minutes` from `source` to `destination`. Across networks it passes
    through both networks' clearing accounts, so each network's books balance.
    The same `idempotency_key` again returns the first transfer, applied once."""
    require(actor, "timebank.move_time", source)
    minutes = check_minutes(minutes)
    description = _check_text(description, "description", MAX_DESCRIPTION)
    if idempotency_key is not None:
        idempotency_key = _check_text(idempotency_key, "idempotency_key", MAX_IDEMPOTENCY_KEY) or None
    if source.pk == destination.pk:
        raise ValidationError("Choose someone else: time moves between two accounts.", code="self")
    if source.network_id == destination.network_id:
        legs = [(source, -minutes), (destination, minutes)]
    else:
        legs = [
            (source, -minutes),
            (clearing_account(source.network, destination.network), minutes),
            (clearing_account(destination.network, source.network), -minutes),
            (destination, minutes),
        ]

    def work():
        if idempotency_key is not None:
            existing = Transaction.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if not _same_request(existing, legs):
                    raise ValidationError("This form was already sent with other details.", code="idempotency")
                return existing
        return _post(
            actor=actor,
            legs=legs,
            kind=kind or Transaction.Kind.TRANSFER,
            description=description,
            idempotency_key=idempotency_key,
            network=source.network,
        )

    try:
        return _retrying(work)
    except IntegrityError:
        # The same key sent twice at once: the other request won; answer with what it wrote.
        existing = Transaction.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None or not _same_request(existing, legs):
            raise
        return existing


def reverse_transaction(*, actor, original: Transaction, reason) -> Transaction:
    """Undo a transaction with one that mirrors it, for a stated reason. The
    original stays; a transaction is reversed at most once, and never a reversal."""
    legs = [(posting.account, -posting.amount) for posting in original.postings.select_related("account__network")]
    if not legs:
        raise ValidationError("This transaction has nothing to reverse.", code="empty")
    require(actor, "timebank.reverse_transaction", legs[0][0])
    for account, _ in legs:
        require(actor, "timebank.reverse_transaction", account)
    reason = _check_text(reason, "reason", MAX_REASON)
    if not reason:
        raise ValidationError({"reason": "Say why this transaction is being reversed."}, code="required")
    if original.kind == Transaction.Kind.REVERSAL:
        raise ValidationError("A reversal cannot itself be reversed: record a new transaction.", code="reversal")

    def work():
        if Transaction.objects.filter(reverses=original).exists():
            raise ValidationError("This transaction has already been reversed.", code="reversed")
        return _post(
            actor=actor,
            legs=legs,
            kind=Transaction.Kind.REVERSAL,
            description=f"Reversal of transaction #{original.pk}",
            reason=reason,
            reverses=original,
            network=legs[0][0].network,
        )

    try:
        return _retrying(work)
    except IntegrityError:  # reversed at the same moment by someone else
        raise ValidationError("This transaction has already been reversed.", code="reversed") from None


def set_limits(*, actor, account: Account, floor, ceiling) -> Account:
    """A network sets how far an account may go below zero and above it. The
    current balance must sit inside the new limits."""
    require(actor, "timebank.set_limits", account)
    for name, value, sign in (("floor", floor, -1), ("ceiling", ceiling, 1)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value * sign < 0:
            word = "zero or less" if sign < 0 else "zero or more"
            raise ValidationError({name: f"Enter a whole number of minutes, {word}."}, code="invalid")
        if abs(value) > 10_000 * 60:
            raise ValidationError({name: "Enter a limit of at most 10,000 hours."}, code="max_value")
    if account.kind == Account.Kind.CLEARING:
        raise ValidationError("Clearing accounts have no limits.", code="clearing")

    def work():
        locked = _lock([account.pk])[account.pk]
        balance = _balances([account.pk]).get(account.pk, 0)
        before = {"floor": locked.floor, "ceiling": locked.ceiling}
        locked.floor, locked.ceiling = floor, ceiling
        if not locked.allows(balance):
            raise ValidationError(
                f"The account's balance ({format_minutes(balance)}) would be outside these limits.", code="outside"
            )
        locked.save(update_fields=["floor", "ceiling"])
        changes = {k: [before[k], getattr(locked, k)] for k in before if before[k] != getattr(locked, k)}
        if changes:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                instance=locked,
                network=locked.network,
                changes=changes,
                summary="Changed the account's limits",
            )
        return locked

    return _retrying(work)


def open_member_account(*, actor, user, network) -> Account:
    """A member opts in to their network's time bank (or a coordinator opens an
    account for a member without internet access)."""
    if getattr(actor, "pk", None) != user.pk:
        require(actor, "timebank.open_account", network)
    if not Membership.objects.filter(user=user, network=network, status=Membership.Status.ACTIVE).exists():
        raise ValidationError("Only members of this network can join its time bank.", code="not_member")

    def work():
        account, created = Account.objects.get_or_create(network=network, user=user, kind=Account.Kind.MEMBER)
        if created:
            audit.record(
                actor=actor, action=AuditEntry.Action.CREATE, instance=account, network=network, summary="Joined"
            )
        return account

    return _retrying(work)


# --- Exchanges: the giver records, the receiver confirms or disputes --------------


def record_exchange(
    *, actor, giver: Account, receiver: Account, minutes, description, idempotency_key=None, category=None
) -> Exchange:
    """The giver (or a coordinator, for a member without internet access) records
    time given. Nothing moves until the receiver confirms. The same
    `idempotency_key` again returns the first exchange, recorded once."""
    require(actor, "timebank.move_time", giver)  # the giver's own account, or their coordinator
    return _new_exchange(
        actor=actor,
        giver=giver,
        receiver=receiver,
        minutes=minutes,
        description=description,
        idempotency_key=idempotency_key,
        category=category,
    )


def check_category(category, giver: Account, actor=None):
    """An exchange's optional category: None, or an active Category; one that
    requires vetting needs a giver whom a coordinator marked vetted in the giver's
    network (the same check and wording as for offers)."""
    from .models import Category
    from .selectors import is_vetted

    if category is None or category == "":
        return None
    if not isinstance(category, Category) or not category.is_active:
        raise ValidationError({"category": "Choose a category from the list."}, code="invalid_choice")
    if category.requires_vetting and giver.kind == Account.Kind.MEMBER and not is_vetted(giver.user, giver.network):
        who = "you" if giver.user_id == getattr(actor, "pk", None) else giver.user.display_name
        raise ValidationError({"category": _vetting_refusal(category, giver.network, who)}, code="not_vetted")
    return category


def _new_exchange(
    *, actor, giver: Account, receiver: Account, minutes, description, idempotency_key=None, category=None
) -> Exchange:
    """An exchange waiting for the receiver, once the caller has checked who may record it."""
    minutes = check_minutes(minutes)
    description = _check_text(description, "description", MAX_DESCRIPTION)
    if not description:
        raise ValidationError({"description": "Say what the time was for, for example “lift to a meeting”."})
    idempotency_key = _check_key(idempotency_key)
    if giver.pk == receiver.pk:
        raise ValidationError({"receiver": "Choose someone else: an exchange is between two people."})
    if receiver.network_id != giver.network_id or receiver.kind != Account.Kind.MEMBER:
        raise ValidationError({"receiver": "Choose a member of the same network's time bank."})
    if not (giver.is_open and receiver.is_open):
        raise ValidationError("This time bank account is closed.", code="closed")
    category = check_category(category, giver, actor)

    def same(existing):
        found = (existing.giver_id, existing.receiver_id, existing.minutes, existing.description, existing.category_id)
        if found != (giver.pk, receiver.pk, minutes, description, getattr(category, "pk", None)):
            raise ValidationError("This form was already sent with other details.", code="idempotency")
        return existing

    def work():
        if idempotency_key is not None:
            existing = Exchange.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return same(existing)
        exchange = Exchange.objects.create(
            network=giver.network,
            giver=giver,
            receiver=receiver,
            minutes=minutes,
            description=description,
            recorded_by=actor,
            idempotency_key=idempotency_key,
            category=category,
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            instance=exchange,
            network=giver.network,
            summary=f"Recorded {format_minutes(minutes)} given",
        )
        notifications.exchange_to_confirm(exchange)
        return exchange

    try:
        return _retrying(work)
    except IntegrityError:  # the same key at the same moment: the other request won
        existing = Exchange.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None:
            raise
        return same(existing)


def _decide(actor, exchange):
    if exchange.receiver.user_id != getattr(actor, "pk", None):
        require(actor, "timebank.reverse_transaction", exchange.receiver)  # coordinators decide for members offline
    if exchange.status != Exchange.Status.RECORDED:
        raise ValidationError("This exchange has already been decided.", code="decided")


def _confirm_locked(actor, locked: Exchange, summary="Confirmed", auto=False) -> Exchange:
    """Inside a transaction, with the exchange row locked and still waiting: move the time."""
    legs = [(locked.receiver, -locked.minutes), (locked.giver, locked.minutes)]
    record = _post(
        actor=actor,
        legs=legs,
        kind=Transaction.Kind.EXCHANGE,
        description=locked.description,
        network=locked.network,
        category=locked.category,
    )
    locked.status, locked.transaction, locked.decided_at = Exchange.Status.CONFIRMED, record, timezone.now()
    locked.auto_confirmed = auto
    locked.save(update_fields=["status", "transaction", "decided_at", "auto_confirmed"])
    audit.record(
        actor=actor, action=AuditEntry.Action.APPROVE, instance=locked, network=locked.network, summary=summary
    )
    return locked


def confirm_exchange(*, actor, exchange: Exchange) -> Exchange:
    """The receiver confirms: their account pays the giver's, in the same transaction."""
    _decide(actor, exchange)

    def work():
        locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
        if locked.status != Exchange.Status.RECORDED:
            raise ValidationError("This exchange has already been decided.", code="decided")
        return _confirm_locked(actor, locked)

    return _retrying(work)


def dispute_exchange(*, actor, exchange: Exchange, reason) -> Exchange:
    """The receiver says it did not happen so: nothing moves; coordinators see it."""
    _decide(actor, exchange)
    reason = _check_text(reason, "reason", MAX_REASON)
    if not reason:
        raise ValidationError({"reason": "Say what is wrong with this exchange."})

    def work():
        locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
        if locked.status != Exchange.Status.RECORDED:
            raise ValidationError("This exchange has already been decided.", code="decided")
        locked.status, locked.dispute_reason, locked.decided_at = Exchange.Status.DISPUTED, reason, timezone.now()
        locked.save(update_fields=["status", "dispute_reason", "decided_at"])
        audit.record(
            actor=actor, action=AuditEntry.Action.DECLINE, instance=locked, network=locked.network, summary="Disputed"
        )
        notifications.exchange_disputed(locked)
        return locked

    return _retrying(work)


# --- Offers and requests: post, answer, agree; vetting, blocks and reports --------
# (models, selectors and rules of the same name; every write audited, nothing
# written when a check fails)

MAX_TITLE = 120
MAX_POST_TEXT = 2000
MAX_MESSAGE = 500


def ensure_default_categories() -> int:
    """Add any of the default categories that are missing (the demo and a fresh
    database call it; a migration did the same once). Returns how many it added."""
    from .models import DEFAULT_CATEGORIES, Category

    added = 0
    for slug, name, requires_vetting, co_production in DEFAULT_CATEGORIES:
        _, created = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "requires_vetting": requires_vetting, "co_production": co_production}
        )
        added += created
    return added


def _vetting_refusal(category, network, who="you") -> str:
    if who == "you":
        return (
            f"Only members whom a coordinator has marked vetted can give help with “{category.name}”, and you "
            f"are not marked vetted in {network.name}. Ask a coordinator of {network.name} about being vetted; "
            "until then you can give help in the other categories."
        )
    return (
        f"Only members whom a coordinator has marked vetted can give help with “{category.name}”, and {who} "
        f"is not marked vetted in {network.name}. A coordinator of {network.name} can tell you what to do next."
    )


def _choice(value, choices, name, message):
    if not isinstance(value, str) or value not in choices.values:
        raise ValidationError({name: message}, code="invalid_choice")
    return value


def _post_fields(data) -> dict:
    from .models import Category, Post

    category = data.get("category")
    if not isinstance(category, Category) or not category.is_active:
        raise ValidationError({"category": "Choose a category from the list."}, code="invalid_choice")
    title = _check_text(data.get("title", ""), "title", MAX_TITLE)
    if not title:
        raise ValidationError({"title": "Enter a title, for example “Lifts to the Tuesday meeting”."})
    return {
        "kind": _choice(data.get("kind"), Post.Kind, "kind", "Choose whether you offer or ask for help."),
        "category": category,
        "title": title,
        "description": _check_text(data.get("description", ""), "description", MAX_POST_TEXT),
        "visibility": _choice(data.get("visibility"), Post.Visibility, "visibility", "Choose who can see this post."),
    }


def _check_may_offer(fields, account):
    from .models import Post
    from .selectors import is_vetted

    category = fields["category"]
    if fields["kind"] == Post.Kind.OFFER and category.requires_vetting and not is_vetted(account.user, account.network):
        raise ValidationError({"category": _vetting_refusal(category, account.network)}, code="not_vetted")


def create_post(*, actor, account: Account, data) -> "Post":  # noqa: F821 - defined in models
    """A member posts an offer or a request with their time bank account."""
    from recoverynet.core.services import create_instance

    from .models import Post

    require(actor, "timebank.post_with", account)
    if account.kind != Account.Kind.MEMBER or not account.is_open:
        raise ValidationError("Join this network's time bank before you post.", code="no_account")
    fields = _post_fields(data)
    _check_may_offer(fields, account)
    post = Post(network=account.network, poster=account, **fields)
    return create_instance(
        actor=actor,
        instance=post,
        network=account.network,
        summary=f"Posted an {fields['kind']}" if fields["kind"] == Post.Kind.OFFER else "Posted a request",
    )


def update_post(*, actor, post, data) -> dict:
    """Its poster changes an open post."""
    from recoverynet.core.services import update_instance

    from .models import Post

    require(actor, "timebank.change_post", post)
    if post.status != Post.Status.OPEN:
        raise ValidationError("This post is closed: post a new one instead.", code="closed")
    fields = _post_fields(data)
    _check_may_offer(fields, post.poster)
    return update_instance(actor=actor, instance=post, data=fields, network=post.network)


def close_post(*, actor, post) -> dict:
    """Its poster closes a post: it leaves the lists; agreed exchanges go on."""
    from recoverynet.core.services import update_instance

    from .models import Post

    require(actor, "timebank.change_post", post)
    if post.status != Post.Status.OPEN:
        raise ValidationError("This post is already closed.", code="closed")
    return update_instance(
        actor=actor, instance=post, data={"status": Post.Status.CLOSED}, network=post.network, summary="Closed"
    )


def set_post_hidden(*, actor, post, hidden: bool) -> dict:
    """A coordinator hides a reported post (or shows it again): only its poster and coordinators see it."""
    from recoverynet.core.services import update_instance

    require(actor, "timebank.moderate", post)
    summary = "Hidden by a coordinator" if hidden else "Shown again by a coordinator"
    return update_instance(
        actor=actor, instance=post, data={"hidden": bool(hidden)}, network=post.network, summary=summary
    )


def _responder_account(user, post):
    """The account a member answers with: theirs in the post's network, or, for a
    federation-wide post, theirs in another network of the federation."""
    from .models import Post

    accounts = Account.objects.filter(user=user, kind=Account.Kind.MEMBER, is_open=True).select_related("network")
    own = accounts.filter(network=post.network).first()
    if own is not None:
        return own
    if post.visibility == Post.Visibility.FEDERATION:
        return accounts.filter(network__federation_id=post.network.federation_id).order_by("pk").first()
    return None


def respond_to_post(*, actor, post, message) -> "Response":  # noqa: F821 - defined in models
    """A member answers an offer or a request with a short message for its poster."""
    from recoverynet.core.services import create_instance

    from .models import Post, Response
    from .selectors import is_blocked, is_vetted, posts_visible_to

    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied("Sign in to answer offers and requests.")
    if not posts_visible_to(actor, Post.objects.filter(pk=post.pk, hidden=False)).exists():
        raise PermissionDenied("You cannot see this post.")
    if post.poster.user_id == actor.pk:
        raise ValidationError("This is your own post: people answer it, and you agree one.", code="own")
    if post.status != Post.Status.OPEN:
        raise ValidationError("This post is closed: it no longer takes answers.", code="closed")
    if is_blocked(actor, post.poster.user_id):
        raise ValidationError(
            "You cannot answer this member's posts: one of you has blocked the other.", code="blocked"
        )
    message = _check_text(message, "message", MAX_MESSAGE)
    if not message:
        raise ValidationError({"message": "Write a short message, for example when you could help."})
    account = _responder_account(actor, post)
    if account is None:
        raise ValidationError(
            f"Join the {post.network.name} time bank (or your own network's) before you answer.", code="no_account"
        )
    if post.kind == Post.Kind.REQUEST and post.category.requires_vetting and not is_vetted(actor, post.network):
        raise ValidationError(_vetting_refusal(post.category, post.network), code="not_vetted")
    if Response.objects.filter(post=post, responder__user=actor).exists():
        raise ValidationError("You have already answered this post.", code="duplicate")
    answered = ValidationError("You have already answered this post.", code="duplicate")
    with made_at_the_same_moment(answered), transaction.atomic():  # the same form sent twice at once
        answer = create_instance(
            actor=actor,
            instance=Response(post=post, responder=account, message=message),
            network=post.network,
            summary="Answered a post",
        )
        notifications.post_answered(answer)  # sent once the answer is committed
        return answer


def agree_response(*, actor, response, minutes, description="") -> Exchange:
    """The poster agrees an answer: the time is recorded as an exchange between
    the two, waiting for the receiver to confirm it once the help is given."""
    from .models import Post, Response
    from .selectors import is_blocked, is_vetted

    post = response.post
    require(actor, "timebank.change_post", post)
    if post.status != Post.Status.OPEN:
        raise ValidationError("This post is closed: open a new one to agree more help.", code="closed")
    if response.status != Response.Status.WAITING:
        raise ValidationError("You have already agreed this answer.", code="decided")
    responder = response.responder
    if is_blocked(post.poster.user_id, responder.user_id):
        raise ValidationError("You cannot agree this answer: one of you has blocked the other.", code="blocked")
    if responder.network_id != post.network_id:
        responder = Account.objects.filter(
            user_id=responder.user_id, network=post.network, kind=Account.Kind.MEMBER, is_open=True
        ).first()
        if responder is None:
            raise ValidationError(
                f"{response.responder.user.display_name} is not in the {post.network.name} time bank, so this "
                "exchange cannot be recorded here. Ask them to record it in their own network's time bank, or "
                "ask a coordinator.",
                code="other_network",
            )
    giver, receiver = (post.poster, responder) if post.kind == Post.Kind.OFFER else (responder, post.poster)
    if post.category.requires_vetting and not is_vetted(giver.user, post.network):
        who = "you" if giver.user_id == actor.pk else giver.user.display_name
        raise ValidationError(_vetting_refusal(post.category, post.network, who), code="not_vetted")
    description = _check_text(description, "description", MAX_DESCRIPTION) or post.title[:MAX_DESCRIPTION]

    def work():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.status != Response.Status.WAITING:
            raise ValidationError("You have already agreed this answer.", code="decided")
        exchange = _new_exchange(
            actor=actor,
            giver=giver,
            receiver=receiver,
            minutes=minutes,
            description=description,
            category=post.category if post.category.is_active else None,
        )
        locked.status, locked.exchange = Response.Status.AGREED, exchange
        locked.save(update_fields=["status", "exchange"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.APPROVE,
            instance=locked,
            network=post.network,
            changes={"status": [Response.Status.WAITING, Response.Status.AGREED], "exchange": [None, exchange.pk]},
            summary="Agreed",
        )
        response.status, response.exchange = locked.status, exchange
        return exchange

    return _retrying(work)


# --- Joining and leaving, with consent -------------------------------------------

LEAVING_RULES = (
    "Your balance stays on the ledger as it is: hours are never deleted or written off, whether you are owed "
    "time or owe it.",
    "While your account is closed no time moves in or out of it, and exchanges waiting for a decision cannot be "
    "confirmed (they are not confirmed automatically either).",
    "If you join again, the same account reopens with the same balance.",
)


def join_time_bank(*, actor, user, network, consent) -> Account:
    """A member joins their network's time bank, agreeing to what joining shares
    (ConsentPurpose.TIME_BANK, recorded with the wording version they saw).
    Joining again reopens the account they had, with its balance."""
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied("Only the person themselves can join a time bank.")
    if consent is not True:
        raise ValidationError({"consent": "To join, agree to what joining shares."}, code="consent")
    if not Membership.objects.filter(user=user, network=network, status=Membership.Status.ACTIVE).exists():
        raise ValidationError("Only members of this network can join its time bank.", code="not_member")
    version = current_wording(ConsentPurpose.TIME_BANK).version

    def work():
        accounts_services.record_consents(actor=actor, user=user, decisions={ConsentPurpose.TIME_BANK: True})
        account = Account.objects.select_for_update().filter(network=network, user=user).first()
        if account is None:
            account = Account.objects.create(network=network, user=user, kind=Account.Kind.MEMBER)
            audit.record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                instance=account,
                network=network,
                changes={"consent_wording_version": [None, version]},
                summary="Joined, with consent",
            )
        elif not account.is_open:
            account.is_open = True
            account.save(update_fields=["is_open"])
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                instance=account,
                network=network,
                changes={"is_open": [False, True], "consent_wording_version": [None, version]},
                summary="Joined again, with consent: the account reopened with its balance",
            )
        return account

    return _retrying(work)


def set_vetted(*, actor, user, network, vetted: bool) -> bool:
    """A coordinator marks a member of their network vetted (or not). Says whether anything changed."""
    from .models import Vetting

    require(actor, "timebank.vet_members", network)
    if not Membership.objects.filter(user=user, network=network, status=Membership.Status.ACTIVE).exists():
        raise ValidationError(f"Only members of {network.name} can be marked vetted there.", code="not_member")

    def work():
        existing = Vetting.objects.select_for_update().filter(user=user, network=network).first()
        if vetted and existing is None:
            row = Vetting.objects.create(user=user, network=network, marked_by=actor)
            audit.record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                instance=row,
                network=network,
                summary="Marked a member vetted",
            )
            return True
        if not vetted and existing is not None:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.DELETE,
                instance=existing,
                network=network,
                summary="No longer marked vetted",
            )
            existing.delete()
            return True
        return False

    try:
        return _retrying(work)
    except IntegrityError:  # marked at the same moment by another coordinator
        return False


def block_member(*, actor, member) -> "Block":  # noqa: F821 - defined in models
    """A member blocks another: neither sees the other's posts or can answer them."""
    from .models import Block

    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied("Sign in to block someone.")
    if member is None or member.pk == actor.pk:
        raise ValidationError("You cannot block yourself.", code="self")

    def work():
        block, created = Block.objects.get_or_create(blocker=actor, blocked=member)
        if created:
            audit.record(actor=actor, action=AuditEntry.Action.CREATE, instance=block, summary="Blocked a member")
        return block

    try:
        return _retrying(work)
    except IntegrityError:  # the same form sent twice at once
        return Block.objects.get(blocker=actor, blocked=member)


def unblock_member(*, actor, block) -> None:
    if getattr(actor, "pk", None) != block.blocker_id:
        raise PermissionDenied("Only the person who blocked someone can unblock them.")
    audit.record(actor=actor, action=AuditEntry.Action.DELETE, instance=block, summary="Unblocked a member")
    block.delete()


def report_to_coordinators(*, actor, network, reason, details="", post=None, member=None) -> "Report":  # noqa: F821
    """A member reports a post, or a member, to the coordinators of the network it happened in
    (core.moderation: the reason, details, rate limit, one open report per thing, audit)."""
    from .models import Report

    moderation.check_reporter(actor)
    if post is None and member is None:
        raise ValidationError("Say which post or member you are reporting.", code="required")
    if post is not None and post.network_id != network.pk:
        raise ValidationError("Report a post to its own network's coordinators.", code="network")
    if member is not None and member.pk == actor.pk:
        raise ValidationError("You cannot report yourself.", code="self")
    instance = Report(network=network, reported_member=member, post=post)
    return moderation.report(
        actor=actor, instance=instance, reason=reason, details=details, summary="Reported to coordinators"
    )


def close_report(*, actor, report, outcome, note="") -> "Report":  # noqa: F821
    """A coordinator closes a report with what was done (core.moderation)."""
    return moderation.close_report(actor=actor, report=report, outcome=outcome, note=note)


def _close(actor, account, summary) -> Account:
    locked = _lock([account.pk])[account.pk]
    if not locked.is_open:
        return locked
    balance = _balances([account.pk]).get(account.pk, 0)
    locked.is_open = False
    locked.save(update_fields=["is_open"])
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        network=locked.network,
        changes={"is_open": [True, False], "balance_kept": [None, balance]},
        summary=f"{summary}; balance of {format_minutes(balance)} kept",
    )
    return locked


def leave_time_bank(*, actor, account: Account) -> Account:
    """The holder leaves: the account closes (LEAVING_RULES) and, when it was
    their last open time bank account, their time bank consent is withdrawn."""
    if account.kind != Account.Kind.MEMBER or account.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the account's holder can leave the time bank.")

    def work():
        locked = _close(actor, account, "Left the time bank")
        still_in = Account.objects.filter(user_id=locked.user_id, kind=Account.Kind.MEMBER, is_open=True).exists()
        if not still_in:
            accounts_services.record_consents(actor=actor, user=actor, decisions={ConsentPurpose.TIME_BANK: False})
        return locked

    return _retrying(work)


def consent_withdrawn_user_ids(user_ids) -> set:
    """Of `user_ids`, those whose latest time bank consent is a "no" (withdrawn,
    say, on their privacy page). Accounts opened before consent was asked have no record."""
    latest = {}
    rows = (
        ConsentRecord.objects.filter(user_id__in=user_ids, purpose=ConsentPurpose.TIME_BANK)
        .order_by("user_id", "-recorded_at", "-id")
        .values_list("user_id", "granted")
    )
    for user_id, granted in rows:
        latest.setdefault(user_id, granted)
    return {user_id for user_id, granted in latest.items() if not granted}


def close_accounts_without_consent() -> int:
    """Close (as the system) open member accounts whose holder withdrew their time bank consent elsewhere."""
    open_accounts = Account.objects.filter(kind=Account.Kind.MEMBER, is_open=True)
    withdrawn = consent_withdrawn_user_ids(open_accounts.values("user_id"))
    closed = 0
    for account in open_accounts.filter(user_id__in=withdrawn).order_by("pk"):
        _retrying(lambda account=account: _close(None, account, "Closed: the member withdrew their consent"))
        closed += 1
    return closed


# --- Automatic confirmation -------------------------------------------------------

REMINDER_NOTICE_DAYS = 3


def auto_confirm_days() -> int:
    return max(int(settings.TIMEBANK_AUTO_CONFIRM_DAYS), 1)


def auto_confirm_due(*, now=None) -> dict:
    """What the daily task does, as the system (no person):

    1. reminds, once, each receiver of an exchange waiting REMINDER_NOTICE_DAYS
       before it would confirm itself (N − 3 days after it was recorded);
    2. confirms each exchange waiting N days (TIMEBANK_AUTO_CONFIRM_DAYS) whose
       receiver was reminded at least 3 days before (a reminder the task sent
       late still gives its full notice); disputed and decided ones are never touched.

    Each exchange is handled in its own transaction with its row locked and its
    state checked again, so two runs at once, or a second run, do nothing twice.
    An exchange that cannot be confirmed (a closed account, a limit) is left
    waiting for the people and their coordinators."""
    now = now or timezone.now()
    days = auto_confirm_days()
    notice = datetime.timedelta(days=min(REMINDER_NOTICE_DAYS, days))
    waiting = Exchange.objects.filter(status=Exchange.Status.RECORDED)
    result = {"reminded": 0, "confirmed": 0, "held": 0, "closed": close_accounts_without_consent()}
    remind_ids = waiting.filter(
        reminder_sent_at__isnull=True, recorded_at__lte=now - datetime.timedelta(days=days) + notice
    ).values_list("pk", flat=True)
    for pk in list(remind_ids.order_by("pk")):
        result["reminded"] += _retrying(lambda pk=pk: _remind(pk, now, days, notice))
    confirm_ids = waiting.filter(
        recorded_at__lte=now - datetime.timedelta(days=days), reminder_sent_at__lte=now - notice
    ).values_list("pk", flat=True)
    for pk in list(confirm_ids.order_by("pk")):
        try:
            result["confirmed"] += _retrying(lambda pk=pk: _auto_confirm(pk, days))
        except ValidationError:
            result["held"] += 1
    return result


def _remind(pk, now, days, notice) -> int:
    locked = Exchange.objects.select_for_update().filter(pk=pk).first()
    if locked is None or locked.status != Exchange.Status.RECORDED or locked.reminder_sent_at is not None:
        return 0
    locked.reminder_sent_at = now
    locked.save(update_fields=["reminder_sent_at"])
    confirms_on = max(locked.recorded_at + datetime.timedelta(days=days), now + notice)
    audit.record(
        actor=None,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        network=locked.network,
        changes={"reminder_sent_at": [None, now.isoformat()]},
        summary="Reminded the receiver that it confirms itself soon",
    )
    notifications.auto_confirm_reminder(locked, confirms_on)
    return 1


def _auto_confirm(pk, days) -> int:
    locked = Exchange.objects.select_for_update().filter(pk=pk).first()
    if locked is None or locked.status != Exchange.Status.RECORDED:
        return 0
    _confirm_locked(None, locked, summary=f"Confirmed automatically after {days} days", auto=True)
    return 1


# --- Coordinators: members without internet access, group activities, holders ----

MAX_GROUP_SIZE = 200


def _check_key(idempotency_key):
    if idempotency_key is None:
        return None
    return _check_text(idempotency_key, "idempotency_key", MAX_IDEMPOTENCY_KEY) or None


def record_for_members(
    *, actor, giver: Account, receiver: Account, minutes, description, note, idempotency_key=None, category=None
):
    """A coordinator records an exchange for two members without internet access:
    they act for both sides, so it is recorded and confirmed at once, with a note
    saying how they know (audited with the coordinator as the actor)."""
    require(actor, "timebank.record_for_members", giver)
    require(actor, "timebank.record_for_members", receiver)
    minutes = check_minutes(minutes)
    description = _check_text(description, "description", MAX_DESCRIPTION)
    if not description:
        raise ValidationError({"description": "Say what the time was for, for example “lift to a meeting”."})
    note = _check_text(note, "note", MAX_REASON)
    if not note:
        raise ValidationError({"note": "Say how you know, for example “both told me at the drop-in on Tuesday”."})
    idempotency_key = _check_key(idempotency_key)
    if giver.pk == receiver.pk:
        raise ValidationError({"receiver": "Choose someone else: an exchange is between two people."})
    kinds = {giver.kind, receiver.kind}
    if giver.network_id != receiver.network_id or kinds != {Account.Kind.MEMBER}:
        raise ValidationError({"receiver": "Choose two members of the same network's time bank."})
    category = check_category(category, giver, actor)

    def work():
        if idempotency_key is not None:
            existing = Transaction.objects.filter(idempotency_key=idempotency_key).select_related("exchange").first()
            if existing is not None:
                exchange = getattr(existing, "exchange", None)
                same = exchange is not None and (exchange.giver_id, exchange.receiver_id, exchange.minutes) == (
                    giver.pk,
                    receiver.pk,
                    minutes,
                )
                if not same:
                    raise ValidationError("This form was already sent with other details.", code="idempotency")
                return exchange
        exchange = Exchange.objects.create(
            network=giver.network,
            giver=giver,
            receiver=receiver,
            minutes=minutes,
            description=description,
            coordinator_note=note,
            recorded_by=actor,
            category=category,
        )
        record = _post(
            actor=actor,
            legs=[(receiver, -minutes), (giver, minutes)],
            kind=Transaction.Kind.EXCHANGE,
            description=description,
            idempotency_key=idempotency_key,
            network=giver.network,
            category=category,
        )
        exchange.status, exchange.transaction, exchange.decided_at = Exchange.Status.CONFIRMED, record, timezone.now()
        exchange.save(update_fields=["status", "transaction", "decided_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.APPROVE,
            instance=exchange,
            network=giver.network,
            changes={"coordinator_note": [None, "(text, not recorded)"]},
            summary=f"Recorded and confirmed {format_minutes(minutes)} for both members, who are offline",
        )
        return exchange

    try:
        return _retrying(work)
    except IntegrityError:  # the same key at the same moment: the other request won
        existing = Transaction.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None or not hasattr(existing, "exchange"):
            raise
        return existing.exchange


def open_holder_account(*, actor, network, organisation=None, settlement=None) -> Account:
    """A coordinator opens (or reopens) the time bank account of an organisation
    working with the network, or of one of its settlements. It has no floor (it
    credits time it values, say for co-production); a coordinator may set limits."""
    require(actor, "timebank.open_account", network)
    if (organisation is None) == (settlement is None):
        raise ValidationError("Choose an organisation or a settlement.", code="holder")
    if organisation is not None:
        if not organisation.networks.filter(pk=network.pk).exists():
            raise ValidationError({"organisation": "Choose an organisation working with this network."})
        holder = {"organisation": organisation, "kind": Account.Kind.ORGANISATION}
    else:
        if settlement.network_id != network.pk:
            raise ValidationError({"settlement": "Choose a settlement of this network."})
        holder = {"settlement": settlement, "kind": Account.Kind.SETTLEMENT}

    def work():
        account = Account.objects.select_for_update().filter(network=network, **holder).first()
        if account is None:
            account = Account.objects.create(network=network, floor=None, **holder)
            audit.record(
                actor=actor, action=AuditEntry.Action.CREATE, instance=account, network=network, summary="Opened"
            )
        elif not account.is_open:
            account.is_open = True
            account.save(update_fields=["is_open"])
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                instance=account,
                network=network,
                changes={"is_open": [False, True]},
                summary="Reopened",
            )
        return account

    try:
        return _retrying(work)
    except IntegrityError:  # opened at the same moment by another coordinator
        return Account.objects.get(network=network, **holder)


def record_group_activity(
    *, actor, payer: Account, credits, description, idempotency_key=None, category=None
) -> Transaction:
    """A coordinator credits a group activity (12 people × 2 h at a clean-up) from
    an organisation's or settlement's account: ONE ledger transaction, all or
    nothing; the same idempotency key again returns it, applied once.
    `credits` is [(member account, minutes)]."""
    require(actor, "timebank.record_for_members", payer)
    if payer.kind not in (Account.Kind.ORGANISATION, Account.Kind.SETTLEMENT):
        raise ValidationError({"payer": "Choose an organisation's or a settlement's account."})
    description = _check_text(description, "description", MAX_DESCRIPTION)
    if not description:
        raise ValidationError({"description": "Say what the activity was, for example “community clean-up”."})
    idempotency_key = _check_key(idempotency_key)
    credits = list(credits)
    if not credits:
        raise ValidationError({"members": "Add at least one member who took part."})
    if len(credits) > MAX_GROUP_SIZE:
        raise ValidationError({"members": f"Record at most {MAX_GROUP_SIZE} people at once."})
    seen = set()
    legs = []
    for account, minutes in credits:
        minutes = check_minutes(minutes)
        if account.kind != Account.Kind.MEMBER or account.network_id != payer.network_id:
            raise ValidationError({"members": "Choose members of the same network's time bank."})
        if account.pk in seen:
            raise ValidationError({"members": "Each member once: add their time together."})
        require(actor, "timebank.record_for_members", account)
        check_category(category, account, actor)  # each member who took part gave the time
        seen.add(account.pk)
        legs.append((account, minutes))
    legs.insert(0, (payer, -sum(minutes for _, minutes in legs)))

    def work():
        if idempotency_key is not None:
            existing = Transaction.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if not _same_request(existing, legs):
                    raise ValidationError("This form was already sent with other details.", code="idempotency")
                return existing
        return _post(
            actor=actor,
            legs=legs,
            kind=Transaction.Kind.GROUP_ACTIVITY,
            description=description,
            idempotency_key=idempotency_key,
            network=payer.network,
            category=category,
        )

    try:
        return _retrying(work)
    except IntegrityError:
        existing = Transaction.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None or not _same_request(existing, legs):
            raise
        return existing
