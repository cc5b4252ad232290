"""The co-production self-assessment: each team member scores the six components on
their own; the page shows the team's mean, agreement and change; the indicator hides
a mean of fewer than five responses."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.registry import Period, indicators
from recoverynet.federation.factories import MembershipFactory
from recoverynet.initiatives import services
from recoverynet.initiatives.models import COMPONENT_NAMES, CoproductionAssessment, Initiative, TeamMember

pytestmark = pytest.mark.django_db
LONDON = datetime.UTC


def _scores(value):
    return dict.fromkeys(COMPONENT_NAMES, value)


@pytest.fixture
def team(world):
    initiative = Initiative.objects.create(network=world.own_network, name="Café", summary="s", started_on="2026-01-01")
    people = [world.users["member"], *(MembershipFactory(network=world.own_network).user for _ in range(2))]
    for person, role in zip(people, ["lead", "member", "professional"], strict=True):
        TeamMember.objects.create(initiative=initiative, user=person, role=role)
    return initiative, people


def test_each_member_scores_once_a_day_and_only_the_team(world, team, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12, tzinfo=LONDON), tick=False)
    initiative, people = team
    services.assess_coproduction(actor=people[0], initiative=initiative, scores=_scores(2))
    with pytest.raises(ValidationError, match="today already"):
        services.assess_coproduction(actor=people[0], initiative=initiative, scores=_scores(3))
    with pytest.raises(PermissionDenied):
        services.assess_coproduction(actor=world.users["network_coordinator"], initiative=initiative, scores=_scores(2))
    for bad in ({**_scores(2), "assets": 5}, {**_scores(2), "catalysts": 0}, {"assets": 2}, None, _scores("2")):
        with pytest.raises(ValidationError):
            services.assess_coproduction(actor=people[1], initiative=initiative, scores=bad)
    assert CoproductionAssessment.objects.count() == 1


def test_the_summary_shows_mean_agreement_and_change_worked_by_hand(team, time_machine):
    initiative, people = team
    time_machine.move_to(datetime.datetime(2026, 1, 10, 12, tzinfo=LONDON), tick=False)
    for person, value in zip(people, [1, 2, 3], strict=True):
        services.assess_coproduction(actor=person, initiative=initiative, scores=_scores(value))
    assert services.coproduction_summary(initiative)[0]["change"] is None  # one occasion: no change yet
    time_machine.move_to(datetime.datetime(2026, 6, 10, 12, tzinfo=LONDON), tick=False)
    for person, value in zip(people[:2], [4, 3], strict=True):
        services.assess_coproduction(actor=person, initiative=initiative, scores={**_scores(value), "catalysts": 1})
    summary = {row["name"]: row for row in services.coproduction_summary(initiative)}
    assets = summary["assets"]
    assert (assets["first"]["mean"], assets["first"]["low"], assets["first"]["high"]) == (2.0, 1, 3)
    assert (assets["latest"]["mean"], assets["latest"]["low"], assets["latest"]["high"]) == (3.5, 3, 4)
    assert assets["change"] == 1.5 and summary["catalysts"]["change"] == -1.0
    radar = services.coproduction_radar(services.coproduction_summary(initiative))
    # Assets is the axis straight up from the centre (160, 160); a mean of 2 of 4 is half the 100 radius.
    assert radar["first"].split()[0] == "160.0,110.0" and radar["latest"].split()[0] == "160.0,72.5"
    assert len(radar["rings"]) == 4 and [axis["label"] for axis in radar["axes"]][:2] == ["Assets", "Capacity"]


def test_one_answer_is_never_shown_on_its_own(team, time_machine, client):
    time_machine.move_to(datetime.datetime(2026, 1, 10, 12, tzinfo=LONDON), tick=False)
    initiative, people = team
    services.assess_coproduction(actor=people[0], initiative=initiative, scores=_scores(4))
    assert services.coproduction_summary(initiative) == []
    assert "Not enough answers yet" in client.get(initiative.get_absolute_url()).content.decode()


def test_the_page_and_the_form(world, team, time_machine, client_for):
    time_machine.move_to(datetime.datetime(2026, 1, 10, 12, tzinfo=LONDON), tick=False)
    initiative, people = team
    url = reverse("initiatives:coproduction", kwargs={"pk": initiative.pk})
    lead = client_for(people[0])
    assert f'href="{url}"' in lead.get(initiative.get_absolute_url()).content.decode()
    assert "Choose a level for assets" in lead.post(url, {}).content.decode()
    assert lead.post(url, dict.fromkeys(COMPONENT_NAMES, "3")).status_code == 302
    client_for(people[1]).post(url, dict.fromkeys(COMPONENT_NAMES, "1"))
    html = Client().get(initiative.get_absolute_url()).content.decode()
    assert "Shared roles" in html and "1 to 3" in html and ">2.0<" in html
    assert 'role="img"' in html and "Solid line: the team now." in html


def test_the_indicator_hides_means_of_fewer_than_five(world, team, time_machine):
    initiative, people = team
    time_machine.move_to(datetime.datetime(2026, 5, 10, 12, tzinfo=LONDON), tick=False)
    for person in people:
        services.assess_coproduction(actor=person, initiative=initiative, scores=_scores(2))
    indicator = {i.key: i for i in indicators()}["initiatives.coproduction_assets"]
    q2 = Period(datetime.date(2026, 4, 1), datetime.date(2026, 7, 1))
    networks = [world.own_network, world.other_network]
    assert indicator.measure(networks, q2) == {world.own_network.pk: None, world.other_network.pk: None}
    more = [MembershipFactory(network=world.own_network).user for _ in range(2)]
    for person in more:
        TeamMember.objects.create(initiative=initiative, user=person)
        services.assess_coproduction(actor=person, initiative=initiative, scores=_scores(4))
    assert indicator.measure(networks, q2) == {world.own_network.pk: 2.8, world.other_network.pk: None}


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    values=st.fixed_dictionaries(
        {name: st.one_of(st.sampled_from(["1", "4"]), st.text(max_size=4)) for name in COMPONENT_NAMES}
    )
)
def test_any_values_in_the_form_never_500(assessing, values):
    client, initiative = assessing
    CoproductionAssessment.objects.all().delete()
    response = client.post(reverse("initiatives:coproduction", kwargs={"pk": initiative.pk}), values)
    assert response.status_code in (200, 302)
    assert CoproductionAssessment.objects.count() == (1 if response.status_code == 302 else 0)


@pytest.fixture
def assessing(team, client_for):
    initiative, people = team
    return client_for(people[0]), initiative
