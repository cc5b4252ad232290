"""The public site: federation home, networks, settlements, organisations and
partnerships, as the anonymous public (and signed-in people) see them."""

import datetime
import re

import pytest
from django.urls import reverse

from recoverynet.federation.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PartnershipFactory,
    SettlementFactory,
)
from recoverynet.federation.models import Membership, Partnership, Sector
from recoverynet.testing import assert_constant_queries, sign_in

from ..views import public as views

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def section(content: str, element_id: str) -> str:
    """The HTML from the heading with `element_id` up to the next heading of the same level."""
    match = re.search(rf'<(h[1-6])[^>]*id="{re.escape(element_id)}"[^>]*>', content)
    assert match, f"No heading with id {element_id}"
    level = match.group(1)
    end = content.find(f"<{level}", match.end())
    return content[match.end() : end if end != -1 else len(content)]


def getter(client, url):
    """fetch() for assert_constant_queries: GET `url`, which must answer 200."""

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    return fetch


# --- Home -------------------------------------------------------------------------


def test_home_shows_federation_networks_with_counts_and_links(client, world):
    world.federation.description = "Five networks, one movement."
    world.federation.save(update_fields=["description"])
    SettlementFactory(network=world.own_network, name="Penrith Hub")
    SettlementFactory(network=world.own_network, name="Closed Hub", is_active=False)
    OrganisationFactory(name="Second Cumbrian Org", networks=[world.own_network])
    OrganisationFactory(name="Gone Org", networks=[world.own_network], is_active=False)
    NetworkFactory(federation=world.federation, name="Dormant Network", is_active=False)

    response = client.get(reverse("federation:home"))

    assert response.status_code == 200
    content = html(response)
    assert world.federation.name in content
    assert "Five networks, one movement." in content
    assert "Recovery is a Reality" in content
    assert "Cumbria" in content and "Merseyside" in content
    assert "Dormant Network" not in content
    cumbria = next(n for n in response.context["networks"] if n.slug == "cumbria")
    assert cumbria.settlement_count == 2  # Carlisle Hub and Penrith Hub, not the closed one
    assert cumbria.organisation_count == 2  # Eden Recovery and Second Cumbrian Org
    assert "Penrith Hub" in content and "Closed Hub" not in content
    assert reverse("federation:organisation_list") in content
    assert reverse("account_signup") in content
    assert world.own_settlement.get_absolute_url() in content


def test_home_map_markers_cover_networks_and_settlements(client, world):
    SettlementFactory(network=world.own_network, name="No Coordinates Hub", latitude=None, longitude=None)
    response = client.get(reverse("federation:home"))
    markers = response.context["markers"]
    assert {(m["name"], m["kind"]) for m in markers} == {
        ("Cumbria", "network"),
        ("Merseyside", "network"),
        ("Carlisle Hub", "settlement"),
        ("Bootle Hub", "settlement"),
    }
    carlisle = next(m for m in markers if m["name"] == "Carlisle Hub")
    assert carlisle["url"] == "/settlements/carlisle-hub/"
    assert isinstance(carlisle["lat"], float) and isinstance(carlisle["lng"], float)
    # The no-JavaScript alternative lists the settlement without coordinates too.
    assert "No Coordinates Hub" in html(response)


def test_home_has_no_sign_up_link_for_signed_in_people(client, world):
    sign_in(client, world.users["member"])
    response = client.get(reverse("federation:home"))
    assert response.status_code == 200
    assert reverse("account_signup") not in html(response)


# --- Networks ---------------------------------------------------------------------


def test_network_list_shows_active_networks_with_counts(client, world):
    NetworkFactory(federation=world.federation, name="Dormant Network", is_active=False)
    response = client.get(reverse("federation:network_list"))
    assert response.status_code == 200
    content = html(response)
    assert world.own_network.get_absolute_url() in content
    assert world.other_network.get_absolute_url() in content
    assert "Dormant Network" not in content
    assert "1 recovery settlement," in content
    assert "2 networks" in content


def test_network_detail_shows_description_contact_settlements_and_organisations_by_sector(client, world):
    network = world.own_network
    network.description = "Peer-led recovery across Cumbria."
    network.contact_email = "hello@cumbria.example.org"
    network.save(update_fields=["description", "contact_email"])
    SettlementFactory(network=network, name="Closed Hub", is_active=False)
    OrganisationFactory(name="Cumbria Council", sector=Sector.PUBLIC, networks=[network])
    OrganisationFactory(name="Hidden Org", sector=Sector.PUBLIC, networks=[network], is_active=False)

    response = client.get(network.get_absolute_url())

    assert response.status_code == 200
    content = html(response)
    assert "Peer-led recovery across Cumbria." in content
    assert "hello@cumbria.example.org" in content
    assert "Carlisle Hub" in content and "Closed Hub" not in content
    assert "Bootle Hub" not in content  # another network's settlement
    for value, label in Sector.choices:  # every sector heading, even when empty
        assert f'id="organisations-{value}"' in content
        assert label in content
    assert "Cumbria Council" in section(content, "organisations-public")
    assert "Eden Recovery" in section(content, "organisations-voluntary")
    assert "Hidden Org" not in content
    assert "None yet." in section(content, "organisations-private")
    assert "Mersey Works" not in content
    assert [m["name"] for m in response.context["markers"]] == ["Cumbria", "Carlisle Hub"]


def test_network_detail_groups_partnerships_under_each_sector_of_their_organisations(client, world):
    network = world.own_network
    council = OrganisationFactory(name="Cumbria Council", sector=Sector.PUBLIC, networks=[network])
    cafe = OrganisationFactory(name="Recovery Café CIC", sector=Sector.SOCIAL_ENTERPRISE, networks=[network])
    closed = OrganisationFactory(name="Closed Firm", sector=Sector.PRIVATE, networks=[network], is_active=False)
    cross_sector = PartnershipFactory(
        name="Warm Referrals",
        lead_network=network,
        organisations=[world.own_organisation, council],
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2027, 1, 31),
        status=Partnership.Status.PAUSED,
    )
    cross_sector.networks.set([network])
    # Led by another network but including this one: still this network's partnership.
    joined = PartnershipFactory(name="Coast to Coast", lead_network=world.other_network, organisations=[cafe, closed])
    joined.networks.set([world.other_network, network])
    PartnershipFactory(name="Empty Partnership", lead_network=network)

    content = html(client.get(network.get_absolute_url()))

    voluntary = section(content, "partnerships-voluntary")
    public = section(content, "partnerships-public")
    social = section(content, "partnerships-social_enterprise")
    private = section(content, "partnerships-private")
    assert "Warm Referrals" in voluntary and "Warm Referrals" in public
    assert "Warm Referrals" not in social
    assert "Paused" in public and "1 February 2026 to 31 January 2027" in public
    assert world.own_partnership.name in voluntary
    assert "Coast to Coast" in social and "Coast to Coast" not in voluntary
    # The inactive private organisation does not put the partnership under "Private sector".
    assert "Coast to Coast" not in private and "None yet." in private
    assert "Closed Firm" not in content
    assert "Empty Partnership" in section(content, "partnerships-no-organisations")
    assert world.other_partnership.name not in content


def test_group_by_sector_lists_every_sector_in_order():
    class Item:
        def __init__(self, sectors):
            self.sectors = sectors

    both, public_only = Item([Sector.PUBLIC, Sector.VOLUNTARY]), Item([Sector.PUBLIC])
    groups = views.group_by_sector([both, public_only], lambda item: item.sectors)
    assert [g["value"] for g in groups] == Sector.values
    by_value = {g["value"]: g["items"] for g in groups}
    assert by_value[Sector.PUBLIC] == [both, public_only]
    assert by_value[Sector.VOLUNTARY] == [both]
    assert by_value[Sector.PRIVATE] == []


def test_network_detail_invites_anonymous_people_to_sign_in_to_join(client, world):
    content = html(client.get(world.own_network.get_absolute_url()))
    assert f"{reverse('account_login')}?next=/networks/cumbria/" in content
    assert "Manage this network" not in content


def test_network_detail_join_link_for_signed_in_non_members(client, world):
    sign_in(client, world.users["member"])
    response = client.get(world.other_network.get_absolute_url())
    assert response.status_code == 200
    assert 'href="/me/networks/merseyside/join/"' in html(response)
    assert "Join this network" in html(response)
    assert response.context["membership"] is None


def test_network_detail_tells_members_and_applicants_where_they_stand(client, world):
    sign_in(client, world.users["member"])
    content = html(client.get(world.own_network.get_absolute_url()))
    assert "You are a member of this network." in content
    assert "Join this network" not in content

    applicant = MembershipFactory(network=world.other_network, status=Membership.Status.PENDING).user
    sign_in(client, applicant)
    content = html(client.get(world.other_network.get_absolute_url()))
    assert "You have asked to join this network." in content
    assert "Join this network" not in content


def test_manage_link_only_for_people_who_may_manage_the_network(client, world):
    coordinator = world.users["network_coordinator"]
    sign_in(client, coordinator)
    response = client.get(world.own_network.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_manage"] is True
    assert f'href="{reverse("federation:manage:network_dashboard", kwargs={"slug": "cumbria"})}"' in html(response)
    # Not for another network's page, nor for a member.
    response = client.get(world.other_network.get_absolute_url())
    assert response.context["can_manage"] is False
    assert "Manage this network" not in html(response)
    sign_in(client, world.users["member"])
    response = client.get(world.own_network.get_absolute_url())
    assert response.context["can_manage"] is False
    assert "Manage this network" not in html(response)


def test_inactive_or_unknown_network_is_404(client, world):
    NetworkFactory(federation=world.federation, slug="dormant", is_active=False)
    assert client.get(reverse("federation:network_detail", kwargs={"slug": "dormant"})).status_code == 404
    assert client.get(reverse("federation:network_detail", kwargs={"slug": "nowhere"})).status_code == 404


# --- Settlements ------------------------------------------------------------------


def test_settlement_detail_shows_address_times_activities_access_contact_and_network(client, world):
    settlement = world.own_settlement
    settlement.address_line_1 = "12 English Street"
    settlement.accessibility = "Step-free entrance and a hearing loop."
    settlement.phone = "01228 000000"
    settlement.contact_email = "carlisle@example.org"
    settlement.save(update_fields=["address_line_1", "accessibility", "phone", "contact_email"])

    response = client.get(settlement.get_absolute_url())

    assert response.status_code == 200
    content = html(response)
    assert "Carlisle Hub" in content
    assert "12 English Street" in content and "PR1 1AA" in content
    assert "Monday to Friday, 10am to 4pm" in content
    assert "Recovery café, art group, allotment project" in content
    assert "Step-free entrance and a hearing loop." in content
    assert "01228 000000" in content and "carlisle@example.org" in content
    assert world.own_network.get_absolute_url() in content
    assert 'class="govuk-breadcrumbs"' in content
    assert response.context["markers"] == [
        {"name": "Carlisle Hub", "url": "/settlements/carlisle-hub/", "lat": 53.76, "lng": -2.7, "kind": "settlement"}
    ]


def test_inactive_settlement_or_settlement_of_inactive_network_is_404(client, world):
    SettlementFactory(network=world.own_network, slug="closed", is_active=False)
    dormant = NetworkFactory(federation=world.federation, is_active=False)
    SettlementFactory(network=dormant, slug="orphaned")
    for slug in ("closed", "orphaned", "nowhere"):
        assert client.get(reverse("federation:settlement_detail", kwargs={"slug": slug})).status_code == 404


# --- Organisations ----------------------------------------------------------------


def test_organisation_list_shows_active_organisations_with_count(client, world):
    OrganisationFactory(name="Closed Org", networks=[world.own_network], is_active=False)
    response = client.get(reverse("federation:organisation_list"))
    assert response.status_code == 200
    content = html(response)
    assert "Eden Recovery" in content and "Mersey Works" in content
    assert "Closed Org" not in content
    assert "2 organisations" in content
    assert "Social enterprise" in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "eden"}, {"Eden Recovery"}),
        ({"q": "cooking"}, {"Bootle Kitchen"}),  # description
        ({"q": "kendal"}, {"Kendal Fellowship"}),  # town
        ({"sector": "mutual_aid"}, {"Kendal Fellowship"}),
        ({"network": "merseyside"}, {"Mersey Works", "Bootle Kitchen"}),
        ({"network": "merseyside", "sector": "voluntary"}, {"Bootle Kitchen"}),
        (
            {"q": "", "sector": "", "network": ""},
            {"Eden Recovery", "Mersey Works", "Bootle Kitchen", "Kendal Fellowship"},
        ),
    ],
)
def test_organisation_search_and_filters(client, world, params, expected):
    OrganisationFactory(name="Bootle Kitchen", description="Cooking together", networks=[world.other_network])
    OrganisationFactory(name="Kendal Fellowship", sector=Sector.MUTUAL_AID, town="Kendal", networks=[world.own_network])
    response = client.get(reverse("federation:organisation_list"), params)
    assert response.status_code == 200
    assert {o.name for o in response.context["organisations"]} == expected
    assert not response.context["form"].errors


def test_organisation_filter_offers_only_active_networks(client, world):
    NetworkFactory(federation=world.federation, name="Dormant", slug="dormant", is_active=False)
    response = client.get(reverse("federation:organisation_list"), {"network": "dormant"})
    assert response.status_code == 200
    form = response.context["form"]
    assert [slug for slug, _ in form.fields["network"].choices] == ["", "cumbria", "merseyside"]
    assert form.errors["network"] == ["Choose a network from the list"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "x" * 10_000}, "q", "Search must be 100 characters or fewer"),
        ({"sector": "nonsense"}, "sector", "Choose a sector from the list"),
        ({"network": "'; DROP TABLE federation_network; --"}, "network", "Choose a network from the list"),
        ({"q": "null\x00byte"}, "q", "Null characters are not allowed."),
    ],
)
def test_organisation_list_bad_filter_values_show_an_error_not_a_500(client, world, params, field, message):
    response = client.get(reverse("federation:organisation_list"), params)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message.replace("'", "&#x27;") in html(response)
    # The invalid filter is left out: every organisation is still listed.
    assert response.context["page_obj"].paginator.count == 2


def test_organisation_search_escapes_script(client, world):
    response = client.get(reverse("federation:organisation_list"), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    content = html(response)
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert response.context["page_obj"].paginator.count == 0


@pytest.mark.parametrize(("page", "expected_number"), [("abc", 1), ("9999", 2), ("-1", 2), ("2", 2), ("", 1)])
def test_organisation_list_paginates_20_per_page_and_survives_bad_page_numbers(client, world, page, expected_number):
    OrganisationFactory.create_batch(23, networks=[world.own_network])  # 25 in all
    response = client.get(reverse("federation:organisation_list"), {"page": page})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.number == expected_number
    assert len(page_obj.object_list) == (20 if expected_number == 1 else 5)
    assert "25 organisations" in html(response)


def test_organisation_list_pagination_keeps_the_filters_in_the_url(client, world):
    OrganisationFactory.create_batch(25, sector=Sector.PRIVATE, networks=[world.own_network])
    response = client.get(reverse("federation:organisation_list"), {"sector": "private", "page": "1"})
    assert response.context["query_string"] == "sector=private"
    assert response.context["page_obj"].paginator.count == 25
    assert 'href="?sector=private&amp;page=2"' in html(response)
    page_two = client.get(reverse("federation:organisation_list"), {"sector": "private", "page": "2"})
    assert len(page_two.context["organisations"]) == 5
    assert all(o.sector == Sector.PRIVATE for o in page_two.context["organisations"])


def test_pagination_links_leave_out_rejected_filter_values(client, world):
    OrganisationFactory.create_batch(25, sector=Sector.PRIVATE, networks=[world.own_network])
    response = client.get(reverse("federation:organisation_list"), {"sector": "private", "q": "x" * 10_000})
    assert response.context["query_string"] == "sector=private"
    assert 'href="?sector=private&amp;page=2"' in html(response)


def test_organisation_detail_shows_sector_networks_contact_and_partnerships(client, world):
    organisation = world.own_organisation
    organisation.description = "Peer support in the Eden valley."
    organisation.website = "https://eden.example.org"
    organisation.email = "info@eden.example.org"
    organisation.save(update_fields=["description", "website", "email"])
    organisation.networks.add(NetworkFactory(federation=world.federation, name="Dormant", is_active=False))

    response = client.get(organisation.get_absolute_url())

    assert response.status_code == 200
    content = html(response)
    assert "Voluntary and community sector" in content
    assert "Peer support in the Eden valley." in content
    assert "https://eden.example.org" in content and "info@eden.example.org" in content
    assert world.own_network.get_absolute_url() in content
    assert "Dormant" not in content
    assert world.own_partnership.get_absolute_url() in content
    assert world.other_partnership.get_absolute_url() not in content
    assert 'class="govuk-breadcrumbs"' in content


def test_inactive_organisation_is_404(client, world):
    OrganisationFactory(slug="closed-org", networks=[world.own_network], is_active=False)
    assert client.get(reverse("federation:organisation_detail", kwargs={"slug": "closed-org"})).status_code == 404
    assert client.get(reverse("federation:organisation_detail", kwargs={"slug": "nowhere"})).status_code == 404


# --- Partnerships -----------------------------------------------------------------


@pytest.fixture
def partnerships(world):
    council = OrganisationFactory(name="Sefton Council", sector=Sector.PUBLIC, networks=[world.other_network])
    ended = PartnershipFactory(
        name="Ended Pilot",
        lead_network=world.other_network,
        organisations=[council],
        status=Partnership.Status.ENDED,
        end_date=datetime.date(2026, 6, 30),
    )
    ended.networks.set([world.other_network, world.own_network])
    dormant = NetworkFactory(federation=world.federation, is_active=False)
    PartnershipFactory(name="Hidden Partnership", lead_network=dormant)
    return {"ended": ended}


def test_partnership_list_shows_partnerships_of_active_networks(client, world, partnerships):
    response = client.get(reverse("federation:partnership_list"))
    assert response.status_code == 200
    content = html(response)
    assert world.own_partnership.name in content and "Ended Pilot" in content
    assert "Hidden Partnership" not in content
    assert "3 partnerships" in content
    assert "Sefton Council (public sector)" in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "ended"}, {"Ended Pilot"}),
        ({"status": "active"}, {"own", "other"}),
        ({"sector": "public"}, {"Ended Pilot"}),
        ({"sector": "social_enterprise"}, {"other"}),
        ({"network": "cumbria"}, {"own", "Ended Pilot"}),  # Ended Pilot includes Cumbria without leading it
        ({"network": "merseyside", "status": "active"}, {"other"}),
    ],
)
def test_partnership_filters(client, world, partnerships, params, expected):
    names = {world.own_partnership.name: "own", world.other_partnership.name: "other"}
    response = client.get(reverse("federation:partnership_list"), params)
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert {names.get(p.name, p.name) for p in response.context["partnerships"]} == expected


@pytest.mark.parametrize("params", [{"status": "<b>bold</b>"}, {"sector": "x" * 10_000}, {"page": "abc"}])
def test_partnership_list_bad_input_is_not_a_500(client, world, params):
    response = client.get(reverse("federation:partnership_list"), params)
    assert response.status_code == 200
    assert "<b>bold</b>" not in html(response)
    if "page" not in params:
        assert response.context["form"].errors


def test_partnership_detail_shows_purpose_networks_organisations_dates_and_status(client, world, partnerships):
    response = client.get(partnerships["ended"].get_absolute_url())
    assert response.status_code == 200
    content = html(response)
    assert "Warm referrals from treatment into the recovery community." in content
    assert "Ended" in content
    assert "1 January 2026 to 30 June 2026" in content
    assert world.other_network.get_absolute_url() in content  # lead network
    assert world.own_network.get_absolute_url() in content  # also a member network
    assert "Sefton Council" in content and "Public sector" in content
    assert 'class="govuk-breadcrumbs"' in content


def test_partnership_of_inactive_lead_network_is_404(client, world, partnerships):
    hidden = Partnership.objects.get(name="Hidden Partnership")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("federation:partnership_detail", kwargs={"slug": "nowhere"})).status_code == 404


# --- Constant query counts --------------------------------------------------------


def add_rows(world, n):
    """n settlements, organisations and partnerships in Cumbria; every new partnership
    includes Eden Recovery and every new organisation joins the own partnership."""
    network = world.own_network
    for _ in range(n):
        SettlementFactory(network=network)
        organisation = OrganisationFactory(networks=[network], sector=Sector.PUBLIC)
        partnership = PartnershipFactory(lead_network=network, organisations=[organisation, world.own_organisation])
        partnership.networks.set([network])
        world.own_partnership.organisations.add(organisation)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/networks/",
        "/networks/cumbria/",
        "/organisations/",
        "/organisations/?sector=public&network=cumbria&q=org",
        "/partnerships/",
        "/partnerships/?status=active&sector=public&network=cumbria",
        "/organisations/eden-recovery/",
        "/partnerships/own-partnership/",
    ],
)
def test_query_count_does_not_grow_with_rows(client, world, url):
    assert_constant_queries(getter(client, url), lambda n: add_rows(world, n))


def test_query_count_is_constant_for_signed_in_coordinator_on_network_page(client, world):
    sign_in(client, world.users["network_coordinator"])
    response = assert_constant_queries(getter(client, "/networks/cumbria/"), lambda n: add_rows(world, n))
    assert len(response.context["settlements"]) == 31
    assert response.context["organisation_count"] == 31
