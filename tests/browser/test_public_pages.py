"""Every public page: no axe-core WCAG 2.2 AA violations, works without
JavaScript, loads without console errors or CSP violations, fits a phone."""

import pytest

from .checks import (
    axe_violations,
    check_axe,
    check_fits_a_phone,
    check_loads_without_errors,
    check_without_javascript,
    follow,
    open_page,
)

# (test id, path for the world built in conftest.world)
PUBLIC_PAGES = [
    ("home", lambda w: "/"),
    ("networks", lambda w: "/networks/"),
    ("network", lambda w: w.own_network.get_absolute_url()),
    ("settlement", lambda w: w.own_settlement.get_absolute_url()),
    ("organisations", lambda w: "/organisations/"),
    ("organisations-search", lambda w: "/organisations/?q=eden"),
    ("organisation", lambda w: w.own_organisation.get_absolute_url()),
    ("partnerships", lambda w: "/partnerships/"),
    ("partnership", lambda w: w.own_partnership.get_absolute_url()),
    ("volunteering", lambda w: "/volunteering/"),
    ("community-ideas", lambda w: "/initiatives/"),
    ("initiatives", lambda w: "/initiatives/projects/"),
    ("accessibility", lambda w: "/accessibility/"),
    ("privacy", lambda w: "/privacy/"),
    ("api-reference", lambda w: "/about/api/"),
    ("login", lambda w: "/accounts/login/"),
    ("signup", lambda w: "/accounts/signup/"),
]
pages = pytest.mark.parametrize("path_for", [p for _, p in PUBLIC_PAGES], ids=[name for name, _ in PUBLIC_PAGES])


@pages
def test_page_has_no_axe_violations(page, url, world, path_for):
    check_axe(page, url, path_for(world))


@pages
def test_page_works_without_javascript(new_context, url, world, path_for):
    check_without_javascript(new_context, url, path_for(world))


@pages
def test_page_loads_without_errors(page, url, world, path_for):
    check_loads_without_errors(page, url, path_for(world))


@pages
def test_page_fits_a_phone_screen(new_context, url, world, path_for):
    check_fits_a_phone(new_context, url, path_for(world))


def test_organisation_search_works_without_javascript(new_context, url, world):
    page = new_context(java_script_enabled=False).new_page()
    open_page(page, url, "/organisations/")
    main = page.locator("main#main-content")
    assert "Eden Recovery" in main.inner_text()
    assert "Mersey Works" in main.inner_text()
    search = main.locator("form[method=get]", has=page.locator("input[name=q]"))
    search.get_by_label("Search").fill("mersey")
    follow(page, search.locator("button[type=submit]"))
    assert "q=mersey" in page.url
    assert "Mersey Works" in main.inner_text()
    assert "Eden Recovery" not in main.inner_text()
    assert search.get_by_label("Search").input_value() == "mersey"


def test_axe_check_finds_violations(page):
    """The axe set-up itself works: a page with known WCAG failures is caught."""
    page.set_content('<html><body><img src="data:,"><a href="/x"></a></body></html>')
    results = axe_violations(page)
    found = {violation["id"] for violation in results.response["violations"]}
    assert {"image-alt", "link-name", "html-has-lang"} <= found, found
