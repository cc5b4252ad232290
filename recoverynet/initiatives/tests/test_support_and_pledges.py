"""Support with a click (once each, withdrawable), the threshold that sends a pitch
to review, and pledges against what a pitch needs."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership
from recoverynet.initiatives import services
from recoverynet.initiatives.factories import PitchFactory, PublishedPitchFactory
from recoverynet.initiatives.models import (
    DEFAULT_SUPPORT_THRESHOLD,
    NetworkSettings,
    Pitch,
    Pledge,
    Support,
    support_threshold_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pitch(world):
    """Published, by the member, in own_network."""
    return PublishedPitchFactory(network=world.own_network, author=world.users["member"], needs_hours=40)


def _members(world, n):
    return [MembershipFactory(network=world.own_network).user for _ in range(n)]


def _writes():
    return (Support.objects.count(), Pledge.objects.count(), AuditEntry.objects.count())


def test_support_once_withdraw_and_support_again(world, pitch):
    supporter = world.users["professional"]
    services.support_pitch(actor=supporter, pitch=pitch)
    with pytest.raises(ValidationError, match="already support"):
        services.support_pitch(actor=supporter, pitch=pitch)
    assert Support.objects.filter(pitch=pitch).count() == 1
    services.withdraw_support(actor=supporter, pitch=pitch)
    assert not Support.objects.exists()
    with pytest.raises(ValidationError, match="do not support"):
        services.withdraw_support(actor=supporter, pitch=pitch)
    services.support_pitch(actor=supporter, pitch=pitch)
    actions = list(
        AuditEntry.objects.filter(content_type__model="support").order_by("pk").values_list("action", flat=True)
    )
    assert actions == [AuditEntry.Action.CREATE, AuditEntry.Action.DELETE, AuditEntry.Action.CREATE]


def test_the_author_and_outsiders_cannot_support(world, pitch):
    for user in (world.users["member"], world.users["federation_coordinator"], world.other_membership.user):
        with pytest.raises(PermissionDenied):
            services.support_pitch(actor=user, pitch=pitch)
    assert not Support.objects.exists()


@pytest.mark.parametrize("state", ["withdrawn", "accepted", "not_taken_forward"])
def test_support_on_a_closed_pitch_is_refused_and_writes_nothing(world, pitch, state):
    Pitch.objects.filter(pk=pitch.pk).update(state=state, decline_reason="other")
    before = _writes()
    with pytest.raises(ValidationError, match="cannot be supported"):
        services.support_pitch(actor=world.users["professional"], pitch=pitch)
    assert _writes() == before


def test_the_support_that_reaches_the_threshold_puts_the_pitch_under_review(world, pitch):
    services.set_support_threshold(actor=world.users["network_coordinator"], network=world.own_network, threshold=3)
    first, second, third = _members(world, 3)
    services.support_pitch(actor=first, pitch=pitch)
    services.support_pitch(actor=second, pitch=pitch)
    assert pitch.state == Pitch.State.PUBLISHED
    services.support_pitch(actor=third, pitch=pitch)
    assert pitch.state == Pitch.State.UNDER_REVIEW
    entry = AuditEntry.objects.filter(content_type__model="pitch").order_by("-pk").first()
    assert entry.actor == third and entry.changes == {"state": ["published", "under_review"]}
    assert "3 members support it" in entry.summary
    # More support keeps it under review; withdrawing support does not take it out.
    services.support_pitch(actor=_members(world, 1)[0], pitch=pitch)
    services.withdraw_support(actor=first, pitch=pitch)
    pitch.refresh_from_db()
    assert pitch.state == Pitch.State.UNDER_REVIEW


def test_the_threshold_is_the_networks_own(world):
    coordinator = world.users["network_coordinator"]
    assert support_threshold_of(world.own_network) == DEFAULT_SUPPORT_THRESHOLD
    services.set_support_threshold(actor=coordinator, network=world.own_network, threshold=5)
    services.set_support_threshold(actor=coordinator, network=world.own_network, threshold=4)
    assert support_threshold_of(world.own_network) == 4
    assert support_threshold_of(world.other_network) == DEFAULT_SUPPORT_THRESHOLD
    with pytest.raises(PermissionDenied):
        services.set_support_threshold(actor=coordinator, network=world.other_network, threshold=2)
    with pytest.raises(PermissionDenied):
        services.set_support_threshold(actor=world.users["member"], network=world.own_network, threshold=2)
    for bad in (0, -1, 1001):
        with pytest.raises(ValidationError):
            services.set_support_threshold(actor=coordinator, network=world.own_network, threshold=bad)
    assert NetworkSettings.objects.get().support_threshold == 4


# --- Pledges ------------------------------------------------------------------------


def test_pledges_of_time_skills_space_and_equipment(world, pitch):
    member = world.users["settlement_host"]
    services.pledge_to_pitch(actor=member, pitch=pitch, kind="hours", hours=10)
    services.pledge_to_pitch(actor=member, pitch=pitch, kind="skills", description="Bookkeeping")
    services.pledge_to_pitch(actor=member, pitch=pitch, kind="space", description="The hall on Tuesdays")
    services.pledge_to_pitch(actor=member, pitch=pitch, kind="equipment", description="A laptop")
    assert pitch.pledges.count() == 4
    # Hours are a pledge only: the time bank is not touched.
    from recoverynet.timebank.models import Transaction

    assert not Transaction.objects.exists()


def test_an_organisation_pledges_through_someone_who_works_there(world, pitch):
    professional = world.users["professional"]
    pledge = services.pledge_to_pitch(
        actor=professional, pitch=pitch, kind="space", description="Our room", organisation=world.own_organisation
    )
    assert pledge.organisation == world.own_organisation
    before = _writes()
    with pytest.raises(ValidationError, match="organisation you work for"):
        services.pledge_to_pitch(
            actor=world.users["settlement_host"],
            pitch=pitch,
            kind="space",
            description="Their room",
            organisation=world.own_organisation,
        )
    assert _writes() == before


@pytest.mark.parametrize(
    ("kind", "hours", "description", "field"),
    [
        ("hours", 101, "", "hours"),
        ("hours", 0, "", "hours"),
        ("hours", None, "", "hours"),
        ("skills", None, "", "description"),
        ("skills", 3, "Cooking", "hours"),
        ("equipment", None, "x" * 301, "description"),
        ("money", None, "£5", "kind"),
        ("space", None, "a\x00b", "description"),
    ],
)
def test_bad_pledges_are_refused_and_write_nothing(world, pitch, kind, hours, description, field):
    before = _writes()
    with pytest.raises(ValidationError) as refused:
        services.pledge_to_pitch(
            actor=world.users["professional"], pitch=pitch, kind=kind, hours=hours, description=description
        )
    assert field in refused.value.message_dict
    assert _writes() == before


def test_one_person_pledges_at_most_100_hours_to_a_pitch(world, pitch):
    member = world.users["professional"]
    services.pledge_to_pitch(actor=member, pitch=pitch, kind="hours", hours=60)
    with pytest.raises(ValidationError, match="at most 100 hours.*60 already"):
        services.pledge_to_pitch(actor=member, pitch=pitch, kind="hours", hours=41)
    services.pledge_to_pitch(actor=member, pitch=pitch, kind="hours", hours=40)
    assert sum(p.hours for p in pitch.pledges.all()) == 100


@pytest.mark.parametrize("state", ["draft", "withdrawn", "not_taken_forward"])
def test_no_pledges_to_a_closed_pitch(world, pitch, state):
    Pitch.objects.filter(pk=pitch.pk).update(state=state, decline_reason="other")
    with pytest.raises(ValidationError, match="cannot be pledged to"):
        services.pledge_to_pitch(actor=world.users["professional"], pitch=pitch, kind="hours", hours=1)
    assert not Pledge.objects.exists()


def test_outsiders_cannot_pledge(world, pitch):
    for user in (world.users["federation_coordinator"], world.other_membership.user):
        with pytest.raises(PermissionDenied):
            services.pledge_to_pitch(actor=user, pitch=pitch, kind="hours", hours=1)


# --- Pages ------------------------------------------------------------------------


def test_the_pitch_page_shows_support_and_pledges_against_needs(world, pitch, client_for):
    professional = client_for(world.users["professional"])
    url = pitch.get_absolute_url()
    support_url = reverse("initiatives:pitch_support", kwargs={"pk": pitch.pk})
    assert f'action="{support_url}"' in professional.get(url).content.decode()
    assert professional.post(support_url, {"action": "support"}).status_code == 302
    pledge_url = reverse("initiatives:pitch_pledge", kwargs={"pk": pitch.pk})
    response = professional.post(
        pledge_url, {"kind": "space", "description": "Our hall", "organisation": world.own_organisation.pk}
    )
    assert response.status_code == 302
    professional.post(pledge_url, {"kind": "hours", "hours": "15"})
    html = Client().get(url).content.decode()
    assert "1 member supports this pitch" in html
    assert "40 needed, 15 pledged, 25 still needed" in html
    assert "Our hall" in html and "Eden Recovery" in html
    assert "Professional" not in html  # supporters and pledgers are not named
    mine = professional.get(url).content.decode()
    assert "You support it" in mine
    assert professional.post(support_url, {"action": "withdraw"}).status_code == 302
    assert not Support.objects.exists()


def test_a_pledge_form_error_re_renders_and_writes_nothing(world, pitch, client_for):
    url = reverse("initiatives:pitch_pledge", kwargs={"pk": pitch.pk})
    response = client_for(world.users["professional"]).post(url, {"kind": "hours", "hours": "500"})
    assert response.status_code == 200 and "at most 100 hours" in response.content.decode()
    response = client_for(world.users["professional"]).post(url, {"kind": "skills", "description": ""})
    assert "Say what you pledge" in response.content.decode()
    assert not Pledge.objects.exists()


def test_supporting_a_withdrawn_pitch_through_the_page_says_why(world, pitch, client_for):
    Pitch.objects.filter(pk=pitch.pk).update(state=Pitch.State.WITHDRAWN)
    url = reverse("initiatives:pitch_support", kwargs={"pk": pitch.pk})
    response = client_for(world.users["professional"]).post(url, {"action": "support"}, follow=True)
    assert "withdrawn: it cannot be supported now" in response.content.decode()
    assert not Support.objects.exists()


def test_coordinators_set_the_threshold_on_a_page(world, client_for):
    url = reverse("initiatives:network_settings", kwargs={"slug": world.own_network.slug})
    coordinator = client_for(world.users["network_coordinator"])
    network_page = coordinator.get(world.own_network.get_absolute_url()).content.decode()
    assert f'href="{url}"' in network_page
    assert "Enter at least 1" in coordinator.post(url, {"support_threshold": "0"}).content.decode()
    assert coordinator.post(url, {"support_threshold": "7"}).status_code == 302
    assert support_threshold_of(world.own_network) == 7


def test_the_list_shows_supporters_in_a_constant_number_of_queries(world, client):
    from recoverynet.testing import assert_constant_queries

    url = reverse("initiatives:pitch_list")
    client.get(url)
    supporters = _members(world, 2)

    def add_rows(n):
        for _ in range(n):
            pitch = PublishedPitchFactory(network=world.own_network)
            for user in supporters:
                Support.objects.create(pitch=pitch, user=user)

    response = assert_constant_queries(lambda: client.get(url), add_rows)
    assert "2 supporters" in response.content.decode()


# --- Any input --------------------------------------------------------------------

NUMBERISH = st.one_of(st.text(max_size=10), st.integers(-(10**9), 10**9).map(str))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    kind=st.one_of(st.sampled_from(["hours", "skills", "space", "equipment"]), st.text(max_size=12)),
    hours=NUMBERISH,
    description=st.text(max_size=340),
    organisation=NUMBERISH,
)
def test_any_values_in_the_pledge_form_never_500(pledging, kind, hours, description, organisation):
    client, pitch = pledging
    before = _writes()
    url = reverse("initiatives:pitch_pledge", kwargs={"pk": pitch.pk})
    data = {"kind": kind, "hours": hours, "description": description, "organisation": organisation}
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _writes() == before
    Pledge.objects.all().delete()  # room for the next example's hours


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(action=st.one_of(st.sampled_from(["support", "withdraw"]), st.text(max_size=12)))
def test_any_values_on_the_support_page_never_500(pledging, action):
    client, pitch = pledging
    url = reverse("initiatives:pitch_support", kwargs={"pk": pitch.pk})
    assert client.post(url, {"action": action}).status_code == 302
    assert Support.objects.filter(pitch=pitch).count() <= 1


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(threshold=NUMBERISH)
def test_any_values_in_the_threshold_form_never_500(coordinating, threshold):
    client, world = coordinating
    url = reverse("initiatives:network_settings", kwargs={"slug": world.own_network.slug})
    response = client.post(url, {"support_threshold": threshold})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert 1 <= support_threshold_of(world.own_network) <= 1000


@pytest.fixture
def pledging(world, pitch, client_for):
    Membership.objects.filter(user=world.users["professional"]).update(status=Membership.Status.ACTIVE)
    return client_for(world.users["professional"]), pitch


@pytest.fixture
def coordinating(world, client_for):
    return client_for(world.users["network_coordinator"]), world


def test_a_draft_has_no_support_or_pledge_pages_for_others(world, client_for):
    draft = PitchFactory(network=world.own_network, author=world.users["member"])
    client = client_for(world.users["professional"])
    for name in ("initiatives:pitch_support", "initiatives:pitch_pledge"):
        assert client.get(reverse(name, kwargs={"pk": draft.pk})).status_code == 404
