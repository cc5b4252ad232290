"""The outcomes dashboard, report, command and savings assumptions: aggregates
only, small numbers protected everywhere, a constant number of queries."""

import base64
import csv
import datetime
import io
import re
import zlib
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.core.suppression import FEWER_THAN_FIVE
from recoverynet.federation.factories import MembershipFactory, NetworkFactory, SettlementFactory
from recoverynet.federation.models import Membership, Settlement
from recoverynet.outcomes import services
from recoverynet.outcomes.figures import NOT_YET_MEASURED, by_settlement, compute
from recoverynet.outcomes.framework import COVERAGE, OUTCOMES, Quarter, by_outcome, quarters_ending
from recoverynet.outcomes.models import SavingsAssumptions
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 8, 15, 12, tzinfo=datetime.UTC)
Q3 = Quarter(2026, 3)
SMALL_NUMBERS = re.compile(r"^[1-4]$")


@pytest.fixture
def small_world(world, time_machine):
    """The world (4 people in Cumbria, 1 in Merseyside), plus 7 more in Merseyside: small groups."""
    time_machine.move_to(NOW, tick=False)
    Membership.objects.update(joined_at=NOW)
    Settlement.objects.update(created_at=NOW)
    for _ in range(7):
        MembershipFactory(network=world.other_network)
    return world


def test_quarters():
    assert Quarter.parse("2026q3") == Q3 and Q3.code == "2026Q3" and Q3.label == "2026 Q3"
    assert Q3.period.start == datetime.date(2026, 7, 1) and Q3.period.end == datetime.date(2026, 10, 1)
    assert Quarter(2026, 4).period.end == datetime.date(2027, 1, 1)
    assert [q.code for q in quarters_ending(Quarter(2026, 2), 3)] == ["2025Q4", "2026Q1", "2026Q2"]
    for bad in ("2026Q5", "26Q1", "", "2026-Q1", "1066Q1"):
        with pytest.raises(ValueError, match="2026Q3"):
            Quarter.parse(bad)


def test_framework_lists_all_nine_outcomes_and_what_is_not_yet_measured():
    framework = by_outcome()
    assert list(framework) == list(range(1, 10))
    assert framework[5]["text"] == OUTCOMES[5]
    assert {i.key for i in framework[5]["indicators"]} >= {
        "directory.meetings",
        "directory.groups",
        "directory.meetings_per_100k",
        "directory.groups_per_100k",
    }
    givers = {"federation.coordinators_and_hosts", "timebank.active_givers", "volunteering.volunteers_active"}
    assert {i.key for i in framework[2]["indicators"]} >= givers
    assert {i.key for i in framework[6]["indicators"]} >= {"federation.partnerships_public"}
    # Recovery capital is registered by its app; what no app records yet is listed as not yet measured.
    assert {i.key for i in framework[1]["indicators"]} >= {"recoverycapital.recovery_capital_change"}
    # People giving back, and the share of them in recovery, from every app's declared givers.
    assert {i.key for i in framework[2]["indicators"]} >= {
        "federation.people_giving_back",
        "federation.givers_share_in_recovery",
    }
    assert not framework[2]["missing"]
    assert "recoverycapital.assessments_completed" not in {m.key for o in framework.values() for m in o["missing"]}


def test_figures_are_suppressed_over_all_networks(small_world):
    figures = compute(quarters_ending(Q3, 4))
    engaged = figures.indicators["federation.people_engaged"]
    own, other = small_world.own_network.pk, small_world.other_network.pk
    assert engaged.rows[own][-1].display == FEWER_THAN_FIVE  # 4
    assert engaged.rows[other][-1].display == "withheld"  # 8, hidden so the 4 cannot be worked out from 12
    assert engaged.totals[-1].display == "12"
    assert engaged.rows[own][0].display == "0"  # nobody had joined by the end of 2025
    coverage = {row["network"].pk: row["cells"] for row in figures.coverage()}
    assert coverage[own][3]["answer"] == "No"  # no recovery capital assessments in this world
    assert coverage[own][0]["answer"] == "Yes"  # Carlisle Hub


# Outcome 2's counts of people that are not a kind of people giving back, and why.
NOT_GIVERS = {
    "timebank.active_receivers": "received help",
    "timebank.active_members": "gave or received",
    "volunteering.volunteers_measured": "a denominator: volunteers who agreed to be counted",
    "initiatives.people_in_roles": "includes professionals working in initiatives",
    "initiatives.people_in_recovery_in_roles": "a subset of the above, measured only with consent",
    "federation.people_giving_back": "the sum of every app's declared givers",
    "federation.givers_measured": "a denominator: people giving back who agreed to be counted",
}


def test_every_giver_count_comes_from_an_app_that_declares_its_givers():
    """Each registered count of people for outcome 2 comes from an app that declares its givers
    (AppConfig.givers, merged into federation.people_giving_back, which outcome 9's coverage reads)
    or is named above as not one: a new kind of giver cannot be left out unnoticed."""
    from recoverynet.core.registry import giver_sources

    declaring = {label for label, _ in giver_sources()}
    registered_keys = {i.key for i in by_outcome()[2]["indicators"] if i.count and i.unit == "people"}
    undeclared = {key for key in registered_keys - set(NOT_GIVERS) if key.split(".")[0] not in declaring}
    assert not undeclared, f"Declare the app's givers (AppConfig.givers), or name it in NOT_GIVERS: {undeclared}"
    assert dict(COVERAGE)["Members who give back"] == ("federation.people_giving_back",)


def test_volunteers_alone_cover_members_who_give_back(small_world):
    """Merseyside has no coordinator, host or time bank giver: its one volunteer is enough."""
    from recoverynet.volunteering.factories import RoleFactory, ShiftFactory, SignUpFactory

    merseyside = small_world.other_network.pk
    givers = [label for label, _ in COVERAGE].index("Members who give back")

    def answer():
        return {row["network"].pk: row["cells"] for row in compute(quarters_ending(Q3, 1)).coverage()}[merseyside]

    assert answer()[givers]["answer"] == "No"
    yesterday = NOW - datetime.timedelta(days=1)
    role = RoleFactory(network=small_world.other_network, settlement=small_world.other_settlement)
    SignUpFactory(
        shift=ShiftFactory(role=role, starts_at=yesterday),
        user=small_world.other_membership.user,
        status="confirmed",
        attended=True,
        minutes=90,
        hours_confirmed_at=yesterday,
    )
    assert answer()[givers] == {"label": "Members who give back", "answer": "Yes", "covered": True}


def test_coverage_says_not_yet_measured_when_no_app_records_it(small_world, monkeypatch):
    from recoverynet.outcomes import figures as figures_module

    everything = figures_module.registered()
    without = {key: i for key, i in everything.items() if not key.startswith("recoverycapital.")}
    monkeypatch.setattr(figures_module, "registered", lambda: without)
    coverage = {row["network"].pk: row["cells"] for row in compute(quarters_ending(Q3, 4)).coverage()}
    # Never "No" for a figure nobody records.
    assert coverage[small_world.own_network.pk][3]["answer"] == NOT_YET_MEASURED


def test_page_query_counts_do_not_grow_with_networks(small_world, login):
    client = login("federation_coordinator")
    pages = [
        "/manage/outcomes/?quarter=2026Q3&quarters=8",
        f"/manage/outcomes/networks/{small_world.own_network.slug}/?quarter=2026Q3&settlement=carlisle-hub",
    ]
    for url in pages:
        client.get(url)  # warm the session and content types

        def fetch(url=url):
            response = client.get(url)
            assert response.status_code == 200
            return response

        def add_networks(n):
            NetworkFactory.create_batch(n, federation=small_world.federation)

        assert_constant_queries(fetch, add_networks, few=1, many=6)


def test_query_count_does_not_grow_with_networks(small_world):
    quarters = quarters_ending(Q3, 4)

    def count():
        with CaptureQueriesContext(connection) as queries:
            compute(quarters)
        return len(queries)

    few = count()
    NetworkFactory.create_batch(6, federation=small_world.federation)
    assert count() == few
    # At most one query per indicator per quarter, plus the networks; the three figures merged
    # from every app's declared givers take one query per source, plus one for who agreed.
    from recoverynet.core.registry import giver_sources, indicators

    over_givers = {"federation.people_giving_back", "federation.givers_measured", "federation.givers_share_in_recovery"}
    one_each = len([i for i in indicators() if i.key not in over_givers])
    giving = len(over_givers) * (len(giver_sources()) + 1)
    assert few <= (one_each + giving) * len(quarters) + 1


def test_query_count_does_not_grow_with_assessments_and_periods_share_queries(small_world, login):
    from recoverynet.core.registry import indicators
    from recoverynet.recoverycapital.factories import AssessmentFactory
    from recoverynet.recoverycapital.models import Assessment

    people = [m.user for m in Membership.objects.filter(network=small_world.own_network)]
    start = datetime.datetime(2025, 9, 1, 9, tzinfo=datetime.UTC)

    def add_assessments(n):
        made = Assessment.objects.count()
        for index in range(made, made + n):  # everyone every 45 days: changes in every quarter
            when = start + datetime.timedelta(days=45 * index // len(people))
            AssessmentFactory(
                person=people[index % len(people)],
                network=small_world.own_network,
                started_at=when,
                completed_at=when,
                total_score=20 + index % 30,
            )

    client = login("federation_coordinator")
    assert_constant_queries(lambda: client.get("/manage/outcomes/?quarter=2026Q3&quarters=8"), add_assessments)

    def count(quarters):
        with CaptureQueriesContext(connection) as queries:
            compute(quarters_ending(Q3, quarters))
        return len(queries)

    # Indicators with measure_periods cost the same for 8 quarters as for 4; the others one query a quarter.
    once = [i for i in indicators() if i.measure_periods]
    assert {i.key for i in once} >= {"recoverycapital.recovery_capital_change", "recoverycapital.assessments_completed"}
    assert count(8) - count(4) <= 4 * (len(indicators()) - len(once))


def _numeric_cells(html: str) -> list[str]:
    return [cell.strip() for cell in re.findall(r'govuk-table__cell--numeric">([^<]*)<', html)]


def _spark_labels(html: str) -> list[str]:
    return re.findall(r'aria-label="([^"]*)"', html)


@pytest.mark.parametrize("role", ["federation_coordinator", "network_coordinator"])
def test_no_page_shows_a_count_from_one_to_four(small_world, login, role):
    client = login(role)
    for url in ("/manage/outcomes/", f"/manage/outcomes/networks/{small_world.own_network.slug}/"):
        response = client.get(url + "?quarter=2026Q3&quarters=4")
        if response.status_code == 403:
            continue
        html = response.content.decode()
        cells = _numeric_cells(html)
        assert cells and FEWER_THAN_FIVE in cells
        assert not [c for c in cells if SMALL_NUMBERS.match(c)]
        for label in _spark_labels(html):
            assert not re.search(r": [1-4](;|$)", label), label
        assert "Member" not in html.replace("Members", "")  # no display name of a person


def _csv_values(content: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(content)))
    header = rows[0]
    first, last = header.index("Unit") + 1, header.index("Definition")
    return [value for row in rows[1:] if len(row) > last for value in row[first:last]]


def test_csv_report_download_is_a_post_audited_and_protected(small_world, login):
    client = login("network_coordinator")
    url = f"/manage/outcomes/networks/{small_world.own_network.slug}/report/"
    assert client.get(url).status_code == 200
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
    response = client.post(url, {"format": "csv", "quarter": "2026Q3"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = response.content.decode()
    values = _csv_values(content)
    assert FEWER_THAN_FIVE in values
    assert not [v for v in values if SMALL_NUMBERS.match(v)]
    assert "Illustrative treatment saving" in content and "not yet measured" in content
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.network == small_world.own_network and "2026Q3" in entry.summary


STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", re.S)
TEXT_TOKEN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)


def _pdf_strings(pdf: bytes) -> list[str]:
    found = []
    for dictionary, data in STREAM.findall(pdf):
        if b"ASCII85Decode" in dictionary:
            data = base64.a85decode(data, adobe=True)
        if b"FlateDecode" in dictionary:
            data = zlib.decompressobj().decompress(data)
        found.extend(_unescape(raw).decode("cp1252", "replace") for raw in TEXT_TOKEN.findall(data))
    return found


PDF_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r?\n|.)", re.S)
PDF_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    """A PDF literal string's bytes: octal codes (£ is \\243) and escaped characters as themselves."""

    def one(match):
        code = match.group(1)
        if code[:1] in b"01234567":
            return bytes([int(code, 8) & 0xFF])
        if code in (b"\n", b"\r\n"):
            return b""  # a line continued
        return PDF_ESCAPED.get(code, code)

    return PDF_ESCAPE.sub(one, raw)


def test_pdf_report_is_protected(small_world, login):
    client = login("federation_coordinator")
    url = f"/manage/outcomes/networks/{small_world.own_network.slug}/report/"
    response = client.post(url, {"format": "pdf", "quarter": "2026Q3"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    strings = [s.strip() for s in _pdf_strings(response.content)]
    assert FEWER_THAN_FIVE in strings
    assert not [s for s in strings if SMALL_NUMBERS.match(s)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    quarter=st.text(max_size=12),
    quarters=st.text(max_size=4),
    file_format=st.text(max_size=5),
    settlement=st.text(max_size=20) | st.just("carlisle-hub"),
)
def test_any_filter_or_report_input_is_a_clear_answer(small_world, login, quarter, quarters, file_format, settlement):
    client = login("federation_coordinator")
    response = client.get("/manage/outcomes/", {"quarter": quarter, "quarters": quarters})
    assert response.status_code == 200
    response = client.get(
        f"/manage/outcomes/networks/{small_world.own_network.slug}/",
        {"quarter": quarter, "quarters": quarters, "settlement": settlement},
    )
    assert response.status_code == 200
    url = f"/manage/outcomes/networks/{small_world.own_network.slug}/report/"
    response = client.post(url, {"quarter": quarter, "format": file_format})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert b"There is a problem" in response.content


def test_the_management_command_writes_csv_and_pdf(small_world, tmp_path, capsys):
    call_command("outcomes_report", small_world.own_network.slug, "--format", "csv", "--quarter", "2026Q3")
    out = capsys.readouterr().out
    assert out.startswith("Network,Quarter")
    assert not [v for v in _csv_values(out) if SMALL_NUMBERS.match(v)]
    target = tmp_path / "report.pdf"
    call_command("outcomes_report", small_world.own_network.slug, "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="No network"):
        call_command("outcomes_report", "nowhere")
    with pytest.raises(CommandError, match="2026Q3"):
        call_command("outcomes_report", small_world.own_network.slug, "--quarter", "2026Q9")


def test_savings_assumptions_are_set_by_the_federation_coordinator_and_audited(world, login):
    url = f"/manage/outcomes/networks/{world.own_network.slug}/savings/"
    data = {"people_sustaining_recovery": "40", "cost_per_episode": "3500", "return_per_pound": "2.50", "basis": "x"}
    assert login("network_coordinator").post(url, data).status_code == 403
    assert not SavingsAssumptions.objects.exists()
    client = login("federation_coordinator")
    assert client.post(url, {**data, "cost_per_episode": "-1"}).status_code == 200  # re-rendered with the error
    assert not SavingsAssumptions.objects.exists()
    assert client.post(url, data).status_code == 302
    saved = SavingsAssumptions.objects.get(network=world.own_network)
    # 40 x £3,500 x £2.50 = £350,000, with every assumption printed beside it.
    assert saved.illustrative_saving == Decimal("350000")
    assert "£350,000 = 40 people sustaining recovery × £3,500.00 per treatment episode × £2.50" in saved.explanation()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, network=world.own_network).exists()
    client.post(url, {**data, "people_sustaining_recovery": "50"})
    saved.refresh_from_db()
    assert saved.people_sustaining_recovery == 50
    page = login("network_coordinator").get(f"/manage/outcomes/networks/{world.own_network.slug}/")
    assert "£437,500" in page.content.decode()


def test_edited_assumptions_are_printed_beside_the_saving_in_the_csv_and_pdf(world, login):
    """37 people × £4,125.50 × £2.75 = £419,769.625, so £419,770, each assumption beside it."""
    url = f"/manage/outcomes/networks/{world.own_network.slug}/savings/"
    basis = "Cumbria treatment audit 2025-26"
    data = {"people_sustaining_recovery": "40", "cost_per_episode": "3500", "return_per_pound": "2.50", "basis": "x"}
    client = login("federation_coordinator")
    assert client.post(url, data).status_code == 302
    edited = {"people_sustaining_recovery": "37", "cost_per_episode": "4125.50", "return_per_pound": "2.75"}
    assert client.post(url, {**edited, "basis": basis}).status_code == 302
    sentence = "£419,770 = 37 people sustaining recovery × £4,125.50 per treatment episode × £2.75 saved per £1"
    report = f"/manage/outcomes/networks/{world.own_network.slug}/report/"

    rows = list(csv.reader(io.StringIO(client.post(report, {"format": "csv", "quarter": "2026Q3"}).content.decode())))
    saving = [row for row in rows if row and row[0] == "Illustrative treatment saving"]
    assert len(saving) == 1 and saving[0][1].startswith(sentence)
    assert f"Basis: {basis}" in saving[0][1] and "£350,000" not in saving[0][1]

    pdf = client.post(report, {"format": "pdf", "quarter": "2026Q3"}).content
    text = " ".join(" ".join(_pdf_strings(pdf)).split())  # the paragraph's lines, joined again
    after = text[text.index("Illustrative treatment saving") :]
    assert after.split("Illustrative treatment saving", 1)[1].strip().startswith(sentence)
    assert f"Basis: {basis}" in after and "£350,000" not in text


def test_unset_assumptions_say_so():
    assert "not set" in SavingsAssumptions(network=NetworkFactory()).explanation()
    with pytest.raises(Exception, match="permission|Permission"):
        services.set_savings_assumptions(actor=None, network=NetworkFactory(), data={})


def test_a_settlement_cannot_be_added_up_to_a_hidden_network_figure(world, login, time_machine):
    """Everyone in Cumbria is at Carlisle (8) and Merseyside has 1: the federation's table
    hides Cumbria's 8 to protect Merseyside's 1, so Carlisle's 8, which would equal it, is withheld too."""
    time_machine.move_to(NOW, tick=False)
    Membership.objects.filter(network=world.own_network).update(settlement=world.own_settlement)
    for _ in range(4):
        MembershipFactory(network=world.own_network, settlement=world.own_settlement)
    Membership.objects.update(joined_at=NOW)
    Settlement.objects.update(created_at=NOW)
    figures = compute(quarters_ending(Q3, 4))
    engaged = figures.indicators["federation.people_engaged"]
    assert engaged.rows[world.own_network.pk][-1].display == "withheld"
    assert engaged.rows[world.other_network.pk][-1].display == FEWER_THAN_FIVE
    carlisle = by_settlement(figures, world.own_network, world.own_settlement)
    assert carlisle["federation.people_engaged"][-1].display == "withheld"
    assert "timebank.active_receivers" not in carlisle  # not counted by settlement

    client = login("network_coordinator")
    url = f"/manage/outcomes/networks/{world.own_network.slug}/?quarter=2026Q3&settlement={world.own_settlement.slug}"
    html = client.get(url).content.decode()
    assert "Carlisle Hub" in html and "Not counted by settlement" in html
    assert not [c for c in _numeric_cells(html) if SMALL_NUMBERS.match(c)]


def test_settlement_figures_against_hand_counts(small_world):
    """Cumbria: the member and the host at Carlisle, the professional and the coordinator at none."""
    penrith = SettlementFactory(network=small_world.own_network, name="Penrith")
    for _ in range(6):
        MembershipFactory(network=small_world.own_network, settlement=penrith)
    figures = compute(quarters_ending(Q3, 1))
    engaged = figures.indicators["federation.people_engaged"]
    assert engaged.rows[small_world.own_network.pk][0].display == "10"
    at_penrith = by_settlement(figures, small_world.own_network, penrith)
    at_carlisle = by_settlement(figures, small_world.own_network, small_world.own_settlement)
    assert at_penrith["federation.people_engaged"][0].display == "6"
    assert at_carlisle["federation.people_engaged"][0].display == FEWER_THAN_FIVE  # 2
    assert at_carlisle["federation.coordinators_and_hosts"][0].display == FEWER_THAN_FIVE  # the host
    assert by_settlement(figures, small_world.own_network, SettlementFactory()) == {}


def _groups_at(network, settlement, count):
    from recoverynet.directory.factories import LocationFactory, MeetingFactory

    location = LocationFactory(network=network, settlement=settlement)
    for number in range(count):
        MeetingFactory(network=network, location=location, group_name=f"{location.name} group {number}")


def _volunteers_at(network, settlement, count):
    from recoverynet.volunteering.factories import RoleFactory, ShiftFactory, SignUpFactory

    yesterday = NOW - datetime.timedelta(days=1)
    shift = ShiftFactory(role=RoleFactory(network=network, settlement=settlement), starts_at=yesterday, places=20)
    for _ in range(count):
        person = MembershipFactory(network=network, settlement=settlement).user
        SignUpFactory(
            shift=shift, user=person, status="confirmed", attended=True, minutes=60, hours_confirmed_at=yesterday
        )


def _givers_at(network, settlement, count):
    from recoverynet.timebank import services as timebank
    from recoverynet.timebank.factories import MemberAccountFactory
    from recoverynet.timebank.models import Account

    payer = MemberAccountFactory(network=network)
    for _ in range(count):
        person = MembershipFactory(network=network, settlement=settlement).user
        account = Account.objects.create(network=network, kind=Account.Kind.MEMBER, user=person)
        timebank.transfer(actor=payer.user, source=payer, destination=account, minutes=30)


def _assessments_at(network, settlement, count):
    from recoverynet.recoverycapital.factories import AssessmentFactory

    for _ in range(count):
        person = MembershipFactory(network=network, settlement=settlement).user
        AssessmentFactory(person=person, network=network, completed_at=NOW)


SETTLEMENT_COUNTS = {
    "directory.groups": _groups_at,
    "volunteering.volunteers_active": _volunteers_at,
    "timebank.active_givers": _givers_at,
    "recoverycapital.assessments_completed": _assessments_at,
}


@pytest.mark.parametrize("key", SETTLEMENT_COUNTS)
def test_each_apps_settlement_count_against_hand_counts_and_hidden_totals(world, time_machine, key):
    """By hand: Carlisle 6 and Penrith 5 make Cumbria's 11, beside Merseyside's 7, all shown.
    Then Carlisle alone holds Cumbria's 8 beside Merseyside's 1: the federation's table withholds
    Cumbria's 8 to protect the 1, so Carlisle's 8, which would give it away, is withheld too."""
    time_machine.move_to(NOW, tick=False)
    build = SETTLEMENT_COUNTS[key]
    cumbria, merseyside = world.own_network, world.other_network
    carlisle, bootle = world.own_settlement, world.other_settlement
    penrith = SettlementFactory(network=cumbria, name="Penrith")
    Settlement.objects.update(created_at=NOW)
    with transaction.atomic():
        build(cumbria, carlisle, 6)
        build(cumbria, penrith, 5)
        build(merseyside, bootle, 7)
        figures = compute(quarters_ending(Q3, 1), networks=[cumbria, merseyside])
        assert [figures.indicators[key].rows[n.pk][0].display for n in (cumbria, merseyside)] == ["11", "7"]
        assert by_settlement(figures, cumbria, carlisle)[key][0].display == "6"
        assert by_settlement(figures, cumbria, penrith)[key][0].display == "5"
        assert by_settlement(figures, merseyside, bootle)[key][0].display == "7"
        transaction.set_rollback(True)

    build(cumbria, carlisle, 8)
    build(merseyside, bootle, 1)
    figures = compute(quarters_ending(Q3, 1), networks=[cumbria, merseyside])
    rows = figures.indicators[key].rows
    assert (rows[cumbria.pk][0].display, rows[merseyside.pk][0].display) == ("withheld", FEWER_THAN_FIVE)
    assert by_settlement(figures, cumbria, carlisle)[key][0].display == "withheld"
    assert by_settlement(figures, cumbria, penrith)[key][0].display == "0"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.text(max_size=12) | st.integers(-5, 2_000_000).map(str),
    cost=st.text(max_size=12) | st.decimals(-10, 2_000_000, places=2, allow_nan=False).map(str),
    ratio=st.text(max_size=8),
    basis=st.text(max_size=400),
)
def test_any_savings_input_is_saved_or_refused_clearly(world, login, people, cost, ratio, basis):
    client = login("federation_coordinator")
    url = f"/manage/outcomes/networks/{world.own_network.slug}/savings/"
    before = list(SavingsAssumptions.objects.values_list("people_sustaining_recovery", "cost_per_episode"))
    response = client.post(
        url, {"people_sustaining_recovery": people, "cost_per_episode": cost, "return_per_pound": ratio, "basis": basis}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert b"There is a problem" in response.content
        assert list(SavingsAssumptions.objects.values_list("people_sustaining_recovery", "cost_per_episode")) == before


def test_a_rate_is_shown_only_beside_a_group_of_five_or_more(world, monkeypatch):
    """A made-up count and a rate over it: the rate shows for 6 people, not for 3."""
    from recoverynet.core.registry import Indicator

    own, other = world.own_network.pk, world.other_network.pk
    group = Indicator(
        key="test.group", outcomes=(2,), name="Group", definition="", unit="people", period="quarter",
        source="", measure=lambda networks, period: {own: 3, other: 6},
    )  # fmt: skip
    rate = Indicator(
        key="test.rate", outcomes=(2,), name="Rate", definition="", unit="%", period="quarter", source="",
        measure=lambda networks, period: {own: 66.7, other: 50.0}, count=False, denominator="test.group",
    )  # fmt: skip
    monkeypatch.setattr("recoverynet.outcomes.figures.registered", lambda: {"test.rate": rate, "test.group": group})
    figures = compute([Q3], networks=[world.own_network, world.other_network])
    rates = figures.indicators["test.rate"]
    # 3 is hidden, and so is its complement 6 (the total 9 would give it away): both rates go.
    assert figures.indicators["test.group"].rows[own][0].display == FEWER_THAN_FIVE
    assert rates.rows[own][0].public_value is None and rates.rows[other][0].public_value is None
    assert rates.totals is None
    group_big = Indicator(**{**group.__dict__, "measure": lambda networks, period: {own: 5, other: 6}})
    monkeypatch.setattr("recoverynet.outcomes.figures.registered", lambda: {"test.rate": rate, "test.group": group_big})
    figures = compute([Q3], networks=[world.own_network, world.other_network])
    assert figures.indicators["test.rate"].rows[own][0].display == "66.7"


def _volunteers_gave(network, count, minutes):
    from recoverynet.volunteering.factories import RoleFactory, ShiftFactory, SignUpFactory

    yesterday = NOW - datetime.timedelta(days=1)
    shift = ShiftFactory(role=RoleFactory(network=network), starts_at=yesterday, places=20)
    for _ in range(count):
        SignUpFactory(
            shift=shift,
            user=MembershipFactory(network=network).user,
            status="confirmed",
            attended=True,
            minutes=minutes,
            hours_confirmed_at=yesterday,
        )


def test_hours_two_volunteers_gave_are_shown_nowhere(small_world, login, api_as):
    """Two volunteers in Cumbria gave 613 minutes each (20.43 hours): the hours would say what
    each gave, so no page, CSV, PDF or API response shows them, nor the federation's total they
    make up. With five volunteers (51.08 hours) they are shown."""
    _volunteers_gave(small_world.own_network, 2, 613)
    slug = small_world.own_network.slug
    figures = compute(quarters_ending(Q3, 4))
    hours = figures.indicators["volunteering.hours_volunteered"]
    cumbria = hours.rows[small_world.own_network.pk][-1]
    assert cumbria.value == 20.43 and not cumbria.shown
    assert not hours.totals[-1].shown
    assert hours.rows[small_world.other_network.pk][-1].display == "0"  # nobody volunteered there

    secret = {"20.4", "20.43"}
    client = login("network_coordinator")
    for url in (
        "/manage/outcomes/?quarter=2026Q3",
        f"/manage/outcomes/networks/{slug}/?quarter=2026Q3",
        f"/manage/outcomes/networks/{slug}/?quarter=2026Q3&settlement={small_world.own_settlement.slug}",
    ):
        response = login("federation_coordinator").get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Hours volunteered" in html
        assert not secret & set(_numeric_cells(html)), url
        assert not [label for label in _spark_labels(html) if re.search(r": 20\.4", label)]
    report = f"/manage/outcomes/networks/{slug}/report/"
    content = client.post(report, {"format": "csv", "quarter": "2026Q3"}).content.decode()
    row = next(r for r in csv.reader(io.StringIO(content)) if len(r) > 3 and r[3] == "volunteering.hours_volunteered")
    assert not secret & set(row) and "not shown (group under 5)" in row
    strings = {s.strip() for s in _pdf_strings(client.post(report, {"format": "pdf", "quarter": "2026Q3"}).content)}
    assert not secret & strings and "Hours volunteered" in " ".join(strings)
    data = api_as("network_coordinator").get(f"/api/v1/outcomes/{slug}/?quarter=2026Q3").json()
    found = next(i for i in data["indicators"] if i["key"] == "volunteering.hours_volunteered")
    assert [v["value"] for v in found["values"]] == [0, 0, 0, None]
    assert found["values"][-1]["status"] == "withheld" and found["federation"][-1]["value"] is None

    _volunteers_gave(small_world.own_network, 3, 613)  # five volunteers: 3065 minutes
    data = api_as("network_coordinator").get(f"/api/v1/outcomes/{slug}/?quarter=2026Q3").json()
    found = next(i for i in data["indicators"] if i["key"] == "volunteering.hours_volunteered")
    assert found["values"][-1]["value"] == 51.08 and found["federation"][-1]["value"] == 51.08


def test_time_bank_hours_of_two_givers_are_not_shown(small_world):
    """Two members given half an hour each: the hour exchanged rests on 2 givers, so it is hidden."""
    _givers_at(small_world.own_network, small_world.own_settlement, 2)
    figures = compute(quarters_ending(Q3, 1))
    givers = figures.indicators["timebank.active_givers"].rows[small_world.own_network.pk][0]
    hours = figures.indicators["timebank.hours_exchanged"]
    assert givers.display == FEWER_THAN_FIVE
    assert hours.rows[small_world.own_network.pk][0].value == 1.0
    assert hours.rows[small_world.own_network.pk][0].public_value is None and hours.totals[0].public_value is None


def test_hours_whose_people_are_not_measured_are_not_shown(world, monkeypatch):
    """Hours over a group no installed app measures: nothing to set them beside, so none is shown."""
    from recoverynet.core.registry import Indicator

    own, other = world.own_network.pk, world.other_network.pk
    hours = Indicator(
        key="test.hours", outcomes=(2,), name="Hours", definition="", unit="hours", period="quarter", source="",
        measure=lambda networks, period: {own: 12.5, other: 80.0}, count=False, denominator="test.missing",
    )  # fmt: skip
    monkeypatch.setattr("recoverynet.outcomes.figures.registered", lambda: {"test.hours": hours})
    found = compute([Q3], networks=[world.own_network, world.other_network]).indicators["test.hours"]
    assert [found.rows[pk][0].public_value for pk in (own, other)] == [None, None]
    assert found.totals[0].public_value is None and found.totals[0].value == 92.5
