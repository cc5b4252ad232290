"""Decisions on an initiative: their step on the participation ladder, "you said, we did",
and the share of decision-makers with lived experience (aggregate only, hidden below 5 people)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.core.registry import Period, indicators
from recoverynet.federation.factories import MembershipFactory
from recoverynet.initiatives import services
from recoverynet.initiatives.models import Decision, DecisionParticipant, Initiative, TeamMember
from recoverynet.initiatives.selectors import decision_makers_share

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 10)
Q2 = Period(datetime.date(2026, 4, 1), datetime.date(2026, 7, 1))
DATA = {"title": "Opening hours", "decided": "Open on Sundays 10 to 2.", "decided_on": DAY, "step": "co_design"}


@pytest.fixture
def initiative(world):
    initiative = Initiative.objects.create(
        network=world.own_network, name="Sunday café", summary="s", started_on="2026-01-01"
    )
    TeamMember.objects.create(initiative=initiative, user=world.users["member"], role=TeamMember.Role.LEAD)
    return initiative


def team(initiative, world, n):
    people = [MembershipFactory(network=world.own_network).user for _ in range(n)]
    for person in people:
        TeamMember.objects.create(initiative=initiative, user=person, role=TeamMember.Role.MEMBER)
    return people


def test_the_lead_records_a_decision_with_its_step_and_you_said_we_did(world, initiative):
    lead = world.users["member"]
    (other,) = team(initiative, world, 1)
    decision = services.record_decision(
        actor=lead,
        initiative=initiative,
        data={**DATA, "you_said": "  Open on Sundays  ", "we_did": "We opened on Sundays."},
        participants=[lead, other],
        lived_experience=[other],
    )
    assert decision.step == "co_design" and decision.you_said == "Open on Sundays" and decision.recorded_by == lead
    marks = dict(DecisionParticipant.objects.values_list("user_id", "lived_experience"))
    assert marks[other.pk] is True and marks[lead.pk] is not True  # the encrypted field keeps a no as empty
    entry = AuditEntry.objects.filter(object_id=str(decision.pk), summary__startswith="Decision recorded").get()
    assert "lived_experience" not in str(entry.changes)  # the per-person mark never reaches the audit log


@pytest.mark.parametrize("role", ["anonymous", "professional", "settlement_host"])
def test_only_the_lead_or_a_coordinator_records_decisions(world, initiative, role):
    actor = world.users[role] or AnonymousUser()
    with pytest.raises(PermissionDenied):
        services.record_decision(actor=actor, initiative=initiative, data=DATA, participants=[world.users["member"]])
    assert not Decision.objects.exists()


def test_a_coordinator_may_record_one(world, initiative):
    services.record_decision(
        actor=world.users["network_coordinator"], initiative=initiative, data=DATA, participants=[world.users["member"]]
    )
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"participants": []}, "participants"),
        ({"outsider": True}, "participants"),
        ({"lived_outside": True}, "lived_experience"),
        ({"data": {**DATA, "you_said": "Sundays"}}, "we_did"),
        ({"data": {**DATA, "we_did": "Opened"}}, "you_said"),
        ({"data": {**DATA, "step": "tokenism"}}, "step"),
        ({"data": {**DATA, "decided": ""}}, "decided"),
        ({"data": {**DATA, "title": "x" * 200}}, "title"),
    ],
)
def test_a_bad_decision_is_refused_and_nothing_written(world, initiative, change, field):
    lead = world.users["member"]
    participants = change.get("participants", [lead])
    lived = []
    if change.get("outsider"):
        participants = [lead, world.users["professional"]]
    if change.get("lived_outside"):
        lived = [world.users["professional"]]
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.record_decision(
            actor=lead,
            initiative=initiative,
            data=change.get("data", DATA),
            participants=participants,
            lived_experience=lived,
        )
    assert field in raised.value.message_dict
    assert not Decision.objects.exists() and not DecisionParticipant.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_share_is_hidden_below_five_people_and_counts_each_person_once(world, initiative):
    lead = world.users["member"]
    people = team(initiative, world, 4)
    services.record_decision(
        actor=lead, initiative=initiative, data=DATA, participants=[lead, *people[:3]], lived_experience=people[:2]
    )
    shown = decision_makers_share(initiative=initiative)
    assert shown["people"].display == "fewer than 5" and not shown["share"].shown
    # A second decision: five people now, one of whom is now marked differently (the latest mark counts).
    services.record_decision(
        actor=lead,
        initiative=initiative,
        data={**DATA, "decided_on": DAY + datetime.timedelta(days=1)},
        participants=[lead, *people],
        lived_experience=[people[0], people[2]],
    )
    shown = decision_makers_share(initiative=initiative)
    assert shown["people"].value == 5 and shown["share"].shown and shown["share"].value == 40
    assert decision_makers_share(network=world.own_network)["share"].value == 40
    assert decision_makers_share(network=world.other_network)["people"].value == 0


def test_indicators_give_decision_makers_and_their_share_per_network(world, initiative, django_assert_num_queries):
    lead = world.users["member"]
    people = team(initiative, world, 5)
    services.record_decision(
        actor=lead, initiative=initiative, data=DATA, participants=[lead, *people], lived_experience=people[:3]
    )
    by_key = {i.key: i for i in indicators()}
    networks = [world.own_network, world.other_network]
    own, other = world.own_network.pk, world.other_network.pk
    share = by_key["initiatives.decision_makers_lived_experience"]
    with django_assert_num_queries(1):
        assert share.measure(networks, Q2) == {own: 50, other: None}
    assert by_key["initiatives.decision_makers"].measure(networks, Q2) == {own: 6, other: 0}
    assert share.outcomes == (8,) and not share.count and share.denominator == "initiatives.decision_makers"
    later = Period(datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))
    assert by_key["initiatives.decision_makers"].measure(networks, later) == {own: 0, other: 0}


def test_the_public_page_lists_decisions_but_never_who_has_lived_experience(world, initiative, client_for, client):
    lead = world.users["member"]
    people = team(initiative, world, 5)
    page = client_for(lead).get(reverse("initiatives:initiative_manage", kwargs={"pk": initiative.pk}))
    assert b"Record a decision" in page.content
    response = client_for(lead).post(
        reverse("initiatives:initiative_manage", kwargs={"pk": initiative.pk}),
        {
            "action": "decision",
            "decision-title": "Opening hours",
            "decision-decided": "Open on Sundays.",
            "decision-decided_on": "2026-05-10",
            "decision-step": "co_production",
            "decision-participants": [lead.pk, *(p.pk for p in people)],
            "decision-lived_experience": [people[0].pk, people[1].pk],
            "decision-you_said": "Somewhere to go on Sundays",
            "decision-we_did": "We open the café on Sundays",
        },
    )
    assert response.status_code == 302
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Opening hours" in html and "Co-production" in html
    assert "You said" in html and "Somewhere to go on Sundays" in html and "We open the café on Sundays" in html
    assert "<strong>33%</strong> of 6 people" in html
    assert "6 people took part" in html


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    values=st.fixed_dictionaries(
        {
            "decision-title": st.text(max_size=140),
            "decision-decided": st.text(max_size=1600),
            "decision-decided_on": st.one_of(st.text(max_size=12), st.dates().map(str)),
            "decision-step": st.one_of(st.sampled_from(["informing", "co_design"]), st.text(max_size=12)),
            "decision-participants": st.lists(
                st.one_of(st.text(max_size=6), st.integers(-5, 10**6).map(str)), max_size=3
            ),
            "decision-lived_experience": st.lists(
                st.one_of(st.text(max_size=6), st.integers(-5, 10**6).map(str)), max_size=3
            ),
            "decision-you_said": st.text(max_size=1100),
            "decision-we_did": st.text(max_size=1100),
        }
    ),
)
def test_any_values_in_the_decision_form_never_500(deciding, values):
    client, initiative = deciding
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("initiatives:initiative_manage", kwargs={"pk": initiative.pk}), {"action": "decision", **values}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert AuditEntry.objects.count() == before and not Decision.objects.exists()
    Decision.objects.all().delete()


@pytest.fixture
def deciding(world, initiative, client_for):
    return client_for(world.users["member"]), initiative


def test_the_network_page_shows_the_networks_share_only_from_five_people(world, initiative, client):
    lead = world.users["member"]
    people = team(initiative, world, 5)
    url = reverse("federation:network_detail", kwargs={"slug": world.own_network.slug})
    services.record_decision(actor=lead, initiative=initiative, data=DATA, participants=[lead, *people[:2]])
    assert "not shown until at least 5 people" in client.get(url).content.decode()
    services.record_decision(
        actor=lead, initiative=initiative, data=DATA, participants=[lead, *people], lived_experience=people[:3]
    )
    assert "<strong>50%</strong> of 6 people" in client.get(url).content.decode()
