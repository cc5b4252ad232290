import pytest

from recoverynet.timebank.factories import MemberAccountFactory


@pytest.fixture
def accounts(world):
    """Three members' accounts in own_network, one in other_network; the member's own first."""
    from recoverynet.timebank.models import Account

    own = Account.objects.create(network=world.own_network, kind=Account.Kind.MEMBER, user=world.users["member"])
    return {
        "own": own,
        "neighbour": MemberAccountFactory(network=world.own_network),
        "third": MemberAccountFactory(network=world.own_network),
        "elsewhere": MemberAccountFactory(network=world.other_network),
    }
