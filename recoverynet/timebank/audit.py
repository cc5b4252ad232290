"""The ledger's invariants, checked in the database (a fixed number of queries,
aggregated there), for `manage.py timebank_audit` and the tests."""

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from .models import Account, Posting, Transaction


def ledger_violations() -> list[str]:
    """Every broken invariant, in words; an empty list when the books are right."""
    found = []
    total = Posting.objects.aggregate(total=Sum("amount"))["total"] or 0
    if total != 0:
        found.append(f"all postings sum to {total} minutes, not 0")
    for row in Posting.objects.values("account__network_id").annotate(total=Sum("amount")).exclude(total=0):
        found.append(f"network #{row['account__network_id']}'s postings sum to {row['total']} minutes, not 0")
    per_transaction = Transaction.objects.annotate(total=Coalesce(Sum("postings__amount"), 0), legs=Count("postings"))
    for record in per_transaction.filter(legs=0):
        found.append(f"transaction #{record.pk} has no postings")
    for record in per_transaction.filter(legs__gt=0).exclude(total=0):
        found.append(f"transaction #{record.pk}'s postings sum to {record.total} minutes, not 0")
    for account in Account.objects.with_balance():
        if not account.allows(account.balance):
            found.append(
                f"account #{account.pk} holds {account.balance} minutes, outside its limits "
                f"({account.floor}..{account.ceiling})"
            )
    legs: dict[int, list] = {}
    for transaction_id, account_id, amount in Posting.objects.values_list("transaction_id", "account_id", "amount"):
        legs.setdefault(transaction_id, []).append((account_id, amount))
    for transaction_id, key, digest in Transaction.objects.values_list("pk", "uuid", "digest"):
        if Transaction.digest_of(key, legs.get(transaction_id, [])) != digest:
            found.append(f"transaction #{transaction_id}'s postings have changed since they were posted")
    return found
