"""The time bank's rows for the personal-data tests (recoverynet.testing.personal_data)."""

from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory


def add(person, world):
    account = services.open_member_account(actor=person, user=person, network=world.own_network)
    neighbour = MemberAccountFactory(network=world.own_network)
    services.transfer(actor=person, source=account, destination=neighbour, minutes=30)
    services.record_exchange(
        actor=person, giver=account, receiver=neighbour, minutes=20, description=f"Lift for {person.display_name}"
    )
