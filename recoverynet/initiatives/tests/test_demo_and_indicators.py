"""The demo's year of pitches, and the figures the app gives the outcomes framework."""

import datetime

import pytest
from django.core import mail

from recoverynet.core.registry import DemoContext, Period, indicators
from recoverynet.initiatives import services
from recoverynet.initiatives.demo import PITCHES_PER_NETWORK, load_initiatives_demo
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import Initiative, Pitch, ReviewRound, Score, Support

pytestmark = pytest.mark.django_db

Q2 = Period(datetime.date(2026, 4, 1), datetime.date(2026, 7, 1))
UTC = datetime.UTC


def test_the_demo_has_pitches_in_every_state_in_every_network_and_runs_once(
    world, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, tzinfo=UTC), tick=False)
    demo = DemoContext(objects={"networks": {n.slug: n for n in (world.own_network, world.other_network)}})
    with django_capture_on_commit_callbacks(execute=True):
        load_initiatives_demo(demo)
    assert not mail.outbox  # demo people get no emails
    for network in (world.own_network, world.other_network):
        pitches = Pitch.objects.filter(network=network)
        assert pitches.count() == PITCHES_PER_NETWORK
        assert set(pitches.values_list("state", flat=True)) == set(Pitch.State.values)
        published = pitches.public().values_list("published_at", flat=True)
        assert min(published) >= datetime.datetime(2025, 12, 1, 12, tzinfo=UTC)
    assert Support.objects.filter(pitch__network=world.own_network).exists()  # the other has one member
    own_round = ReviewRound.objects.get(network=world.own_network)
    assert own_round.state == ReviewRound.State.SCORING and Score.objects.filter(panel_member__round=own_round).exists()
    initiatives = Initiative.objects.all()
    assert 1 <= initiatives.count() <= 12
    assert initiatives.filter(kind=Initiative.Kind.SOCIAL_ENTERPRISE).count() == 3
    for initiative in initiatives:
        assert initiative.milestones.count() == 3 and initiative.results.count() == 5 and initiative.updates.exists()
        assert initiative.assessments.values("taken_on").distinct().count() == 2
        assert set(initiative.decisions.values_list("step", flat=True)) == {"consultation", "co_production"}
        assert initiative.results.filter(measure="volunteering", target_people=10).exists()
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


def test_indicators_count_active_initiatives_enterprises_and_people_in_roles(world):
    from recoverynet.accounts import services as account_services
    from recoverynet.initiatives.models import TeamMember

    def make(network, kind="initiative", status="active", started="2026-05-01"):
        return Initiative.objects.create(
            network=network,
            name="x",
            summary="s",
            kind=kind,
            legal_form="cic" if kind == "social_enterprise" else "",
            status=status,
            started_on=started,
        )

    first = make(world.own_network)
    enterprise = make(world.own_network, kind="social_enterprise")
    make(world.own_network, status="closed")
    make(world.own_network, started="2026-07-01")  # after the period
    member = world.users["member"]
    member.self_descriptions = ["in_recovery"]
    member.save(update_fields=["self_descriptions"])
    account_services.record_consents(actor=member, user=member, decisions={"outcome_measurement": True})
    TeamMember.objects.create(initiative=first, user=member, role="lead")
    TeamMember.objects.create(initiative=enterprise, user=member, role="member")
    TeamMember.objects.create(initiative=enterprise, user=world.users["professional"], role="professional")
    by_key = {i.key: i for i in indicators()}
    networks = [world.own_network, world.other_network]
    own, other = world.own_network.pk, world.other_network.pk
    assert by_key["initiatives.initiatives_active"].measure(networks, Q2) == {own: 2, other: 0}
    assert by_key["initiatives.social_enterprises_active"].measure(networks, Q2) == {own: 1, other: 0}
    assert by_key["initiatives.people_in_roles"].measure(networks, Q2) == {own: 2, other: 0}
    assert by_key["initiatives.people_in_recovery_in_roles"].measure(networks, Q2) == {own: 1, other: 0}
    # Giving back (the federation's figure): the lead and member, not the professional in their paid role.
    from recoverynet.initiatives.indicators import givers

    assert givers(networks, Q2) == {own: {member.pk}, other: set()}
    assert by_key["initiatives.people_in_roles"].outcomes == (2,)
