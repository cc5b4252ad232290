"""The shared moderation (core.moderation): every registered app's reports in one queue, the rate
limit over every app, one open report per thing, free text kept out of the audit log, and the shared
forms over any input. The apps' own tests cover their pages and what closing does there."""

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core import moderation
from recoverynet.core.models import AuditEntry
from recoverynet.core.personal_data import TEXT_NOT_RECORDED
from recoverynet.core.registry import report_models
from recoverynet.federation.factories import MembershipFactory
from recoverynet.initiatives import services as initiatives
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import Report as PitchReport
from recoverynet.testing import assert_constant_queries
from recoverynet.timebank import services as timebank
from recoverynet.timebank.models import Report as TimebankReport

pytestmark = pytest.mark.django_db
QUEUE = reverse("core:reports")
people = itertools.count()


def member_of(network):
    return MembershipFactory(network=network, user__email=f"someone{next(people)}@example.org").user


def report_member(network, reason="harassment", details=""):
    """A time bank report about one member, by another, in `network`."""
    return timebank.report_to_coordinators(
        actor=member_of(network), network=network, reason=reason, details=details, member=member_of(network)
    )


def report_pitch(network, reason="spam", details=""):
    return initiatives.report_content(
        actor=member_of(network), pitch=PublishedPitchFactory(network=network), reason=reason, details=details
    )


def test_both_apps_register_their_report_models():
    assert {TimebankReport, PitchReport} <= set(report_models())
    for model in report_models():
        assert issubclass(model, moderation.ReportBase) and model.Status.OPEN == moderation.OPEN
        assert model.moderate_permission and model.area and model.target_fields


def test_the_queue_lists_every_apps_reports_in_the_coordinators_networks(world, client_for):
    own = [report_member(world.own_network), report_pitch(world.own_network)]
    other = [report_member(world.other_network), report_pitch(world.other_network)]
    page = client_for(world.users["network_coordinator"]).get(QUEUE)
    assert page.status_code == 200 and page.context["reports"] == own  # oldest first, the other network's left out
    html = page.content.decode()
    assert "Time bank" in html and "Initiatives" in html
    assert own[0].get_review_url() in html and own[1].get_review_url() in html
    assert client_for(world.users["federation_coordinator"]).get(QUEUE).context["reports"] == own + other
    # Closed ones move to the closed list, newest first.
    timebank.close_report(actor=world.users["network_coordinator"], report=own[0], outcome="advice")
    initiatives.dismiss_report(actor=world.users["network_coordinator"], report=own[1])
    coordinator = client_for(world.users["network_coordinator"])
    assert coordinator.get(QUEUE).context["reports"] == []
    closed = coordinator.get(QUEUE, {"status": "closed"})
    assert closed.context["reports"] == [own[1], own[0]]
    assert "Spoke to the people involved" in closed.content.decode()


def test_the_manage_page_shows_how_many_reports_wait(world, client_for):
    report_member(world.own_network)
    report_pitch(world.own_network)
    report_pitch(world.other_network)
    html = client_for(world.users["network_coordinator"]).get(reverse("federation:manage:index")).content.decode()
    assert "2 reports waiting for a review" in html and f'href="{QUEUE}"' in html
    html = client_for(world.users["federation_coordinator"]).get(reverse("federation:manage:index")).content.decode()
    assert "3 reports waiting for a review" in html
    html = client_for(world.users["settlement_host"]).get(reverse("federation:manage:index")).content.decode()
    assert "Reports from members" not in html


def test_the_queue_runs_a_constant_number_of_queries(world, client_for):
    coordinator = client_for(world.users["network_coordinator"])
    coordinator.get(QUEUE)

    def add_rows(n):
        for i in range(n):
            (report_member if i % 2 else report_pitch)(world.own_network)

    response = assert_constant_queries(lambda: coordinator.get(QUEUE), add_rows)
    assert len(response.context["reports"]) == 30


def test_details_and_notes_never_reach_the_audit_log(world):
    for made in (
        report_member(world.own_network, details="He asked for my bank details"),
        report_pitch(world.own_network, details="It names my sister"),
    ):
        kind = ContentType.objects.get_for_model(made)
        created = AuditEntry.objects.get(content_type=kind, object_id=str(made.pk), action="create")
        assert created.changes["details"] == [None, TEXT_NOT_RECORDED]
    report = TimebankReport.objects.get()
    timebank.close_report(actor=world.users["network_coordinator"], report=report, outcome="advice", note="Called")
    closed = AuditEntry.objects.get(
        object_id=str(report.pk), content_type=ContentType.objects.get_for_model(report), summary="Closed"
    )
    assert closed.changes["outcome_note"] == ["", TEXT_NOT_RECORDED]
    pitch_report = PitchReport.objects.get()
    initiatives.hide_reported(actor=world.users["network_coordinator"], report=pitch_report, reason="Names her sister")
    entries = AuditEntry.objects.filter(content_type__app_label="initiatives")
    assert "Names her sister" not in str(list(entries.values_list("changes", flat=True)))
    pitch_report.refresh_from_db()
    assert (pitch_report.status, pitch_report.closed_by) == ("hidden", world.users["network_coordinator"])


def test_a_member_cannot_flood_reports_across_apps(world, settings):
    settings.MODERATION_REPORTS_PER_HOUR = 3
    reporter = member_of(world.own_network)
    timebank.report_to_coordinators(
        actor=reporter, network=world.own_network, reason="other", member=member_of(world.own_network)
    )
    for _ in range(2):
        initiatives.report_content(
            actor=reporter, pitch=PublishedPitchFactory(network=world.own_network), reason="spam"
        )
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="a lot of reports"):
        initiatives.report_content(
            actor=reporter, pitch=PublishedPitchFactory(network=world.own_network), reason="spam"
        )
    with pytest.raises(ValidationError, match="a lot of reports"):
        timebank.report_to_coordinators(
            actor=reporter, network=world.own_network, reason="other", member=member_of(world.own_network)
        )
    assert AuditEntry.objects.count() == before and PitchReport.objects.count() == 2


def test_a_rate_limited_member_sees_a_clear_error_on_the_page(world, settings, client_for):
    settings.MODERATION_REPORTS_PER_HOUR = 0
    pitch = PublishedPitchFactory(network=world.own_network)
    page = client_for(world.users["professional"]).post(
        reverse("initiatives:pitch_report", kwargs={"pk": pitch.pk}), {"reason": "spam"}
    )
    assert page.status_code == 200 and "a lot of reports" in page.content.decode()
    assert not PitchReport.objects.exists()


def test_one_open_report_per_person_and_thing(world):
    reporter, member = member_of(world.own_network), member_of(world.own_network)
    timebank.report_to_coordinators(actor=reporter, network=world.own_network, reason="other", member=member)
    with pytest.raises(ValidationError, match="reported this already"):
        timebank.report_to_coordinators(actor=reporter, network=world.own_network, reason="scam", member=member)
    report = TimebankReport.objects.get()
    timebank.close_report(actor=world.users["network_coordinator"], report=report, outcome="no_action")
    # Once closed, the same thing can be reported again.
    timebank.report_to_coordinators(actor=reporter, network=world.own_network, reason="scam", member=member)
    assert TimebankReport.objects.count() == 2


@pytest.mark.parametrize("model", [TimebankReport, PitchReport])
def test_the_database_refuses_a_half_closed_report(world, model):
    report = report_member(world.own_network) if model is TimebankReport else report_pitch(world.own_network)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=report.pk).update(status=model.Status.values[1])  # closed, with no date
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=report.pk).update(outcome=model.Outcome.values[0])  # open, with an outcome


def test_a_report_is_visible_only_to_its_networks_coordinators(world):
    own, other = report_pitch(world.own_network), report_pitch(world.other_network)
    assert list(moderation.reports_visible_to(world.users["network_coordinator"], PitchReport)) == [own]
    assert set(moderation.reports_visible_to(world.users["federation_coordinator"], PitchReport)) == {own, other}
    for role in ("member", "settlement_host", "professional"):
        assert not moderation.reports_visible_to(world.users[role], PitchReport).exists()
    assert not moderation.reports_visible_to(None, PitchReport).exists()


# --- The shared forms, over any input ---------------------------------------------------

ANY_TEXT = st.one_of(st.text(max_size=40), st.text(max_size=1100), st.sampled_from(["", " ", "\x00", "0", "-1"]))
FORMS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@FORMS
@given(model=st.sampled_from([TimebankReport, PitchReport]), reason=ANY_TEXT, details=ANY_TEXT)
def test_the_report_form_takes_any_values(model, reason, details):
    form = moderation.ReportForm({"reason": reason, "details": details}, model=model)
    limit = model._meta.get_field("details").max_length
    valid = reason in model.Reason.values and len(details.strip()) <= limit and "\x00" not in details
    assert form.is_valid() == valid, form.errors
    if not valid:
        assert all(message for messages in form.errors.values() for message in messages)
    else:
        assert form.cleaned_data["reason"] in model.Reason.values


@FORMS
@given(model=st.sampled_from([TimebankReport, PitchReport]), outcome=ANY_TEXT, note=ANY_TEXT)
def test_the_close_form_takes_any_values(model, outcome, note):
    form = moderation.CloseReportForm({"outcome": outcome, "note": note}, model=model)
    limit = model._meta.get_field("outcome_note").max_length
    valid = outcome in model.Outcome.values and len(note.strip()) <= limit and "\x00" not in note
    assert form.is_valid() == valid, form.errors


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    status=ANY_TEXT | st.sampled_from(["open", "closed"]),
    page=ANY_TEXT | st.integers(-5, 10**12).map(str),
)
def test_any_query_string_on_the_queue_never_500(queue_client, status, page):
    assert queue_client.get(QUEUE, {"status": status, "page": page}).status_code == 200


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(reason=ANY_TEXT, details=ANY_TEXT)
def test_the_report_service_takes_any_values_and_writes_all_or_nothing(reporting, reason, details):
    world, reporter = reporting
    TimebankReport.objects.all().delete()
    before = AuditEntry.objects.count()
    try:
        made = timebank.report_to_coordinators(
            actor=reporter, network=world.own_network, reason=reason, details=details, member=world.users["member"]
        )
    except ValidationError:
        assert not TimebankReport.objects.exists() and AuditEntry.objects.count() == before
    else:
        assert made.details == details.strip() and AuditEntry.objects.count() == before + 1


@pytest.fixture
def queue_client(world, client_for):
    report_member(world.own_network)
    report_pitch(world.own_network)
    return client_for(world.users["network_coordinator"])


@pytest.fixture
def reporting(world, settings):
    settings.MODERATION_REPORTS_PER_HOUR = 10**6
    return world, member_of(world.own_network)


def test_the_reporter_is_told_once_the_report_is_closed_but_not_what_was_done(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    reporter = member_of(world.own_network)
    pitch = PublishedPitchFactory(network=world.own_network, title="Sunday café")
    first = initiatives.report_content(actor=reporter, pitch=pitch, reason="identifies", details="Names my sister")
    second = initiatives.report_content(actor=world.users["professional"], pitch=pitch, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        initiatives.hide_reported(actor=world.users["network_coordinator"], report=first, reason="Names a person")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([reporter.email, world.users["professional"].email])
    body = mailoutbox[0].body
    assert "have looked at it and closed it" in body and world.own_network.name in body
    for private in ("Names a person", "Names my sister", "Sunday café", "hidden", "@"):
        assert private not in body
    second.refresh_from_db()
    assert second.status == "hidden"


def test_a_mail_server_that_fails_never_undoes_the_decision(world, django_capture_on_commit_callbacks, monkeypatch):
    report = report_member(world.own_network)

    def fail(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    with django_capture_on_commit_callbacks(execute=True):
        timebank.close_report(actor=world.users["network_coordinator"], report=report, outcome="no_action")
    report.refresh_from_db()
    assert report.status == "closed"


def test_a_former_member_is_not_emailed(world, mailoutbox, django_capture_on_commit_callbacks):
    report = report_member(world.own_network)
    TimebankReport.objects.filter(pk=report.pk).update(reporter=None)
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        timebank.close_report(actor=world.users["network_coordinator"], report=report, outcome="no_action")
    assert mailoutbox == []
