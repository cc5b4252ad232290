"""The checks every public page must pass, shared by the browser test modules."""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0, 2.1 and 2.2 at levels A and AA.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
    "resultTypes": ["violations"],
}
PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def open_page(page, url, path):
    response = page.goto(url(path))
    assert response is not None
    assert response.status == 200, f"GET {path} answered {response.status}"
    return response


def axe_violations(page):
    return Axe().run(page, options=AXE_OPTIONS)


def fits_and_passes_axe(page, *, javascript=True):
    """The page as it stands in a journey: nothing wider than the screen, and (where JavaScript
    runs, as axe needs it) no WCAG 2.2 A or AA violations."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"
    if javascript:
        results = axe_violations(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def check_axe(page, url, path):
    """No axe-core violations of WCAG 2.2 A and AA."""
    open_page(page, url, path)
    results = axe_violations(page)
    assert results.violations_count == 0, f"{path}\n{results.generate_report()}"


def check_without_javascript(new_context, url, path):
    """The page's content is there with JavaScript off: one h1 in <main>, a
    title, and the skip link is the first thing the keyboard reaches."""
    page = new_context(java_script_enabled=False).new_page()
    open_page(page, url, path)
    main = page.locator("main#main-content")
    assert main.is_visible()
    heading = main.locator("h1")
    assert heading.count() == 1, f"{path}: expected exactly one h1 in <main>"
    assert heading.inner_text().strip()
    assert page.title().endswith("RecoveryNet")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main-content"


def check_loads_without_errors(page, url, path):
    """No console errors (CSP violations are reported there), no failed
    requests for CSS, JavaScript, images or fonts."""
    console_errors, failed = [], []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(f"{msg.text} {msg.location}"))
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.url} {response.status}"))
    open_page(page, url, path)
    page.wait_for_load_state("networkidle")
    assert failed == [], f"{path}: {failed}"
    assert console_errors == [], f"{path}: {console_errors}"


def check_fits_a_phone(new_context, url, path):
    """No horizontal scrolling on a 375px-wide phone."""
    page = new_context(**PHONE).new_page()
    open_page(page, url, path)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    viewport_width = page.evaluate("window.innerWidth")
    assert scroll_width <= viewport_width, f"{path}: page is {scroll_width}px wide on a {viewport_width}px screen"


def signed_in_context(new_context, live_server, user, size):
    """A browser context carrying a real session of `user`, second factor passed (as allauth leaves it)."""
    from django.conf import settings
    from django.test import Client

    from recoverynet.testing import sign_in

    client = sign_in(Client(), user)
    context = new_context(**size)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def follow(page, target):
    """Click a link or a form's button and wait for the page it leads to, so nothing reads the old one
    (or the new one before it has a document)."""
    with page.expect_navigation():
        target.click()
