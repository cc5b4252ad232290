"""The federation's outcomes dashboard: render time and query count, SQLite and PostgreSQL.

    .venv/bin/python bench/outcomes_dashboard.py --sqlite                    # SQLite only
    .venv/bin/python bench/outcomes_dashboard.py --sqlite --postgres         # both
    .venv/bin/python bench/outcomes_dashboard.py --sqlite --postgres --write # record in bench/README.md

For each database it builds a scratch database (a temporary SQLite file; the
PostgreSQL database `recoverynet_bench_outcomes`, dropped and re-created, never
the test databases), migrates it, loads the demo federation (seed_demo: five
networks), then adds --members memberships and --meetings meetings spread over
two years, and --extra-networks networks with a few of each, in bulk. As the
federation coordinator (Django's test client) it requests /manage/outcomes/
with 4 and with 8 quarters of trend and a network's page, --runs times each
after a warm-up, and reports p50 / p95 render time and the number of SQL
queries; then it checks the query count is the same with the extra networks
as without (it must not grow with networks).

Only the indicators installed on this branch are measured (federation,
directory, time bank): the recovery capital app, whose assessments the issue's
1,000,000-answer target is about, is built on another branch; its figures show
as "not yet measured" here. Not a test: pytest does not collect this directory.
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
START, END = "<!-- outcomes-dashboard:start -->", "<!-- outcomes-dashboard:end -->"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DB = "recoverynet_bench_outcomes"
NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)
TWO_YEARS = 730


def setup_django(database_url: str):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()


def postgres(action):
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DB}"')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{POSTGRES_DB}"')


def generate(members, meetings, extra_networks):
    """Deterministic bulk data on top of the demo federation."""
    import io

    from django.core.management import call_command

    from recoverynet.accounts.models import User
    from recoverynet.directory.models import Fellowship, Meeting
    from recoverynet.federation.models import Federation, Membership, Network

    call_command("seed_demo", "--force", stdout=io.StringIO())
    rng = random.Random(15)
    federation = Federation.objects.get()
    demo_networks = list(Network.objects.all())
    Network.objects.bulk_create(
        Network(federation=federation, name=f"Bench network {n}", slug=f"bench-{n}") for n in range(extra_networks)
    )
    extra = list(Network.objects.filter(slug__startswith="bench-"))
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", display_name=f"Bench {n}") for n in range(members)
    )
    statuses = [Membership.Status.ACTIVE] * 8 + [Membership.Status.LEFT, Membership.Status.PENDING]
    memberships = []
    for user in users:
        joined = NOW - datetime.timedelta(days=rng.randrange(TWO_YEARS))
        memberships.append(
            Membership(user=user, network=rng.choice(demo_networks), status=rng.choice(statuses), joined_at=joined)
        )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    active = Membership.Status.ACTIVE
    Membership.objects.bulk_create(
        (Membership(user=users[n], network=network, status=active) for n, network in enumerate(extra)), batch_size=2000
    )
    fellowships = list(Fellowship.objects.all())
    rows = []
    for n in range(meetings):
        rows.append(
            Meeting(
                network=rng.choice(demo_networks),
                fellowship=rng.choice(fellowships),
                name=f"Bench meeting {n}",
                slug=f"bench-meeting-{n}",
                group_name=f"Group {n // 3}",
            )
        )
    Meeting.objects.bulk_create(rows, batch_size=2000)
    return {
        "networks": Network.objects.count(),
        "memberships": Membership.objects.count(),
        "meetings": Meeting.objects.count(),
    }


def measure(runs, warmup):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from recoverynet.accounts.models import User
    from recoverynet.core.registry import indicators
    from recoverynet.federation.models import Federation, Network
    from recoverynet.testing import give_totp, sign_in

    coordinator = User.objects.create_user(email="bench-coordinator@example.org", display_name="Bench")
    Federation.objects.get().coordinators.add(coordinator)
    give_totp(coordinator)
    client = sign_in(Client(), coordinator)
    network = Network.objects.exclude(slug__startswith="bench-").order_by("name").first()
    pages = [
        ("Federation, 4 quarters", "/manage/outcomes/?quarter=2026Q4&quarters=4"),
        ("Federation, 8 quarters", "/manage/outcomes/?quarter=2026Q4&quarters=8"),
        (f"Network ({network.name}), 4 quarters", f"/manage/outcomes/networks/{network.slug}/?quarter=2026Q4"),
    ]
    results = []
    for label, url in pages:
        for _ in range(warmup):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        results.append(
            {
                "page": label,
                "p50": statistics.median(times),
                "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                "queries": len(queries),
                "kib": len(response.content) / 1024,
            }
        )
    # The same page with the bench networks switched off: the query count must not change.
    Network.objects.filter(slug__startswith="bench-").update(is_active=False)
    client.get(pages[0][1])  # warm-up, as for the runs above
    with CaptureQueriesContext(connection) as fewer:
        client.get(pages[0][1])
    Network.objects.filter(slug__startswith="bench-").update(is_active=True)
    return {
        "pages": results,
        "indicators": len(indicators()),
        "queries_with_demo_networks_only": len(fewer),
        "active_networks": Network.objects.active().count(),
    }


def worker(kind, members, meetings, extra_networks, runs, warmup):
    if kind == "postgres":
        postgres("create")
        setup_django(f"{POSTGRES_SERVER}/{POSTGRES_DB}")
        scratch = None
    else:
        handle, scratch = tempfile.mkstemp(prefix="recoverynet-bench-", suffix=".sqlite3")
        os.close(handle)
        setup_django(f"sqlite:///{scratch}")
    import io

    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())
        started = time.perf_counter()
        result = {"database": kind, "data": generate(members, meetings, extra_networks)}
        result["load_seconds"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
            result["version"] = cursor.fetchone()[0]
        result.update(measure(runs, warmup))
    finally:
        connection.close()
        if kind == "postgres":
            postgres("drop")
        elif scratch is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(scratch + suffix).unlink(missing_ok=True)
    print("RESULT " + json.dumps(result, default=str))


def run_worker(kind, args):
    command = [sys.executable, __file__, "--worker", kind, "--members", str(args.members)]
    command += ["--meetings", str(args.meetings), "--extra-networks", str(args.extra_networks)]
    command += ["--runs", str(args.runs), "--warmup", str(args.warmup)]
    print(f"… {kind}", file=sys.stderr, flush=True)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        raise SystemExit(f"{kind} worker failed")
    line = [x for x in completed.stdout.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def report(results, args) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Measured {when} on {os.cpu_count()} CPUs, Python {platform.python_version()}; {args.runs} runs after "
        f"{args.warmup} warm-up; times in ms. Indicators measured: those installed on this branch (federation, "
        "directory, time bank); the recovery capital app's are not on it and show as \u201cnot yet measured\u201d.",
        "",
        "| Database | Data | Page | p50 ms | p95 ms | SQL queries | HTML KiB |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for result in results:
        data = result["data"]
        described = f"{data['networks']} networks, {data['memberships']:,} memberships, {data['meetings']:,} meetings"
        for page in result["pages"]:
            lines.append(
                f"| {result['database']} {result['version']} | {described} | {page['page']} | {page['p50']:.0f} | "
                f"{page['p95']:.0f} | {page['queries']} | {page['kib']:.0f} |"
            )
    lines.append("")
    for result in results:
        lines.append(
            f"{result['database']}: {result['indicators']} indicators; the federation page ran "
            f"{result['pages'][0]['queries']} queries with {result['active_networks']} active networks and "
            f"{result['queries_with_demo_networks_only']} with the 5 demo networks only."
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--meetings", type=int, default=5_000)
    parser.add_argument("--extra-networks", type=int, default=20)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--worker", choices=("sqlite", "postgres"))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.members, args.meetings, args.extra_networks, args.runs, args.warmup)
        return
    kinds = [kind for kind in ("sqlite", "postgres") if getattr(args, kind)] or ["sqlite"]
    text = report([run_worker(kind, args) for kind in kinds], args)
    print(text)
    if args.write:
        readme = README.read_text()
        if START in readme:
            before, rest = readme.split(START, 1)
            readme = before + START + "\n" + text + "\n" + END + rest.split(END, 1)[1]
        else:
            readme += f"\n## The outcomes dashboard\n\nSee `bench/outcomes_dashboard.py`.\n\n{START}\n{text}\n{END}\n"
        README.write_text(readme)


if __name__ == "__main__":
    main()
