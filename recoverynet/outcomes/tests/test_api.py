"""/api/v1/outcomes/<slug>/: the same suppressed figures as the dashboard, as JSON."""

import datetime
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.suppression import FEWER_THAN_FIVE
from recoverynet.federation.factories import MembershipFactory
from recoverynet.federation.models import Membership

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 8, 15, 12, tzinfo=datetime.UTC)


def _numbers(data):
    """Every number anywhere in the response."""
    if isinstance(data, dict):
        return [n for value in data.values() for n in _numbers(value)]
    if isinstance(data, list):
        return [n for value in data for n in _numbers(value)]
    return [data] if isinstance(data, int | float) and not isinstance(data, bool) else []


def test_the_api_publishes_no_count_from_one_to_four(world, api_as, time_machine):
    time_machine.move_to(NOW, tick=False)
    Membership.objects.update(joined_at=NOW)
    for _ in range(7):
        MembershipFactory(network=world.other_network)
    response = api_as("network_coordinator").get(f"/api/v1/outcomes/{world.own_network.slug}/?quarter=2026Q3")
    assert response.status_code == 200
    data = response.json()
    assert data["quarters"] == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    engaged = next(i for i in data["indicators"] if i["key"] == "federation.people_engaged")
    assert engaged["values"][-1] == {"quarter": "2026Q3", "value": None, "display": FEWER_THAN_FIVE, "status": "small"}
    assert engaged["federation"][-1]["value"] == 12
    counts = [
        value["value"]
        for indicator in data["indicators"]
        for value in indicator["values"] + (indicator["federation"] or [])
        if indicator["unit"] != "%" and "per" not in indicator["unit"]
    ]
    assert not [n for n in counts if n is not None and 1 <= n <= 4]
    assert "federation.givers_share_in_recovery" in {i["key"] for i in data["indicators"]}
    assert "federation.givers_share_in_recovery" not in {m["key"] for m in data["not_yet_measured"]}
    assert "Member" not in json.dumps(data).replace("Members", "")


def test_the_api_publishes_no_hours_given_by_fewer_than_five(world, api_as, time_machine):
    """Two volunteers gave 613 minutes each in Cumbria: the 20.43 hours are not published, for the
    network or in the federation's total (all the hours there are); sums and counts alike."""
    from recoverynet.volunteering.factories import RoleFactory, ShiftFactory, SignUpFactory

    time_machine.move_to(NOW, tick=False)
    yesterday = NOW - datetime.timedelta(days=1)
    shift = ShiftFactory(role=RoleFactory(network=world.own_network), starts_at=yesterday, places=5)
    for _ in range(2):
        person = MembershipFactory(network=world.own_network).user
        SignUpFactory(
            shift=shift, user=person, status="confirmed", attended=True, minutes=613, hours_confirmed_at=yesterday
        )
    data = api_as("federation_coordinator").get(f"/api/v1/outcomes/{world.own_network.slug}/?quarter=2026Q3").json()
    hours = {i["key"]: i for i in data["indicators"] if i["unit"] == "hours"}
    assert set(hours) >= {"volunteering.hours_volunteered", "timebank.hours_exchanged", "timebank.coproduction_hours"}
    volunteered = hours["volunteering.hours_volunteered"]
    assert volunteered["values"][-1] == {
        "quarter": "2026Q3", "value": None, "display": "not shown (group under 5)", "status": "withheld"
    }  # fmt: skip
    assert volunteered["federation"][-1]["value"] is None
    assert 20.43 not in _numbers(data) and "20.4" not in json.dumps(data)


def test_another_networks_figures_are_forbidden(world, api_as):
    assert api_as("network_coordinator").get(f"/api/v1/outcomes/{world.other_network.slug}/").status_code == 403
    assert api_as("member").get(f"/api/v1/outcomes/{world.own_network.slug}/").status_code == 403
    assert api_as("anonymous").get(f"/api/v1/outcomes/{world.own_network.slug}/").status_code == 403
    assert api_as("federation_coordinator").get("/api/v1/outcomes/no-such-network/").status_code == 404
    for bad in ("1066Q1", "2026Q5", "next"):
        response = api_as("federation_coordinator").get(f"/api/v1/outcomes/{world.own_network.slug}/?quarter={bad}")
        assert response.status_code == 400 and "2026Q3" in response.json()["quarter"][0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quarter=st.text(max_size=10), quarters=st.text(max_size=4))
def test_any_query_string_is_a_clear_answer(world, api_as, quarter, quarters):
    response = api_as("federation_coordinator").get(
        f"/api/v1/outcomes/{world.own_network.slug}/", {"quarter": quarter, "quarters": quarters}
    )
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert set(response.json()) <= {"quarter", "quarters"}
