"""Results measured in people: people in recovery volunteering, trained or employed by the
initiative, against a target; progress = achieved / target, in the tree like any other result."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.initiatives import services
from recoverynet.initiatives.models import Initiative, Result, TeamMember, people_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(world):
    initiative = Initiative.objects.create(
        network=world.own_network, name="Sunday café", summary="s", started_on="2026-01-01"
    )
    TeamMember.objects.create(initiative=initiative, user=world.users["member"], role=TeamMember.Role.LEAD)
    return initiative


@pytest.mark.parametrize(
    ("achieved", "target", "expected"), [(0, 10, 0), (3, 10, 30), (2, 3, 66), (12, 10, 100), (5, 0, 0)]
)
def test_people_progress_is_achieved_over_target_capped_at_100(achieved, target, expected):
    assert people_progress(achieved, target) == expected


def test_a_people_result_counts_towards_its_parent_as_worked_by_hand(world, initiative):
    lead = world.users["member"]
    root = services.add_result(actor=lead, initiative=initiative, title="A working café")
    volunteers = services.add_result(
        actor=lead,
        initiative=initiative,
        title="Volunteers",
        parent=root,
        weight=3,
        measure="volunteering",
        target_people=20,
    )
    services.add_result(actor=lead, initiative=initiative, title="Kitchen", parent=root, weight=1, progress=40)
    assert volunteers.progress == 0
    services.set_people_achieved(actor=lead, result=volunteers, achieved=15)
    volunteers.refresh_from_db()
    assert (volunteers.achieved_people, volunteers.progress) == (15, 75)
    progress = {row.title: value for row, _, value in services.results_of(initiative)}
    assert progress == {"A working café": (3 * 75 + 40) / 4, "Volunteers": 75.0, "Kitchen": 40.0}


def test_people_results_refuse_what_does_not_fit(world, initiative):
    lead = world.users["member"]
    with pytest.raises(ValidationError) as raised:
        services.add_result(actor=lead, initiative=initiative, title="Jobs", measure="employed")
    assert "target_people" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.add_result(actor=lead, initiative=initiative, title="Pct", target_people=5)
    jobs = services.add_result(actor=lead, initiative=initiative, title="Jobs", measure="employed", target_people=4)
    percentage = services.add_result(actor=lead, initiative=initiative, title="Pct")
    for bad in (-1, 10_001, "3", 2.5, True, None):
        with pytest.raises(ValidationError):
            services.set_people_achieved(actor=lead, result=jobs, achieved=bad)
    with pytest.raises(ValidationError):
        services.set_people_achieved(actor=lead, result=percentage, achieved=3)
    with pytest.raises(ValidationError):
        services.set_result_progress(actor=lead, result=jobs, progress=50)
    with pytest.raises(PermissionDenied):
        services.set_people_achieved(actor=world.users["professional"], result=jobs, achieved=3)
    jobs.refresh_from_db()
    assert (jobs.achieved_people, jobs.progress) == (0, 0)


def test_the_manage_and_public_pages_count_people_with_small_numbers_hidden(world, initiative, client_for, client):
    lead = client_for(world.users["member"])
    url = reverse("initiatives:initiative_manage", kwargs={"pk": initiative.pk})
    response = lead.post(
        url,
        {
            "action": "result",
            "result-title": "Trained",
            "result-weight": "1",
            "result-measure": "trained",
            "result-target_people": "10",
        },
    )
    assert response.status_code == 302
    result = Result.objects.get()
    assert lead.post(url, {"action": "people", "people-result": result.pk, "people-achieved": "3"}).status_code == 302
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "fewer than 5 of 10 people" in html and "30%" not in html and "People in recovery trained" in html
    lead.post(url, {"action": "people", "people-result": result.pk, "people-achieved": "6"})
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "60% (6 of 10 people)" in html
    body = client.get(reverse("initiatives-initiative-detail", kwargs={"pk": initiative.pk})).json()
    assert body["results"][0] | {"id": 0} == {
        "id": 0,
        "parent": None,
        "title": "Trained",
        "weight": 1,
        "depth": 0,
        "progress": 60.0,
        "measure": "trained",
        "target_people": 10,
        "achieved_people": 6,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    action=st.sampled_from(["result", "people"]),
    values=st.fixed_dictionaries(
        {
            "result-title": st.text(max_size=20),
            "result-weight": st.one_of(st.text(max_size=5), st.integers(-5, 200).map(str)),
            "result-measure": st.one_of(st.sampled_from(["percentage", "employed"]), st.text(max_size=10)),
            "result-target_people": st.one_of(st.text(max_size=6), st.integers(-5, 20_000).map(str)),
            "people-result": st.one_of(st.text(max_size=5), st.integers(-5, 10**6).map(str)),
            "people-achieved": st.one_of(st.text(max_size=6), st.integers(-5, 20_000).map(str)),
        }
    ),
)
def test_any_values_in_the_people_forms_never_500(managing, action, values):
    client, initiative, result = managing
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("initiatives:initiative_manage", kwargs={"pk": initiative.pk}), {"action": action, **values}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert AuditEntry.objects.count() == before
    for row in Result.objects.all():
        assert 0 <= row.progress <= 100 and 0 <= row.achieved_people <= 10_000
        assert (row.measure == "percentage") == (row.target_people is None)


@pytest.fixture
def managing(world, initiative, client_for):
    result = services.add_result(
        actor=world.users["member"], initiative=initiative, title="Jobs", measure="employed", target_people=8
    )
    return client_for(world.users["member"]), initiative, result
