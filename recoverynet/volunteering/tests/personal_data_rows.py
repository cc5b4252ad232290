"""Volunteering's rows for the personal-data tests (recoverynet.testing.personal_data)."""

import datetime

from django.utils import timezone

from recoverynet.federation.factories import MembershipFactory
from recoverynet.volunteering import services
from recoverynet.volunteering.demo import ensure_default_interests
from recoverynet.volunteering.factories import JobFactory, RoleFactory, ShiftFactory
from recoverynet.volunteering.models import Interest


def add(person, world):
    ensure_default_interests()  # a transactional test may have flushed what migrations seeded
    services.save_profile(
        actor=person,
        user=person,
        recovery_start=datetime.date(2024, 5, 1),
        avoid_alcohol_venues=True,
        skills=[("Cooking", 2)],
        interests=Interest.objects.filter(name__in=["Cooking and food", "Peer support"]),
    )
    services.record_dbs_check(
        actor=world.users["network_coordinator"],
        network=world.own_network,
        user=person,
        level="basic",
        checked_on=datetime.date(2026, 1, 1),
        checker="Eden Recovery",
    )
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement)
    start = timezone.now() - datetime.timedelta(days=1)
    shift = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    host = world.users["settlement_host"]
    signup = services.record_walk_in(actor=host, shift=shift, user=person)
    services.record_hours(actor=host, shift=shift, entries={signup.pk: (True, 60)})
    services.write_commendation(actor=host, role=role, user=person, text=f"{person.display_name} was great")
    services.record_job_outcome(actor=person, job=JobFactory(network=world.own_network), status="applied")
    # What the person recorded and wrote as a (federation) coordinator.
    other = MembershipFactory(network=world.own_network, status="active").user
    other_signup = services.record_walk_in(actor=person, shift=shift, user=other)
    services.record_hours(actor=person, shift=shift, entries={other_signup.pk: (True, 30)})
    services.write_commendation(actor=person, role=role, user=other, text="Kind")
