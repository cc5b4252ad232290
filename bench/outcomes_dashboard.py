"""The federation's outcomes dashboard: render time and query count, SQLite and PostgreSQL.

    .venv/bin/python bench/outcomes_dashboard.py --sqlite                    # SQLite only
    .venv/bin/python bench/outcomes_dashboard.py --sqlite --postgres         # both
    .venv/bin/python bench/outcomes_dashboard.py --sqlite --postgres --write # record in bench/README.md

For each database it builds a scratch database (a temporary SQLite file; the
PostgreSQL database `recoverynet_bench_outcomes`, dropped and re-created, never
the test databases), migrates it, loads the demo federation (seed_demo: five
networks), then adds --members memberships and --meetings meetings spread over
two years, and --extra-networks networks with a few of each, in bulk. Then
--assessments completed BARC-10 assessments (10 answers each: 100,000 make the
issue's 1,000,000 answers), a member's every three months or so over the two
years in the network of their membership, with the totals the app stores
(total_score, completed_at, instrument, network, person): assessments with
bulk_create, answers with COPY on PostgreSQL and executemany on SQLite. As the
federation coordinator (Django's test client) it requests /manage/outcomes/
with 4 and with 8 quarters of trend and a network's page, --runs times each
after a warm-up, and reports p50 / p95 render time and the number of SQL
queries; then it checks the query count is the same with the extra networks
as without (it must not grow with networks) and the same before the
assessments were loaded as after (it must not grow with rows).

Every indicator installed is measured (federation, directory, time bank,
recovery capital, and any other app's). Not a test: pytest does not collect
this directory.
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


def postgres(action, name=POSTGRES_DB):
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


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


COPY_ANSWERS = "COPY recoverycapital_answer (assessment_id, item_id, value) FROM STDIN"
INSERT_ANSWERS = "INSERT INTO recoverycapital_answer (assessment_id, item_id, value) VALUES (%s, %s, %s)"


def generate_assessments(target):
    """`target` completed BARC-10 assessments with their ten answers, members taking one every 80-110 days."""
    from django.db import connection, transaction

    from recoverynet.accounts.models import ConsentPurpose, ConsentRecord
    from recoverynet.federation.models import Membership
    from recoverynet.recoverycapital.models import Answer, Assessment, Instrument, Item
    from recoverynet.recoverycapital.services import load_shipped_instruments

    load_shipped_instruments()
    barc = Instrument.objects.get(slug="barc-10", version=1)
    items = list(Item.objects.filter(instrument=barc).order_by("number").values_list("pk", flat=True))
    rng = random.Random(1_000_000)
    memberships = list(
        Membership.objects.filter(user__email__startswith="bench", status=Membership.Status.ACTIVE)
        .order_by("pk")
        .values_list("user_id", "network_id")
    )
    # Assessments are taken with outcome-measurement consent, and counted only while it stands.
    ConsentRecord.objects.bulk_create(
        (
            ConsentRecord(user_id=person, purpose=ConsentPurpose.OUTCOME_MEASUREMENT, granted=True, wording_version="1")
            for person in sorted({person for person, _ in memberships})
        ),
        batch_size=5000,
    )
    start = NOW - datetime.timedelta(days=TWO_YEARS)
    planned = []  # (assessment, [ten answers])
    while len(planned) < target:
        for person, network in memberships:
            level = rng.uniform(2.0, 3.8)
            gain = rng.uniform(-0.05, 0.35)
            when = start + datetime.timedelta(days=rng.randrange(120), minutes=rng.randrange(1440))
            while when < NOW and len(planned) < target:
                values = [min(6, max(1, round(rng.gauss(level, 0.9)))) for _ in items]
                completed = when + datetime.timedelta(minutes=rng.randint(4, 20))
                planned.append(
                    (
                        Assessment(
                            person_id=person,
                            network_id=network,
                            instrument=barc,
                            started_at=when,
                            completed_at=completed,
                            total_score=sum(values),
                        ),
                        values,
                    )
                )
                level = min(5.8, max(1.2, level + gain + rng.gauss(0, 0.25)))
                when += datetime.timedelta(days=rng.randint(80, 110))
            if len(planned) >= target:
                break
    batch = 5000
    for first in range(0, len(planned), batch):
        chunk = planned[first : first + batch]
        # One transaction a batch: in autocommit SQLite would commit (and sync) every answer row.
        with transaction.atomic():
            Assessment.objects.bulk_create([a for a, _ in chunk])
            rows = [(a.pk, item, value) for a, values in chunk for item, value in zip(items, values, strict=True)]
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(COPY_ANSWERS) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(INSERT_ANSWERS, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # both databases: the statistics a live one keeps
    return {
        "assessments": Assessment.objects.filter(completed_at__isnull=False).count(),
        "answers": Answer.objects.count(),
        "assessed_members": Assessment.objects.values("person").distinct().count(),
    }


def explain():
    """The recovery capital indicators' plans for 4 quarters, all networks (EXPLAIN ANALYZE on PostgreSQL),
    and the time of the three over the federation page's 8 quarters."""
    from django.db import connection
    from django.db.models import Count

    from recoverynet.core.registry import measuring
    from recoverynet.federation.models import Network
    from recoverynet.outcomes.framework import Quarter, quarters_ending
    from recoverynet.recoverycapital import indicators

    networks = list(Network.objects.active())
    periods = [quarter.period for quarter in quarters_ending(Quarter(2026, 4), 4)]
    sql, params = indicators.change_query([network.pk for network in networks], periods)
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        change = "\n".join(" ".join(str(column) for column in row) for row in cursor.fetchall())
    completed = indicators._completed(networks, periods[-1]).values("network_id").annotate(n=Count("pk")).order_by()
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    plans = {
        "recovery capital change (and members with a change), 2026 Q1-Q4, all networks": change,
        "assessments_completed, 2026 Q4, all networks": completed.explain(**options),
    }
    eight = [quarter.period for quarter in quarters_ending(Quarter(2026, 4), 8)]
    times = []
    for _ in range(3):
        started = time.perf_counter()
        with measuring():
            for indicator in indicators.INDICATORS:
                indicator.measure_over(networks, eight)
        times.append((time.perf_counter() - started) * 1000)
    plans["ms for the 3 recovery capital indicators x 8 quarters (median of 3)"] = str(round(statistics.median(times)))
    return plans


def profile(url):
    """One request under cProfile: the 20 functions with the most time of their own."""
    import cProfile
    import io
    import pstats

    client = coordinator_client()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
    return out.getvalue()


_CLIENT = []


def coordinator_client():
    """The federation coordinator, signed in (made once)."""
    if not _CLIENT:
        from django.test import Client

        from recoverynet.accounts.models import User
        from recoverynet.federation.models import Federation
        from recoverynet.testing import give_totp, sign_in

        coordinator = User.objects.filter(email="coordinator-bench@example.org").first()  # kept (--reuse)
        if coordinator is None:
            coordinator = User.objects.create_user(email="coordinator-bench@example.org", display_name="Bench")
            Federation.objects.get().coordinators.add(coordinator)
            give_totp(coordinator)
        _CLIENT.append(sign_in(Client(), coordinator))
    return _CLIENT[0]


def count_queries(url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = coordinator_client()
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


FEDERATION_PAGE = "/manage/outcomes/?quarter=2026Q4&quarters=4"


def measure(runs, warmup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recoverynet.core.registry import indicators
    from recoverynet.federation.models import Network

    client = coordinator_client()
    network = Network.objects.exclude(slug__startswith="bench-").order_by("name").first()
    pages = [
        ("Federation, 4 quarters", FEDERATION_PAGE),
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
        timed = sorted(((float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries), reverse=True)
        results.append(
            {
                "page": label,
                "p50": statistics.median(times),
                "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                "queries": len(queries),
                "kib": len(response.content) / 1024,
                "sql_ms": sum(ms for ms, _ in timed),
                "slowest": [(round(ms), sql[:160]) for ms, sql in timed[:5]],
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


def worker(kind, args):
    """Build (or, with --reuse, reopen) the database, measure, and print the result as one JSON line."""
    reuse = args.reuse
    if kind == "postgres":
        if not reuse:
            postgres("create", args.postgres_db)
        setup_django(f"{POSTGRES_SERVER}/{args.postgres_db}")
        scratch = None
    else:
        if args.sqlite_file:
            scratch = args.sqlite_file
            if not reuse:
                for suffix in ("", "-wal", "-shm"):
                    Path(scratch + suffix).unlink(missing_ok=True)
        else:
            handle, scratch = tempfile.mkstemp(prefix="recoverynet-bench-", suffix=".sqlite3")
            os.close(handle)
        setup_django(f"sqlite:///{scratch}")
    import io

    from django.core.management import call_command
    from django.db import connection

    try:
        result = {"database": kind, "runs": args.runs, "warmup": args.warmup, "reused": reuse}
        if reuse:
            call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())  # any new migration
            result["data"] = loaded()
            result["queries_before_assessments"] = None
            result["load_seconds"] = None
        else:
            call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())
            started = time.perf_counter()
            result["data"] = generate(args.members, args.meetings, args.extra_networks)
            result["queries_before_assessments"] = count_queries(FEDERATION_PAGE)
            result["data"].update(generate_assessments(args.assessments))
            result["load_seconds"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
            result["version"] = cursor.fetchone()[0]
        result["load_before"] = round(os.getloadavg()[0], 1)
        result.update(measure(args.runs, args.warmup))
        result["load_after"] = round(os.getloadavg()[0], 1)
        result["explain"] = explain()
        result["explain"]["profile of the federation page, 4 quarters"] = profile(FEDERATION_PAGE)
    finally:
        connection.close()
        if args.keep:
            print(f"kept: {args.postgres_db if kind == 'postgres' else scratch}", file=sys.stderr)
        elif kind == "postgres":
            postgres("drop", args.postgres_db)
        elif scratch is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(scratch + suffix).unlink(missing_ok=True)
    print("RESULT " + json.dumps(result, default=str))


def loaded():
    """What a kept database (--reuse) holds, as generate() and generate_assessments() report it."""
    from recoverynet.directory.models import Meeting
    from recoverynet.federation.models import Membership, Network
    from recoverynet.recoverycapital.models import Answer, Assessment

    return {
        "networks": Network.objects.count(),
        "memberships": Membership.objects.count(),
        "meetings": Meeting.objects.count(),
        "assessments": Assessment.objects.filter(completed_at__isnull=False).count(),
        "answers": Answer.objects.count(),
        "assessed_members": Assessment.objects.values("person").distinct().count(),
    }


WORKER_OPTIONS = ("members", "meetings", "extra_networks", "assessments", "runs", "warmup", "postgres_db")


def run_worker(kind, args):
    command = [sys.executable, __file__, "--worker", kind]
    for name in WORKER_OPTIONS:
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    if args.sqlite_file:
        command += ["--sqlite-file", args.sqlite_file]
    command += [flag for flag in ("--keep", "--reuse") if getattr(args, flag[2:])]
    print(f"… {kind}", file=sys.stderr, flush=True)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        raise SystemExit(f"{kind} worker failed")
    return saved_result(completed.stdout)


def saved_result(stdout):
    line = [x for x in stdout.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def report(results) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Measured {when} on {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        + ", ".join(f"{r['database']} {r['runs']} runs after {r['warmup']} warm-up" for r in results)
        + "; times in ms. Every installed indicator is measured, recovery capital's included.",
        "",
        "| Database | Data | Page | p50 ms | p95 ms | SQL queries | HTML KiB |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for result in results:
        data = result["data"]
        described = (
            f"{data['networks']} networks, {data['memberships']:,} memberships, {data['meetings']:,} meetings, "
            f"{data['assessments']:,} assessments ({data['assessed_members']:,} members), {data['answers']:,} answers"
        )
        for page in result["pages"]:
            lines.append(
                f"| {result['database']} {result['version']} | {described} | {page['page']} | {page['p50']:.0f} | "
                f"{page['p95']:.0f} | {page['queries']} | {page['kib']:.0f} |"
            )
    lines.append("")
    for result in results:
        if result.get("reused"):
            loading = "measured on a database kept from an earlier run (--reuse)."
        else:
            loading = (
                f"and {result['queries_before_assessments']} before the bench's assessments were loaded; "
                f"data loaded in {result['load_seconds']} s."
            )
        if "load_before" in result:
            loading += f" Load average (1 min) before/after timing: {result['load_before']} / {result['load_after']}."
        lines.append(
            f"{result['database']}: {result['indicators']} indicators; the federation page ran "
            f"{result['pages'][0]['queries']} queries with {result['active_networks']} active networks and "
            f"{result['queries_with_demo_networks_only']} with the 5 demo networks only, {loading}"
        )
    lines.append("")
    for result in results:
        for page in result["pages"]:
            slowest = "; ".join(f"{ms} ms" for ms, _ in page["slowest"][:3])
            lines.append(
                f"{result['database']}, {page['page']} (last run): SQL {page['sql_ms']:.0f} ms in "
                f"{page['queries']} queries; slowest {slowest}."
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--meetings", type=int, default=5_000)
    parser.add_argument("--extra-networks", type=int, default=20)
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--postgres-db", default=POSTGRES_DB, help="the scratch PostgreSQL database's name")
    parser.add_argument("--sqlite-file", help="the scratch SQLite file (default: a temporary file)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by --keep, without loading")
    parser.add_argument("--worker", choices=("sqlite", "postgres"))
    parser.add_argument("--results", nargs="+", help="report these saved worker outputs instead of running")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args)
        return
    kinds = [kind for kind in ("sqlite", "postgres") if getattr(args, kind)] or ["sqlite"]
    if args.results:  # saved worker output (`--worker KIND > file`), one file per database
        results = [saved_result(Path(name).read_text()) for name in args.results]
    else:
        results = [run_worker(kind, args) for kind in kinds]
    text = report(results)
    print(text)
    for result in results:  # where the time goes: not recorded, for whoever runs it
        print(f"\n== {result['database']}: slowest queries of each page's last run", file=sys.stderr)
        for page in result["pages"]:
            for ms, sql in page["slowest"]:
                print(f"{page['page']}: {ms} ms  {sql}", file=sys.stderr)
        for name, plan in result["explain"].items():
            print(f"\n== {result['database']}: {name}\n{plan}", file=sys.stderr)
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
