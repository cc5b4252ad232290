"""A member's "for you" list over 10,000 volunteering roles, on PostgreSQL.

    .venv/bin/python bench/volunteering_for_you.py            # 100, 1,000 and 10,000 roles
    .venv/bin/python bench/volunteering_for_you.py --write    # and record in bench/README.md

Recreates its own database (rn_volapi_bench by default; dropped at the end unless
--keep), migrates it and loads the test world plus three more networks with their
settlements (each at its own place) and organisations. Roles are added in steps up to
100, 1,000 and 10,000, spread over the five networks (the member belongs to three), each
with one to three skills from a list of twelve, a mix of requirements (DBS levels,
months in recovery, early recovery, alcohol at the venue, lone working) and two shifts
to come, and none to two of the ten interests. The member has a settlement, three skills,
three interests, a recovery start date and a DBS check in one network. At each size it
counts the SQL queries of the for-you page (/volunteering/for-you/), API
(/api/v1/volunteering/for-you/) and the /volunteering/ list's first page in its "Best
match for you" order (the member's default), times each
(--runs runs after two warm-up runs: p50 and p95), and measures the peak of Python
memory allocated while ranking (tracemalloc, around matching.for_you alone). It fails
(exit 1) when a query count differs between sizes.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
README = ROOT / "bench" / "README.md"
START, END = "<!-- volunteering-for-you:start -->", "<!-- volunteering-for-you:end -->"
SERVER = "postgres://postgres@127.0.0.1:5432"
SKILLS = [
    "Cooking",
    "Driving",
    "Gardening",
    "Listening",
    "First aid",
    "Admin",
    "Art",
    "Music",
    "Cycling",
    "Joinery",
    "Teaching",
    "Welcoming",
]


def setup_django(database: str):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    import django

    django.setup()


def recreate(database: str, *, create=True):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{database}"')


def load_world(rng):
    """The test world, three more networks, and the member whose list is measured."""
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from recoverynet.federation.factories import (
        MembershipFactory,
        NetworkFactory,
        OrganisationFactory,
        SettlementFactory,
    )
    from recoverynet.testing import build_world
    from recoverynet.volunteering.models import DBSCheck, Interest, MemberInterest, MemberSkill, VolunteerProfile

    call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())
    world = build_world()
    networks = [world.own_network, world.other_network]
    networks += [NetworkFactory(federation=world.federation) for _ in range(3)]
    offerers = []  # (network, settlement or None, organisation or None)
    for network in networks:
        for _ in range(4):
            lat, lon = 53.0 + rng.random() * 2, -3.0 + rng.random() * 1.5
            settlement = SettlementFactory(network=network, latitude=f"{lat:.5f}", longitude=f"{lon:.5f}")
            offerers.append((network, settlement, None))
        for _ in range(2):
            offerers.append((network, None, OrganisationFactory(networks=[network])))
    member = world.users["member"]  # active in own_network, at its settlement
    for network in networks[2:4]:
        MembershipFactory(user=member, network=network, settlement=None)
    VolunteerProfile.objects.create(user=member, recovery_start=timezone.localdate() - datetime.timedelta(days=800))
    MemberSkill.objects.bulk_create(
        MemberSkill(user=member, name=name, level=level) for name, level in (("Cooking", 2), ("driving", 3), ("Art", 1))
    )
    DBSCheck.objects.create(
        user=member, network=world.own_network, level="enhanced", checked_on=timezone.localdate(), checker="Bench"
    )
    MemberInterest.objects.bulk_create(
        MemberInterest(user=member, interest=interest) for interest in Interest.objects.order_by("name")[:3]
    )
    return member, offerers


def add_roles(rng, offerers, start: int, count: int):
    """`count` roles (numbered from `start`) with skills and two shifts to come each, in bulk."""
    from django.utils import timezone

    from recoverynet.volunteering.models import DBSLevel, Interest, Role, RoleSkill, Shift

    roles = []
    for i in range(start, start + count):
        network, settlement, organisation = rng.choice(offerers)
        roles.append(
            Role(
                network=network,
                settlement=settlement,
                organisation=organisation,
                title=f"Role {i:05d} {rng.choice(SKILLS)}",
                slug=f"bench-role-{i}",
                description="A role for the benchmark.",
                involves="Helping out.",
                time_commitment="Weekly",
                is_remote=rng.random() < 0.1,
                min_recovery_months=rng.choice([0, 0, 0, 6, 12, 36]),
                dbs_level=rng.choice([DBSLevel.NONE] * 4 + [DBSLevel.BASIC, DBSLevel.ENHANCED]),
                early_recovery=rng.choice(["yes", "yes", "no", "ask"]),
                alcohol_at_venue=rng.random() < 0.1,
                lone_working=rng.random() < 0.1,
                supervision_available=rng.random() < 0.5,
                is_published=rng.random() < 0.95,
            )
        )
    roles = Role.objects.bulk_create(roles, batch_size=2000)
    skills, shifts, tags = [], [], []
    interests = list(Interest.objects.order_by("name").values_list("pk", flat=True))
    now = timezone.now()
    for role in roles:
        for name in rng.sample(SKILLS, rng.randint(1, 3)):
            skills.append(RoleSkill(role=role, name=name, level=rng.randint(1, 3)))
        for interest_id in rng.sample(interests, rng.randint(0, 2)):
            tags.append(Role.interests.through(role_id=role.pk, interest_id=interest_id))
        for day in (3, 10):
            starts_at = now + datetime.timedelta(days=day, hours=rng.randint(0, 8))
            shifts.append(Shift(role=role, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=3)))
    RoleSkill.objects.bulk_create(skills, batch_size=5000)
    Role.interests.through.objects.bulk_create(tags, batch_size=5000)
    Shift.objects.bulk_create(shifts, batch_size=5000)


def measure(member, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from recoverynet.testing import sign_in
    from recoverynet.volunteering.matching import for_you

    client = sign_in(Client(), member)
    result = {}
    paths = (("page", "/volunteering/for-you/"), ("api", "/api/v1/volunteering/for-you/"), ("list", "/volunteering/"))
    for name, path in paths:
        for _ in range(2):
            assert client.get(path).status_code == 200
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path)
        assert response.status_code == 200
        times = []
        for _ in range(runs):
            begin = time.perf_counter()
            client.get(path)
            times.append(1000 * (time.perf_counter() - begin))
        times.sort()
        result[name] = {
            "queries": len(queries),
            "p50": statistics.median(times),
            "p95": times[int(0.95 * (len(times) - 1))],
        }
    today = timezone.localdate()
    tracemalloc.start()
    matches = for_you(member, today)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["peak_kib"] = peak / 1024
    result["matches"] = len(matches)
    result["top"] = [match.role.slug for match in matches[:5]]
    return result


def machine() -> str:
    return f"{os.cpu_count()} CPUs, Python {platform.python_version()}"


def table(sizes: dict, args) -> str:
    from django.db import connection

    version = connection.cursor().connection.info.server_version
    lines = [
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}, PostgreSQL "
        f"{version // 10000}.{version % 10000}; {args.runs} runs after 2 warm-up runs; load average "
        f"{os.getloadavg()[0]:.1f} at the end (a shared machine).",
        "",
        "| Roles | Roles the member may see | Page queries | Page p50 / p95 | API queries | API p50 / p95 "
        "| Best-match list queries | Best-match list p50 / p95 | Peak Python memory ranking | Listed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, r in sizes.items():
        lines.append(
            f"| {size:,} | {r['candidates']:,} | {r['page']['queries']} | {r['page']['p50']:.0f} ms / "
            f"{r['page']['p95']:.0f} ms | {r['api']['queries']} | {r['api']['p50']:.0f} ms / {r['api']['p95']:.0f} ms "
            f"| {r['list']['queries']} | {r['list']['p50']:.0f} ms / {r['list']['p95']:.0f} ms "
            f"| {r['peak_kib']:,.0f} KiB | {r['matches']} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="rn_volapi_bench")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--write", action="store_true", help="record the results in bench/README.md")
    args = parser.parse_args()

    recreate(args.database)
    setup_django(args.database)
    try:
        rng = random.Random(17)
        member, offerers = load_world(rng)
        from recoverynet.federation.models import Membership
        from recoverynet.volunteering.models import Role

        member_networks = Membership.objects.filter(user=member, status="active").values("network_id")
        sizes, loaded = {}, 0
        for size in (int(s) for s in args.sizes.split(",")):
            add_roles(rng, offerers, loaded, size - loaded)
            loaded = size
            result = measure(member, args.runs)
            result["candidates"] = Role.objects.published().filter(network_id__in=member_networks).count()
            sizes[size] = result
            print(size, result, flush=True)
        text = table(sizes, args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate(args.database, create=False)
    print("\n" + text)
    counts = {(r["page"]["queries"], r["api"]["queries"], r["list"]["queries"]) for r in sizes.values()}
    if len(counts) != 1:
        print("FAIL: the query counts differ between sizes:", counts)
        sys.exit(1)
    if args.write:
        readme = README.read_text()
        if START not in readme:
            readme += f"\n## A member's roles for you (`bench/volunteering_for_you.py`)\n\n{START}\n{END}\n"
        head, rest = readme.split(START, 1)
        README.write_text(f"{head}{START}\n{text}\n{END}{rest.split(END, 1)[1]}")


if __name__ == "__main__":
    main()
