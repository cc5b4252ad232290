"""The initiatives app's rows for the personal-data tests (recoverynet.testing.personal_data)."""

from recoverynet.initiatives import services
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import Initiative, TeamMember


def add(person, world):
    services.create_pitch(
        actor=person,
        network=world.own_network,
        data={"title": "Sunday café", "problem": "Long Sundays", "idea": "A café", "who_for": "Everyone"},
    )
    others_pitch = PublishedPitchFactory(network=world.own_network)
    services.support_pitch(actor=person, pitch=others_pitch)
    services.pledge_to_pitch(
        actor=person, pitch=others_pitch, kind="skills", description=f"Cooking, ask {person.display_name}"
    )
    services.report_content(actor=person, pitch=others_pitch, reason="spam", details=f"{person.display_name} says")
    # A report the person closed as a coordinator, with a note in their words.
    someone = world.users["member"] if world.users["member"] != person else world.users["professional"]
    closed = services.report_content(
        actor=someone, pitch=PublishedPitchFactory(network=world.own_network), reason="spam"
    )
    services.dismiss_report(actor=person, report=closed)
    review_round = services.create_review_round(
        actor=world.users["network_coordinator"], network=world.own_network, title="R", criteria=["N"], members=[person]
    )
    services.declare_lived_experience(actor=person, review_round=review_round, lived_experience=True)

    initiative = Initiative.objects.create(network=world.own_network, name="Café", summary="s", started_on="2026-07-01")
    TeamMember.objects.create(initiative=initiative, user=person, role=TeamMember.Role.LEAD)
    services.post_update(actor=person, initiative=initiative, text="We opened on Sunday.")
    services.assess_coproduction(
        actor=person,
        initiative=initiative,
        scores={"assets": 3, "capacity": 2, "mutuality": 4, "networks": 3, "shared_roles": 2, "catalysts": 1},
    )
    services.record_decision(
        actor=person,
        initiative=initiative,
        data={"title": "Hours", "decided": "Sundays", "decided_on": "2026-07-05", "step": "co_design"},
        participants=[person],
        lived_experience=[person],
    )
