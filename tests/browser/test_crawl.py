"""Crawl the site from the home page as a visitor (phone and desktop) and as a
member (phone), following every link of ours, and run axe-core on each kind of
page found: a page linked from anywhere cannot escape the accessibility checks
because nobody listed it. One page per route (the first found), so a long list
of meetings costs one check, not hundreds."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone

from recoverynet.directory.factories import LocationFactory, MeetingFactory, ServiceFactory
from recoverynet.initiatives.factories import PublishedPitchFactory
from recoverynet.initiatives.models import Initiative
from recoverynet.volunteering.factories import RoleFactory, ShiftFactory

from .checks import PHONE, axe_violations, signed_in_context

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# Machine-readable answers, downloads and developer tools (Swagger UI and ReDoc are linked from
# the accessible API reference, /about/api/, which is crawled), and signing out.
SKIPPED_PREFIXES = ("/api/", "/openreferral/", "/feeds/", "/admin/", "/static/", "/accounts/logout/")
SKIPPED_SUFFIXES = (".ics", ".csv", ".pdf", ".json", ".xml", ".atom", "/feed/")
MAX_PAGES = 120


@pytest.fixture
def content(world):
    """Something behind every kind of public link: a meeting, a service, a pitch, an initiative, a role."""
    network, settlement = world.own_network, world.own_settlement
    location = LocationFactory(network=network, town="Carlisle", latitude="54.89100", longitude="-2.93100")
    MeetingFactory(network=network, location=location, name="Carlisle Serenity", days=[3])
    ServiceFactory(network=network, organisation=world.own_organisation, name="Eden drop-in")
    PublishedPitchFactory(network=network, settlement=settlement, title="A Sunday recovery café")
    Initiative.objects.create(
        network=network, name="Sunday café", summary="A café on Sundays.", started_on="2026-07-01"
    )
    role = RoleFactory(network=network, settlement=settlement, title="Café volunteer")
    start = timezone.now() + datetime.timedelta(days=3)
    ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    return world


def _ours(href, origin):
    """The path of a link to one of our HTML pages, or None."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and f"{parts.scheme}://{parts.netloc}" != origin):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(page, url, origin):
    """{route name: path} of every kind of page reachable by links from the home page, each checked by axe."""
    found, problems, queue = {}, [], ["/"]
    while queue and len(found) < MAX_PAGES:
        path = queue.pop(0)
        try:
            route = resolve(urlsplit(path).path).view_name
        except Resolver404:
            problems.append(f"{path}: linked, but no such page")
            continue
        if route in found:
            continue
        found[route] = path
        response = page.goto(url(path))
        if response is None or response.status != 200:
            problems.append(f"{path}: answered {response and response.status}")
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        results = axe_violations(page)
        if results.violations_count:
            problems.append(f"{path}\n{results.generate_report()}")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        queue.extend(p for p in (_ours(href, origin) for href in hrefs) if p is not None)
    return found, problems


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_a_visitor_can_reach_passes_axe(new_context, live_server, url, content, size):
    page = new_context(**size).new_page()
    found, problems = crawl(page, url, live_server.url)
    assert not problems, "\n\n".join(problems)
    # The crawl really reached the site's parts, so a broken link or a change of menu is noticed.
    assert {"directory:finder", "directory:meeting_detail", "initiatives:pitch_list", "volunteering:role_list"} <= set(
        found
    ), sorted(found)
    assert "core:api_reference" in found, sorted(found)


def test_every_page_a_member_can_reach_passes_axe(new_context, live_server, url, content):
    context = signed_in_context(new_context, live_server, content.users["member"], PHONE)
    found, problems = crawl(context.new_page(), url, live_server.url)
    assert not problems, "\n\n".join(problems)
    assert {"accounts:profile", "timebank:home", "recoverycapital:journey"} <= set(found), sorted(found)
