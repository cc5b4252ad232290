"""Fifty concurrent sign-ups for a shift with ten places, on PostgreSQL.

    .venv/bin/python bench/volunteering_signups.py            # 50 clients, 5 rounds
    .venv/bin/python bench/volunteering_signups.py --write    # and record in bench/README.md

Creates a scratch database with the app's schema (migrations) and the test
world. Each round adds a shift with --places places; --clients processes (as
gunicorn's workers would be), each its own connection and its own member,
wait for the same moment and call `volunteering.services.sign_up` once. A
round passes when exactly --places got a place and every other client was
told the shift is full (no other error). Reports p50/p95/max of a sign-up
over all rounds. Not a test (the test is
recoverynet/volunteering/tests/test_concurrency_postgres.py).
"""

import argparse
import datetime
import multiprocessing
import os
import platform
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
README = ROOT / "bench" / "README.md"
START, END = "<!-- volunteering:start -->", "<!-- volunteering:end -->"


def with_database(url: str, name: str) -> str:
    return re.sub(r"/[^/]*$", f"/{name}", url)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    import psycopg

    app_db = f"recoverynet_vol_{secrets.token_hex(4)}"
    admin = with_database(args.database_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{app_db}"')
    try:
        results = run_app(with_database(args.database_url, app_db), args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{app_db}" WITH (FORCE)')
    text = table(results, args)
    print("\n" + text)
    if results["failures"]:
        print("FAIL:", *results["failures"], sep="\n  ")
        sys.exit(1)
    if args.write:
        readme = README.read_text()
        if START not in readme:
            readme += f"\n## Volunteering sign-ups (`bench/volunteering_signups.py`)\n\n{START}\n{END}\n"
        head, rest = readme.split(START, 1)
        README.write_text(f"{head}{START}\n{text}\n{END}{rest.split(END, 1)[1]}")


def run_app(url, args) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from recoverynet.federation.factories import MembershipFactory
    from recoverynet.testing import build_world
    from recoverynet.volunteering.factories import RoleFactory, ShiftFactory
    from recoverynet.volunteering.models import SignUp

    call_command("migrate", verbosity=0)
    world = build_world()
    role = RoleFactory(
        network=world.own_network, settlement=world.own_settlement, early_recovery="yes", confirm_automatically=True
    )
    members = [MembershipFactory(network=world.own_network, status="active").user.pk for _ in range(args.clients)]
    latencies, failures = [], []
    context = multiprocessing.get_context("fork")
    for round_number in range(args.rounds):
        start = timezone.now() + datetime.timedelta(days=1 + round_number)
        shift = ShiftFactory(
            role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=args.places
        )
        connections.close_all()  # each forked client opens its own connection
        begin_at = time.monotonic() + 3  # time to start the processes
        with context.Pool(args.clients) as pool:
            outcomes = pool.starmap(client, [(user_id, shift.pk, begin_at) for user_id in members])
        latencies += [seconds for seconds, _ in outcomes]
        answers = [answer for _, answer in outcomes]
        placed, full = answers.count("placed"), answers.count("full")
        stored = SignUp.objects.filter(shift=shift).count()
        if (placed, full, stored) != (args.places, args.clients - args.places, args.places):
            failures.append(f"round {round_number}: placed {placed}, full {full}, stored {stored}, {set(answers)}")
    latencies.sort()
    # The same sign-up with nobody else at once, for comparison.
    alone_runs = []
    for extra in range(10):
        start = timezone.now() + datetime.timedelta(days=100 + extra)
        shift = ShiftFactory(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=1)
        connections.close_all()
        with context.Pool(1) as pool:
            alone_runs.append(pool.starmap(client, [(members[0], shift.pk, time.monotonic())])[0][0])
    alone = 1000 * statistics.median(alone_runs)
    return {
        "signups": len(latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
        "alone_ms": alone,
        "failures": failures,
    }


def client(user_id, shift_id, begin_at):
    """One client process: wait for the common moment, sign up once; (latency, "placed" | "full" | the error)."""
    from django.core.exceptions import ValidationError
    from django.db import connections

    from recoverynet.accounts.models import User
    from recoverynet.volunteering import services
    from recoverynet.volunteering.models import Shift

    user = User.objects.get(pk=user_id)
    shift = Shift.objects.get(pk=shift_id)
    time.sleep(max(0.0, begin_at - time.monotonic()))
    started = time.perf_counter()
    try:
        services.sign_up(actor=user, shift=shift)
        answer = "placed"
    except ValidationError as exc:
        answer = "full" if exc.code == "full" else repr(exc)
    except Exception as exc:  # noqa: BLE001 - reported, and fails the round
        answer = repr(exc)
    elapsed = time.perf_counter() - started
    connections.close_all()
    return elapsed, answer


def table(r, args) -> str:
    ok = "every round" if not r["failures"] else f"{len(r['failures'])} round(s) FAILED"
    return "\n".join(
        [
            f"Measured {datetime.datetime.now(tz=datetime.UTC).date()} on {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, PostgreSQL, {args.clients} clients at once for "
            f"{args.places} places, {args.rounds} rounds; load average {os.getloadavg()[0]:.1f} at the end "
            "(a shared machine: every client is a Python process, so on 2 CPUs the 50th waits for the CPU "
            "as much as for the shift's lock).",
            "",
            "| Measure | Result |",
            "|---|---:|",
            f"| Exactly {args.places} placed, {args.clients - args.places} told it is full | {ok} |",
            f"| Sign-up latency p50 / p95 / max ({r['signups']} sign-ups) | "
            f"{r['p50_ms']:.1f} ms / {r['p95_ms']:.1f} ms / {r['max_ms']:.1f} ms |",
            f"| One sign-up with no one else at once, median | {r['alone_ms']:.1f} ms |",
        ]
    )


if __name__ == "__main__":
    main()
