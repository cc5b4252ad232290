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


@pytest.fixture
def flexible(world, role):
    """Any 2 hours between Tuesday 1 and Friday 4 December, 9am to 5pm: three places
    (the flexible-shift tests; times in flexible_times)."""
    from recoverynet.volunteering import services

    from .flexible_times import at

    return services.create_shift(
        actor=world.users["settlement_host"],
        role=role,
        kind="flexible",
        starts_at=at(1, 9),
        ends_at=at(4, 17),
        day_starts=datetime.time(9),
        day_ends=datetime.time(17),
        expected_minutes=120,
        expected_per="total",
        places=3,
    )


@pytest.fixture
def default_interests(db):
    """The interests migration 0005 seeds: made again, since a transactional test elsewhere in the
    run (a browser test's live server) may have flushed them from this database."""
    from recoverynet.volunteering.demo import ensure_default_interests

    ensure_default_interests()
