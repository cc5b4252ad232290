"""Twelve members support one pitch at the same moment, each on their own
PostgreSQL connection, with the threshold at five: every support is counted
once, and the pitch goes to review exactly once (the pitch row is locked).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recoverynet \\
        .venv/bin/python -m pytest recoverynet/initiatives/tests/test_concurrency_postgres.py
"""

import pytest
from django.db import connection

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.initiatives import services
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import Pitch, Support
from recoverynet.testing import build_world, run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real concurrent connections (set DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_supporters_cross_the_threshold_once():
    world = build_world()
    services.set_support_threshold(actor=world.users["network_coordinator"], network=world.own_network, threshold=5)
    pitch = PublishedPitchFactory(network=world.own_network)
    supporters = [MembershipFactory(network=world.own_network).user for _ in range(12)]

    def support(user):
        return lambda: services.support_pitch(actor=user, pitch=Pitch.objects.get(pk=pitch.pk))

    results = run_concurrently(*[support(user) for user in supporters])
    assert all(outcome == "ok" for outcome, _ in results), results
    pitch.refresh_from_db()
    assert pitch.state == Pitch.State.UNDER_REVIEW
    assert Support.objects.filter(pitch=pitch).count() == 12
    moves = AuditEntry.objects.filter(content_type__model="pitch", object_id=str(pitch.pk), summary__contains="review")
    assert moves.count() == 1 and "5 members support it" in moves.get().summary
