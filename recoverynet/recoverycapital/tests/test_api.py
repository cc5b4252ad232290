"""The member's own assessments through the API: the same services and rules as the pages."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.recoverycapital import services
from recoverynet.recoverycapital.models import Answer, Assessment

pytestmark = pytest.mark.django_db
LIST = "/api/v1/recovery-capital/assessments/"


def test_start_answer_in_two_goes_finish_and_read_the_scores(api_as, world, barc, consenting_member):
    api = api_as("member")
    response = api.post(LIST, {"instrument": "barc-10", "network": world.own_network.slug}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    url = f"{LIST}{pk}/answers/"
    assert api.post(url, {"answers": {"1": 6, "2": 5}}, format="json").status_code == 200
    answers = dict(zip(map(str, range(1, 11)), [6, 5, 4, 5, 6, 3, 4, 5, 5, 4], strict=True))
    body = api.post(url, {"answers": answers, "finish": True}, format="json").json()
    assert body["total_score"] == 47 and body["bands"] == {"total": "At or above the cut-off"}
    assert body["answers"]["6"] == 3
    listed = api.get(LIST).json()
    assert [a["id"] for a in listed["results"]] == [pk]


def test_without_consent_nothing_is_started(api_as, world, barc):
    response = api_as("member").post(LIST, {"instrument": "barc-10", "network": world.own_network.slug}, format="json")
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_an_unready_or_unknown_instrument_or_network_is_a_400(api_as, world, instruments, consenting_member):
    api = api_as("member")
    for body in (
        {"instrument": "mirc-28", "network": world.own_network.slug},
        {"instrument": "nope", "network": world.own_network.slug},
        {"instrument": "barc-10", "network": "nowhere"},
        {"instrument": "barc-10", "network": world.other_network.slug},  # not a member there
    ):
        assert api.post(LIST, body, format="json").status_code == 400, body
    assert not Assessment.objects.exists()


def test_another_persons_assessment_is_not_found(api_as, world, barc, consenting_member):
    a = services.start_assessment(
        actor=consenting_member, person=consenting_member, network=world.own_network, instrument=barc
    )
    for role in ("professional", "network_coordinator", "federation_coordinator"):
        api = api_as(role)
        assert api.get(f"{LIST}{a.pk}/").status_code == 404
        assert api.post(f"{LIST}{a.pk}/answers/", {"answers": {"1": 3}}, format="json").status_code == 404
    assert not Answer.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(
        st.sampled_from(["answers", "finish", "x"]),
        st.one_of(
            st.dictionaries(st.text(max_size=4), st.one_of(st.integers(), st.text(max_size=4), st.none()), max_size=4),
            st.integers(),
            st.text(max_size=5),
            st.booleans(),
            st.none(),
        ),
        max_size=3,
    )
)
def test_any_answers_body_is_a_clear_error_or_valid_answers(api_as, world, barc, body):
    from .conftest import give_consent

    member = world.users["member"]
    give_consent(member)
    a = services.start_assessment(actor=member, person=member, network=world.own_network, instrument=barc)
    response = api_as("member").post(f"{LIST}{a.pk}/answers/", body, format="json")
    assert response.status_code in (200, 400), response.content
    saved = dict(Answer.objects.filter(assessment=a).values_list("item__number", "value"))
    if response.status_code == 400:
        assert response.json() and not saved
    assert all(1 <= n <= 10 and 1 <= v <= 6 for n, v in saved.items())
    Assessment.objects.all().delete()
