"""The demo data (roles from every sector, a year of shifts and hours) and the
outcome indicators built on confirmed hours."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from recoverynet.accounts import services as account_services
from recoverynet.core.registry import Period, indicators
from recoverynet.federation.factories import MembershipFactory, NetworkFactory, OrganisationFactory, SettlementFactory
from recoverynet.federation.models import Network, Sector
from recoverynet.volunteering import indicators as volunteering
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory, SignUpFactory
from recoverynet.volunteering.models import Commendation, Job, JobOutcome, MemberInterest, Role, Shift, SignUp

pytestmark = pytest.mark.django_db


def test_the_demo_offers_roles_from_every_sector_with_a_year_of_hours():
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    assert "Volunteering:" in out.getvalue()
    assert set(Role.objects.exclude(organisation=None).values_list("organisation__sector", flat=True)) == set(
        Sector.values
    )
    assert Role.objects.filter(settlement__isnull=False).exists()
    now = timezone.now()
    assert Shift.objects.filter(starts_at__gt=now).exists() and Shift.objects.filter(starts_at__lt=now).exists()
    assert SignUp.objects.filter(hours_confirmed_at__isnull=False).exists()
    flexible = Shift.objects.filter(kind="flexible")
    assert flexible.filter(ends_at__lt=now, signups__hours_confirmed_at__isnull=False).exists()
    assert flexible.filter(starts_at__gt=now).exists()
    for shift in flexible.select_related("role"):
        shift.clean()  # every demo window keeps the model's rules
    assert Role.objects.filter(initiative__isnull=False).exists()
    # Commendations, each for someone who attended a shift of that role; one waits for the member.
    commendations = list(Commendation.objects.all())
    assert len(commendations) >= 5
    for commendation in commendations:
        assert SignUp.objects.filter(user=commendation.user, shift__role=commendation.role, attended=True).exists()
    waiting = Commendation.objects.awaiting_member().get()
    assert waiting.user.email == "demo.member@example.org" and services.mentions_recovery(waiting.text)
    assert not any(services.mentions_recovery(c.text) for c in Commendation.objects.shown())
    assert "waiting for the member's approval" in out.getvalue()
    assert Job.objects.filter(closing_date__gte=timezone.localdate()).exists()
    assert JobOutcome.objects.filter(status="started", started_on__isnull=False, job__kind="work").exists()
    assert JobOutcome.objects.filter(status="started", started_on__isnull=False, job__kind="training").exists()
    for role in Role.objects.all():
        role.full_clean()  # every demo role keeps the model's rules
    assert not Role.objects.filter(interests=None).exists()  # every demo role suits some interests
    assert MemberInterest.objects.values("user").distinct().count() > 10
    counts = (Role.objects.count(), Shift.objects.count(), SignUp.objects.count(), Commendation.objects.count())
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert (Role.objects.count(), Shift.objects.count(), SignUp.objects.count(), Commendation.objects.count()) == counts


def test_volunteers_and_hours_per_network_and_quarter(world):
    host = world.users["network_coordinator"]
    role = RoleFactory(network=world.own_network)
    figures = {}
    descriptions = iter([["in_recovery"], ["ally"], ["recovering"], ["in_recovery"]])
    for days_ago, people, minutes, confirm in ((3, 2, 90, True), (5, 1, 60, False), (200, 1, 120, True)):
        start = timezone.now() - datetime.timedelta(days=days_ago)
        shift = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=5)
        for _ in range(people):
            person = MembershipFactory(
                network=world.own_network, status="active", user__self_descriptions=next(descriptions)
            ).user
            account_services.record_consents(
                actor=person, user=person, decisions={"outcome_measurement": days_ago == 3}
            )
            signup = services.record_walk_in(actor=host, shift=shift, user=person)
            services.record_hours(actor=host, shift=shift, entries={signup.pk: (True, minutes)})
            if confirm:
                services.confirm_hours(actor=person, signup=signup)
    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=30), today + datetime.timedelta(days=1))
    networks = Network.objects.filter(pk__in=[world.own_network.pk, world.other_network.pk])
    for indicator in indicators():
        if indicator.key.startswith("volunteering."):
            figures[indicator.key] = indicator.measure(networks, period)
    own, other = world.own_network.pk, world.other_network.pk
    assert figures["volunteering.volunteers_active"] == {own: 2, other: 0}  # unconfirmed hours do not count
    assert figures["volunteering.hours_volunteered"] == {own: 3.0, other: 0}
    # Both volunteers of the quarter agreed to be counted: one in recovery, one an ally.
    assert figures["volunteering.volunteers_measured"] == {own: 2, other: 0}
    assert figures["volunteering.share_in_recovery"] == {own: 50.0, other: None}


def test_volunteers_active_by_the_settlement_offering_the_role(django_assert_num_queries):
    """Café (settlement): A, B, C confirmed, D unconfirmed, E absent; garden (settlement): C and F;
    an organisation's role: G; the café again in the next quarter: H. So café 3, garden 2,
    the network 5 (A, B, C once, F, G), a quiet settlement 0."""
    network = NetworkFactory()
    cafe, garden, quiet = (SettlementFactory(network=network) for _ in range(3))
    charity = OrganisationFactory()
    charity.networks.add(network)
    q3 = Period(datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))
    august = datetime.datetime(2026, 8, 3, 10, tzinfo=datetime.UTC)
    october = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)
    confirmed = {"status": "confirmed", "attended": True, "minutes": 120, "hours_confirmed_at": august}

    def shift(starts_at=august, **role):
        return ShiftFactory(role=RoleFactory(network=network, **role), starts_at=starts_at, places=10)

    at_cafe, at_garden = shift(settlement=cafe), shift(settlement=garden)
    at_charity = shift(settlement=None, organisation=charity)
    people = {name: MembershipFactory(network=network, status="active").user for name in "ABCDEFGH"}
    for name in "ABC":
        SignUpFactory(shift=at_cafe, user=people[name], **confirmed)
    SignUpFactory(shift=at_cafe, user=people["D"], **{**confirmed, "hours_confirmed_at": None})
    SignUpFactory(shift=at_cafe, user=people["E"], **{**confirmed, "attended": False})
    for name in "CF":
        SignUpFactory(shift=at_garden, user=people[name], **confirmed)
    SignUpFactory(shift=at_charity, user=people["G"], **confirmed)
    SignUpFactory(shift=shift(october, settlement=cafe), user=people["H"], **confirmed)

    with django_assert_num_queries(1):
        found = volunteering.volunteers_active_by_settlement([cafe, garden, quiet], q3)
    assert found == {cafe.pk: 3, garden.pk: 2, quiet.pk: 0}
    assert volunteering.volunteers_active([network], q3) == {network.pk: 5}
