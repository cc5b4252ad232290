"""Who may move time from an account, correct the ledger and set its limits."""

import rules

from recoverynet.federation.rules import coordinator


@rules.predicate
def holds_account(user, account):
    return account is not None and account.user_id is not None and account.user_id == getattr(user, "pk", None)


# obj: the account time leaves
rules.add_perm("timebank.move_time", holds_account | coordinator)
# obj: an account of the network whose books are corrected or limited
rules.add_perm("timebank.reverse_transaction", coordinator)
rules.add_perm("timebank.set_limits", coordinator)
rules.add_perm("timebank.open_account", coordinator)
# obj: an account of (or the) network whose members a coordinator acts for
rules.add_perm("timebank.record_for_members", coordinator)
# obj: the network whose time bank figures are read
rules.add_perm("timebank.view_reports", coordinator)
