"""Meeting Guide imports: dry run, apply, idempotence, rejection, round trip."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied

from recoverynet.core.models import AuditEntry
from recoverynet.directory.factories import MeetingFactory
from recoverynet.directory.models import FeedImport, Location, Meeting
from recoverynet.directory.services import feeds

from ..formats import meeting_guide
from .feed_world import make_source, varied_meetings

pytestmark = pytest.mark.django_db


def row(slug="tuesday-serenity", **extra):
    return {
        "name": "Tuesday Serenity",
        "slug": slug,
        "day": 2,
        "time": "19:30",
        "address": "1 Church Street",
        "city": "Carlisle",
        "postal_code": "CA1 1AA",
        "location": "St Mary's Hall",
        "types": ["O", "X"],
        **extra,
    }


@pytest.fixture
def source(world):
    return make_source(world.own_network)


@pytest.fixture
def coordinator(world):
    return world.users["network_coordinator"]


def test_preview_changes_nothing_and_apply_gives_the_same_report(source, coordinator):
    payload = json.dumps([row(), row("second", day=[1, 3], time="10:00", end_time="11:30")])
    preview = feeds.preview_import(actor=coordinator, source=source, payload=payload)
    assert preview.status == FeedImport.Status.PREVIEWED
    assert [a["slug"] for a in preview.report["added"]] == ["tuesday-serenity", "second"]
    assert not Meeting.objects.exists() and not Location.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="meeting").exists()

    applied = feeds.apply_import(actor=coordinator, source=source, payload=payload.encode())
    assert applied.status == FeedImport.Status.APPLIED
    assert applied.report == preview.report
    meeting = Meeting.objects.get(slug="second")
    assert meeting.weekdays == [1, 3] and meeting.end_time.strftime("%H:%M") == "11:30"
    assert meeting.source == source and meeting.fellowship == source.default_fellowship
    assert meeting.network == source.network
    first = Meeting.objects.get(slug="tuesday-serenity")
    assert first.end_time is None and first.effective_end_time.strftime("%H:%M") == "20:30"
    assert sorted(first.types.values_list("code", flat=True)) == ["O", "X"]
    # Both meetings share one location, found by name and address.
    assert Location.objects.count() == 1 and first.location_id == meeting.location_id
    assert AuditEntry.objects.filter(content_type__model="meeting", action="create").count() == 2
    summary = AuditEntry.objects.get(content_type__model="feedsource")
    assert "2 added" in summary.summary and summary.actor == coordinator
    source.refresh_from_db()
    assert source.last_imported_at is not None


def test_reimporting_the_same_feed_changes_nothing(source, coordinator):
    payload = json.dumps([row(), row("other", conference_url="https://zoom.us/j/1", types=["TC", "O"])])
    feeds.apply_import(actor=coordinator, source=source, payload=payload)
    audit_count = AuditEntry.objects.count()
    updated = dict(Meeting.objects.values_list("slug", "updated_at"))
    again = feeds.apply_import(actor=coordinator, source=source, payload=payload)
    assert again.report["added"] == again.report["changed"] == again.report["removed"] == []
    assert again.report["unchanged"] == 2
    assert AuditEntry.objects.count() == audit_count
    assert dict(Meeting.objects.values_list("slug", "updated_at")) == updated
    assert Meeting.objects.get(slug="other").status == Meeting.Status.TEMPORARILY_CLOSED


def test_changed_fields_are_reported_field_by_field(source, coordinator):
    feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([row()]))
    changed = row(time="20:00", day=[2, 4], notes="New notes", types=["C"])
    report = feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([changed])).report
    assert report["added"] == [] and len(report["changed"]) == 1
    fields = report["changed"][0]["fields"]
    assert fields["start_time"] == ["19:30", "20:00"]
    assert fields["days"] == [[2], [2, 4]]
    assert fields["notes"] == ["", "New notes"]
    assert fields["types"] == [["O", "X"], ["C"]]
    meeting = Meeting.objects.get(slug="tuesday-serenity")
    assert meeting.weekdays == [2, 4] and meeting.notes == "New notes"
    assert AuditEntry.objects.filter(content_type__model="meeting", action="update").count() == 1


def test_missing_meetings_become_inactive_not_deleted(source, coordinator):
    feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([row(), row("leaving")]))
    hand_made = MeetingFactory(network=source.network, slug="hand-made")
    report = feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([row()])).report
    assert report["removed"] == [{"slug": "leaving", "name": "Tuesday Serenity"}]
    assert Meeting.objects.get(slug="leaving").status == Meeting.Status.INACTIVE
    hand_made.refresh_from_db()
    assert hand_made.status == Meeting.Status.ACTIVE  # not from this feed: untouched


def test_bad_rows_are_rejected_with_reasons_and_the_rest_proceeds(world, source, coordinator):
    MeetingFactory(network=world.other_network, slug="theirs")
    rows = [
        row(),
        row("bad-day", day=9),
        row("theirs"),
        row("bad-email", contact_1_email="not an email"),
        "not an object",
        row("tuesday-serenity"),
        row("in-person-no-street", address="", formatted_address="Carlisle, UK", approximate="no"),
    ]
    result = feeds.apply_import(actor=coordinator, source=source, payload=json.dumps(rows))
    rejected = {r["row"]: r for r in result.report["rejected"]}
    assert set(rejected) == {1, 2, 3, 4, 5, 6}
    assert any("day must be" in r for r in rejected[1]["reasons"])
    assert rejected[2]["reasons"] == ["slug already used by another network"]
    assert any("contact_email" in r for r in rejected[3]["reasons"])
    assert rejected[4]["reasons"] == ["the row is not a JSON object"]
    assert "slug is used by another row in this feed" in rejected[5]["reasons"]
    assert any("address" in r for r in rejected[6]["reasons"])
    assert list(Meeting.objects.filter(network=source.network).values_list("slug", flat=True)) == ["tuesday-serenity"]
    assert Meeting.objects.get(slug="theirs").network == world.other_network


def test_other_feed_of_same_network_keeps_its_slugs(world, source, coordinator):
    other_source = make_source(world.own_network, name="Second intergroup")
    feeds.apply_import(actor=coordinator, source=other_source, payload=json.dumps([row()]))
    report = feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([row()])).report
    assert report["rejected"][0]["reasons"] == ["slug already used by another feed of this network"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"name": "an object"}', "JSON array"),
        ('"a string"', "JSON array"),
        ("", "empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        (b" " * (feeds.MAX_PAYLOAD_BYTES + 1), "too large"),
    ],
)
def test_a_feed_that_is_not_an_array_is_refused_whole(source, coordinator, payload, message):
    result = feeds.apply_import(actor=coordinator, source=source, payload=payload)
    assert result.status == FeedImport.Status.REFUSED
    assert message in result.error
    assert not Meeting.objects.exists()


def test_hostile_text_is_stored_as_plain_text(source, coordinator):
    hostile = row(
        name='<img src=x onerror="alert(1)">Serenity<script>alert(2)</script>',
        notes="Ring\x00 the\x1b bell\u202e <b>twice</b>",
        group="x" * 1_000_000,
    )
    report = feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([hostile, row("fine")])).report
    assert report["rejected"][0]["row"] == 0 and "group is too long" in report["rejected"][0]["reasons"][0]
    assert len(json.dumps(report)) < 10_000  # the enormous value is not copied into the report
    hostile.pop("group")
    feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([hostile, row("fine")]))
    meeting = Meeting.objects.get(slug="tuesday-serenity")
    assert meeting.name == "Serenityalert(2)"
    assert meeting.notes == "Ring the bell twice"


def test_permission_is_checked_on_the_network(world, source):
    for role in ("member", "professional", "settlement_host"):
        with pytest.raises(PermissionDenied):
            feeds.preview_import(actor=world.users[role], source=source, payload="[]")
    other = make_source(world.other_network)
    with pytest.raises(PermissionDenied):
        feeds.apply_import(actor=world.users["network_coordinator"], source=other, payload="[]")
    with pytest.raises(PermissionDenied):
        feeds.apply_import(actor=None, source=source, payload="[]")
    assert (
        feeds.apply_import(actor=world.users["federation_coordinator"], source=other, payload="[]").status == "applied"
    )


def test_system_import_has_no_actor(source):
    result = feeds.apply_system_import(source=source, payload=json.dumps([row()]))
    assert result.status == FeedImport.Status.APPLIED and result.started_by is None
    assert AuditEntry.objects.filter(content_type__model="meeting", actor__isnull=True).count() == 1


def test_round_trip_export_import_export(world, coordinator):
    varied_meetings(world.own_network)
    first = meeting_guide.build_feed(base_url="https://recoverynet.example/")
    # An empty database: the meetings and their places are gone, a new network imports the feed.
    Meeting.objects.all().delete()
    Location.objects.all().delete()
    source = make_source(world.other_network)
    result = feeds.apply_import(actor=world.users["federation_coordinator"], source=source, payload=json.dumps(first))
    assert result.report["rejected"] == [] and len(result.report["added"]) == len(first)
    second = meeting_guide.build_feed(base_url="https://recoverynet.example/")

    def comparable(rows):
        # Which network publishes it, and when, legitimately differ.
        return [
            {k: v for k, v in r.items() if k not in ("entity", "entity_email", "entity_url", "updated")} for r in rows
        ]

    assert comparable(second) == comparable(first)


def test_an_explicit_default_end_time_is_not_a_change(source, coordinator):
    meeting = MeetingFactory(network=source.network, slug="tuesday-serenity", end_time=datetime.time(20, 30))
    meeting.source = source
    meeting.save()
    report = feeds.apply_import(actor=coordinator, source=source, payload=json.dumps([row(end_time="20:30")])).report
    assert all("end_time" not in c["fields"] for c in report["changed"])
