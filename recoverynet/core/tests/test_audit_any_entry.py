"""The audit page renders any entry the audit log can hold (issue 11, item 2):
reverse relations, many-to-many, unknown or removed fields, deleted models,
and arbitrary JSON in `changes`."""

import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import JSONField, Value
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.directory.factories import FellowshipFactory, MeetingFactory
from recoverynet.directory.models import Meeting
from recoverynet.directory.services import update_meeting
from recoverynet.testing import sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("core:audit_list")
# Roles that may read the audit log, each able to see an entry in the own network.
READERS = ("network_coordinator", "federation_coordinator", "admin")


def page_for(world, role):
    client = Client(raise_request_exception=True)
    sign_in(client, world.users[role])
    return client.get(LIST)


def test_a_meeting_weekday_edit_is_readable(world):
    meeting = MeetingFactory(network=world.own_network, fellowship=FellowshipFactory(), days=[2])
    update_meeting(actor=world.users["network_coordinator"], meeting=meeting, data={}, days=[2, 4])
    assert AuditEntry.objects.filter(changes__has_key="days").exists()
    for role in READERS:
        response = page_for(world, role)
        assert response.status_code == 200
        assert "Days" in response.content.decode()


def gone_content_type():
    """A content type whose model was deleted since its entries were written."""
    return ContentType.objects.get_or_create(app_label="retired", model="oldthing")[0]


@pytest.mark.parametrize(
    "changes",
    [
        {"days": [[1], [1, 3]]},  # a reverse relation
        {"types": [[], [1, 2]]},  # many-to-many
        {"meeting_days": "odd"},  # neither a pair nor a known field
        {"no_such_field": [1, 2, 3]},  # a field removed since
        {"location": [None, 999999]},  # a foreign key to a row since deleted
        {"location": ["x", {"a": 1}]},  # a foreign key holding nonsense
        {"location": [True, 10**400]},
        {"status": [["a"], {"b": None}]},  # choices holding nonsense
        {"start_time": ["not a time", 5]},
        {"": None},
        ["a", "list", "instead"],
        "a string",
        None,
        7,
        {"notes": ["x" * 100_000, "\u202e\ufeff\U0001f600"]},
        {"nested": {"a": {"b": {"c": [1, [2, [3]]]}}}},
    ],
)
@pytest.mark.parametrize("kind", ["meeting", "gone", "none"])
def test_odd_entries_render(world, changes, kind):
    meeting = MeetingFactory(network=world.own_network, fellowship=FellowshipFactory())
    add_entry(world, kind, changes, meeting)
    for role in READERS:
        assert page_for(world, role).status_code == 200


def add_entry(world, kind, changes, meeting):
    # A JSON null, not SQL NULL (the column is NOT NULL).
    stored = Value(None, output_field=JSONField()) if changes is None else changes
    entry = AuditEntry(
        action=AuditEntry.Action.UPDATE, network=world.own_network, changes=stored, object_repr="Something"
    )
    if kind == "meeting":
        entry.content_type = ContentType.objects.get_for_model(Meeting)
        entry.object_id = str(meeting.pk)
    elif kind == "gone":
        entry.content_type = gone_content_type()
        entry.object_id = "12"
    entry.save()
    return entry


# --- Any JSON at all ------------------------------------------------------------

# What a JSON column holds on every database we run on: PostgreSQL's jsonb has
# no NUL in strings and no NaN or infinities.
json_text = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | json_text
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(json_text, children, max_size=4),
    max_leaves=20,
)
# Keys that name real fields (forward, reverse, many-to-many), and any text.
meeting_keys = st.sampled_from(
    sorted({f.name for f in Meeting._meta.get_fields()} | {"network_id", "days", "types", "gone_field"})
)
changes_values = json_values | st.dictionaries(meeting_keys | json_text, json_values, max_size=6)


@settings(
    max_examples=int(os.environ.get("AUDIT_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=changes_values, kind=st.sampled_from(["meeting", "gone", "none"]))
def test_any_changes_render_for_every_reader(world, changes, kind):
    with transaction.atomic():
        meeting = MeetingFactory(network=world.own_network, fellowship=FellowshipFactory())
        add_entry(world, kind, changes, meeting)
        for role in READERS:
            assert page_for(world, role).status_code == 200
        transaction.set_rollback(True)
