import pytest

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership

# --- /manage/ pages (test_manage_views.py) --------------------------------------


@pytest.fixture
def pending_membership(world):
    """Someone asking to join own_network at its settlement."""
    return MembershipFactory(
        user=UserFactory(display_name="Newcomer", email="newcomer@example.org"),
        network=world.own_network,
        settlement=world.own_settlement,
        status=Membership.Status.PENDING,
    )
