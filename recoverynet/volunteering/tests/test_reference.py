"""The member's record and reference: only confirmed hours, only what they chose."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.directory.tests.test_schedule_pdf import pdf_text  # ReportLab text, read without pypdf
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
from recoverynet.volunteering.models import Commendation
from recoverynet.volunteering.selectors import volunteering_record

pytestmark = pytest.mark.django_db


def _volunteered(world, role, minutes, *, confirm=True, days_ago=2):
    host = world.users["network_coordinator"]
    member = world.users["member"]
    start = timezone.now() - datetime.timedelta(days=days_ago)
    shift = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    signup = services.record_walk_in(actor=host, shift=shift, user=member)
    services.record_hours(actor=host, shift=shift, entries={signup.pk: (True, minutes)})
    if confirm:
        services.confirm_hours(actor=member, signup=signup)
    return signup


@pytest.fixture
def record(world):
    cafe = RoleFactory(network=world.own_network, title="Café host", involves="Making tea & welcoming <people>")
    garden = RoleFactory(network=world.own_network, title="Gardener")
    _volunteered(world, cafe, 120)
    _volunteered(world, cafe, 60, days_ago=9)
    _volunteered(world, garden, 90, days_ago=4)
    _volunteered(world, garden, 30, confirm=False, days_ago=6)  # not confirmed: not in the record
    host = world.users["network_coordinator"]
    member = world.users["member"]
    services.write_commendation(actor=host, role=cafe, user=member, text="Warm & reliable, <b>always</b> on time.")
    services.write_commendation(actor=host, role=garden, user=member, text="Knows her onions.")
    return {"cafe": cafe, "garden": garden}


def test_the_record_counts_only_confirmed_hours_in_three_queries(world, record, django_assert_num_queries):
    with django_assert_num_queries(3):
        rows = volunteering_record(world.users["member"])
    assert [(r["role"].title, r["shifts"], r["minutes"], len(r["commendations"])) for r in rows] == [
        ("Café host", 2, 180, 1),
        ("Gardener", 1, 90, 1),
    ]


def test_the_pdf_holds_what_the_member_chose(world, client_for, record):
    client = client_for(world.users["member"])
    url = reverse("volunteering:reference")
    page = client.get(url).content.decode()
    assert "Café host" in page and "Gardener" in page
    response = client.post(url, {"file_format": "pdf", "roles": [record["cafe"].pk], "include_hours": "on"})
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Volunteering reference: Member" in text and "Café host" in text and "2 shifts, 3 h in all" in text
    assert "Making tea & welcoming <people>" in text
    assert "Gardener" not in text and "reliable" not in text  # commendations left out, as chosen
    cafe_words = record["cafe"].commendations.get().pk
    with_words = client.post(url, {"file_format": "pdf", "roles": [record["cafe"].pk], "commendations": [cafe_words]})
    text = " ".join(pdf_text(with_words.content).split())
    assert "Warm & reliable, <b>always</b> on time." in text and "in all" not in text


def test_the_csv_reference(world, client_for, record):
    client = client_for(world.users["member"])
    response = client.post(
        reverse("volunteering:reference"),
        {
            "file_format": "csv",
            "roles": [record["garden"].pk],
            "include_hours": "on",
            "commendations": [c.pk for c in Commendation.objects.all()],
        },
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:5] == ["Gardener", rows[1][1], "Cumbria", "1", "1.5"] and rows[1][-1] == "Knows her onions."
    assert len(rows) == 2


def test_choosing_nothing_is_an_error(world, client_for, record):
    response = client_for(world.users["member"]).post(reverse("volunteering:reference"), {"file_format": "pdf"})
    assert response.status_code == 200 and "Choose at least one role" in response.content.decode()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    file_format=st.text(max_size=6),
    roles=st.lists(st.one_of(st.text(max_size=6), st.integers(-5, 10**12).map(str)), max_size=3),
    include_hours=st.text(max_size=4),
    commendations=st.lists(st.one_of(st.text(max_size=6), st.integers(-5, 10**12).map(str)), max_size=3),
)
def test_any_reference_choice(reference_client, file_format, roles, include_hours, commendations):
    response = reference_client.post(
        reverse("volunteering:reference"),
        {
            "file_format": file_format,
            "roles": roles,
            "include_hours": include_hours,
            "commendations": commendations,
        },
    )
    assert response.status_code == 200


@pytest.fixture
def reference_client(world, client_for, record):
    return client_for(world.users["member"])
