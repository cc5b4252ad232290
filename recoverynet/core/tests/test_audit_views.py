"""The audit log list (/manage/audit/) and its CSV export (/manage/audit.csv)."""

import csv
import datetime
import io
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from recoverynet.accounts.factories import UserFactory
from recoverynet.core import audit
from recoverynet.core.audit_views import CSV_HEADER
from recoverynet.core.models import AuditEntry
from recoverynet.core.spreadsheets import spreadsheet_safe
from recoverynet.federation import services
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = "core:audit_list"
CSV = "core:audit_csv"


def entry(*, actor=None, action=AuditEntry.Action.UPDATE, instance=None, network=None, when=None, **kwargs):
    """An audit entry, optionally written at a given moment."""
    if when is None:
        return audit.record(actor=actor, action=action, instance=instance, network=network, **kwargs)
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit.record(actor=actor, action=action, instance=instance, network=network, **kwargs)


def csv_rows(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(content)))


def download(client, params=None):
    """The CSV download: a POST to the export's address, filters in the query string."""
    return client.post(reverse(CSV) + ("?" + urlencode(params) if params else ""))


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.fixture
def entries(world):
    """One entry in each network, and one about a person (no network)."""
    return {
        "own": entry(
            actor=world.users["network_coordinator"],
            instance=world.own_settlement,
            network=world.own_network,
            changes={"town": ["Preston", "Carlisle"]},
        ),
        "other": entry(
            actor=world.users["federation_coordinator"],
            instance=world.other_settlement,
            network=world.other_network,
            changes={"town": ["Preston", "Bootle"]},
        ),
        "person": entry(
            action=AuditEntry.Action.ERASE, instance=world.users["member"], summary="Erased at their request"
        ),
    }


# --- Access ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [LIST, CSV])
def test_anonymous_is_sent_to_sign_in(client, world, name):
    assert_login_redirect(client.get(reverse(name)))
    if name == CSV:
        assert_login_redirect(download(client))


@pytest.mark.parametrize("role", ["member", "professional", "settlement_host"])
@pytest.mark.parametrize("name", [LIST, CSV])
def test_people_without_a_coordinating_role_are_forbidden(login, entries, role, name):
    assert login(role).get(reverse(name)).status_code == 403
    if name == CSV:
        assert download(login(role)).status_code == 403
        assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_network_coordinator_sees_only_their_networks_entries(login, entries):
    response = login("network_coordinator").get(reverse(LIST))
    assert response.status_code == 200
    assert list(response.context["entries"]) == [entries["own"]]
    html = response.content.decode()
    assert "Bootle" not in html
    assert "Erased at their request" not in html
    assert [n.name for n in response.context["filter"].form.fields["network"].queryset] == ["Cumbria"]


def test_federation_coordinator_sees_every_entry(login, entries):
    response = login("federation_coordinator").get(reverse(LIST))
    assert set(response.context["entries"]) == set(entries.values())
    assert [n.name for n in response.context["filter"].form.fields["network"].queryset] == ["Cumbria", "Merseyside"]


# --- What an entry shows --------------------------------------------------------


def test_entry_shows_when_who_action_object_network_and_changes(login, world, entries):
    html = login("federation_coordinator").get(reverse(LIST)).content.decode()
    assert "Coordinator" in html  # the actor's display name
    assert "System" in html  # the erasure had no actor
    assert "Changed" in html and "Settlement Carlisle Hub" in html and "Cumbria" in html
    assert "Town" in html and "Preston" in html and "Carlisle" in html
    local = timezone.localtime(entries["own"].created_at)
    assert local.strftime("%Y-%m-%dT%H:%M") in html  # <time datetime="...">


def test_personal_fields_show_only_that_they_changed(login, world):
    member = world.users["member"]
    services_changes = {"display_name": ["(changed)", "(changed)"], "phone": ["(changed)", "(changed)"]}
    entry(actor=member, instance=member, changes=services_changes)
    html = login("federation_coordinator").get(reverse(LIST)).content.decode()
    assert "(changed)" in html
    assert "Display name" in html


def test_real_service_changes_are_listed(login, world):
    coordinator = world.users["network_coordinator"]
    services.update_settlement(actor=coordinator, settlement=world.own_settlement, data={"opening_times": "Daily"})
    response = login("network_coordinator").get(reverse(LIST))
    (row,) = response.context["entries"]
    assert row.who == "Coordinator"
    assert row.change_rows == [("Opening times", "Monday to Friday, 10am to 4pm", "Daily")]


# --- Filters --------------------------------------------------------------------


def test_filter_by_action_object_type_and_network(login, world, entries):
    approval = entry(
        actor=world.users["network_coordinator"],
        action=AuditEntry.Action.APPROVE,
        instance=world.own_membership,
        network=world.own_network,
    )
    client = login("federation_coordinator")
    assert list(client.get(reverse(LIST), {"action": "approve"}).context["entries"]) == [approval]
    membership_type = approval.content_type_id
    assert list(client.get(reverse(LIST), {"object_type": membership_type}).context["entries"]) == [approval]
    by_network = client.get(reverse(LIST), {"network": world.other_network.pk}).context["entries"]
    assert list(by_network) == [entries["other"]]


def test_filter_by_date_range(login, world):
    tz = timezone.get_current_timezone()
    old = entry(
        network=world.own_network, instance=world.own_network, when=datetime.datetime(2026, 1, 10, 12, tzinfo=tz)
    )
    mid = entry(
        network=world.own_network, instance=world.own_network, when=datetime.datetime(2026, 2, 10, 12, tzinfo=tz)
    )
    new = entry(
        network=world.own_network, instance=world.own_network, when=datetime.datetime(2026, 3, 10, 12, tzinfo=tz)
    )
    client = login("network_coordinator")
    in_range = client.get(reverse(LIST), {"date_from": "2026-02-01", "date_to": "10 2 2026"}).context["entries"]
    assert list(in_range) == [mid]
    assert list(client.get(reverse(LIST), {"date_from": "2026-02-11"}).context["entries"]) == [new]
    assert list(client.get(reverse(LIST), {"date_to": "2026-01-31"}).context["entries"]) == [old]


def test_bad_filters_show_errors_not_500(login, world, entries):
    client = login("network_coordinator")
    response = client.get(
        reverse(LIST), {"network": world.other_network.pk, "action": "nonsense", "date_from": "31 2 2026"}
    )
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert {"network", "action", "date_from"} <= set(errors)
    # An invalid network choice never widens the scope.
    assert list(response.context["entries"]) == [entries["own"]]
    reversed_range = client.get(reverse(LIST), {"date_from": "2026-03-01", "date_to": "2026-02-01"})
    assert "date_to" in reversed_range.context["filter"].form.errors
    assert "There is a problem" in reversed_range.content.decode()


def test_list_paginates_at_50(login, world):
    for _ in range(53):
        entry(instance=world.own_network, network=world.own_network)
    client = login("network_coordinator")
    assert len(client.get(reverse(LIST)).context["entries"]) == 50
    assert len(client.get(reverse(LIST), {"page": 2}).context["entries"]) == 3


def test_list_query_count_is_constant(login, world):
    client = login("federation_coordinator")

    def add_entries(count):
        for n in range(count):
            actor = UserFactory() if n % 2 else None
            network = world.own_network if n % 3 else world.other_network
            target = world.own_settlement if n % 2 else world.own_organisation
            entry(actor=actor, instance=target, network=network, changes={"name": ["A", "B"]})

    counted = []

    def fetch():
        response = client.get(reverse(LIST))
        counted.append(len(response.context["entries"]))
        return response

    client.get(reverse(LIST))  # warm caches (content types, sessions)
    assert_constant_queries(fetch, add_entries)
    assert counted == [3, 30]


# --- CSV ------------------------------------------------------------------------


def test_csv_export_content(login, world, entries):
    response = download(login("federation_coordinator"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="recoverynet-audit-')
    assert response["Cache-Control"] == "no-store"
    rows = csv_rows(response)
    assert rows[0] == CSV_HEADER
    assert len(rows) == 1 + 3
    by_record = {row[5]: row for row in rows[1:]}
    own = by_record["Settlement Carlisle Hub"]
    assert own[1:5] == ["Coordinator", "Changed", "Settlement", str(world.own_settlement.pk)]
    assert own[6] == "Cumbria"
    assert own[8] == '{"town": ["Preston", "Carlisle"]}'
    when = datetime.datetime.fromisoformat(own[0])
    assert when == entries["own"].created_at and when.tzinfo is not None
    person = by_record[f"Person #{world.users['member'].pk}"]
    assert person[1] == "System" and person[2] == "Erased" and person[7] == "Erased at their request"


def test_csv_is_scoped_and_filtered_like_the_list(login, world, entries):
    client = login("network_coordinator")
    rows = csv_rows(download(client))
    assert [row[5] for row in rows[1:]] == ["Settlement Carlisle Hub"]
    rows = csv_rows(download(client, {"network": world.other_network.pk}))
    assert [row[5] for row in rows[1:]] == ["Settlement Carlisle Hub"]
    rows = csv_rows(download(client, {"action": "approve"}))
    assert rows == [CSV_HEADER]


def test_csv_neutralises_spreadsheet_formulas(login, world):
    network = world.own_network
    entry(instance=network, network=network, summary='=HYPERLINK("http://evil.example","Click")')
    entry(instance=network, network=network, summary="+44 7700 900000")
    entry(instance=network, network=network, summary="-2+3")
    entry(instance=network, network=network, summary="@SUM(A1:A2)")
    entry(instance=network, network=network, summary="A normal summary")
    actor = UserFactory(display_name="=cmd|' /C calc'!A0")
    entry(actor=actor, instance=network, network=network, summary="By a mischievous name")
    rows = csv_rows(download(login("network_coordinator")))
    summaries = {row[7]: row for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","Click")' in summaries
    assert "'+44 7700 900000" in summaries
    assert "'-2+3" in summaries
    assert "'@SUM(A1:A2)" in summaries
    assert "A normal summary" in summaries
    assert summaries["By a mischievous name"][1] == "'=cmd|' /C calc'!A0"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("ok", "ok"),
        (None, ""),
        (5, "5"),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_csv_export_is_itself_audited(login, world, entries):
    before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
    rows = csv_rows(download(login("network_coordinator"), {"action": "update", "junk": "x" * 500}))
    export = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("id")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == before + 1
    assert export.actor == world.users["network_coordinator"]
    assert export.summary == "Audit log exported (action=update)"
    assert "Audit log exported" not in {row[7] for row in rows}


def test_the_list_offers_the_download_as_a_form_with_its_filters(login, entries):
    html = login("network_coordinator").get(reverse(LIST), {"action": "update", "page": 1}).content.decode()
    assert f'<form method="post" action="{reverse(CSV)}?action=update" novalidate>' in html
    assert f'href="{reverse(CSV)}' not in html
