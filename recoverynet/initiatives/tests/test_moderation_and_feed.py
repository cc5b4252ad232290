"""Reports and hiding pending review; the Atom feed of each network."""

import itertools
import xml.etree.ElementTree as ET

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
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import Initiative, Pitch, Report, Update
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def pitch(world):
    return PublishedPitchFactory(network=world.own_network, author=world.users["member"], title="Sunday café")


@pytest.fixture
def update(world):
    initiative = Initiative.objects.create(network=world.own_network, name="Café", summary="s", started_on="2026-07-01")
    return Update.objects.create(initiative=initiative, author=world.users["member"], text="We opened the doors.")


def test_a_reported_pitch_hidden_pending_review_is_seen_only_by_coordinators(world, pitch, client_for):
    services.report_content(actor=world.users["professional"], pitch=pitch, reason="unsafe", details="Names a person")
    services.report_content(actor=world.users["settlement_host"], pitch=pitch, reason="identifies")
    with pytest.raises(ValidationError, match="reported this already"):
        services.report_content(actor=world.users["professional"], pitch=pitch, reason="spam")
    report = Report.objects.first()
    services.hide_reported(actor=world.users["network_coordinator"], report=report, reason="Names someone")
    pitch.refresh_from_db()
    assert pitch.hidden_at is not None and pitch.hidden_reason == "Names someone"
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.HIDDEN}
    assert AuditEntry.objects.filter(content_type__model="pitch", summary__contains="Hidden after a report").exists()
    for viewer in (None, world.users["member"], world.users["professional"]):
        client = client_for(viewer) if viewer else Client()
        assert client.get(pitch.get_absolute_url()).status_code == 404
        assert "Sunday café" not in client.get(reverse("initiatives:pitch_list")).content.decode()
    page = client_for(world.users["network_coordinator"]).get(pitch.get_absolute_url()).content.decode()
    assert "Hidden pending review: Names someone" in page
    with pytest.raises(ValidationError, match="hidden already"):
        services.report_content(actor=world.users["admin"], pitch=pitch, reason="spam")


def test_hiding_needs_a_reason_and_a_coordinator_of_that_network(world, pitch):
    report = services.report_content(actor=world.users["professional"], pitch=pitch, reason="spam")
    before = AuditEntry.objects.count()
    for bad in ("", "   ", "x" * 301, None):
        with pytest.raises(ValidationError):
            services.hide_reported(actor=world.users["network_coordinator"], report=report, reason=bad)
    stranger = MembershipFactory(network=world.other_network, role=Membership.Role.NETWORK_COORDINATOR).user
    for user in (world.users["member"], world.users["settlement_host"], stranger):
        with pytest.raises(PermissionDenied):
            services.hide_reported(actor=user, report=report, reason="Spam")
    pitch.refresh_from_db()
    assert pitch.hidden_at is None and AuditEntry.objects.count() == before
    services.dismiss_report(actor=world.users["network_coordinator"], report=report)
    with pytest.raises(ValidationError, match="dealt with already"):
        services.hide_reported(actor=world.users["network_coordinator"], report=report, reason="Spam")


def test_a_bad_report_is_refused(world, pitch, update):
    for kwargs in ({"pitch": pitch, "update": update}, {}):
        with pytest.raises(ValidationError):
            services.report_content(actor=world.users["professional"], reason="spam", **kwargs)
    with pytest.raises(ValidationError):
        services.report_content(actor=world.users["professional"], pitch=pitch, reason="boring")
    with pytest.raises(PermissionDenied):
        services.report_content(actor=None, pitch=pitch, reason="spam")
    assert not Report.objects.exists()


def test_an_update_hidden_on_the_page_of_moderation(world, update, client_for):
    reporter = client_for(world.users["professional"])
    url = reverse("initiatives:update_report", kwargs={"pk": update.pk})
    assert f'href="{url}"' in reporter.get(update.initiative.get_absolute_url()).content.decode()
    assert "Choose what is wrong" in reporter.post(url, {"reason": ""}).content.decode()
    assert reporter.post(url, {"reason": "offensive", "details": "Rude"}).status_code == 302
    coordinator = client_for(world.users["network_coordinator"])
    queue = reverse("initiatives:moderation", kwargs={"slug": world.own_network.slug})
    report = Report.objects.get()
    page = coordinator.get(queue).content.decode()
    assert "Offensive or abusive" in page and "Rude" in page
    refused = coordinator.post(queue, {"report": report.pk, "action": "hide", "reason": ""})
    assert "Say why it is hidden" in refused.content.decode()
    assert coordinator.post(queue, {"report": report.pk, "action": "hide", "reason": "Abuse"}).status_code == 302
    assert "We opened the doors" not in Client().get(update.initiative.get_absolute_url()).content.decode()
    seen = coordinator.get(update.initiative.get_absolute_url()).content.decode()
    assert "We opened the doors" in seen and "hidden pending review: Abuse" in seen


def test_the_moderation_queue_runs_a_constant_number_of_queries(world, client_for):
    coordinator = client_for(world.users["network_coordinator"])
    url = reverse("initiatives:moderation", kwargs={"slug": world.own_network.slug})
    coordinator.get(url)
    reporters = itertools.count()

    def add_rows(n):
        for _ in range(n):
            pitch = PublishedPitchFactory(network=world.own_network)
            user = MembershipFactory(network=world.own_network, user__email=f"r{next(reporters)}@example.org").user
            services.report_content(actor=user, pitch=pitch, reason="spam")

    response = assert_constant_queries(lambda: coordinator.get(url), add_rows)
    assert len(response.context["reports"]) == 30


def test_the_feed_has_accepted_pitches_and_updates_not_hidden_ones(world, pitch, update, client):
    coordinator = world.users["network_coordinator"]
    services.start_review(actor=coordinator, pitch=pitch)
    services.accept_pitch(actor=coordinator, pitch=pitch, explanation="A good plan")
    PublishedPitchFactory(network=world.own_network, title="Only published")
    hidden = Update.objects.create(initiative=update.initiative, text="Hidden text", hidden_at="2026-08-01T00:00Z")
    response = client.get(reverse("initiatives:network_feed", kwargs={"slug": world.own_network.slug}))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, from the test server
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert sorted(titles) == ["Accepted: Sunday café", "Café: an update"]
    assert b"Hidden text" not in response.content and hidden.pk
    assert client.get(reverse("initiatives:network_feed", kwargs={"slug": "nowhere"})).status_code == 404


def test_the_feed_runs_a_constant_number_of_queries(world, update, client):
    url = reverse("initiatives:network_feed", kwargs={"slug": world.own_network.slug})
    client.get(url)

    def add_rows(n):
        for i in range(n):
            Update.objects.create(initiative=update.initiative, text=f"Update {i}")
            PublishedPitchFactory(network=world.own_network, state=Pitch.State.ACCEPTED)

    assert_constant_queries(lambda: client.get(url), add_rows)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(reason=st.one_of(st.sampled_from(["spam", "unsafe"]), st.text(max_size=12)), details=st.text(max_size=320))
def test_any_values_in_the_report_form_never_500(reporting, reason, details):
    client, pitch = reporting
    Report.objects.all().delete()
    response = client.post(
        reverse("initiatives:pitch_report", kwargs={"pk": pitch.pk}), {"reason": reason, "details": details}
    )
    assert response.status_code in (200, 302)
    assert Report.objects.count() == (1 if response.status_code == 302 else 0)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    report=st.one_of(st.integers(-3, 10**6).map(str), st.text(max_size=6)),
    action=st.one_of(st.sampled_from(["hide", "dismiss"]), st.text(max_size=8)),
    reason=st.text(max_size=320),
)
def test_any_values_in_the_moderation_form_never_500(moderating, report, action, reason):
    client, world = moderating
    response = client.post(
        reverse("initiatives:moderation", kwargs={"slug": world.own_network.slug}),
        {"report": report, "action": action, "reason": reason},
    )
    assert response.status_code in (200, 302)
    assert all(p.hidden_reason.strip() for p in Pitch.objects.filter(hidden_at__isnull=False))


@pytest.fixture
def reporting(world, pitch, client_for):
    return client_for(world.users["professional"]), pitch


@pytest.fixture
def moderating(world, pitch, client_for):
    services.report_content(actor=world.users["professional"], pitch=pitch, reason="spam")
    return client_for(world.users["network_coordinator"]), world


def test_a_hidden_pitch_takes_no_support_or_pledges(world, pitch):
    report = services.report_content(actor=world.users["professional"], pitch=pitch, reason="spam")
    services.hide_reported(actor=world.users["network_coordinator"], report=report, reason="Spam")
    with pytest.raises(ValidationError, match="hidden"):
        services.support_pitch(actor=world.users["network_coordinator"], pitch=pitch)
    with pytest.raises(ValidationError, match="hidden"):
        services.pledge_to_pitch(actor=world.users["network_coordinator"], pitch=pitch, kind="hours", hours=2)
    assert not pitch.supports.exists() and not pitch.pledges.exists()


def test_the_network_dashboard_leads_to_the_moderation_queue_and_settings(world, client_for):
    slug = world.own_network.slug
    dashboard = reverse("federation:manage:network_dashboard", kwargs={"slug": slug})
    html = client_for(world.users["network_coordinator"]).get(dashboard).content.decode()
    for name in ("moderation", "round_new", "network_settings"):
        assert f'href="{reverse(f"initiatives:{name}", kwargs={"slug": slug})}"' in html
    other = reverse("federation:manage:network_dashboard", kwargs={"slug": world.other_network.slug})
    html = client_for(world.users["federation_coordinator"]).get(other).content.decode()
    assert reverse("initiatives:moderation", kwargs={"slug": world.other_network.slug}) in html
