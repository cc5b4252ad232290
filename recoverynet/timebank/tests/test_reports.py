"""The coordinators' report, against figures computed by hand, with suppression below 5."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse

from recoverynet.core.models import AuditEntry
from recoverynet.core.registry import Period
from recoverynet.timebank import indicators, reports, services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Category

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def fixture(world, time_machine):
    """Six members A–F and Eden Recovery's account, in own_network.

    October 2026: A helps B for 30 min (gardening).
    November 2026: A helps B 60 (gardening), B helps C 30 (co-production), C helps A 90
    (co-production), D helps E 60 (no category), E helps F 120 (gardening),
    Eden Recovery credits A and B 2 h each for a service design day (co-production);
    D helps F 45 (co-production), reversed.

    By hand, November: hours credited 60+30+90+60+120+120+120 min = 10 h; active A–F = 6;
    gave help (credited) A, B, C, D, E = 5; received help (debited) B, C, A, E, F = 5;
    both A, B, C, E = 4 of 6 = 66.7 %. October: 0.5 h, 2 active (fewer than 5, no rate).
    The 12 months: 10.5 h; 6 active; 5 gave; 5 received; 66.7 %; at £12.71 an hour £133.455 → £133.46.
    By category, November: gardening 60+120 = 3 h; co-production 30+90+240 = 6 h (the reversed 45
    counts for nothing); no category 1 h. October: gardening 0.5 h. Co-production hours: 6."""
    coordinator = world.users["network_coordinator"]
    network = world.own_network
    people = {name: MemberAccountFactory(network=network, user__display_name=name) for name in "ABCDEF"}
    services.ensure_default_categories()
    garden, coproduction = Category.objects.get(slug="gardening"), Category.objects.get(slug="co-production")
    eden = services.open_holder_account(actor=coordinator, network=network, organisation=world.own_organisation)

    def helps(giver, receiver, minutes, category=None):
        exchange = services.record_exchange(
            actor=people[giver].user,
            giver=people[giver],
            receiver=people[receiver],
            minutes=minutes,
            description="x",
            category=category,
        )
        return services.confirm_exchange(actor=people[receiver].user, exchange=exchange)

    time_machine.move_to(datetime.datetime(2026, 10, 15, 12, tzinfo=LONDON), tick=False)
    helps("A", "B", 30, garden)
    time_machine.move_to(datetime.datetime(2026, 11, 10, 12, tzinfo=LONDON), tick=False)
    for giver, receiver, minutes, category in (
        ("A", "B", 60, garden),
        ("B", "C", 30, coproduction),
        ("C", "A", 90, coproduction),
        ("D", "E", 60, None),
        ("E", "F", 120, garden),
    ):
        helps(giver, receiver, minutes, category)
    services.record_group_activity(
        actor=coordinator,
        payer=eden,
        credits=[(people["A"], 120), (people["B"], 120)],
        description="Service design day",
        category=coproduction,
    )
    wrong = helps("D", "F", 45, coproduction)
    services.reverse_transaction(actor=coordinator, original=wrong.transaction, reason="Recorded twice")
    time_machine.move_to(datetime.datetime(2026, 11, 20, 12, tzinfo=LONDON), tick=False)
    return people


def test_the_report_matches_the_figures_computed_by_hand(world, fixture, settings):
    settings.TIMEBANK_SOCIAL_VALUE_HOURLY_RATE_GBP = "12.71"
    report = reports.network_report(world.own_network, datetime.date(2026, 11, 20))
    november, october = report["months"][0], report["months"][1]
    assert november.label == "November 2026" and report["months"][-1].label == "December 2025"
    assert (november.hours, november.active, november.givers, november.receivers) == (10.0, 6, 5, 5)
    assert november.reciprocity == 66.7
    assert november.shown == {"active": "6", "givers": "5", "receivers": "5", "reciprocity": "66.7%"}
    assert (october.hours, october.active) == (0.5, 2)
    assert october.shown == {
        "active": "fewer than 5",
        "givers": "fewer than 5",
        "receivers": "fewer than 5",
        "reciprocity": "not shown",
    }
    total = report["total"]
    assert (total.hours, total.active, total.givers, total.receivers, total.reciprocity) == (10.5, 6, 5, 5, 66.7)
    assert str(report["social_value"]) == "133.46"
    categories = report["categories"]
    assert categories["columns"] == ["Co-production with services", "Gardening", "No category"]
    assert categories["rows"][0] == ("November 2026", [6.0, 3.0, 1.0])
    assert categories["rows"][1] == ("October 2026", [0, 0.5, 0])
    assert all(hours == [0, 0, 0] for _, hours in categories["rows"][2:])
    assert categories["totals"] == [6.0, 3.5, 1.0]
    assert report["coproduction_hours"] == 6.0


def test_the_page_prints_the_assumption_and_suppresses(world, fixture, client_for, settings):
    settings.TIMEBANK_SOCIAL_VALUE_HOURLY_RATE_GBP = "10.00"
    client = client_for(world.users["network_coordinator"])
    html = client.get(reverse("timebank:manage_report", kwargs={"slug": world.own_network.slug})).content.decode()
    assert "£105.00" in html and "each hour is worth £10.00" in html
    assert "fewer than 5" in html and "66.7%" in html
    assert "Hours by month and category" in html and "Co-production hours" in html
    assert "Co-production with services" in html
    for name in "ABCDEF":
        assert f">{name}<" not in html  # figures, never people


def test_the_csv_is_a_post_that_audits_and_a_get_writes_nothing(world, fixture, client_for):
    client = client_for(world.users["network_coordinator"])
    url = reverse("timebank:manage_report_csv", kwargs={"slug": world.own_network.slug})
    before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
    page = client.get(url)
    assert page.status_code == 200 and "Download" in page.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == before
    response = client.post(url)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Month", "Hours credited", "Active members"]
    assert rows[1] == ["November 2026", "10.0", "6", "5", "5", "66.7%"]
    assert rows[2] == ["October 2026", "0.5", "fewer than 5", "fewer than 5", "fewer than 5", "not shown"]
    at = rows.index(["Hours by month and category", "Co-production with services", "Gardening", "No category"])
    assert rows[at + 1] == ["November 2026", "6.0", "3.0", "1.0"]
    assert ["All 12 months", "6.0", "3.5", "1.0"] in rows
    assert rows[-2][:2] == ["Co-production hours", "6.0"]
    assert rows[-1][0] == "Social value estimate (GBP)" and "TIMEBANK_SOCIAL_VALUE_HOURLY_RATE_GBP" in rows[-1][2]
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.actor == world.users["network_coordinator"] and entry.network == world.own_network


def test_small_counts_are_always_suppressed():
    assert [reports.shown_count(n) for n in (0, 1, 4, 5, 1234)] == [
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "5",
        "1,234",
    ]


def test_the_coproduction_indicator_is_one_query_and_matches_by_hand(world, fixture, django_assert_num_queries):
    networks = [world.own_network, world.other_network]
    november = Period(datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))
    october = Period(datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
    with django_assert_num_queries(1):
        figures = indicators.coproduction_hours(networks, november)
    assert figures == {world.own_network.pk: 6.0, world.other_network.pk: 0}
    assert indicators.coproduction_hours(networks, october)[world.own_network.pk] == 0


def test_the_coproduction_indicator_is_registered_for_outcome_3():
    from recoverynet.core.registry import indicators as registered

    found = {indicator.key: indicator for indicator in registered()}["timebank.coproduction_hours"]
    assert found.outcomes == (3,) and found.unit == "hours" and found.count is False
