import datetime

import pytest
from django.utils import timezone

from recoverynet.volunteering.factories import RoleFactory, ShiftFactory


@pytest.fixture
def role(world):
    """A role offered by the own network's settlement, confirmed by the organiser."""
    return RoleFactory(network=world.own_network, settlement=world.own_settlement, early_recovery="yes")


@pytest.fixture
def shift(role):
    return ShiftFactory(role=role, places=2)


@pytest.fixture
def past_shift(role):
    start = timezone.now() - datetime.timedelta(days=1)
    return ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=5)
