"""/manage/directory/imports/: feed sources, dry runs, reports, applying."""

import itertools
import json
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recoverynet.accounts.factories import UserFactory
from recoverynet.core.models import AuditEntry
from recoverynet.directory.factories import FellowshipFactory, MeetingFactory
from recoverynet.directory.models import FeedImport, FeedSource, Meeting
from recoverynet.directory.services import feeds
from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership
from recoverynet.testing import assert_constant_queries, give_totp, sign_in

from .feed_world import make_source

pytestmark = pytest.mark.django_db

ROW = {
    "name": "Tuesday Serenity",
    "slug": "tuesday-serenity",
    "day": 2,
    "time": "19:30",
    "address": "1 Church Street",
    "city": "Carlisle",
}


def signed_in(client, world, role="network_coordinator"):
    if world.users[role] is not None:
        sign_in(client, world.users[role])
    return client


def upload(content, name="meetings.json"):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode(), "application/json")


@pytest.fixture
def source(world):
    return make_source(world.own_network)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("professional", 403),
        ("settlement_host", 403),
        ("network_coordinator", 200),
        ("federation_coordinator", 200),
        ("admin", 200),
    ],
)
def test_who_may_see_feed_pages(client, world, source, role, status):
    signed_in(client, world, role)
    assert client.get(reverse("directory:imports:source_list")).status_code == status
    # A feed source is not public: for people who may not import, it does not exist.
    source_status = 404 if status == 403 else status
    assert client.get(reverse("directory:imports:import", kwargs={"pk": source.pk})).status_code == source_status
    create = reverse("directory:imports:source_create", kwargs={"slug": world.own_network.slug})
    assert client.get(create).status_code == status


def test_other_networks_sources_are_404_and_their_network_403(client, world):
    theirs = make_source(world.other_network)
    run = FeedImport.objects.create(source=theirs, status="previewed", report={}, payload="[]")
    signed_in(client, world)
    assert client.get(reverse("directory:imports:import", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("directory:imports:source_edit", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("directory:imports:import_detail", kwargs={"pk": run.pk})).status_code == 404
    assert client.post(reverse("directory:imports:import_apply", kwargs={"pk": run.pk})).status_code == 404
    other_create = reverse("directory:imports:source_create", kwargs={"slug": world.other_network.slug})
    assert client.get(other_create).status_code == 403
    listing = client.get(reverse("directory:imports:source_list"))
    assert theirs.name not in listing.content.decode()


def test_coordinator_adds_and_edits_a_source(client, world):
    signed_in(client, world)
    fellowship = FellowshipFactory()
    url = reverse("directory:imports:source_create", kwargs={"slug": world.own_network.slug})
    response = client.post(
        url, {"name": "Intergroup", "url": "", "default_fellowship": fellowship.pk, "scheduled": "on"}
    )
    assert response.status_code == 200 and "Enter the feed" in response.content.decode()
    assert not FeedSource.objects.exists()
    response = client.post(
        url, {"name": "Intergroup", "url": "https://example.org/m.json", "default_fellowship": fellowship.pk}
    )
    source = FeedSource.objects.get()
    assert response.status_code == 302 and source.network == world.own_network
    edit = reverse("directory:imports:source_edit", kwargs={"pk": source.pk})
    client.post(edit, {"name": "Renamed", "url": source.url, "default_fellowship": fellowship.pk, "scheduled": "on"})
    source.refresh_from_db()
    assert source.name == "Renamed" and source.scheduled


def test_upload_dry_run_then_apply(client, world, source):
    signed_in(client, world)
    url = reverse("directory:imports:import", kwargs={"pk": source.pk})
    response = client.post(url, {"method": "upload", "file": upload(json.dumps([ROW]))})
    run = FeedImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/runs/{run.pk}/")
    assert run.status == "previewed" and not Meeting.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Dry run" in page and "Apply these changes" in page and "tuesday-serenity" in page
    response = client.post(reverse("directory:imports:import_apply", kwargs={"pk": run.pk}))
    applied = FeedImport.objects.get(status="applied")
    assert response["Location"].endswith(f"/runs/{applied.pk}/")
    assert Meeting.objects.get().source == source
    run.refresh_from_db()
    assert run.payload == ""
    # Applying the same dry run twice does nothing more.
    response = client.post(reverse("directory:imports:import_apply", kwargs={"pk": run.pk}))
    assert FeedImport.objects.filter(status="applied").count() == 1
    history = client.get(url).content.decode()
    assert "Applied" in history and "Dry run" in history


def test_apply_rechecks_the_report(client, world, source):
    signed_in(client, world)
    client.post(
        reverse("directory:imports:import", kwargs={"pk": source.pk}),
        {"method": "upload", "file": upload(json.dumps([ROW]))},
    )
    run = FeedImport.objects.get()
    MeetingFactory(network=world.other_network, slug="tuesday-serenity")  # someone took the slug meanwhile
    response = client.post(reverse("directory:imports:import_apply", kwargs={"pk": run.pk}), follow=True)
    assert "nothing was applied" in response.content.decode()
    assert not FeedImport.objects.filter(status="applied").exists()
    assert FeedImport.objects.filter(status="previewed").count() == 2


def test_changed_report_shows_fields_and_escapes_hostile_text(client, world, source):
    feeds.apply_import(actor=world.users["network_coordinator"], source=source, payload=json.dumps([ROW]))
    hostile = {**ROW, "notes": "<script>alert(1)</script>&lt;script&gt;evil()&lt;/script&gt;", "day": [2, 4]}
    run = feeds.preview_import(actor=world.users["network_coordinator"], source=source, payload=json.dumps([hostile]))
    signed_in(client, world)
    page = client.get(reverse("directory:imports:import_detail", kwargs={"pk": run.pk})).content.decode()
    assert "<script>alert" not in page and "<script>evil" not in page
    assert "&amp;lt;script&amp;gt;evil()" in page
    assert "Tuesday, Thursday" in page and "Notes" in page


def test_rejected_rows_are_listed_with_reasons(client, world, source):
    signed_in(client, world)
    rows = [ROW, {**ROW, "slug": "<b>bad slug</b>", "day": 12}]
    client.post(
        reverse("directory:imports:import", kwargs={"pk": source.pk}),
        {"method": "upload", "file": upload(json.dumps(rows))},
    )
    page = client.get(reverse("directory:imports:import_detail", kwargs={"pk": FeedImport.objects.get().pk}))
    content = page.content.decode()
    assert "Rejected rows" in content and "day must be a number" in content
    assert "&lt;b&gt;bad slug&lt;/b&gt;" in content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty"),
        (b"{not json", "not valid JSON"),
        (b'{"a": 1}', "JSON array"),
        (b'"text"', "JSON array"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_uploads_are_form_errors(client, world, source, content, message):
    signed_in(client, world)
    response = client.post(
        reverse("directory:imports:import", kwargs={"pk": source.pk}), {"method": "upload", "file": upload(content)}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    assert not Meeting.objects.exists()


def test_no_file_and_huge_file(client, world, source):
    signed_in(client, world)
    url = reverse("directory:imports:import", kwargs={"pk": source.pk})
    response = client.post(url, {"method": "upload"})
    assert response.status_code == 200 and "Choose a Meeting Guide JSON file" in response.content.decode()
    with mock.patch("recoverynet.directory.import_forms.MAX_PAYLOAD_BYTES", 10):
        response = client.post(url, {"method": "upload", "file": upload(json.dumps([ROW]))})
    assert response.status_code == 200 and "smaller than 20 MB" in response.content.decode()
    response = client.post(url, {"method": "fetch"})  # the source has no address
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def test_fetch_from_url_is_mocked(client, world, source):
    source.url = "https://example.org/meetings.json"
    source.save()
    signed_in(client, world)
    url = reverse("directory:imports:import", kwargs={"pk": source.pk})
    with mock.patch.object(feeds, "fetch_feed", return_value=json.dumps([ROW]).encode()) as fetch:
        response = client.post(url, {"method": "fetch"})
    fetch.assert_called_once_with("https://example.org/meetings.json")
    assert response.status_code == 302 and FeedImport.objects.get().report["added"][0]["slug"] == "tuesday-serenity"
    with mock.patch.object(feeds, "fetch_feed", side_effect=ValidationError("We could not fetch the feed")):
        response = client.post(url, {"method": "fetch"})
    assert response.status_code == 200 and "We could not fetch the feed" in response.content.decode()


def test_fetch_feed_refuses_bad_addresses():
    for url in ("ftp://example.org/x.json", "file:///etc/passwd", "http://127.0.0.1/x.json", "http://localhost/x"):
        with pytest.raises(ValidationError):
            feeds.fetch_feed(url)


def test_fetch_feed_uses_the_safe_fetcher_with_the_import_limits():
    """The fetching itself (redirects, addresses, limits) is tested in test_feed_fetch."""
    with mock.patch("recoverynet.directory.safe_fetch.fetch", return_value=b"[]") as fetch:
        assert feeds.fetch_feed("https://example.org/m.json") == b"[]"
    fetch.assert_called_once_with(
        "https://example.org/m.json", max_bytes=feeds.MAX_PAYLOAD_BYTES, timeout=feeds.FETCH_TIMEOUT
    )


def test_source_list_query_count_is_constant(client, world, django_assert_max_num_queries):
    signed_in(client, world)
    numbers = itertools.count()
    shown = []

    def add_rows(n):
        for number in itertools.islice(numbers, n):
            make_source(world.own_network, name=f"Feed {number}")

    def fetch():
        with django_assert_max_num_queries(12):
            response = client.get(reverse("directory:imports:source_list"))
        shown.append(response.content.decode().count("/manage/directory/imports/sources/"))

    assert_constant_queries(fetch, add_rows)
    assert shown == [3, 30]


def test_import_history_query_count_is_constant(client, world, source, django_assert_max_num_queries):
    signed_in(client, world)
    shown = []

    def add_rows(n):
        for _ in range(n):
            FeedImport.objects.create(source=source, started_by=world.users["network_coordinator"], status="applied")

    def fetch():
        with django_assert_max_num_queries(14):
            response = client.get(reverse("directory:imports:import", kwargs={"pk": source.pk}))
        shown.append(response.content.decode().count("/manage/directory/imports/runs/"))

    assert_constant_queries(fetch, add_rows)
    assert shown == [3, 20]  # one page of 20


# --- Imports held because they would remove too many meetings -------------------------------


def feed_of(count):
    return json.dumps([{**ROW, "slug": f"m{i}", "name": f"Meeting {i}"} for i in range(count)])


@pytest.fixture
def held(source):
    feeds.apply_system_import(source=source, payload=feed_of(10))
    held = feeds.apply_system_import(source=source, payload="[]")
    assert held.status == FeedImport.Status.HELD
    return held


def test_a_held_import_is_shown_on_the_feeds_page_with_its_choices(client, world, source, held):
    signed_in(client, world)
    page = client.get(reverse("directory:imports:import", kwargs={"pk": source.pk})).content.decode()
    assert "Held for review" in page and "would remove 10 of the feed" in page
    assert reverse("directory:imports:import_apply", kwargs={"pk": held.pk}) in page
    assert reverse("directory:imports:import_dismiss", kwargs={"pk": held.pk}) in page
    assert "Apply anyway" in page and "Dismiss" in page
    detail = client.get(reverse("directory:imports:import_detail", kwargs={"pk": held.pk})).content.decode()
    assert "would remove 10 of the feed" in detail and "Apply anyway" in detail and "Dismiss" in detail


def test_apply_anyway_applies_the_held_feed_and_is_audited(client, world, source, held):
    signed_in(client, world)
    response = client.post(reverse("directory:imports:import_apply", kwargs={"pk": held.pk}))
    assert response.status_code == 302
    assert Meeting.objects.filter(source=source, status=Meeting.Status.INACTIVE).count() == 10
    held.refresh_from_db()
    assert held.payload == "" and held.status == FeedImport.Status.HELD
    applied = FeedImport.objects.filter(status=FeedImport.Status.APPLIED).first()
    assert applied.started_by == world.users["network_coordinator"]
    entry = AuditEntry.objects.get(summary__contains=f"Held feed import #{held.pk} applied anyway")
    assert entry.actor == world.users["network_coordinator"] and entry.network == source.network
    page = client.get(reverse("directory:imports:import", kwargs={"pk": source.pk})).content.decode()
    assert "Apply anyway" not in page  # no longer waiting


def test_dismiss_keeps_the_meetings_and_is_audited(client, world, source, held):
    signed_in(client, world)
    response = client.post(reverse("directory:imports:import_dismiss", kwargs={"pk": held.pk}))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == FeedImport.Status.DISMISSED and held.payload == ""
    assert Meeting.objects.filter(source=source, status=Meeting.Status.ACTIVE).count() == 10
    entry = AuditEntry.objects.get(summary__contains=f"Held feed import #{held.pk} dismissed")
    assert entry.actor == world.users["network_coordinator"]
    # Neither choice can be made twice.
    client.post(reverse("directory:imports:import_dismiss", kwargs={"pk": held.pk}))
    client.post(reverse("directory:imports:import_apply", kwargs={"pk": held.pk}))
    assert Meeting.objects.filter(source=source, status=Meeting.Status.ACTIVE).count() == 10
    assert AuditEntry.objects.filter(summary__contains="dismissed").count() == 1


def test_only_the_feeds_coordinators_may_choose(client, world, source, held):
    dismiss = reverse("directory:imports:import_dismiss", kwargs={"pk": held.pk})
    assert client.post(dismiss).status_code == 302  # anonymous: to sign in
    for role in ("member", "settlement_host"):
        signed_in(client, world, role)
        assert client.post(dismiss).status_code == 404
    other = UserFactory()
    MembershipFactory(user=other, network=world.other_network, role=Membership.Role.NETWORK_COORDINATOR)
    give_totp(other)
    sign_in(client, other)
    assert client.post(dismiss).status_code == 404
    assert client.post(reverse("directory:imports:import_apply", kwargs={"pk": held.pk})).status_code == 404
    signed_in(client, world)
    assert client.get(dismiss).status_code == 405
    held.refresh_from_db()
    assert held.status == FeedImport.Status.HELD


def test_a_manual_dry_run_warns_of_a_mass_removal(client, world, source):
    feeds.apply_system_import(source=source, payload=feed_of(10))
    signed_in(client, world)
    url = reverse("directory:imports:import", kwargs={"pk": source.pk})
    response = client.post(url, {"method": "upload", "file": upload(feed_of(3))})
    page = client.get(response["Location"]).content.decode()
    assert "would remove 7 of the feed" in page and "Apply these changes" in page


def test_dismissing_is_permission_checked_in_the_service(world, source, held):
    with pytest.raises(PermissionDenied):
        feeds.dismiss_held_import(actor=world.users["member"], feed_import=held)
    with pytest.raises(ValidationError):
        preview = feeds.preview_import(actor=world.users["network_coordinator"], source=source, payload="[]")
        feeds.dismiss_held_import(actor=world.users["network_coordinator"], feed_import=preview)
