"""Who may take, enter, read and plan. Answers are health data: only the member,
and the worker entering an assessment with them, ever open one."""

import rules

from recoverynet.federation.rules import coordinator, hosts_settlement


@rules.predicate
def is_self(user, person):
    return person is not None and getattr(user, "pk", None) is not None and person.pk == user.pk


@rules.predicate
def owns(user, obj):
    return obj is not None and getattr(obj, "person_id", None) == getattr(user, "pk", None)


@rules.predicate
def enters_it(user, assessment):
    """The worker entering it with the member, until it is finished."""
    return (
        assessment is not None
        and assessment.completed_at is None
        and assessment.entered_by_id is not None
        and assessment.entered_by_id == user.pk
    )


# obj: the person taking it
rules.add_perm("recoverycapital.take_assessment", is_self)
# obj: the member's Membership (a peer worker hosting their settlement, or their network's coordinator)
rules.add_perm("recoverycapital.enter_with_member", coordinator | hosts_settlement)
# obj: the assessment
rules.add_perm("recoverycapital.answer_assessment", owns | enters_it)
rules.add_perm("recoverycapital.view_assessment", owns | enters_it)
# obj: the network the instrument is for
rules.add_perm("recoverycapital.load_instrument", coordinator)
# obj: the goal (or the person, to add one)
rules.add_perm("recoverycapital.add_goal", is_self)
rules.add_perm("recoverycapital.change_goal", owns)
