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


# --- Offers and requests ----------------------------------------------------------


@rules.predicate
def posted(user, post):
    return post is not None and post.poster.user_id is not None and post.poster.user_id == getattr(user, "pk", None)


# obj: the account a member posts with (a coordinator may post for a member without internet access)
rules.add_perm("timebank.post_with", holds_account | coordinator)
# obj: the post; its poster edits, closes it and agrees a response
rules.add_perm("timebank.change_post", posted)
# obj: a network, or a post or report in it: coordinators hide posts and close reports
rules.add_perm("timebank.moderate", coordinator)
# obj: the network whose coordinators mark members vetted
rules.add_perm("timebank.vet_members", coordinator)
# obj: an account of (or the) network whose members a coordinator acts for
rules.add_perm("timebank.record_for_members", coordinator)
# obj: the network whose time bank figures are read
rules.add_perm("timebank.view_reports", coordinator)
