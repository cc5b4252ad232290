"""The time bank's rows for the personal-data tests (recoverynet.testing.personal_data)."""

from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Category


def add(person, world):
    account = services.open_member_account(actor=person, user=person, network=world.own_network)
    neighbour = MemberAccountFactory(network=world.own_network)
    services.transfer(actor=person, source=account, destination=neighbour, minutes=30)
    services.record_exchange(
        actor=person, giver=account, receiver=neighbour, minutes=20, description=f"Lift for {person.display_name}"
    )
    # Offers and requests: a post, an answer, a block, reports made and closed, vettings had and given.
    services.ensure_default_categories()
    gardening = Category.objects.get(slug="gardening")
    post = services.create_post(
        actor=person,
        account=account,
        data={"kind": "offer", "category": gardening, "title": f"{person.display_name}'s garden help",
              "visibility": "network"},
    )  # fmt: skip
    theirs = services.create_post(
        actor=neighbour.user,
        account=neighbour,
        data={"kind": "request", "category": gardening, "title": "Hedges", "visibility": "network"},
    )
    services.respond_to_post(actor=person, post=theirs, message=f"{person.display_name} can help, {person.phone}")
    services.respond_to_post(actor=neighbour.user, post=post, message="Yes please")
    services.block_member(actor=person, member=neighbour.user)
    services.block_member(actor=neighbour.user, member=person)
    report = services.report_to_coordinators(
        actor=person, network=world.own_network, reason="other", details=f"From {person.display_name}, {person.email}",
        post=theirs,
    )  # fmt: skip
    services.report_to_coordinators(actor=neighbour.user, network=world.own_network, reason="other", member=person,
                                    post=post)  # fmt: skip
    services.close_report(actor=person, report=report, outcome="no_action", note="Closed by Robin")
    services.set_vetted(actor=person, user=person, network=world.own_network, vetted=True)
    services.set_vetted(actor=person, user=neighbour.user, network=world.own_network, vetted=True)
