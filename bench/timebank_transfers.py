"""Time bank transfers per second on PostgreSQL, beside pgbench's tpcb-like on the same server.

    .venv/bin/python bench/timebank_transfers.py                 # 16 clients, 10 s
    .venv/bin/python bench/timebank_transfers.py --write         # and record in bench/README.md

Creates two scratch databases. In one, pgbench's own `tpcb-like` script (an
account debit and credit with a history row: the same shape of work) runs with
the same number of clients for the same time. In the other, the app's schema
(migrations), two networks and 64 members' accounts; then --clients processes
(as gunicorn's workers would be: no shared interpreter lock), each with its own
connection, call `timebank.services.transfer` between random
accounts (one in five across networks, through the clearing accounts) for
--seconds. It reports transfers/s and its ratio to pgbench's transactions/s,
p50/p95 of a transfer, and p95 of a member's statement (every posting with
the balance after it) once that account has 10,000 transactions. The ledger
must pass `timebank_audit`'s checks at the end, or the run fails. Not a test.
"""

import argparse
import datetime
import multiprocessing
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
README = ROOT / "bench" / "README.md"
START, END = "<!-- timebank:start -->", "<!-- timebank:end -->"


def with_database(url: str, name: str) -> str:
    return re.sub(r"/[^/]*$", f"/{name}", url)


def pgbench(url, clients, seconds) -> float:
    subprocess.run(["pgbench", "-i", "-q", "-s", "4", url], check=True, capture_output=True)  # noqa: S607
    out = subprocess.run(  # noqa: S603
        ["pgbench", "-b", "tpcb-like", "-c", str(clients), "-j", "2", "-T", str(int(seconds)), url],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(re.search(r"tps = ([0-9.]+)", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--statement-transactions", type=int, default=10_000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    import psycopg

    suffix = secrets.token_hex(4)
    app_db, bench_db = f"recoverynet_tb_{suffix}", f"recoverynet_pgbench_{suffix}"
    admin = with_database(args.database_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{app_db}"')
        conn.execute(f'CREATE DATABASE "{bench_db}"')
    try:
        tps = pgbench(with_database(args.database_url, bench_db), args.clients, args.seconds)
        print(f"pgbench tpcb-like: {tps:.0f} transactions/s", flush=True)
        results = run_app(with_database(args.database_url, app_db), args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{app_db}" WITH (FORCE)')
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
    results["pgbench_tps"] = tps
    text = table(results, args)
    print("\n" + text)
    if results["violations"]:
        print("FAIL: the ledger has violations:", *results["violations"], sep="\n  ")
        sys.exit(1)
    if args.write:
        readme = README.read_text()
        if START not in readme:
            readme += f"\n## Time bank transfers (`bench/timebank_transfers.py`)\n\n{START}\n{END}\n"
        head, rest = readme.split(START, 1)
        README.write_text(f"{head}{START}\n{text}\n{END}{rest.split(END, 1)[1]}")


def run_app(url, args) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from recoverynet.testing import build_world
    from recoverynet.timebank import services
    from recoverynet.timebank.audit import ledger_violations
    from recoverynet.timebank.factories import MemberAccountFactory
    from recoverynet.timebank.models import Account
    from recoverynet.timebank.selectors import statement

    call_command("migrate", verbosity=0)
    world = build_world()
    networks = [world.own_network, world.other_network]
    accounts = [MemberAccountFactory(network=networks[i % 5 == 0], floor=-100_000, ceiling=100_000) for i in range(64)]
    account_ids = [a.pk for a in accounts]
    network_of = {a.pk: a.network_id for a in accounts}
    connections.close_all()  # each forked client opens its own connection
    begin_at = time.monotonic() + 2  # time to start the processes
    stop_at = begin_at + args.seconds
    context = multiprocessing.get_context("fork")
    with context.Pool(args.clients) as pool:
        plans = [(seed, account_ids, network_of, begin_at, stop_at) for seed in range(args.clients)]
        outcomes = pool.starmap(client, plans)
    elapsed = args.seconds
    latencies = sorted(t for mine, _ in outcomes for t in mine)
    refused = [n for _, n in outcomes]

    # A statement of 10,000 transactions: one member who gives a minute at a time.
    giver = MemberAccountFactory(network=world.own_network, floor=-(10**7))
    receiver = accounts[1]
    for _ in range(args.statement_transactions):
        services.transfer(actor=giver.user, source=giver, destination=receiver, minutes=1)
    full, first_page = [], []
    for _ in range(20):
        t = time.perf_counter()
        rows = list(statement(giver))
        full.append(time.perf_counter() - t)
        t = time.perf_counter()
        list(statement(giver)[:50])
        first_page.append(time.perf_counter() - t)
    assert len(rows) == args.statement_transactions
    full.sort()
    first_page.sort()
    return {
        "transfers": len(latencies),
        "tps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "refused": sum(refused),
        "statement_p95_ms": 1000 * full[int(0.95 * (len(full) - 1))],
        "statement_page_p95_ms": 1000 * first_page[int(0.95 * (len(first_page) - 1))],
        "accounts": Account.objects.count(),
        "violations": ledger_violations(),
    }


def client(seed, account_ids, network_of, begin_at, stop_at):
    """One client process (its own connection): random transfers from begin_at to stop_at;
    returns (each transfer's latency, how many were refused)."""
    from django.core.exceptions import ValidationError
    from django.db import connections

    from recoverynet.timebank import services
    from recoverynet.timebank.models import Account

    rng = random.Random(seed)
    accounts = list(Account.objects.select_related("user", "network").filter(pk__in=account_ids))
    by_network = {}
    for account in accounts:
        by_network.setdefault(network_of[account.pk], []).append(account)
    mine, refused = [], 0
    time.sleep(max(0.0, begin_at - time.monotonic()))  # every client starts at the same moment
    while time.monotonic() < stop_at:
        source = rng.choice(accounts)
        pool = accounts if rng.random() < 0.2 else by_network[source.network_id]
        destination = rng.choice([a for a in pool if a.pk != source.pk])
        started = time.perf_counter()
        try:
            services.transfer(actor=source.user, source=source, destination=destination, minutes=rng.randint(5, 120))
        except ValidationError:
            refused += 1
            continue
        mine.append(time.perf_counter() - started)
    connections.close_all()
    return mine, refused


def table(r, args) -> str:
    ratio = r["tps"] / r["pgbench_tps"]
    return "\n".join(
        [
            f"Measured {datetime.datetime.now(tz=datetime.UTC).date()} on {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, PostgreSQL (the same server for both), "
            f"{args.clients} clients, {args.seconds:.0f} s each.",
            "",
            "| Measure | Result |",
            "|---|---:|",
            f"| pgbench `tpcb-like` | {r['pgbench_tps']:.0f} transactions/s |",
            f"| Time bank transfers (`services.transfer`, 1 in 5 across networks) | {r['tps']:.0f} transfers/s |",
            f"| Ratio to pgbench (aim ≥ 30 %) | {100 * ratio:.0f} %{' (met)' if ratio >= 0.3 else ' (NOT met)'} |",
            f"| Transfer latency p50 / p95 | {r['p50_ms']:.1f} ms / {r['p95_ms']:.1f} ms |",
            f"| Statement of {args.statement_transactions:,} transactions, all rows, p95 | "
            f"{r['statement_p95_ms']:.0f} ms |",
            f"| Statement, newest 50 rows (a page), p95 | {r['statement_page_p95_ms']:.0f} ms |",
            f"| Ledger violations afterwards ({r['accounts']} accounts) | {len(r['violations'])} |",
        ]
    )


if __name__ == "__main__":
    main()
