"""The way to the outcomes dashboards: /manage/ and the network dashboard link them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
MANAGE = reverse("federation:manage:index")


def test_a_network_coordinator_reaches_their_networks_outcomes_from_manage(world, login):
    client = login("network_coordinator")
    own = reverse("outcomes:network", kwargs={"slug": world.own_network.slug})
    other = reverse("outcomes:network", kwargs={"slug": world.other_network.slug})
    index = client.get(MANAGE).content.decode()
    assert f'href="{own}">{world.own_network.name}: outcomes and quarterly report</a>' in index
    assert other not in index and reverse("outcomes:federation") + '"' not in index
    dashboard = reverse("federation:manage:network_dashboard", kwargs={"slug": world.own_network.slug})
    html = client.get(dashboard).content.decode()
    assert f'href="{own}">See {world.own_network.name}' in html
    assert client.get(own).status_code == 200


def test_the_federation_coordinator_reaches_the_federation_dashboard(world, login):
    html = login("federation_coordinator").get(MANAGE).content.decode()
    assert f'href="{reverse("outcomes:federation")}">The federation' in html


def test_a_settlement_host_is_not_shown_outcomes_they_cannot_read(world, login):
    html = login("settlement_host").get(MANAGE).content.decode()
    assert "/manage/outcomes/" not in html and ">Outcomes</h2>" not in html
