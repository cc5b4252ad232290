"""Reads of the ledger: who may see which account, and statements."""

from django.db.models import F, Sum, Window

from recoverynet.core import scoping

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
