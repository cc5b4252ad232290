"""Commendations: the recovery-word check, the member's approval on their volunteering page,
and the reference choosing commendations one by one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.directory.tests.test_schedule_pdf import pdf_text
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
from recoverynet.volunteering.models import Commendation
from recoverynet.volunteering.selectors import volunteering_record

FLAGGED = [
    "recover",
    "She recovers quickly",
    "recovered",
    "recovering",
    "her recovery",
    "an addict",
    "addicts",
    "addicted",
    "addiction",
    "alcoholic",
    "alcoholics",
    "met at Alcoholics Anonymous",
    "Narcotics Anonymous",
    "cocaine anonymous",
    "Gamblers Anonymous",
    "goes to AA",
    "NA on Tuesdays",
    "relapse",
    "relapses",
    "relapsed",
    "relapsing",
    "substance",
    "substances",
    "never drunk",
    "sober",
    "sobriety",
    "rehab",
    "detox",
    "methadone",
    "heroin",
    "cocaine",
    "crack",
    "gambling",
    "two years clean time",
    "clean  time",
    "12-step",
    "12 steps",
    "twelve steps",
    "the Twelve-Step way",
    "RECOVERY",
]
PLAIN = [
    "Reliable and kind.",
    "na",  # not the fellowship: only capitalised whole words
    "Aa, what a day",
    "banana",
    "NATO",
    "AAA batteries",
    "cracking job",
    "cleaned the kitchen in no time",
    "substantial help",
    "sobering news",  # "sober" only as a whole word
    "",
]


@pytest.mark.parametrize("text", FLAGGED)
def test_the_check_finds_words_about_recovery(text):
    assert services.mentions_recovery(text), text


@pytest.mark.parametrize("text", PLAIN)
def test_the_check_leaves_plain_words_alone(text):
    assert services.mentions_recovery(text) == [], text


def test_the_check_names_the_whole_phrase():
    assert services.mentions_recovery("Chairs Alcoholics Anonymous, two years sober.") == [
        "Alcoholics Anonymous",
        "sober",
    ]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=3000))
def test_the_check_never_raises(text):
    found = services.mentions_recovery(text)
    assert isinstance(found, list) and all(word in text for word in found)


def _attended(world, role, days_ago=2):
    host, member = world.users["network_coordinator"], world.users["member"]
    start = timezone.now() - datetime.timedelta(days=days_ago)
    shift = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    signup = services.record_walk_in(actor=host, shift=shift, user=member)
    services.record_hours(actor=host, shift=shift, entries={signup.pk: (True, 90)})
    services.confirm_hours(actor=member, signup=signup)


@pytest.mark.django_db
def test_the_member_approves_a_flagged_commendation_before_anyone_sees_it(world, client_for):
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement, title="Café host")
    _attended(world, role)
    coordinator = client_for(world.users["network_coordinator"])
    commend = reverse("volunteering:manage:commend", kwargs={"slug": role.slug})
    response = coordinator.post(
        commend, {"person": world.own_membership.pk, "text": "Calm and steady, a credit to her recovery."}, follow=True
    )
    assert "nobody sees your commendation until Member approves it" in response.content.decode()
    flagged = Commendation.objects.get()
    assert flagged.awaits_member
    # Not in the record, nor offered for the reference, nor in a reference.
    member = client_for(world.users["member"])
    assert volunteering_record(world.users["member"])[0]["commendations"] == []
    reference = reverse("volunteering:reference")
    assert "credit to her recovery" not in member.get(reference).content.decode()
    pdf = member.post(reference, {"file_format": "pdf", "roles": [role.pk], "commendations": [flagged.pk]})
    assert "recovery" not in " ".join(pdf_text(pdf.content).split())  # asking for it by number changes nothing
    # The member's page leads to it; only they may open it.
    mine = member.get(reverse("volunteering:mine")).content.decode()
    review = reverse("volunteering:commendation_review", kwargs={"pk": flagged.pk})
    assert review in mine and "Commendations waiting for you" in mine
    assert "1 commendation to read" in member.get(reverse("accounts:profile")).content.decode()
    assert coordinator.get(review).status_code == 404
    page = member.get(review).content.decode()
    assert "credit to her recovery" in page and "It mentions your recovery (recovery)" in page
    assert member.post(review, {"action": "approve"}).status_code == 302
    flagged.refresh_from_db()
    assert flagged.member_agreed_at is not None
    assert member.get(review).status_code == 404  # decided: no longer waiting
    assert review not in member.get(reverse("volunteering:mine")).content.decode()
    pdf = member.post(reference, {"file_format": "pdf", "roles": [role.pk], "commendations": [flagged.pk]})
    assert "credit to her recovery" in " ".join(pdf_text(pdf.content).split())


@pytest.mark.django_db
def test_the_member_removes_a_flagged_commendation(world, client_for):
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement)
    _attended(world, role)
    flagged = services.write_commendation(
        actor=world.users["network_coordinator"], role=role, user=world.users["member"], text="Two years sober."
    )
    member = client_for(world.users["member"])
    review = reverse("volunteering:commendation_review", kwargs={"pk": flagged.pk})
    assert member.post(review, {"action": "something else"}).status_code == 302
    assert Commendation.objects.filter(pk=flagged.pk, member_agreed_at__isnull=True).exists()
    member.post(review, {"action": "remove"})
    assert not Commendation.objects.exists()


@pytest.mark.django_db
def test_the_reference_picks_commendations_one_by_one(world, client_for):
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement, title="Café host")
    _attended(world, role)
    host = world.users["network_coordinator"]
    keep = services.write_commendation(actor=host, role=role, user=world.users["member"], text="Always on time.")
    services.write_commendation(actor=host, role=role, user=world.users["member"], text="Makes great scones.")
    member = client_for(world.users["member"])
    url = reverse("volunteering:reference")
    page = member.get(url).content.decode()
    assert "Always on time." in page and "Makes great scones." in page
    pdf = member.post(url, {"file_format": "pdf", "roles": [role.pk], "commendations": [keep.pk]})
    text = " ".join(pdf_text(pdf.content).split())
    assert "Always on time." in text and "scones" not in text
    none = member.post(url, {"file_format": "csv", "roles": [role.pk], "include_hours": "on"})
    assert "Always on time" not in none.content.decode() and "scones" not in none.content.decode()


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(action=st.one_of(st.text(max_size=10), st.sampled_from(["approve", "remove"])))
def test_any_answer_to_a_waiting_commendation(world, client_for, action):
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement)
    commendation = Commendation.objects.create(
        user=world.users["member"], role=role, text="In recovery.", mentions_recovery=True
    )
    member = client_for(world.users["member"])
    url = reverse("volunteering:commendation_review", kwargs={"pk": commendation.pk})
    response = member.post(url, {"action": action})
    assert response.status_code == 302
    after = Commendation.objects.filter(pk=commendation.pk).first()
    if action == "approve":
        assert after.member_agreed_at is not None
    elif action == "remove":
        assert after is None
    else:
        assert after.awaits_member  # nothing written
