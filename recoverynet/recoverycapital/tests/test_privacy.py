"""Answers are special-category health data: the export holds them, erasure
deletes them, a worker's access ends when the assessment is finished, and
every form refuses any input with a clear error."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.accounts import services as account_services
from recoverynet.recoverycapital import services
from recoverynet.recoverycapital.models import Answer, Assessment, Goal, Instrument, ReminderPreference, Step

pytestmark = pytest.mark.django_db
BARC_ANSWERS = dict(enumerate([6, 5, 4, 5, 6, 3, 4, 5, 5, 4], start=1))


@pytest.fixture
def history(world, barc, consenting_member):
    a = services.start_assessment(
        actor=consenting_member, person=consenting_member, network=world.own_network, instrument=barc
    )
    services.save_answers(actor=consenting_member, assessment=a, answers=BARC_ANSWERS)
    services.complete_assessment(actor=consenting_member, assessment=a)
    goal = services.create_goal(
        actor=consenting_member, person=consenting_member, data={"domain": "human", "title": "Learn to drive"}
    )
    services.add_step(actor=consenting_member, goal=goal, text="Book a lesson")
    services.set_reminders(actor=consenting_member, person=consenting_member, interval_months=2, enabled=True)
    return a


def test_the_export_holds_every_answer_score_and_goal(history, consenting_member):
    archive = zipfile.ZipFile(
        io.BytesIO(account_services.export_personal_data(actor=consenting_member, user=consenting_member))
    )
    data = json.loads(archive.read("data.json"))
    [row] = data["recovery_capital_assessments"]
    assert row["total_score"] == 47
    assert "1. There are more important things to me in life than using substances. = 6" in row["answers"]
    assert data["recovery_plan_goals"][0]["steps"] == "Book a lesson"
    assert data["recovery_capital_reminders"][0]["interval_months"] == "2"


def test_erasure_deletes_answers_scores_goals_and_steps(history, consenting_member):
    account_services.erase_user(actor=consenting_member, user=consenting_member)
    assert not Assessment.objects.exists() and not Answer.objects.exists()
    assert not Goal.objects.exists() and not Step.objects.exists() and not ReminderPreference.objects.exists()


def test_a_worker_no_longer_sees_an_assessment_once_it_is_finished(login, world, barc, consenting_member):
    client = login("settlement_host")
    a = services.start_assessment(
        actor=world.users["settlement_host"], person=consenting_member, network=world.own_network, instrument=barc
    )
    data = {f"item_{n}": str(v) for n, v in BARC_ANSWERS.items()} | {"action": "finish"}
    response = client.post(a.get_absolute_url(), data)
    assert response.status_code == 302 and "/manage/recovery-capital/" in response.url
    assert client.get(a.get_absolute_url()).status_code == 404
    assert Assessment.objects.get().total_score == 47


def test_the_profile_page_links_the_journey(login, history):
    html = login("member").get(reverse("accounts:profile")).content.decode()
    assert reverse("recoverycapital:journey") in html and "Last assessment: BARC-10" in html


def test_a_withdrawal_leaves_the_members_own_journey_but_not_the_outcomes(login, api_as, history, world):
    """Withdrawing outcome-measurement consent takes the member's assessment out of the outcomes
    figures (dashboard, report, API) at once; their own journey and their own API keep it.
    Given again, it counts again."""
    from recoverynet.outcomes.figures import compute
    from recoverynet.outcomes.framework import Quarter

    from .conftest import give_consent

    history.refresh_from_db()
    quarter = Quarter.containing(timezone.localdate(history.completed_at))
    own = world.own_network.pk

    def counted():
        return compute([quarter]).indicators["recoverycapital.assessments_completed"].rows[own][0].value

    def own_view():
        journey = login("member").get(reverse("recoverycapital:journey"))
        mine = api_as("member").get("/api/v1/recovery-capital/assessments/")
        assert journey.status_code == 200 and mine.status_code == 200
        return "47" in journey.content.decode(), [a["id"] for a in mine.json()["results"]]

    assert counted() == 1 and own_view() == (True, [history.pk])
    give_consent(world.users["member"], granted=False)
    assert counted() == 0 and own_view() == (True, [history.pk])
    give_consent(world.users["member"])
    assert counted() == 1


ANY = st.one_of(st.text(max_size=30), st.integers(-(10**12), 10**12).map(str), st.just(""), st.binary(max_size=8))
FORMS = {
    "recoverycapital:assessment_new": ("instrument", "network"),
    "recoverycapital:reminders": ("enabled", "interval_months"),
    "recoverycapital:goal_new": ("title", "domain", "review_on"),
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(FORMS)), values=st.lists(ANY, min_size=3, max_size=3))
def test_any_value_of_any_member_form_field_is_a_clear_error_or_saved(client_for, world, barc, name, values):
    from .conftest import give_consent

    member = world.users["member"]
    give_consent(member)
    data = dict(zip(FORMS[name], values, strict=False))
    before = (Assessment.objects.count(), Goal.objects.count())
    response = client_for(member).post(reverse(name), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode(), (name, data)
        assert (Assessment.objects.count(), Goal.objects.count()) == before
    Assessment.objects.all().delete()
    Goal.objects.all().delete()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(ANY, min_size=4, max_size=4))
def test_any_value_of_the_step_goal_edit_and_worker_forms(client_for, world, barc, values):
    from .conftest import give_consent

    member, host = world.users["member"], world.users["settlement_host"]
    give_consent(member)
    goal = Goal.objects.create(person=member, domain="social", title="Keep")
    client = client_for(member)
    response = client.post(reverse("recoverycapital:step_new", kwargs={"pk": goal.pk}), {"text": values[0]})
    assert response.status_code in (200, 302)
    response = client.post(goal.get_absolute_url(), {"title": values[1], "domain": values[2], "review_on": values[3]})
    assert response.status_code in (200, 302)
    url = reverse("recoverycapital:manage:enter_with_member", kwargs={"slug": world.own_network.slug})
    response = client_for(host).post(url, {"member": values[0], "instrument": values[1]})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not Assessment.objects.exists()
    Goal.objects.all().delete()


def test_nothing_of_a_member_is_on_the_instrument_pages(login, history, world):
    html = login("network_coordinator").get(reverse("recoverycapital:manage:instrument_list")).content.decode()
    assert "BARC-10" in html and "Not ready" in html
    assert world.users["member"].display_name not in html and "/recovery-capital/assessments/" not in html
    assert Instrument.objects.filter(slug="mirc-28", ready_for_use=False).exists()


@pytest.mark.parametrize(
    ("role", "shown"), [("settlement_host", True), ("network_coordinator", True), ("professional", False)]
)
def test_the_manage_page_links_entering_a_questionnaire_with_a_member(login, world, role, shown):
    response = login(role).get(reverse("federation:manage:index"))
    url = reverse("recoverycapital:manage:enter_with_member", kwargs={"slug": world.own_network.slug})
    assert (url in response.content.decode()) is shown
