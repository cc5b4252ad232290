"""Recovery capital's rows for the personal-data tests (recoverynet.testing.personal_data)."""

from recoverynet.accounts import services as accounts_services
from recoverynet.federation.factories import MembershipFactory
from recoverynet.recoverycapital import services
from recoverynet.recoverycapital.models import Instrument


def add(person, world):
    services.load_shipped_instruments()
    barc = Instrument.objects.get(slug="barc-10", version=1)
    accounts_services.record_consents(actor=person, user=person, decisions={"outcome_measurement": True})
    assessment = services.start_assessment(actor=person, person=person, network=world.own_network, instrument=barc)
    services.save_answers(actor=person, assessment=assessment, answers=dict.fromkeys(range(1, 11), 4))
    services.complete_assessment(actor=person, assessment=assessment)
    # The person (a federation coordinator in these tests) entered one with a member.
    other = MembershipFactory(network=world.own_network).user
    accounts_services.record_consents(actor=other, user=other, decisions={"outcome_measurement": True})
    services.start_assessment(actor=person, person=other, network=world.own_network, instrument=barc)
    services.set_reminders(actor=person, person=person, interval_months=6, enabled=True)
    goal = services.create_goal(
        actor=person, person=person, data={"domain": "social", "title": f"{person.display_name} calls {person.phone}"}
    )
    services.add_step(actor=person, goal=goal, text=f"Ask {person.legal_name}")
