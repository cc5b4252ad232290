"""Browser tests: Chromium driven by Playwright against pytest-django's live server.

Everything in this directory is marked `browser` and is skipped, with one clear
reason, when Debian's Chromium is not installed at /usr/bin/chromium
(`apt-get install chromium`; `.ci/run` installs it). Under CI=true a missing
Chromium is an error, not a skip: CI must run them.
"""

import os
from pathlib import Path

import pytest

from recoverynet.testing import build_world

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
SKIP_REASON = (
    f"browser tests skipped: Chromium is not installed at {CHROMIUM} "
    "(install it with `apt-get install chromium`, as .ci/run does)"
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists():
            if os.environ.get("CI", "").lower() == "true":
                raise pytest.UsageError(f"CI=true but {SKIP_REASON}: CI must run the browser tests.")
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API keeps an asyncio loop registered on the main
    thread, which makes Django refuse ORM calls from test code ("you cannot
    call this from an async context"). The tests themselves are synchronous."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def world(live_server):
    """The two-network test world, visible to the live server (transactional db)."""
    return build_world()


@pytest.fixture
def url(live_server):
    """Absolute URL on the live server for a path."""

    def make(path):
        return f"{live_server.url}{path}"

    return make


@pytest.fixture
def new_context(new_context):
    """Fail within 10 seconds, not Playwright's 30, when an element is missing."""

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(10_000)
        return context

    return make
