"""The pitch pages: pitch, publish, browse, decide; bad input of every kind; query counts."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.initiatives.factories import PitchFactory, PublishedPitchFactory
from recoverynet.initiatives.models import Pitch
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:pitch_list")
NEW = reverse("initiatives:pitch_new")


def _form(world, **overrides):
    return {
        "network": world.own_network.pk,
        "settlement": "",
        "title": "Sunday café",
        "theme": "food",
        "problem": "Sundays are long.",
        "idea": "A café run by us.",
        "who_for": "People in recovery.",
        "pitch_text": "Come for tea.",
        "video_url": "",
        "needs_money": "250",
        "needs_hours": "40",
        "needs_space": "A room",
        "needs_skills": "Cooking",
        **overrides,
    }


def test_the_byline_adds_no_second_full_stop_after_an_initial(world, client_for):
    author = world.users["member"]
    author.display_name = "Sam K."
    author.save(update_fields=["display_name"])
    pitch = PitchFactory(network=world.own_network, author=author)
    html = client_for(author).get(pitch.get_absolute_url()).content.decode()
    assert "Pitched by Sam K.</p>" in html and "Sam K.." not in html


def test_a_member_of_one_network_finds_it_already_chosen(world, client_for):
    html = client_for(world.users["member"]).get(NEW).content.decode()
    assert f'<option value="{world.own_network.pk}" selected>{world.own_network.name}</option>' in html


def test_publishing_a_draft_with_no_pitch_leads_back_to_the_draft(world, client_for):
    member = client_for(world.users["member"])
    member.post(NEW, _form(world, pitch_text=""))
    pitch = Pitch.objects.get()
    state = reverse("initiatives:pitch_state", kwargs={"pk": pitch.pk})
    edit = reverse("initiatives:pitch_edit", kwargs={"pk": pitch.pk})
    assert f'href="{edit}">change the draft</a>' in member.get(state).content.decode()
    html = member.post(state, {"action": "publish"}).content.decode()
    assert "Write your pitch, or give a video link" in html and f'href="{edit}">change the draft</a>' in html
    member.post(edit, _form(world, pitch_text="Come for tea."))
    assert "change the draft</a>" not in member.get(state).content.decode()


def test_a_member_pitches_publishes_and_a_coordinator_decides(world, client_for):
    member = client_for(world.users["member"])
    form = member.get(NEW).content.decode()
    assert 'data-reading-time="200"' in form and "initiatives/reading-time" in form and "at most 600 words" in form
    response = member.post(NEW, _form(world))
    pitch = Pitch.objects.get()
    assert response.status_code == 302 and response["Location"] == pitch.get_absolute_url()
    assert (pitch.state, pitch.needs_money, pitch.needs_hours) == (Pitch.State.DRAFT, 250, 40)

    # A draft: only its author sees it, in their list but not the public one.
    assert client_for(world.users["professional"]).get(pitch.get_absolute_url()).status_code == 404
    assert "Sunday café" in member.get(reverse("initiatives:my_pitches")).content.decode()
    assert "Sunday café" not in member.get(LIST).content.decode()

    edit = reverse("initiatives:pitch_edit", kwargs={"pk": pitch.pk})
    assert member.post(edit, _form(world, title="Sunday recovery café")).status_code == 302
    state = reverse("initiatives:pitch_state", kwargs={"pk": pitch.pk})
    assert member.post(state, {"action": "publish"}).status_code == 302
    public = Client().get(LIST).content.decode()
    assert "Sunday recovery café" in public
    assert member.get(edit).status_code == 302  # published: no more changes

    coordinator = client_for(world.users["network_coordinator"])
    assert coordinator.post(state, {"action": "start_review"}).status_code == 302
    page = coordinator.get(state).content.decode()
    assert "Do not take it forward" in page
    refused = coordinator.post(state, {"action": "decline", "reason": "", "explanation": ""})
    assert refused.status_code == 200
    assert "Choose a reason" in refused.content.decode() and "Explain the decision" in refused.content.decode()
    pitch.refresh_from_db()
    assert pitch.state == Pitch.State.UNDER_REVIEW
    done = coordinator.post(state, {"action": "decline", "reason": "exists", "explanation": "Try the Tuesday one"})
    assert done.status_code == 302
    detail = Client().get(pitch.get_absolute_url()).content.decode()
    assert "Something similar exists already" in detail and "Try the Tuesday one" in detail


def test_html_and_script_are_shown_as_text_never_run(world, client_for):
    member = client_for(world.users["member"])
    script = "<script>alert('x')</script><b>bold</b>"
    member.post(NEW, _form(world, title=script, idea=script, pitch_text=script))
    pitch = Pitch.objects.get()
    member.post(reverse("initiatives:pitch_state", kwargs={"pk": pitch.pk}), {"action": "publish"})
    for url in (pitch.get_absolute_url(), LIST, reverse("federation:network_detail", kwargs={"slug": "cumbria"})):
        html = Client().get(url).content.decode()
        assert "<script>alert" not in html and "<b>bold" not in html
        assert "&lt;script&gt;" in html


def test_a_pitch_over_three_minutes_is_refused_with_the_count(world, client_for):
    member = client_for(world.users["member"])
    response = member.post(NEW, _form(world, pitch_text=" ".join(["word"] * 601)))
    assert response.status_code == 200
    assert "Keep your pitch to 600 words" in response.content.decode() and "it has 601" in response.content.decode()
    assert not Pitch.objects.exists()


def test_an_http_video_link_is_refused(world, client_for):
    response = client_for(world.users["member"]).post(NEW, _form(world, video_url="http://example.org/video"))
    assert "starts with https://" in response.content.decode() and not Pitch.objects.exists()


def test_someone_in_no_network_is_told_to_join_one(world, client_for):
    html = client_for(world.users["federation_coordinator"]).get(NEW).content.decode()
    assert "Find a network to join" in html


def test_the_list_filters_and_searches(world, client):
    PublishedPitchFactory(network=world.own_network, title="Allotment", theme="environment")
    PublishedPitchFactory(network=world.other_network, title="Choir", theme="arts")
    PitchFactory(network=world.own_network, title="Secret draft")
    html = client.get(LIST).content.decode()
    assert "Allotment" in html and "Choir" in html and "Secret draft" not in html
    html = client.get(LIST, {"network": "merseyside"}).content.decode()
    assert "Choir" in html and "Allotment" not in html
    html = client.get(LIST, {"q": "allot"}).content.decode()
    assert "Allotment" in html and "Choir" not in html
    html = client.get(LIST, {"theme": "arts", "state": "published"}).content.decode()
    assert "Choir" in html and "Allotment" not in html
    html = client.get(LIST, {"state": "draft"}).content.decode()
    assert "Choose a stage from the list" in html and "Secret draft" not in html


def test_panels_link_the_ideas_from_the_home_page_and_the_network_page(world, client):
    PublishedPitchFactory(network=world.own_network, title="Allotment")
    home = client.get(reverse("federation:home")).content.decode()
    assert f'href="{LIST}"' in home
    network = client.get(reverse("federation:network_detail", kwargs={"slug": "cumbria"})).content.decode()
    assert f"{LIST}?network=cumbria" in network and "Allotment" in network


def test_the_list_runs_a_constant_number_of_queries(world, client, django_assert_max_num_queries):
    client.get(LIST)
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            i = next(counter)
            network = world.own_network if i % 2 else world.other_network
            settlement = world.own_settlement if i % 2 else world.other_settlement
            PublishedPitchFactory(network=network, settlement=settlement)

    def fetch():
        with django_assert_max_num_queries(8):
            return client.get(LIST)

    response = assert_constant_queries(fetch, add_rows)
    assert len(response.context["pitches"]) == 20


def test_the_network_page_with_its_panel_runs_a_constant_number_of_queries(world, client):
    url = reverse("federation:network_detail", kwargs={"slug": "cumbria"})
    client.get(url)
    assert_constant_queries(
        lambda: client.get(url), lambda n: PublishedPitchFactory.create_batch(n, network=world.own_network)
    )


# --- Any input --------------------------------------------------------------------

TEXT = st.text(max_size=700)
NUMBERISH = st.one_of(st.text(max_size=12), st.integers(-(10**12), 10**12).map(str))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    network=NUMBERISH,
    settlement=NUMBERISH,
    title=st.text(max_size=200),
    theme=st.one_of(st.sampled_from(["food", "arts", "other"]), st.text(max_size=20)),
    problem=st.text(max_size=1700),
    idea=TEXT,
    who_for=TEXT,
    pitch_text=st.one_of(TEXT, st.lists(st.sampled_from(["word", "two"]), max_size=700).map(" ".join)),
    video_url=st.one_of(st.text(max_size=40), st.sampled_from(["https://e.org/v", "http://e.org/v", "javascript:x"])),
    needs_money=NUMBERISH,
    needs_hours=NUMBERISH,
    needs_space=st.text(max_size=320),
    needs_skills=st.text(max_size=320),
)
def test_any_values_in_the_pitch_form_never_500(hypothesis_member, **fields):
    client, world = hypothesis_member
    before = (Pitch.objects.count(), AuditEntry.objects.count())
    response = client.post(NEW, fields)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (Pitch.objects.count(), AuditEntry.objects.count()) == before  # refused: nothing written
    else:
        pitch = Pitch.objects.order_by("-pk").first()
        assert pitch.network_id == world.own_network.pk and pitch.state == Pitch.State.DRAFT


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    action=st.one_of(st.sampled_from(["publish", "withdraw", "accept", "decline", "start_review"]), st.text()),
    reason=st.one_of(st.sampled_from(["exists", "other", ""]), st.text(max_size=30)),
    explanation=st.text(max_size=1100),
)
def test_any_values_in_the_decision_form_never_500(hypothesis_review, action, reason, explanation):
    client, pitch = hypothesis_review
    Pitch.objects.filter(pk=pitch.pk).update(
        state=Pitch.State.UNDER_REVIEW, decline_reason="", decision_explanation="", decided_at=None
    )
    before = AuditEntry.objects.count()
    url = reverse("initiatives:pitch_state", kwargs={"pk": pitch.pk})
    response = client.post(url, {"action": action, "reason": reason, "explanation": explanation})
    assert response.status_code in (200, 302)
    pitch.refresh_from_db()
    if response.status_code == 200:
        assert pitch.state == Pitch.State.UNDER_REVIEW and AuditEntry.objects.count() == before
    elif pitch.state == Pitch.State.NOT_TAKEN_FORWARD:
        assert pitch.decline_reason and pitch.decision_explanation.strip()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "network", "settlement", "theme", "state", "page"]),
        st.one_of(st.text(max_size=120), st.sampled_from(["cumbria", "carlisle-hub", "food", "accepted", "2"])),
    )
)
def test_any_query_string_on_the_list_never_500(world, client, params):
    response = client.get(LIST, params)
    assert response.status_code == 200


@pytest.fixture
def hypothesis_member(world, client_for):
    return client_for(world.users["member"]), world


@pytest.fixture
def hypothesis_review(world, client_for):
    pitch = PublishedPitchFactory(network=world.own_network, author=world.users["member"])
    return client_for(world.users["network_coordinator"]), pitch


def test_the_profile_links_the_persons_pitches_or_how_to_pitch(world, client_for):
    member = world.users["member"]
    page = client_for(member).get(reverse("accounts:profile")).content.decode()
    assert reverse("initiatives:pitch_new") in page and "Pitch it in three minutes" in page
    PitchFactory(network=world.own_network, author=member)
    PublishedPitchFactory(network=world.own_network, author=member)
    page = client_for(member).get(reverse("accounts:profile")).content.decode()
    assert reverse("initiatives:my_pitches") in page and "2 in all, 1 still a draft." in page
