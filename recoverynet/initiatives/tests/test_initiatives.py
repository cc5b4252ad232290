"""An accepted pitch becomes an initiative or social enterprise: team, milestones,
a tree of results with computed progress, a public timeline."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.initiatives import services
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import Initiative, Milestone, Pitch, Result, TeamMember, Update
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db

DATA = {"name": "Sunday café", "summary": "A café on Sundays.", "kind": "initiative", "started_on": "2026-07-01"}


@pytest.fixture
def accepted(world):
    pitch = PublishedPitchFactory(network=world.own_network, author=world.users["member"], title="Sunday café")
    coordinator = world.users["network_coordinator"]
    services.start_review(actor=coordinator, pitch=pitch)
    services.accept_pitch(actor=coordinator, pitch=pitch, explanation="Yes")
    return pitch


@pytest.fixture
def initiative(world, accepted):
    return services.start_initiative(actor=world.users["network_coordinator"], pitch=accepted, data=DATA)


def test_an_accepted_pitch_becomes_an_initiative_led_by_its_author(world, initiative, accepted):
    assert initiative.pitch == accepted and initiative.network == world.own_network
    assert list(initiative.team.values_list("user", "role")) == [(world.users["member"].pk, "lead")]
    with pytest.raises(ValidationError, match="already"):
        services.start_initiative(actor=world.users["network_coordinator"], pitch=accepted, data=DATA)


@pytest.mark.parametrize("state", ["published", "under_review", "not_taken_forward", "withdrawn"])
def test_only_an_accepted_pitch_becomes_one(world, state):
    pitch = PublishedPitchFactory(network=world.own_network, state=state, decline_reason="other")
    with pytest.raises(ValidationError, match="Only an accepted pitch"):
        services.start_initiative(actor=world.users["network_coordinator"], pitch=pitch, data=DATA)
    assert not Initiative.objects.exists()


def test_a_social_enterprise_needs_its_legal_form(world, accepted):
    coordinator = world.users["network_coordinator"]
    with pytest.raises(ValidationError) as refused:
        services.start_initiative(actor=coordinator, pitch=accepted, data={**DATA, "kind": "social_enterprise"})
    assert "legal_form" in refused.value.message_dict and not Initiative.objects.exists()
    enterprise = services.start_initiative(
        actor=coordinator,
        pitch=accepted,
        data={**DATA, "kind": "social_enterprise", "legal_form": "cic"},
        partners=[world.own_organisation],
    )
    assert enterprise.get_legal_form_display() == "Community interest company (CIC)"
    assert list(enterprise.partners.all()) == [world.own_organisation]


def test_partners_must_work_with_the_network(world, accepted):
    with pytest.raises(ValidationError, match="partner"):
        services.start_initiative(
            actor=world.users["network_coordinator"], pitch=accepted, data=DATA, partners=[world.other_organisation]
        )
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("role", ["member", "professional", "settlement_host"])
def test_only_coordinators_start_initiatives(world, accepted, role):
    with pytest.raises(PermissionDenied):
        services.start_initiative(actor=world.users[role], pitch=accepted, data=DATA)


def test_the_lead_manages_the_team_milestones_and_results(world, initiative):
    lead = world.users["member"]
    services.add_team_member(actor=lead, initiative=initiative, user=world.users["professional"], role="professional")
    with pytest.raises(ValidationError, match="on the team already"):
        services.add_team_member(actor=lead, initiative=initiative, user=world.users["professional"], role="ally")
    with pytest.raises(ValidationError, match="active member"):
        services.add_team_member(actor=lead, initiative=initiative, user=world.other_membership.user, role="ally")
    milestone = services.add_milestone(
        actor=lead, initiative=initiative, title="Open", due_on=datetime.date(2026, 9, 1)
    )
    services.set_milestone_status(actor=lead, milestone=milestone, status="done")
    with pytest.raises(ValidationError):
        services.set_milestone_status(actor=lead, milestone=milestone, status="forgotten")
    milestone.refresh_from_db()
    assert milestone.status == "done"
    # A team member who is not the lead may post updates but not manage.
    professional = world.users["professional"]
    with pytest.raises(PermissionDenied):
        services.add_milestone(actor=professional, initiative=initiative, title="x", due_on=datetime.date(2026, 9, 1))
    services.post_update(actor=professional, initiative=initiative, text="We bought a kettle.")
    with pytest.raises(PermissionDenied):
        services.post_update(actor=world.users["settlement_host"], initiative=initiative, text="Not on the team")
    with pytest.raises(ValidationError):
        services.post_update(actor=professional, initiative=initiative, text="x" * 2001)
    assert Update.objects.count() == 1


def test_results_tree_stored_and_computed_as_worked_by_hand(world, initiative):
    lead = world.users["member"]
    root = services.add_result(actor=lead, initiative=initiative, title="A café that lasts")
    open_ = services.add_result(actor=lead, initiative=initiative, title="Open every Sunday", weight=3, parent=root)
    people = services.add_result(actor=lead, initiative=initiative, title="People", weight=1, parent=root)
    volunteers = services.add_result(
        actor=lead, initiative=initiative, title="10 volunteers in recovery", parent=people
    )
    trained = services.add_result(actor=lead, initiative=initiative, title="5 trained in food hygiene", parent=people)
    services.set_result_progress(actor=lead, result=open_, progress=60)
    services.set_result_progress(actor=lead, result=volunteers, progress=50)
    services.set_result_progress(actor=lead, result=trained, progress=100)
    # People = (50 + 100) / 2 = 75; root = (3×60 + 1×75) / 4 = 63.75.
    computed = {row.title: value for row, _, value in services.results_of(initiative)}
    assert computed == {
        "A café that lasts": 63.75,
        "Open every Sunday": 60.0,
        "People": 75.0,
        "10 volunteers in recovery": 50.0,
        "5 trained in food hygiene": 100.0,
    }
    with pytest.raises(ValidationError, match="computed from its parts"):
        services.set_result_progress(actor=lead, result=people, progress=10)
    for bad in (-1, 101, "50", None, True):
        with pytest.raises(ValidationError):
            services.set_result_progress(actor=lead, result=trained, progress=bad)
    trained.refresh_from_db()
    assert trained.progress == 100


def test_a_result_cannot_sit_under_itself_or_another_initiatives(world, initiative):
    lead = world.users["member"]
    root = services.add_result(actor=lead, initiative=initiative, title="Root")
    child = services.add_result(actor=lead, initiative=initiative, title="Child", parent=root)
    root.parent = child
    with pytest.raises(ValidationError):
        root.full_clean()
    other = Initiative.objects.create(network=world.own_network, name="Other", summary="s", started_on="2026-01-01")
    with pytest.raises(ValidationError):
        services.add_result(actor=world.users["network_coordinator"], initiative=other, title="x", parent=root)


# --- Pages --------------------------------------------------------------------------


def test_start_manage_and_read_the_public_page(world, accepted, client_for):
    coordinator = client_for(world.users["network_coordinator"])
    start = reverse("initiatives:initiative_start", kwargs={"pk": accepted.pk})
    assert f'href="{start}"' in coordinator.get(accepted.get_absolute_url()).content.decode()
    refused = coordinator.post(start, {"name": "Café", "summary": "s", "kind": "social_enterprise", "started_on": ""})
    assert "Enter the start date" in refused.content.decode() and not Initiative.objects.exists()
    response = coordinator.post(
        start,
        {
            "name": "Café <script>x</script>",
            "summary": "Sundays",
            "kind": "social_enterprise",
            "legal_form": "cooperative",
            "started_on": "2026-07-01",
            "partners": [world.own_organisation.pk],
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()

    lead = client_for(world.users["member"])
    manage = reverse("initiatives:initiative_manage", kwargs={"pk": initiative.pk})
    for data in (
        {"action": "milestone", "milestone-title": "Open the doors", "milestone-due_on": "2026-09-01"},
        {"action": "result", "result-title": "Open every Sunday", "result-weight": "2", "result-parent": ""},
        {"action": "update", "update-text": "We found a room."},
        {"action": "team", "team-user": world.users["professional"].pk, "team-role": "professional"},
    ):
        assert lead.post(manage, data).status_code == 302, data
    result = Result.objects.get()
    assert lead.post(manage, {"action": "progress", "progress-result": result.pk, "progress-progress": "40"})
    bad = lead.post(manage, {"action": "progress", "progress-result": result.pk, "progress-progress": "140"})
    assert "Enter progress from 0 to 100" in bad.content.decode()

    html = Client().get(initiative.get_absolute_url()).content.decode()
    for text in ("Co-operative", "Open the doors", "Open every Sunday", "40%", "We found a room.", "Eden Recovery"):
        assert text in html, text
    assert "Member: lead" in html and "Professional: professional" in html
    assert "<script>x" not in html and "&lt;script&gt;" in html


def test_the_public_page_publishes_the_decision_and_says_plainly_when_none_are_recorded(
    world, accepted, initiative, client
):
    Pitch.objects.filter(pk=accepted.pk).update(
        decided_at=datetime.datetime(2026, 7, 2, 12, tzinfo=datetime.UTC), decision_explanation="Run by peers."
    )
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "The decision: accepted on 2 July 2026" in html and "Run by peers." in html
    assert "no decisions recorded yet." in html and "None%" not in html  # not "None% of 0 people"
    Pitch.objects.filter(pk=accepted.pk).update(
        hidden_at=datetime.datetime(2026, 7, 3, tzinfo=datetime.UTC), hidden_reason="Reported"
    )
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "The decision: accepted" not in html and "Run by peers." not in html  # hidden with its pitch


def test_the_initiative_list_runs_a_constant_number_of_queries(world, client):
    url = reverse("initiatives:initiative_list")
    client.get(url)
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            i = next(counter)
            initiative = Initiative.objects.create(
                network=world.own_network if i % 2 else world.other_network,
                settlement=world.own_settlement if i % 2 else world.other_settlement,
                name=f"Initiative {i:03}",
                summary="s",
                started_on="2026-01-01",
                kind="social_enterprise" if i % 3 == 0 else "initiative",
                legal_form="cic" if i % 3 == 0 else "",
            )
            TeamMember.objects.create(initiative=initiative, user=MembershipFactory(network=initiative.network).user)

    response = assert_constant_queries(lambda: client.get(url), add_rows)
    assert len(response.context["initiatives"]) == 20
    assert "team of 1" in response.content.decode()


def test_the_initiative_page_runs_a_constant_number_of_queries(world, initiative, client):
    lead = world.users["member"]
    client.get(initiative.get_absolute_url())
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            i = next(counter)
            services.add_milestone(actor=lead, initiative=initiative, title=f"M{i}", due_on=datetime.date(2026, 9, 1))
            services.add_result(actor=lead, initiative=initiative, title=f"R{i}")
            services.post_update(actor=lead, initiative=initiative, text=f"U{i}")
            TeamMember.objects.create(initiative=initiative, user=MembershipFactory(network=world.own_network).user)

    assert_constant_queries(lambda: client.get(initiative.get_absolute_url()), add_rows)


# --- Any input --------------------------------------------------------------------

NUMBERISH = st.one_of(st.text(max_size=10), st.integers(-(10**6), 10**6).map(str))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    action=st.sampled_from(["team", "milestone", "milestone_status", "result", "progress", "update", "other"]),
    values=st.fixed_dictionaries(
        {
            "team-user": NUMBERISH,
            "team-role": st.one_of(st.sampled_from(["lead", "ally"]), st.text(max_size=8)),
            "milestone-title": st.text(max_size=140),
            "milestone-due_on": st.one_of(st.text(max_size=12), st.dates().map(str)),
            "milestone_status-milestone": NUMBERISH,
            "milestone_status-status": st.one_of(st.sampled_from(["done", "missed"]), st.text(max_size=8)),
            "result-title": st.text(max_size=140),
            "result-weight": NUMBERISH,
            "result-parent": NUMBERISH,
            "progress-result": NUMBERISH,
            "progress-progress": NUMBERISH,
            "update-text": st.text(max_size=2100),
        }
    ),
)
def test_any_values_on_the_manage_page_never_500(managing, action, values):
    client, initiative = managing
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("initiatives:initiative_manage", kwargs={"pk": initiative.pk}), {"action": action, **values}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert AuditEntry.objects.count() == before
    assert all(0 <= r.progress <= 100 and 1 <= r.weight <= 100 for r in Result.objects.all())
    assert set(Milestone.objects.values_list("status", flat=True)) <= set(Milestone.Status.values)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    name=st.text(max_size=140),
    summary=st.text(max_size=1600),
    kind=st.one_of(st.sampled_from(["initiative", "social_enterprise"]), st.text(max_size=8)),
    legal_form=st.one_of(st.sampled_from(["", "cic", "charity"]), st.text(max_size=8)),
    settlement=NUMBERISH,
    started_on=st.one_of(st.text(max_size=12), st.dates().map(str)),
    partners=st.lists(NUMBERISH, max_size=3),
)
def test_any_values_in_the_start_form_never_500(starting, **fields):
    client, pitch = starting
    Initiative.objects.all().delete()
    response = client.post(reverse("initiatives:initiative_start", kwargs={"pk": pitch.pk}), fields)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not Initiative.objects.exists()


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(params=st.dictionaries(st.sampled_from(["network", "kind", "page"]), st.text(max_size=30)))
def test_any_query_string_on_the_initiative_list_never_500(world, client, params):
    assert client.get(reverse("initiatives:initiative_list"), params).status_code == 200


@pytest.fixture
def managing(world, initiative, client_for):
    services.add_result(actor=world.users["member"], initiative=initiative, title="Root")
    return client_for(world.users["member"]), initiative


@pytest.fixture
def starting(world, accepted, client_for):
    assert accepted.state == Pitch.State.ACCEPTED
    return client_for(world.users["network_coordinator"]), accepted


@pytest.mark.parametrize("typed", ["31 3 2027", "31/3/2027", "31-3-2027", "2027-03-31"])
def test_a_milestone_date_is_read_as_people_type_it_elsewhere_on_the_site(typed):
    from recoverynet.initiatives.forms import MilestoneForm

    form = MilestoneForm({"title": "Café opens", "due_on": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == datetime.date(2027, 3, 31)


@pytest.mark.parametrize("typed", ["31 2 2027", "next week", "2027-13-01"])
def test_a_date_that_is_not_one_is_a_clear_error(typed):
    from recoverynet.initiatives.forms import MilestoneForm

    form = MilestoneForm({"title": "Café opens", "due_on": typed})
    assert not form.is_valid()
    assert form.errors["due_on"] == ["Enter a real date, for example 31 3 2027"]
