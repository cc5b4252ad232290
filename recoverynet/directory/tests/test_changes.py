"""Change requests: anyone reports, the network's coordinators apply or decline."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from recoverynet.core.models import AuditEntry
from recoverynet.directory import services
from recoverynet.directory.factories import MeetingFactory
from recoverynet.directory.models import ChangeRequest, Meeting
from recoverynet.testing import assert_constant_queries, sign_in

pytestmark = pytest.mark.django_db  # the root conftest empties the cache (rate limits) per test


@pytest.fixture
def meeting(world):
    return MeetingFactory(network=world.own_network, name="Carlisle Tuesday", slug="carlisle-tuesday")


@pytest.fixture
def other_meeting(world):
    return MeetingFactory(network=world.other_network, name="Bootle Friday", slug="bootle-friday")


def report(meeting, **overrides):
    data = {"field": "start_time", "proposed_value": "20:00", "reason": "It moved last month.", **overrides}
    return ChangeRequest.objects.create(meeting=meeting, **data)


def report_url(meeting):
    return reverse("directory:changes:report", kwargs={"slug": meeting.slug})


def review_url(change):
    return reverse("directory:manage:change_review", kwargs={"pk": change.pk})


def audit_for(instance, action=None):
    entries = AuditEntry.objects.filter(content_type__model=instance._meta.model_name, object_id=str(instance.pk))
    return entries.filter(action=action) if action else entries


# --- Reporting (public) -----------------------------------------------------------


def test_anyone_can_open_the_report_form(client, meeting):
    response = client.get(report_url(meeting))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Report a change" in body
    assert "delete it as soon as a coordinator has decided" in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_report_form_404_for_unknown_or_inactive_meeting(client, world):
    assert client.get(reverse("directory:changes:report", kwargs={"slug": "nowhere"})).status_code == 404
    gone = MeetingFactory(network=world.own_network, status=Meeting.Status.INACTIVE)
    assert client.get(report_url(gone)).status_code == 404


def test_anonymous_report_is_saved_and_audited_without_the_email(client, meeting):
    response = client.post(
        report_url(meeting),
        {
            "field": "start_time",
            "proposed_value": "20:00",
            "reason": "The sign on the door says 8pm now.",
            "reporter_email": "reporter@example.org",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("directory:changes:report_done", kwargs={"slug": meeting.slug})
    change = ChangeRequest.objects.get()
    assert (change.meeting, change.field, change.proposed_value) == (meeting, "start_time", "20:00")
    assert change.reporter_email == "reporter@example.org"
    assert change.reporter is None
    assert change.status == ChangeRequest.Status.OPEN
    entry = audit_for(change, AuditEntry.Action.CREATE).get()
    assert entry.network == meeting.network
    assert entry.actor is None
    assert "reporter@example.org" not in str(entry.changes)
    assert client.get(response.url).status_code == 200


def test_signed_in_report_records_the_reporter(client, world, meeting):
    sign_in(client, world.users["member"])
    client.post(report_url(meeting), {"field": "name", "proposed_value": "New name", "reason": "Renamed."})
    assert ChangeRequest.objects.get().reporter == world.users["member"]


@pytest.mark.parametrize(
    "data, error_field",
    [
        ({"field": "start_time", "proposed_value": "20:00", "reason": ""}, "reason"),
        ({"field": "colour", "proposed_value": "blue", "reason": "Because."}, "field"),
        ({"field": "name", "proposed_value": "x" * 1001, "reason": "Because."}, "proposed_value"),
        ({"field": "name", "proposed_value": "x", "reason": "x" * 2001}, "reason"),
        (
            {"field": "name", "proposed_value": "x", "reason": "Because.", "reporter_email": "not-an-email"},
            "reporter_email",
        ),
    ],
)
def test_invalid_report_re_renders_and_writes_nothing(client, meeting, data, error_field):
    response = client.post(report_url(meeting), data)
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert not ChangeRequest.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="changerequest").exists()


def test_hostile_text_is_stored_as_text_and_escaped(client, world, meeting):
    hostile = '<script>alert("x")</script>'
    client.post(report_url(meeting), {"field": "notes", "proposed_value": hostile, "reason": "<b>bold</b>"})
    change = ChangeRequest.objects.get()
    assert change.proposed_value.startswith("<script>")
    sign_in(client, world.users["network_coordinator"])
    body = client.get(review_url(change)).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
    assert "<b>bold</b>" not in body


def test_honeypot_pretends_success_and_writes_nothing(client, meeting):
    response = client.post(
        report_url(meeting),
        {"field": "name", "proposed_value": "Spam", "reason": "Buy now", "website": "http://spam.example"},
    )
    assert response.status_code == 302
    assert response.url == reverse("directory:changes:report_done", kwargs={"slug": meeting.slug})
    assert not ChangeRequest.objects.exists()


def test_honeypot_is_hidden_from_people(client, meeting):
    body = client.get(report_url(meeting)).content.decode()
    hidden_start = body.index("<div hidden>")
    assert body.index('name="website"') > hidden_start


@override_settings(DIRECTORY_CHANGE_REPORTS_PER_HOUR=3)
def test_reports_are_rate_limited_per_address(client, meeting, frozen_clock):
    data = {"field": "name", "proposed_value": "New", "reason": "Renamed."}
    for _ in range(3):
        assert client.post(report_url(meeting), data, REMOTE_ADDR="203.0.113.5").status_code == 302
    response = client.post(report_url(meeting), data, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert "Try again in 60 minutes" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert ChangeRequest.objects.count() == 3
    # Another address is not affected.
    assert client.post(report_url(meeting), data, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert ChangeRequest.objects.count() == 4


def test_default_rate_limit_is_ten_an_hour(client, meeting):
    data = {"field": "name", "proposed_value": "New", "reason": "Renamed."}
    statuses = [client.post(report_url(meeting), data).status_code for _ in range(11)]
    assert statuses == [302] * 10 + [429]


def test_report_needs_csrf(meeting):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(report_url(meeting), {"field": "name", "proposed_value": "x", "reason": "y"})
    assert response.status_code == 403
    assert not ChangeRequest.objects.exists()


# --- The list ---------------------------------------------------------------------


def test_change_list_anonymous_redirects_to_login(client, world):
    response = client.get(reverse("directory:manage:change_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["member", "professional", "settlement_host"])
def test_change_list_forbidden_without_coordinating(login, role):
    assert login(role).get(reverse("directory:manage:change_list")).status_code == 403


def test_change_list_is_scoped_and_open_first(login, meeting, other_meeting):
    decided = report(meeting, field="name", status=ChangeRequest.Status.DECLINED)
    waiting = report(meeting)
    elsewhere = report(other_meeting)
    response = login("network_coordinator").get(reverse("directory:manage:change_list"))
    assert response.status_code == 200
    rows = list(response.context["change_requests"])
    assert rows == [waiting, decided]
    assert elsewhere not in rows
    assert response.context["open_total"] == 1


def test_federation_coordinator_sees_every_network(login, meeting, other_meeting):
    report(meeting)
    report(other_meeting)
    response = login("federation_coordinator").get(reverse("directory:manage:change_list"))
    assert len(response.context["change_requests"]) == 2


def test_change_list_filters_by_status(login, meeting):
    report(meeting, status=ChangeRequest.Status.APPLIED)
    waiting = report(meeting)
    response = login("network_coordinator").get(reverse("directory:manage:change_list"), {"status": "open"})
    assert list(response.context["change_requests"]) == [waiting]


def test_change_list_query_count_is_constant(login, world, django_assert_max_num_queries):
    client = login("network_coordinator")
    shown = []

    def add_rows(n):
        for meeting in MeetingFactory.create_batch(n, network=world.own_network):
            report(meeting)

    def fetch():
        with django_assert_max_num_queries(12):
            response = client.get(reverse("directory:manage:change_list"))
        shown.append(len(response.context["change_requests"]))

    assert_constant_queries(fetch, add_rows)
    assert shown == [3, 30]


# --- Review -----------------------------------------------------------------------


def test_review_shows_current_next_to_proposed(login, meeting):
    change = report(meeting, reporter_email="reporter@example.org")
    response = login("network_coordinator").get(review_url(change))
    assert response.status_code == 200
    body = response.content.decode()
    assert "19:30" in body  # the meeting's start time now
    assert "20:00" in body  # proposed
    assert "It moved last month." in body
    assert "reporter@example.org" not in body


def test_review_other_networks_request_is_404(login, other_meeting):
    change = report(other_meeting)
    client = login("network_coordinator")
    assert client.get(review_url(change)).status_code == 404
    assert client.post(review_url(change), {"action": "decline", "decline-reason": "No"}).status_code == 404
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeRequest.Status.OPEN


@pytest.mark.parametrize("role", ["member", "settlement_host"])
def test_review_forbidden_for_non_coordinators(login, meeting, role):
    change = report(meeting)
    assert login(role).get(review_url(change)).status_code == 404


def test_review_anonymous_redirects_to_login(client, meeting):
    change = report(meeting)
    response = client.get(review_url(change))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_apply_direct_field_in_one_action(login, world, meeting, django_capture_on_commit_callbacks):
    change = report(meeting, reporter_email="reporter@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = login("network_coordinator").post(
            review_url(change), {"action": "apply", "apply-value": change.proposed_value}
        )
    assert response.status_code == 302
    assert response.url == reverse("directory:manage:change_list")
    meeting.refresh_from_db()
    change.refresh_from_db()
    assert meeting.start_time == datetime.time(20, 0)
    assert change.status == ChangeRequest.Status.APPLIED
    assert change.decided_by == world.users["network_coordinator"]
    assert change.decided_at is not None
    assert change.reporter_email is None  # erased with the decision
    assert audit_for(meeting, AuditEntry.Action.UPDATE).get().changes == {"start_time": ["19:30:00", "20:00:00"]}
    decision = audit_for(change, AuditEntry.Action.APPROVE).get()
    assert decision.actor == world.users["network_coordinator"]
    assert "reporter@example.org" not in str(decision.changes)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reporter@example.org"]
    assert "Carlisle Tuesday" in mail.outbox[0].body
    assert "deleted your email address" in mail.outbox[0].body
    assert not mail.outbox[0].alternatives  # plain text


def test_apply_with_a_corrected_value(login, meeting):
    change = report(meeting, field="name", proposed_value="carlisle tues")
    login("network_coordinator").post(review_url(change), {"action": "apply", "apply-value": "Carlisle Tuesday Step"})
    meeting.refresh_from_db()
    assert meeting.name == "Carlisle Tuesday Step"


def test_apply_invalid_value_re_renders_and_writes_nothing(login, meeting):
    change = report(meeting, proposed_value="about eight-ish")
    response = login("network_coordinator").post(
        review_url(change), {"action": "apply", "apply-value": change.proposed_value}
    )
    assert response.status_code == 200
    assert "value" in response.context["apply_form"].errors
    meeting.refresh_from_db()
    change.refresh_from_db()
    assert meeting.start_time == datetime.time(19, 30)
    assert change.status == ChangeRequest.Status.OPEN
    assert not audit_for(meeting).filter(action=AuditEntry.Action.UPDATE).exists()


def test_apply_invalid_url_is_a_form_error(login, meeting):
    change = report(meeting, field="conference_url", proposed_value="not a link")
    response = login("network_coordinator").post(
        review_url(change), {"action": "apply", "apply-value": change.proposed_value}
    )
    assert response.status_code == 200
    assert response.context["apply_form"].errors["value"]
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeRequest.Status.OPEN


def test_apply_status_closes_the_meeting(login, meeting):
    change = report(meeting, field="status", proposed_value="temporarily closed")
    login("network_coordinator").post(review_url(change), {"action": "apply", "apply-value": "temporarily closed"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.TEMPORARILY_CLOSED


def test_apply_indirect_field_links_to_edit_then_marks_applied(login, meeting):
    change = report(meeting, field="location", proposed_value="The church hall")
    client = login("network_coordinator")
    page = client.get(review_url(change)).content.decode()
    edit_url = reverse("directory:manage:meeting_edit", kwargs={"slug": meeting.slug})
    assert f"{edit_url}?change={change.pk}" in page
    assert "Mark as applied" in page
    response = client.post(review_url(change), {"action": "apply"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPLIED
    assert not audit_for(meeting).filter(action=AuditEntry.Action.UPDATE).exists()


def test_decline_with_reason_emails_and_erases(login, world, meeting, django_capture_on_commit_callbacks):
    change = report(meeting, reporter_email="reporter@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = login("network_coordinator").post(
            review_url(change), {"action": "decline", "decline-reason": "The group confirmed 19:30 is right."}
        )
    assert response.status_code == 302
    change.refresh_from_db()
    meeting.refresh_from_db()
    assert change.status == ChangeRequest.Status.DECLINED
    assert change.decision_reason == "The group confirmed 19:30 is right."
    assert change.reporter_email is None
    assert meeting.start_time == datetime.time(19, 30)
    assert audit_for(change, AuditEntry.Action.DECLINE).get().network == world.own_network
    assert len(mail.outbox) == 1
    assert "The group confirmed 19:30 is right." in mail.outbox[0].body


def test_decline_needs_a_reason(login, meeting):
    change = report(meeting)
    response = login("network_coordinator").post(review_url(change), {"action": "decline", "decline-reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["decline_form"].errors
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeRequest.Status.OPEN


def test_no_email_when_reporter_left_none(login, meeting, django_capture_on_commit_callbacks):
    change = report(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        login("network_coordinator").post(review_url(change), {"action": "decline", "decline-reason": "No."})
    assert mail.outbox == []


def test_a_decided_request_cannot_be_decided_again(login, meeting):
    change = report(meeting, status=ChangeRequest.Status.DECLINED)
    response = login("network_coordinator").post(review_url(change), {"action": "apply", "apply-value": "21:00"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.start_time == datetime.time(19, 30)


# --- The services directly ---------------------------------------------------------


def test_services_refuse_another_networks_coordinator(world, other_meeting):
    change = report(other_meeting)
    actor = world.users["network_coordinator"]
    with pytest.raises(PermissionDenied):
        services.apply_change_request(actor=actor, change_request=change)
    with pytest.raises(PermissionDenied):
        services.decline_change_request(actor=actor, change_request=change, reason="No")


def test_service_refuses_second_decision(world, meeting):
    change = report(meeting)
    actor = world.users["network_coordinator"]
    services.decline_change_request(actor=actor, change_request=change, reason="No")
    with pytest.raises(ValidationError):
        services.apply_change_request(actor=actor, change_request=ChangeRequest.objects.get(pk=change.pk))


def test_submit_refuses_an_inactive_meeting(world):
    gone = MeetingFactory(network=world.own_network, status=Meeting.Status.INACTIVE)
    with pytest.raises(ValidationError):
        services.submit_change_request(actor=None, meeting=gone, data={"field": "name", "reason": "x"})


def test_dashboard_counts_open_reports(login, meeting):
    report(meeting)
    report(meeting, status=ChangeRequest.Status.APPLIED)
    response = login("network_coordinator").get(
        reverse("federation:manage:network_dashboard", kwargs={"slug": "cumbria"})
    )
    body = response.content.decode()
    assert "Reported changes waiting" in body
    assert '<strong class="govuk-tag govuk-tag--yellow">1</strong>' in body
    assert reverse("directory:manage:meeting_list", kwargs={"slug": "cumbria"}) in body


# --- Rate limit behind a proxy ------------------------------------------------------


@pytest.fixture
def frozen_clock(monkeypatch):
    """The rate limit's clock, moved by hand (the cache's own expiry is not involved)."""
    from ..views import changes as change_views

    now = [1_000_000.0]
    monkeypatch.setattr(change_views, "clock", lambda: now[0])
    return now


@override_settings(DIRECTORY_CHANGE_REPORTS_PER_HOUR=2, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_has_its_own_allowance(client, meeting, frozen_clock):
    data = {"field": "name", "proposed_value": "New", "reason": "Renamed."}
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(2):
        assert client.post(report_url(meeting), data, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 302
    assert client.post(report_url(meeting), data, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    # Another client behind the same proxy is not affected.
    assert client.post(report_url(meeting), data, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302
    # Made-up entries to the left of the proxy's own give no fresh allowance.
    spoofed = "1.2.3.4, 203.0.113.5"
    assert client.post(report_url(meeting), data, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429
    assert ChangeRequest.objects.count() == 3


@override_settings(DIRECTORY_CHANGE_REPORTS_PER_HOUR=1)
def test_over_the_limit_says_when_to_try_again(client, meeting, frozen_clock):
    data = {"field": "name", "proposed_value": "New", "reason": "Renamed."}
    assert client.post(report_url(meeting), data).status_code == 302
    frozen_clock[0] += 60 * 20  # twenty minutes into the hour
    response = client.post(report_url(meeting), data)
    assert response.status_code == 429
    assert response["Retry-After"] == str(40 * 60)
    assert "Try again in 40 minutes" in response.content.decode()
    frozen_clock[0] += 40 * 60 - 30
    response = client.post(report_url(meeting), data)
    assert response["Retry-After"] == "30"
    assert "Try again in 1 minute" in response.content.decode()
    # Once the hour is over the count starts again.
    frozen_clock[0] += 30
    assert client.post(report_url(meeting), data).status_code == 302
