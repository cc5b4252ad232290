"""The demo's year of pitches, and the figures the app gives the outcomes framework."""

import datetime
import time

import pytest

from recoverynet.core.registry import DemoContext, Period, indicators
from recoverynet.initiatives import services
from recoverynet.initiatives.demo import PITCHES_PER_NETWORK, load_initiatives_demo
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import Pitch, ReviewRound, Score, Support

pytestmark = pytest.mark.django_db

Q2 = Period(datetime.date(2026, 4, 1), datetime.date(2026, 7, 1))
UTC = datetime.UTC


def test_the_demo_has_pitches_in_every_state_in_every_network_and_runs_once(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, tzinfo=UTC), tick=False)
    demo = DemoContext(objects={"networks": {n.slug: n for n in (world.own_network, world.other_network)}})
    started = time.monotonic()
    load_initiatives_demo(demo)
    assert time.monotonic() - started < 20
    for network in (world.own_network, world.other_network):
        pitches = Pitch.objects.filter(network=network)
        assert pitches.count() == PITCHES_PER_NETWORK
        assert set(pitches.values_list("state", flat=True)) == set(Pitch.State.values)
        published = pitches.public().values_list("published_at", flat=True)
        assert min(published) >= datetime.datetime(2025, 12, 1, 12, tzinfo=UTC)
    assert Support.objects.filter(pitch__network=world.own_network).exists()  # the other has one member
    own_round = ReviewRound.objects.get(network=world.own_network)
    assert own_round.state == ReviewRound.State.SCORING and Score.objects.filter(panel_member__round=own_round).exists()
    load_initiatives_demo(demo)
    assert Pitch.objects.count() == 2 * PITCHES_PER_NETWORK and "already present" in demo.notes[-1]


def test_indicators_count_pitches_by_state_per_network_and_quarter(world, django_assert_num_queries):
    in_q2 = datetime.datetime(2026, 5, 10, tzinfo=UTC)
    for _ in range(3):
        PublishedPitchFactory(network=world.own_network, published_at=in_q2)
    PublishedPitchFactory(network=world.own_network, published_at=datetime.datetime(2026, 8, 1, tzinfo=UTC))
    accepted = PublishedPitchFactory(
        network=world.other_network, published_at=in_q2, author=world.other_membership.user
    )
    coordinator = world.users["federation_coordinator"]
    services.start_review(actor=coordinator, pitch=accepted)
    services.accept_pitch(actor=coordinator, pitch=accepted)
    Pitch.objects.filter(pk=accepted.pk).update(decided_at=in_q2)
    by_key = {i.key: i for i in indicators()}
    networks = [world.own_network, world.other_network]
    own, other = world.own_network.pk, world.other_network.pk
    with django_assert_num_queries(1):
        assert by_key["initiatives.pitches_published"].measure(networks, Q2) == {own: 3, other: 1}
    assert by_key["initiatives.pitches_now_accepted"].measure(networks, Q2) == {own: 0, other: 1}
    assert by_key["initiatives.pitches_published"].outcomes == (8,)
    assert by_key["initiatives.pitches_decided"].measure(networks, Q2) == {own: 0, other: 1}
