"""Reads of the ledger: who may see which account, and statements."""

from django.db.models import F, Sum, Window

from recoverynet.core import moderation, scoping

from .models import Account, Posting


def accounts_visible_to(user, queryset=None):
    """A member sees their own accounts; coordinators their networks'; federation coordinators all."""
    queryset = Account.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if scoping.is_federation_coordinator(user):
        return queryset
    return queryset.filter(user=user) | queryset.filter(network_id__in=scoping.coordinated_network_ids(user))


def statement(account):
    """The account's postings, newest first, each with the balance after it
    (a window sum in the database: one query, whatever the history's length)."""
    return (
        Posting.objects.filter(account=account)
        .select_related("transaction")
        .annotate(
            balance_after=Window(
                Sum("amount"), order_by=[F("transaction__created_at").asc(), F("transaction_id").asc()]
            )
        )
        .order_by("-transaction__created_at", "-transaction_id")
    )


# --- Offers and requests ----------------------------------------------------------


def blocked_with(user):
    """Ids of the people `user` blocked or was blocked by (a subquery each, evaluated in the caller's query)."""
    from .models import Block

    return Block.objects.filter(blocker=user).values("blocked_id"), Block.objects.filter(blocked=user).values(
        "blocker_id"
    )


def posts_visible_to(user, queryset=None):
    """Offers and requests a person may see: their own; those of the networks they
    belong to, and other networks' posts marked federation-wide; never a blocked
    person's (either way) nor a hidden one. Coordinators see all of their networks'
    posts (hidden ones and blocked people's too, to moderate); federation coordinators all."""
    from django.db.models import Q

    from recoverynet.federation.models import Network

    from .models import Post

    queryset = Post.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if scoping.is_federation_coordinator(user):
        return queryset
    scope = scoping.scope_of(user)
    federations = Network.objects.filter(pk__in=scope.member_of).values("federation_id")
    federation_wide = Q(visibility=Post.Visibility.FEDERATION, network__federation_id__in=federations)
    members_see = Q(hidden=False) & (Q(network_id__in=scope.member_of) | federation_wide)
    blocked, blockers = blocked_with(user)
    not_blocked = ~Q(poster__user_id__in=blocked) & ~Q(poster__user_id__in=blockers)
    return queryset.filter(Q(poster__user=user) | Q(network_id__in=scope.coordinated) | (members_see & not_blocked))


def is_blocked(one, other) -> bool:
    """Has either of the two people blocked the other?"""
    from django.db.models import Q

    from .models import Block

    return Block.objects.filter(Q(blocker=one, blocked=other) | Q(blocker=other, blocked=one)).exists()


def is_vetted(user, network) -> bool:
    from .models import Vetting

    return Vetting.objects.filter(user=user, network=network).exists()


def reports_visible_to(user, queryset=None):
    """Reports are for the coordinators of the network they were made in (and the federation's)."""
    from .models import Report

    return moderation.reports_visible_to(user, Report, queryset)
