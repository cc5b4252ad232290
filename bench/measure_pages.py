"""Page weight and SQL query counts of RecoveryNet's pages and API lists.

    .venv/bin/python bench/measure_pages.py             # measure and time the test suite
    .venv/bin/python bench/measure_pages.py --no-suite  # pages only
    .venv/bin/python bench/measure_pages.py --write     # also record the results in bench/README.md

Loads the demo federation (`seed_demo`) into a scratch SQLite database, then
requests every public page, every API list and a few coordinators' pages with
Django's test client, counting SQL queries and bytes: the HTML, and the HTML
plus the CSS and JavaScript it loads (raw and gzip-compressed, as WhiteNoise
serves them). Finally it times `python3 dev.py test` (the whole suite).
"""

import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from recoverynet.testing import sign_in

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


@dataclass
class Row:
    section: str
    name: str
    path: str
    status: int
    queries: int
    html: int
    html_gz: int
    total: int
    total_gz: int


def setup_django(database_path: Path):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    import warnings

    import django

    # WhiteNoise warns that collectstatic has not run; the bench reads static files through the finders.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()


def load_demo():
    import io

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.monotonic()
    call_command("seed_demo", "--force", stdout=io.StringIO())
    return time.monotonic() - started


ASSET_PATTERNS = (
    re.compile(r"""<link[^>]+rel=["']stylesheet["'][^>]*href=["']([^"']+)["']"""),
    re.compile(r"""<link[^>]+href=["']([^"']+)["'][^>]*rel=["']stylesheet["']"""),
    re.compile(r"""<script[^>]+src=["']([^"']+)["']"""),
)
# ES module imports inside our own scripts: import ... from "./x.js", import("./y.js").
JS_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}/[^"']+)["']""")


def static_file(url: str):
    """The file behind a /static/ URL (None for anything else)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    path = url.split("?")[0].split("#")[0]
    if not path.startswith(settings.STATIC_URL):
        return None
    found = finders.find(path[len(settings.STATIC_URL) :])
    return Path(found) if found else None


def assets_of(html: str) -> set:
    """Static CSS and JavaScript files a page loads (following relative JS imports)."""
    files, queue = set(), []
    for pattern in ASSET_PATTERNS:
        for url in pattern.findall(html):
            found = static_file(url)
            if found:
                queue.append(found)
    while queue:
        path = queue.pop()
        if path in files:
            continue
        files.add(path)
        if path.suffix in (".js", ".mjs"):
            for relative in JS_IMPORT.findall(path.read_text(errors="replace")):
                imported = (path.parent / relative).resolve()
                if imported.exists():
                    queue.append(imported)
    return files


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def measure(client, section, name, path) -> Row:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT="text/html" if section != "API" else "application/json")
    body = response.content
    total, total_gz = len(body), gz(body)
    if section != "API" and response.status_code == 200:
        for asset in assets_of(body.decode(errors="replace")):
            data = asset.read_bytes()
            total += len(data)
            total_gz += gz(data)
    return Row(section, name, path, response.status_code, len(queries), len(body), gz(body), total, total_gz)


def targets():
    """(section, name, path, who) for everything measured; who signs in (None: anonymous)."""
    from recoverynet.federation.models import Network, Organisation, Partnership, Settlement

    network = Network.objects.active().order_by("name").first()
    settlement = Settlement.objects.active().order_by("network__name", "name").first()
    organisation = Organisation.objects.filter(is_active=True).order_by("name").first()
    partnership = Partnership.objects.order_by("name").first()
    coordinator_network = Network.objects.filter(slug="cumbria").first() or network  # the demo coordinator's
    public = [
        ("Home", "/"),
        ("Networks", "/networks/"),
        (f"Network ({network.name})", network.get_absolute_url()),
        (f"Settlement ({settlement.name})", settlement.get_absolute_url()),
        ("Organisations", "/organisations/"),
        ("Organisations, search", "/organisations/?q=recovery"),
        (f"Organisation ({organisation.name})", organisation.get_absolute_url()),
        ("Partnerships", "/partnerships/"),
        (f"Partnership ({partnership.name})", partnership.get_absolute_url()),
        ("Accessibility statement", "/accessibility/"),
        ("Privacy notice", "/privacy/"),
        ("Sign in", "/accounts/login/"),
        ("Sign up", "/accounts/signup/"),
    ]
    api = [
        ("Networks", "/api/v1/networks/"),
        ("Settlements", "/api/v1/settlements/"),
        ("Organisations", "/api/v1/organisations/"),
        ("Partnerships", "/api/v1/partnerships/"),
        ("Memberships (network coordinator)", "/api/v1/memberships/"),
        ("Members (network coordinator)", "/api/v1/members/"),
    ]
    public += directory_pages()
    api += [
        ("Meetings", "/api/v1/meetings/"),
        ("Fellowships", "/api/v1/fellowships/"),
        ("Services", "/api/v1/services/"),
        ("Locations", "/api/v1/locations/"),
        ("Meeting Guide feed", "/feeds/meeting-guide.json"),
        ("Open Referral UK services", "/openreferral/services"),
    ]
    manage = [
        ("Manage: network dashboard", f"/manage/networks/{coordinator_network.slug}/"),
        ("Manage: members", f"/manage/networks/{coordinator_network.slug}/members/"),
        ("Manage: audit log", "/manage/audit/"),
        ("My profile (member)", "/me/"),
    ]
    rows = [("Public", name, path, None) for name, path in public]
    coordinator, member = "demo.coordinator@example.org", "demo.member@example.org"
    rows += [("API", name, path, coordinator if "coordinator" in name else None) for name, path in api]
    rows += [("Signed in", name, path, member if "member)" in name else coordinator) for name, path in manage]
    return rows


def directory_pages() -> list:
    """The mutual-aid directory's public pages, for whatever the demo holds."""
    from recoverynet.directory.models import Fellowship, Meeting, Service

    pages = [("Meeting finder", "/meetings/"), ("Meeting finder, near Preston", "/meetings/?where=Preston")]
    meeting = Meeting.objects.listed().order_by("name").first()
    if meeting:
        pages.append((f"Meeting ({meeting.name})", meeting.get_absolute_url()))
        schedule = f"/networks/{meeting.network.slug}/schedule"
        pages.append((f"Network schedule ({meeting.network.name})", f"{schedule}/"))
        pages.append((f"Network schedule PDF ({meeting.network.name})", f"{schedule}.pdf"))
    service = Service.objects.listed().order_by("name").first()
    if service:
        pages.append((f"Service ({service.name})", service.get_absolute_url()))
    fellowship = Fellowship.objects.order_by("name").first()
    if fellowship:
        pages.append((f"Fellowship ({fellowship.name})", f"/fellowships/{fellowship.slug}/"))
    pages.append(("Directory data sources", "/about/data/"))
    return pages


def measure_all() -> list:
    from django.contrib.auth import get_user_model
    from django.test import Client

    anonymous = Client()
    signed_in = {}
    rows = []
    for section, name, path, who in targets():
        client = anonymous
        if who:
            if who not in signed_in:
                signed_in[who] = Client()
                sign_in(signed_in[who], get_user_model().objects.get(email=who))
            client = signed_in[who]
        client.get(path)  # warm caches (templates, content types), as a running server would be
        rows.append(measure(client, section, name, path))
    return rows


def time_suite():
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(ROOT / "dev.py"), "test", "-q", "-p", "no:warnings"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")},
    )
    elapsed = time.monotonic() - started
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    summary = re.sub(r"=+", "", lines[-1]).strip() if lines else "(no output)"
    workers = next((line for line in result.stdout.splitlines() if line.startswith("Running the tests")), "")
    return elapsed, summary, workers.strip()


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def render(rows, seed_seconds, suite) -> str:
    out = [
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"SQLite, demo data loaded in {seed_seconds:.1f}s.",
        "",
        "| Section | Page | Path | Status | SQL queries | HTML KiB | HTML gzip KiB "
        "| + CSS/JS KiB | + CSS/JS gzip KiB |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        extra = ("–", "–") if r.section == "API" else (kb(r.total), kb(r.total_gz))
        out.append(
            f"| {r.section} | {r.name} | `{r.path}` | {r.status} | {r.queries} | {kb(r.html)} | {kb(r.html_gz)} "
            f"| {extra[0]} | {extra[1]} |"
        )
    if suite:
        elapsed, summary, workers = suite
        load = os.getloadavg()[0]
        out += [
            "",
            f"Test suite (`python3 dev.py test`): **{elapsed:.0f}s** wall time — {summary}. {workers} "
            f"(load average {load:.1f} when it finished: other work on the machine slows it down).",
        ]
    return "\n".join(out)


def write_readme(text: str):
    content = README.read_text()
    if START not in content or END not in content:
        content += f"\n{START}\n{END}\n"
    before, rest = content.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{START}\n{text}\n{END}{after}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-suite", action="store_true", help="do not time the test suite")
    parser.add_argument("--write", action="store_true", help="record the results in bench/README.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="recoverynet-bench-") as scratch:
        setup_django(Path(scratch) / "bench.sqlite3")
        seed_seconds = load_demo()
        rows = measure_all()
        from django.db import connections

        connections.close_all()
    suite = None if args.no_suite else time_suite()
    text = render(rows, seed_seconds, suite)
    print(text)
    if args.write:
        write_readme(text)
        print(f"\nRecorded in {README.relative_to(ROOT)}.")
    failed = [r for r in rows if r.status != 200]
    if failed:
        print(f"\nNot 200: {', '.join(f'{r.path} ({r.status})' for r in failed)}", file=sys.stderr)


if __name__ == "__main__":
    main()
