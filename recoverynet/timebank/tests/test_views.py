"""The member's time bank pages: join, record time given, confirm it, read the statement."""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.testing import assert_constant_queries
from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Account, Exchange, Transaction

pytestmark = pytest.mark.django_db


def test_join_record_confirm_and_read_the_statement(world, client_for):
    member = world.users["member"]
    client = client_for(member)
    home = client.get(reverse("timebank:home")).content.decode()
    join_url = reverse("timebank:join", kwargs={"slug": world.own_network.slug})
    assert f'href="{join_url}"' in home
    assert "can choose you, by your display name" in client.get(join_url).content.decode()
    assert client.post(join_url, {"consent": "on"}).status_code == 302
    mine = Account.objects.get(user=member, network=world.own_network)

    friend = MemberAccountFactory(network=world.own_network, user__display_name="Alex R.")
    response = client.post(
        reverse("timebank:exchange_new", kwargs={"pk": mine.pk}),
        {"receiver": friend.pk, "hours": "1", "minutes": "30", "description": "Lift to a meeting"},
    )
    assert response.status_code == 302
    exchange = Exchange.objects.get()
    assert exchange.minutes == 90 and not Transaction.objects.exists()

    friend_client = client_for(friend.user)
    page = friend_client.get(reverse("timebank:home")).content.decode()
    decide = reverse("timebank:exchange_decide", kwargs={"pk": exchange.pk})
    assert f'href="{decide}"' in page and "1 h 30 min from Member" in page
    assert friend_client.post(decide, {"action": "confirm"}).status_code == 302
    assert (mine.balance(), friend.balance()) == (90, -90)

    statement = client.get(reverse("timebank:statement", kwargs={"pk": mine.pk})).content.decode()
    assert "Balance: <strong>1 h 30 min</strong>" in statement and "Lift to a meeting" in statement
    download = client.get(reverse("timebank:statement_csv", kwargs={"pk": mine.pk}))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][0] == "Date" and rows[1][3:] == ["90", "90"]


def test_a_form_error_re_renders_and_writes_nothing(world, client_for):
    member = world.users["member"]
    mine = services.open_member_account(actor=member, user=member, network=world.own_network)
    response = client_for(member).post(
        reverse("timebank:exchange_new", kwargs={"pk": mine.pk}), {"receiver": "", "hours": "0", "minutes": "0"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    for message in ("Choose who you gave time to", "Enter how long you gave", "Say what the time was for"):
        assert message in html
    assert not Exchange.objects.exists()


def test_a_dispute_needs_a_reason_and_moves_nothing(world, client_for):
    member = world.users["member"]
    mine = services.open_member_account(actor=member, user=member, network=world.own_network)
    giver = MemberAccountFactory(network=world.own_network)
    exchange = services.record_exchange(actor=giver.user, giver=giver, receiver=mine, minutes=20, description="DIY")
    url = reverse("timebank:exchange_decide", kwargs={"pk": exchange.pk})
    client = client_for(member)
    assert "Say what is wrong" in client.post(url, {"action": "dispute", "reason": ""}).content.decode()
    assert client.post(url, {"action": "dispute", "reason": "It was 10 minutes"}).status_code == 302
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.DISPUTED and not Transaction.objects.exists()
    again = client.post(url, {"action": "confirm"}, follow=True)
    assert "already been decided" in again.content.decode()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    receiver=st.one_of(st.text(max_size=12), st.integers(-5, 10**12).map(str)),
    hours=st.one_of(st.text(max_size=8), st.integers(-(10**6), 10**6).map(str)),
    minutes=st.one_of(st.text(max_size=8), st.integers(-(10**6), 10**6).map(str)),
    description=st.text(max_size=260),
    idempotency_key=st.text(max_size=100),
)
def test_any_values_in_the_exchange_form_never_500(
    world_for_hypothesis, receiver, hours, minutes, description, idempotency_key
):
    client, mine, friend = world_for_hypothesis
    before = Exchange.objects.count()
    response = client.post(
        reverse("timebank:exchange_new", kwargs={"pk": mine.pk}),
        {
            "receiver": receiver,
            "hours": hours,
            "minutes": minutes,
            "description": description,
            "idempotency_key": idempotency_key,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Exchange.objects.count() == before  # refused: nothing written


@pytest.fixture
def world_for_hypothesis(world, client_for):
    member = world.users["member"]
    mine = services.open_member_account(actor=member, user=member, network=world.own_network)
    return client_for(member), mine, MemberAccountFactory(network=world.own_network)


def test_home_and_statement_run_a_constant_number_of_queries(world, client_for):
    member = world.users["member"]
    mine = services.open_member_account(actor=member, user=member, network=world.own_network)
    client = client_for(member)
    client.get(reverse("timebank:home"))

    def add_rows(n):
        for _ in range(n):
            giver = MemberAccountFactory(network=world.own_network)
            services.record_exchange(actor=giver.user, giver=giver, receiver=mine, minutes=5, description="Tea")
            services.transfer(actor=member, source=mine, destination=giver, minutes=1)

    def fetch():
        client.get(reverse("timebank:home"))
        return client.get(reverse("timebank:statement", kwargs={"pk": mine.pk}))

    response = assert_constant_queries(fetch, add_rows)
    assert len(response.context["page_obj"].object_list) == 30


def test_the_profile_links_the_time_bank_with_what_waits(world, client_for):
    member = world.users["member"]
    client = client_for(member)
    assert "join your network's time bank" in client.get(reverse("accounts:profile")).content.decode()
    mine = services.open_member_account(actor=member, user=member, network=world.own_network)
    giver = MemberAccountFactory(network=world.own_network)
    services.record_exchange(actor=giver.user, giver=giver, receiver=mine, minutes=5, description="Tea")
    assert "1 to confirm" in client.get(reverse("accounts:profile")).content.decode()


def test_the_same_exchange_form_sent_twice_records_one(world, client_for):
    member = world.users["member"]
    mine = services.open_member_account(actor=member, user=member, network=world.own_network)
    friend = MemberAccountFactory(network=world.own_network)
    client = client_for(member)
    url = reverse("timebank:exchange_new", kwargs={"pk": mine.pk})
    key = client.get(url).context["form"].initial["idempotency_key"]
    data = {"receiver": friend.pk, "hours": "1", "minutes": "", "description": "Tea", "idempotency_key": key}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Exchange.objects.count() == 1
    changed = client.post(url, data | {"hours": "2"})
    assert changed.status_code == 200 and "already sent with other details" in changed.content.decode()
    assert Exchange.objects.count() == 1


def test_the_home_page_leads_to_the_time_bank(world, client, client_for):
    offers, mine = reverse("timebank:post_list"), reverse("timebank:home")
    html = client_for(world.users["member"]).get(reverse("federation:home")).content.decode()
    assert f'href="{offers}">Offers and requests</a>' in html and f'href="{mine}">Your time bank</a>' in html
    html = client.get(reverse("federation:home")).content.decode()
    assert f'href="{reverse("account_login")}?next={offers}">Sign in</a>' in html
