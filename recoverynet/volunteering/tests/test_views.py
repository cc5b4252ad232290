"""The volunteering pages: the journey from the list to hours credited, form
errors, the panels, downloads, and constant query counts on lists."""

import csv
import datetime
import io
import itertools

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from recoverynet.federation.factories import MembershipFactory
from recoverynet.testing import assert_constant_queries
from recoverynet.timebank.models import Account
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory, RoleSkillFactory, ShiftFactory
from recoverynet.volunteering.models import DBSCheck, Shift, SignUp

pytestmark = pytest.mark.django_db


def test_a_member_finds_a_role_signs_up_has_hours_recorded_confirmed_and_credited(
    world, client_for, role, time_machine
):
    member, host = world.users["member"], world.users["settlement_host"]
    RoleSkillFactory(role=role, name="Listening")
    needs_dbs = RoleFactory(network=world.own_network, title="Peer mentor", dbs_level="enhanced")
    shift = ShiftFactory(role=role, places=2)
    client = client_for(member)

    listing = client.get(reverse("volunteering:role_list")).content.decode()
    assert "You can take this role" in listing and "needs an enhanced DBS check" in listing
    page = client.get(role.get_absolute_url()).content.decode()
    sign_up = reverse("volunteering:sign_up", kwargs={"pk": shift.pk})
    assert f'action="{sign_up}"' in page and "Listening (some experience)" in page and "2 places left" in page
    assert f'action="{reverse("volunteering:sign_up", kwargs={"pk": 0})}"' not in page
    assert "Sign up" not in client.get(needs_dbs.get_absolute_url()).content.decode().split('id="shifts"')[1]

    assert client.post(sign_up).status_code == 302
    again = client.post(sign_up, follow=True).content.decode()
    assert "You already have a place" in again and SignUp.objects.count() == 1
    signup = SignUp.objects.get()
    host_client = client_for(host)
    shift_page = reverse("volunteering:manage:shift", kwargs={"pk": shift.pk})
    assert host_client.post(shift_page, {"action": "confirm", "signup": signup.pk}).status_code == 302
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CONFIRMED

    time_machine.move_to(shift.ends_at + datetime.timedelta(minutes=5))
    response = host_client.post(
        shift_page,
        {"action": "hours", f"attended_{signup.pk}": "on", f"hours_{signup.pk}": "2", f"minutes_{signup.pk}": "30"},
    )
    assert response.status_code == 302
    mine = client.get(reverse("volunteering:mine")).content.decode()
    confirm = reverse("volunteering:hours_confirm", kwargs={"pk": signup.pk})
    assert f'href="{confirm}"' in mine and "2 h 30 min" in mine
    assert client.post(confirm).status_code == 302

    Account.objects.create(
        network=world.own_network, kind=Account.Kind.SETTLEMENT, settlement=role.settlement, floor=-6000
    )
    Account.objects.create(network=world.own_network, kind=Account.Kind.MEMBER, user=member)
    coordinator = client_for(world.users["network_coordinator"])
    credited = coordinator.post(shift_page, {"action": "credit"}, follow=True).content.decode()
    assert "Credited hours to 1 in the time bank" in credited
    assert Account.objects.get(user=member).balance() == 150

    record = client.get(reverse("volunteering:record_csv"))
    rows = list(csv.reader(io.StringIO(record.content.decode())))
    assert rows[0][0] == "Date" and rows[1][1] == role.title and rows[1][-1] == "150"


def test_hours_outside_the_shift_re_render_with_an_error_and_write_nothing(world, client_for, past_shift):
    host = world.users["settlement_host"]
    signup = services.record_walk_in(actor=host, shift=past_shift, user=world.users["member"])
    url = reverse("volunteering:manage:shift", kwargs={"pk": past_shift.pk})
    response = client_for(host).post(url, {"action": "hours", f"attended_{signup.pk}": "on", f"hours_{signup.pk}": "5"})
    assert response.status_code == 200
    assert "Enter at most the shift&#x27;s length, 3 h" in response.content.decode()
    signup.refresh_from_db()
    assert signup.hours_recorded_at is None


def test_a_full_shift_says_so(world, client_for, role):
    shift = ShiftFactory(role=role, places=1)
    services.sign_up(actor=MembershipFactory(network=world.own_network, status="active").user, shift=shift)
    client = client_for(world.users["member"])
    assert "full" in client.get(role.get_absolute_url()).content.decode()
    answer = client.post(reverse("volunteering:sign_up", kwargs={"pk": shift.pk}), follow=True).content.decode()
    assert "This shift is full" in answer
    assert SignUp.objects.count() == 1


def test_a_role_not_yet_open_links_to_what_the_member_can_do_about_it(world, client_for):
    client = client_for(world.users["member"])
    elsewhere = RoleFactory(network=world.other_network, early_recovery="yes")
    html = client.get(elsewhere.get_absolute_url()).content.decode()
    join = reverse("federation:network_detail", kwargs={"slug": world.other_network.slug})
    assert "Not yet open to you" in html
    assert f'href="{join}">Ask to join {world.other_network.name}</a>' in html
    assert f'href="{reverse("volunteering:profile")}">Update your volunteering profile</a>' in html
    at_home = RoleFactory(network=world.own_network, min_recovery_months=6, early_recovery="yes")
    html = client.get(at_home.get_absolute_url()).content.decode()
    assert "Update your volunteering profile" in html and "Ask to join" not in html


def test_the_profile_saves_privately_and_changes_what_the_member_can_take(world, client_for):
    member = world.users["member"]
    role = RoleFactory(network=world.own_network, min_recovery_months=6, early_recovery="yes")
    client = client_for(member)
    assert "asks for at least 6 months" in client.get(role.get_absolute_url()).content.decode()
    bad = client.post(reverse("volunteering:profile"), {"recovery_start": "31 2 2020"})
    assert bad.status_code == 200 and "Enter a real date" in bad.content.decode()
    assert client.post(reverse("volunteering:profile"), {"recovery_start": "1 1 2020"}).status_code == 302
    assert "You can take this role" in client.get(role.get_absolute_url()).content.decode()
    # Nobody else sees it: the organiser's pages and the public page never show the date.
    host = client_for(world.users["network_coordinator"])
    assert "2020" not in host.get(role.get_absolute_url()).content.decode()


def test_dbs_page_records_a_check_without_the_certificate(world, client_for):
    client = client_for(world.users["network_coordinator"])
    url = reverse("volunteering:manage:dbs", kwargs={"slug": world.own_network.slug})
    bad = client.post(url, {"person": "", "level": "platinum", "checked_on": "yesterday", "checker": ""})
    assert bad.status_code == 200 and not DBSCheck.objects.exists()
    for message in ("Choose a member", "Choose a level from the list", "Enter a real date", "Say who saw"):
        assert message in bad.content.decode()
    response = client.post(
        url, {"person": world.own_membership.pk, "level": "basic", "checked_on": "1 3 2026", "checker": "Eden Recovery"}
    )
    assert response.status_code == 302 and DBSCheck.objects.get().checker == "Eden Recovery"


def test_shift_form_adds_a_shift_and_refuses_a_past_one(world, client_for, role):
    client = client_for(world.users["settlement_host"])
    url = reverse("volunteering:manage:shift_new", kwargs={"slug": role.slug})
    past = client.post(url, {"date": "1 1 2020", "start": "09:00", "end": "12:00", "places": "3"})
    assert past.status_code == 200 and "Choose a start time in the future" in past.content.decode()
    backwards = client.post(url, {"date": "1 1 2099", "start": "12:00", "end": "09:00", "places": "3"})
    assert "The shift must end after it starts" in backwards.content.decode()
    assert not Shift.objects.exists()
    assert client.post(url, {"date": "1 1 2099", "start": "09:00", "end": "12:00", "places": "3"}).status_code == 302
    assert Shift.objects.get().places == 3


def test_decline_cancel_and_walk_in_pages(world, client_for, shift):
    member, host = world.users["member"], client_for(world.users["settlement_host"])
    signup = services.sign_up(actor=member, shift=shift)
    decline = reverse("volunteering:manage:signup_decline", kwargs={"pk": signup.pk})
    assert "Say why" in host.post(decline, {"reason": ""}).content.decode()
    assert host.post(decline, {"reason": "Needs food hygiene"}).status_code == 302
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.DECLINED
    mine = client_for(member).get(reverse("volunteering:mine")).content.decode()
    assert "Needs food hygiene" in mine
    other = MembershipFactory(network=world.own_network, status="active")
    url = reverse("volunteering:manage:shift", kwargs={"pk": shift.pk})
    assert host.post(url, {"action": "walk_in", "walk_in-person": other.pk}).status_code == 302
    walk_in = SignUp.objects.get(user=other.user)
    assert walk_in.walk_in
    cancel = reverse("volunteering:signup_cancel", kwargs={"pk": walk_in.pk})
    assert client_for(other.user).post(cancel).status_code == 302
    walk_in.refresh_from_db()
    assert walk_in.status == SignUp.Status.CANCELLED


def test_the_calendar_holds_the_members_shifts(world, client_for, shift):
    services.sign_up(actor=world.users["member"], shift=shift)
    response = client_for(world.users["member"]).get(reverse("volunteering:mine_ics"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 1
    assert f"DTSTART:{shift.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in body
    assert "STATUS:TENTATIVE" in body


def test_panels_link_the_roles_from_home_network_and_settlement(world, client, role):
    list_url = reverse("volunteering:role_list")
    assert f'href="{list_url}"' in client.get("/").content.decode()
    network_page = client.get(world.own_network.get_absolute_url()).content.decode()
    assert role.title in network_page and f"{list_url}?network={world.own_network.slug}" in network_page
    assert role.title in client.get(world.own_settlement.get_absolute_url()).content.decode()
    assert role.title not in client.get(world.other_settlement.get_absolute_url()).content.decode()


@pytest.mark.parametrize("page", ["network", "settlement"])
def test_a_page_without_roles_still_leads_to_roles_across_the_federation(world, client, page):
    """The other network and its settlement offer no roles: their pages still have the panel and its link."""
    RoleFactory(network=world.own_network, settlement=world.own_settlement, title="Café host")
    obj = world.other_network if page == "network" else world.other_settlement
    html = client.get(obj.get_absolute_url()).content.decode()
    panel = html[html.index('id="volunteering"') :]
    assert "No volunteering roles here yet" in panel and "See roles across the federation" in panel
    assert f'href="{reverse("volunteering:role_list")}"' in panel and "Café host" not in panel


def test_the_list_filters_and_shows_an_error_for_a_bad_value(world, client, role):
    RoleFactory(network=world.own_network, title="Bar steward", alcohol_at_venue=True, dbs_level="enhanced")
    url = reverse("volunteering:role_list")
    assert "Bar steward" not in client.get(url, {"no_alcohol": "yes"}).content.decode()
    assert "Bar steward" not in client.get(url, {"dbs": "basic"}).content.decode()
    assert "Bar steward" in client.get(url, {"q": "steward"}).content.decode()
    bad = client.get(url, {"dbs": "platinum"})
    assert bad.status_code == 200 and "Choose a DBS level from the list" in bad.content.decode()


def test_lists_run_a_constant_number_of_queries(world, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 6, 12, 0, tzinfo=datetime.UTC))
    member = world.users["member"]
    client = client_for(member)
    host = client_for(world.users["settlement_host"])
    counter = itertools.count()
    start = timezone.now() + datetime.timedelta(days=2)

    def add_rows(n):
        for _ in range(n):
            i = next(counter)
            role = RoleFactory(network=world.own_network, settlement=world.own_settlement, early_recovery="yes")
            RoleSkillFactory(role=role)
            shift = ShiftFactory(
                role=role,
                starts_at=start + datetime.timedelta(hours=4 * i),
                ends_at=start + datetime.timedelta(hours=4 * i + 3),
            )
            services.sign_up(actor=member, shift=shift)

    def fetch():
        client.get(reverse("volunteering:mine"))
        host.get(reverse("volunteering:manage:home"))
        return client.get(reverse("volunteering:role_list"), {"page": 1})

    client.get(reverse("volunteering:role_list"))
    response = assert_constant_queries(fetch, add_rows)
    assert len(response.context["roles"]) == 20


def test_the_shift_and_dbs_pages_run_a_constant_number_of_queries(world, client_for, past_shift):
    host = client_for(world.users["network_coordinator"])
    shift_url = reverse("volunteering:manage:shift", kwargs={"pk": past_shift.pk})
    dbs_url = reverse("volunteering:manage:dbs", kwargs={"slug": world.own_network.slug})
    past_shift.places = 40
    past_shift.save()

    def add_rows(n):
        for _ in range(n):
            person = MembershipFactory(network=world.own_network, status="active").user
            services.record_walk_in(actor=world.users["network_coordinator"], shift=past_shift, user=person)
            services.record_dbs_check(
                actor=world.users["network_coordinator"],
                network=world.own_network,
                user=person,
                level="basic",
                checked_on=datetime.date(2026, 1, 1),
                checker="Eden",
            )

    def fetch():
        host.get(dbs_url)
        return host.get(shift_url)

    host.get(shift_url)
    response = assert_constant_queries(fetch, add_rows)
    assert len(response.context["signups"]) == 30


def test_manage_links_organising_volunteering_for_those_who_organise(world, client_for, role):
    index = reverse("federation:manage:index")
    home = reverse("volunteering:manage:home")
    html = client_for(world.users["network_coordinator"]).get(index).content.decode()
    assert f'href="{home}">Organise volunteering</a>' in html
    host = client_for(world.users["settlement_host"])  # the role is offered by their settlement
    assert f'href="{home}">Organise volunteering</a>' in host.get(index).content.decode()
    assert host.get(home).status_code == 200
    role.delete()
    assert home not in host.get(index).content.decode()


def test_a_clashing_shift_names_the_place_in_the_way_where_it_can_be_cancelled(world, client_for, role, shift):
    client = client_for(world.users["member"])
    assert client.post(reverse("volunteering:sign_up", kwargs={"pk": shift.pk})).status_code == 302
    other = RoleFactory(network=world.own_network, title="Welcome desk", early_recovery="yes")
    clashing = ShiftFactory(role=other, starts_at=shift.starts_at, ends_at=shift.ends_at)
    response = client.post(reverse("volunteering:sign_up", kwargs={"pk": clashing.pk}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("volunteering:mine")
    html = response.content.decode()
    assert f"You already have a place at that time: {role.title}," in html
    assert reverse("volunteering:signup_cancel", kwargs={"pk": SignUp.objects.get(shift=shift).pk}) in html
    assert not SignUp.objects.filter(shift=clashing).exists()


def _as_the_page_submits(form) -> dict:
    """What a browser sends back for the hours form as rendered: ticked boxes as "on", filled numbers."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif value not in (None, ""):
            data[bound.html_name] = str(value)
    return data


def test_recording_a_latecomer_keeps_the_hours_already_recorded(world, client_for, past_shift):
    """The hours form shows what is already recorded (waiting for the member to confirm): sending it
    again to add a walk-in must not turn the earlier person into "did not come"."""
    host = world.users["settlement_host"]
    first = services.record_walk_in(actor=host, shift=past_shift, user=world.users["member"])
    services.record_hours(actor=host, shift=past_shift, entries={first.pk: (True, 150)})
    latecomer = MembershipFactory(network=world.own_network).user
    second = services.record_walk_in(actor=host, shift=past_shift, user=latecomer)
    client = client_for(host)
    url = reverse("volunteering:manage:shift", kwargs={"pk": past_shift.pk})
    page = client.get(url)
    html = page.content.decode()
    assert f'name="hours_{first.pk}" value="2"' in html and f'name="minutes_{first.pk}" value="30"' in html
    data = {"action": "hours", **_as_the_page_submits(page.context["hours_form"])}
    data.update({f"attended_{second.pk}": "on", f"hours_{second.pk}": "1"})
    assert client.post(url, data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attended, first.minutes, second.attended, second.minutes) == (True, 150, True, 60)
