"""The member's pages: the journey, answering (any input), the plan, the upload."""

import datetime
import itertools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.recoverycapital import services
from recoverynet.recoverycapital.models import Answer, Assessment, Goal, Instrument, Step
from recoverynet.testing import assert_constant_queries

from .conftest import give_consent

pytestmark = pytest.mark.django_db
JOURNEY = reverse("recoverycapital:journey")
BARC_ANSWERS = dict(enumerate([6, 5, 4, 5, 6, 3, 4, 5, 5, 4], start=1))


def finished(world, instrument, person, answers):
    a = services.start_assessment(actor=person, person=person, network=world.own_network, instrument=instrument)
    services.save_answers(actor=person, assessment=a, answers=answers)
    return services.complete_assessment(actor=person, assessment=a)


def test_the_member_starts_answers_in_two_sittings_and_sees_their_journey(login, world, barc, consenting_member):
    client = login("member")
    response = client.post(
        reverse("recoverycapital:assessment_new"), {"instrument": barc.pk, "network": world.own_network.pk}
    )
    assessment = Assessment.objects.get()
    assert response.url == assessment.get_absolute_url()
    response = client.post(assessment.get_absolute_url(), {"item_1": "6", "item_2": "5", "action": "save"})
    assert response.status_code == 302 and Answer.objects.count() == 2
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert page.count(" checked") == 2  # the two saved answers, shown again to resume
    data = {f"item_{n}": str(v) for n, v in BARC_ANSWERS.items()} | {"action": "finish"}
    response = client.post(assessment.get_absolute_url(), data, follow=True)
    html = response.content.decode()
    assert "At or above the cut-off" in html and "47" in html
    html = client.get(JOURNEY).content.decode()
    assert "<svg" in html and "BARC-10 scores by date" in html and "What the BARC-10 scores mean" in html


def test_the_scores_table_scrolls_in_its_own_region_on_a_phone(login, world, instruments, consenting_member):
    finished(world, instruments["ons4"], consenting_member, {1: 7, 2: 4, 3: 4, 4: 7})
    html = login("member").get(JOURNEY).content.decode()
    region = '<div class="rn-table-scroll" role="region" aria-label="ONS4 scores by date" tabindex="0">'
    assert region in html and html.index(region) < html.index("<caption") < html.index("</table>")


def test_starting_again_carries_on_with_the_unfinished_one(login, world, barc, consenting_member):
    client = login("member")
    start = {"instrument": barc.pk, "network": world.own_network.pk}
    first = client.post(reverse("recoverycapital:assessment_new"), start)
    assessment = Assessment.objects.get()
    client.post(assessment.get_absolute_url(), {"item_1": "6", "action": "save"})
    again = client.post(reverse("recoverycapital:assessment_new"), start, follow=True)
    assert Assessment.objects.count() == 1
    assert again.redirect_chain[0][0] == first.url == assessment.get_absolute_url()
    assert "You started this one already" in again.content.decode()
    answers = {f"item_{n}": str(v) for n, v in BARC_ANSWERS.items()} | {"action": "finish"}
    client.post(assessment.get_absolute_url(), answers)  # once finished, the next start is a new one
    client.post(reverse("recoverycapital:assessment_new"), start)
    assert Assessment.objects.count() == 2


def test_lines_ending_on_the_same_score_keep_their_names_apart(login, world, instruments, consenting_member):
    finished(world, instruments["ons4"], consenting_member, {1: 7, 2: 4, 3: 4, 4: 7})
    html = login("member").get(JOURNEY).content.decode()
    names = re.findall(r'<text x="\d+" y="(-?\d+)" fill="#0b0c0c" font-size="12" font-weight="bold">', html)
    ys = sorted(int(y) for y in names)
    assert len(ys) == 4 and all(b - a >= 15 for a, b in itertools.pairwise(ys))


def test_a_long_line_name_wraps_to_fit_beside_the_chart(login, world, barc, consenting_member):
    finished(world, barc, consenting_member, BARC_ANSWERS)
    html = login("member").get(JOURNEY).content.decode()
    assert '<tspan x="' in html and '">Recovery capital</tspan>' in html and '">(BARC-10 total)</tspan>' in html


def test_finishing_with_questions_left_shows_which_and_keeps_what_was_given(login, world, barc, consenting_member):
    client = login("member")
    a = services.start_assessment(
        actor=consenting_member, person=consenting_member, network=world.own_network, instrument=barc
    )
    response = client.post(a.get_absolute_url(), {"item_1": "3", "action": "finish"})
    assert response.status_code == 200
    assert "Answer this question, or save and come back later" in response.content.decode()
    assert Answer.objects.count() == 1 and not Assessment.objects.get().is_complete


def test_without_consent_the_start_page_links_to_where_consent_is_given(login, world, barc):
    client = login("member")
    response = client.get(reverse("recoverycapital:assessment_new"))
    assert reverse("accounts:consent") in response.content.decode()
    client.post(reverse("recoverycapital:assessment_new"), {"instrument": barc.pk, "network": world.own_network.pk})
    assert not Assessment.objects.exists()


def test_another_persons_assessment_and_goal_are_not_found(login, world, barc, client_for):
    other = world.other_membership.user
    give_consent(other)
    a = services.start_assessment(actor=other, person=other, network=world.other_network, instrument=barc)
    goal = Goal.objects.create(person=other, domain="social", title="Mine")
    client = login("member")
    assert client.get(a.get_absolute_url()).status_code == 404
    assert client.post(a.get_absolute_url(), {"item_1": "3", "action": "save"}).status_code == 404
    assert client.get(goal.get_absolute_url()).status_code == 404
    assert client.post(reverse("recoverycapital:goal_done", kwargs={"pk": goal.pk})).status_code == 404
    assert not Answer.objects.exists() and Goal.objects.get().completed_at is None


answer_values = st.one_of(st.text(max_size=10), st.integers(-10, 10).map(str), st.just(""), st.binary(max_size=5))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(st.integers(0, 12), answer_values, max_size=12),
    action=st.sampled_from(["save", "finish", "", "x"]),
)
def test_any_answer_form_input_is_a_clear_error_or_saved_never_a_500(client_for, world, barc, values, action):
    member = world.users["member"]
    give_consent(member)
    a = services.start_assessment(actor=member, person=member, network=world.own_network, instrument=barc)
    client = client_for(member)
    data = {f"item_{k}": v for k, v in values.items()} | {"action": action}
    response = client.post(a.get_absolute_url(), data)
    assert response.status_code in (200, 302)
    saved = dict(Answer.objects.filter(assessment=a).values_list("item__number", "value"))
    assert all(1 <= n <= 10 and 1 <= v <= 6 for n, v in saved.items())
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
        if action != "finish":  # finishing with questions left keeps the valid answers given
            assert not saved
    Assessment.objects.all().delete()


def test_the_journey_page_runs_a_constant_number_of_queries(login, world, barc, instruments, consenting_member):
    client = login("member")
    client.get(JOURNEY)
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            i = next(counter)
            finished(world, barc, consenting_member, BARC_ANSWERS | {1: 1 + i % 6})
            finished(world, instruments["ons4"], consenting_member, {1: i % 11, 2: 5, 3: 6, 4: 3})
            goal = Goal.objects.create(person=consenting_member, domain="human", title=f"Goal {i}")
            Step.objects.create(goal=goal, text="A step")

    response = assert_constant_queries(lambda: client.get(JOURNEY), add_rows)
    html = response.content.decode()
    assert len(response.context["goals"]) == 30
    assert "ONS4 scores by date" in html and "Life satisfaction" in html


def test_the_goal_form_offers_only_real_parts_of_life(login, world, consenting_member):
    html = login("member").get(reverse("recoverycapital:goal_new")).content.decode()
    assert "---------" not in html and 'name="domain" value=""' not in html
    assert html.count('name="domain"') == len(Goal.Domain.choices)


def test_the_plan_create_edit_steps_and_complete(login, world, consenting_member):
    client = login("member")
    response = client.post(reverse("recoverycapital:goal_new"), {"title": "", "domain": "nope"})
    assert response.status_code == 200 and "Enter your goal" in response.content.decode()
    response = client.post(
        reverse("recoverycapital:goal_new"), {"title": "Call my sister", "domain": "social", "review_on": "1/3/2027"}
    )
    goal = Goal.objects.get()
    assert goal.review_on == datetime.date(2027, 3, 1)
    client.post(reverse("recoverycapital:step_new", kwargs={"pk": goal.pk}), {"text": "Find her number"})
    step = goal.steps.get()
    client.post(reverse("recoverycapital:step_done", kwargs={"pk": step.pk}), {"done": "yes"})
    assert Step.objects.get().done
    client.post(goal.get_absolute_url(), {"title": "Call and visit my sister", "domain": "social"})
    client.post(reverse("recoverycapital:goal_done", kwargs={"pk": goal.pk}))
    goal.refresh_from_db()
    assert goal.title == "Call and visit my sister" and goal.completed_at is not None


def test_reminder_choice_any_input(login, consenting_member):
    client = login("member")
    for data in ({}, {"enabled": "maybe", "interval_months": "13"}, {"enabled": "yes", "interval_months": "x"}):
        assert client.post(reverse("recoverycapital:reminders"), data).status_code == 200
    client.post(reverse("recoverycapital:reminders"), {"enabled": "no", "interval_months": "6"})
    assert "You asked not to be reminded" in client.get(JOURNEY).content.decode()


def test_a_coordinator_uploads_an_instrument_and_a_malformed_file_writes_nothing(login, world, barc):
    client = login("network_coordinator")
    url = reverse("recoverycapital:manage:instrument_upload", kwargs={"slug": world.own_network.slug})
    before = Instrument.objects.count()
    for raw in (b"not json", b'{"slug": "x"}', b"\xff"):
        response = client.post(url, {"file": SimpleUploadedFile("i.json", raw, "application/json")})
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert Instrument.objects.count() == before
    import json

    data = json.dumps(barc.definition | {"version": 5, "short_name": "BARC-10 local"}).encode()
    response = client.post(url, {"file": SimpleUploadedFile("i.json", data, "application/json")})
    assert response.status_code == 302
    assert Instrument.objects.get(version=5).network == world.own_network


def test_a_peer_worker_enters_with_a_consenting_member_of_their_settlement(login, world, barc, consenting_member):
    client = login("settlement_host")
    url = reverse("recoverycapital:manage:enter_with_member", kwargs={"slug": world.own_network.slug})
    page = client.get(url).content.decode()
    assert consenting_member.display_name in page
    response = client.post(url, {"member": consenting_member.pk, "instrument": barc.pk})
    assessment = Assessment.objects.get()
    assert response.url == assessment.get_absolute_url()
    assert assessment.entered_by == world.users["settlement_host"] and assessment.mode == "with_worker"
    assert client.get(assessment.get_absolute_url()).status_code == 200


def test_the_instrument_list_runs_a_constant_number_of_queries(login, world, barc):
    client = login("network_coordinator")
    url = reverse("recoverycapital:manage:instrument_list")
    client.get(url)
    versions = itertools.count(100)

    def add_rows(n):
        for _ in range(n):
            services.load_instrument(
                barc.definition | {"version": next(versions)},
                actor=world.users["network_coordinator"],
                network=world.own_network,
            )

    response = assert_constant_queries(lambda: client.get(url), add_rows)
    assert response.content.decode().count("BARC-10 v1") == 31  # shipped, and 30 local versions
