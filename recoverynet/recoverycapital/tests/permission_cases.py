"""Who may use recovery capital's pages. Answers and plans are the member's own:
anyone else's is "not found", whoever asks."""

from recoverynet.recoverycapital.models import Assessment, Goal, Step
from recoverynet.recoverycapital.services import load_shipped_instruments
from recoverynet.testing.permissions import COORDINATOR_OF_NETWORK, COORDINATORS, LOGIN, Case, roles, signed_in

OWN_ONLY = roles(404, anonymous=LOGIN, member=(200, 404))
OWN_ONLY_POST = roles(404, anonymous=LOGIN, member=(302, 404))

CASES = {
    "recoverycapital:journey": Case(signed_in(200)),
    "recoverycapital:assessment_new": Case(signed_in(200)),
    "recoverycapital:assessment": Case(OWN_ONLY, obj="assessment"),
    "recoverycapital:reminders": Case(signed_in(200)),
    "recoverycapital:goal_new": Case(signed_in(200)),
    "recoverycapital:goal_edit": Case(OWN_ONLY, obj="goal"),
    "recoverycapital:goal_done": Case(OWN_ONLY_POST, obj="goal", method="post"),
    "recoverycapital:step_new": Case(OWN_ONLY, obj="goal"),
    "recoverycapital:step_done": Case(OWN_ONLY_POST, obj="step", method="post"),
    "recoverycapital:manage:instrument_list": Case(COORDINATORS),
    "recoverycapital:manage:instrument_upload": Case(COORDINATOR_OF_NETWORK, obj="network"),
    # Peer workers host a settlement: they enter questionnaires with its members.
    "recoverycapital:manage:enter_with_member": Case(
        roles(
            403,
            anonymous=LOGIN,
            settlement_host=(200, 403),
            network_coordinator=(200, 403),
            federation_coordinator=200,
            admin=200,
        ),
        obj="network",
    ),
}

API_CASES = {
    "recovery-capital-assessment-list": Case(signed_in(200, anonymous=403)),
    "recovery-capital-assessment-detail": Case(roles(404, anonymous=403, member=(200, 404)), obj="assessment"),
    # Answering someone else's is "not found"; the member's own is refused for its empty body.
    "recovery-capital-assessment-answers": Case(
        roles(404, anonymous=403, member=(400, 404)), obj="assessment", method="post"
    ),
}


def build(world):
    """In each network: a member's BARC-10 in progress, and a goal with a step."""
    barc = next(i for i in load_shipped_instruments() if i.slug == "barc-10")
    objects = {}
    for scope, network, user in (
        ("own", world.own_network, world.users["member"]),
        ("other", world.other_network, world.other_membership.user),
    ):
        assessment = Assessment.objects.create(person=user, network=network, instrument=barc)
        goal = Goal.objects.create(person=user, domain=Goal.Domain.SOCIAL, title="Call my sister")
        step = Step.objects.create(goal=goal, text="Find her number")
        objects[scope] = {
            "assessment": {"pk": assessment.pk},
            "goal": {"pk": goal.pk},
            "step": {"pk": step.pk},
        }
    return objects
