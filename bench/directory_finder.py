"""The meeting finder at scale: 100,000 meetings, SQLite and PostgreSQL.

    .venv/bin/python bench/directory_finder.py --sqlite --postgres          # both databases
    .venv/bin/python bench/directory_finder.py --sqlite --meetings 20000    # a quicker look
    .venv/bin/python bench/directory_finder.py --sqlite --postgres --write  # record in bench/README.md
    .venv/bin/python bench/directory_finder.py --pages                      # page vs feed bytes only

For each database it builds a scratch database (a temporary SQLite file; the
PostgreSQL database `recoverynet_bench`, dropped and re-created, never the
test databases), migrates it, generates the meetings deterministically with
bulk_create (spread over Great Britain's postcode-district centroids, the
North West four times denser), ANALYZEs, then times, in the same run:

* the finder query through `recoverynet.directory.finder` (the code the public
  finder and the API use) — "Tuesday evening, type X, within 10 km of
  Manchester centre, next 20 by start time";
* the best hand-written SQL for the same answer, using the model's indexes;
* both again after adding the bench-only indexes in EXTRA_INDEXES (to show
  whether the models miss one).

It reports p50 / p95 / max over --runs runs after a warm-up, checks both give
the same 20 meetings, and the ratio ORM p95 / SQL p95 (target: ORM p95 ≤ 50 ms
and ≤ 3 × SQL).

--pages (default on with --sqlite) builds 10,000 meetings in SQLite and
compares the bytes of one finder result page (HTML, Django test client) with
the full Meeting Guide feed (/feeds/meeting-guide.json) a feed-downloading
client must fetch, raw and gzip-compressed.

Each database runs in its own Python process (Django is configured once per
process); the parent collects their JSON results. Not a test: pytest does not
collect this directory.
"""

import argparse
import csv
import datetime
import gzip
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
START, END = "<!-- directory-finder:start -->", "<!-- directory-finder:end -->"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DB = "recoverynet_bench"

# The question: Tuesday (Meeting Guide day 2) evening, within 10 km of Manchester centre.
POINT = (53.48095, -2.23743)  # Manchester (the gazetteer's centre)
RADIUS_KM = 10
DAY = 2
EVENING = (datetime.time(17, 0), None)  # the finder's "evening": starting 17:00 or later
LONDON = zoneinfo.ZoneInfo("Europe/London")
# A fixed "now" (a Monday noon) so every run asks the same question: next Tuesday's meetings.
NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)
TYPES = ("W", "SP")  # a rare type (women) and a common one (speaker)
LIMIT = 20

NW_COUNTIES = {"Cheshire", "Cumbria", "Greater Manchester", "Lancashire", "Merseyside"}
NW_WEIGHT = 4

# Indexes the models do not declare, tried in a second phase (bench database only).
EXTRA_INDEXES = [
    ("bench_meeting_types_type_meeting", "directory_meeting_types", "meetingtype_id, meeting_id"),
    ("bench_meeting_location_start", "directory_meeting", "location_id, start_time"),
]

FELLOWSHIPS = [  # (name, short name, slug, kind, weight)
    ("Alcoholics Anonymous", "AA", "aa", "twelve_step", 45),
    ("Narcotics Anonymous", "NA", "na", "twelve_step", 15),
    ("Cocaine Anonymous", "CA", "ca", "twelve_step", 8),
    ("SMART Recovery", "SMART", "smart", "smart", 10),
    ("Al-Anon Family Groups", "Al-Anon", "al-anon", "family", 8),
    ("Recovery cafés", "Café", "recovery-cafes", "cafe", 5),
    ("Peer-led recovery groups", "Peer", "peer-led", "peer_led", 5),
    ("Gamblers Anonymous", "GA", "ga", "twelve_step", 4),
]
# Extra type codes with the share of meetings that carry them.
TYPE_SHARES = [
    ("X", 0.35),
    ("D", 0.30),
    ("SP", 0.18),
    ("B", 0.12),
    ("ST", 0.08),
    ("LIT", 0.06),
    ("BE", 0.05),
    ("W", 0.05),
    ("M", 0.03),
    ("LGBTQ", 0.02),
    ("Y", 0.02),
    ("H", 0.02),
    ("CAN", 0.05),
    ("TC", 0.01),
]
NAME_WORDS = [
    "Serenity", "Hope", "New Dawn", "Friday Night", "Keep It Simple", "Step by Step", "Fresh Start",
    "Just for Today", "Recovery", "Lifeline", "Open Door", "Way Forward", "Daily Reprieve", "Promises",
]  # fmt: skip


# --- set-up ----------------------------------------------------------------------


def setup_django(database_url: str):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()


def recreate_postgres_database():
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DB}"')
        conn.execute(f'CREATE DATABASE "{POSTGRES_DB}"')


def drop_postgres_database():
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DB}"')


def migrate():
    import io

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())


def load_places():
    """The gazetteer, through the finder engineer's command if it exists."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("load_places", stdout=io.StringIO())
        return True
    except (CommandError, LookupError):
        return False


# --- the data --------------------------------------------------------------------


def outcodes():
    path = ROOT / "recoverynet" / "directory" / "data" / "uk_outcode_centroids.csv"
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["status"] == "current"]
    weights = [int(r["postcode_count"] or 1) * (NW_WEIGHT if r["county"] in NW_COUNTIES else 1) for r in rows]
    return rows, weights


def jitter(rng, lat, lng, km):
    """A point about `km` (one standard deviation) from (lat, lng)."""
    dlat = rng.gauss(0, km) / 110.574
    dlng = rng.gauss(0, km) / (111.320 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lng + dlng, 5)


def random_start(rng):
    bucket = rng.random()
    if bucket < 0.18:
        hour = rng.randint(7, 11)
    elif bucket < 0.38:
        hour = rng.randint(12, 16)
    elif bucket < 0.95:
        hour = rng.randint(17, 20)
    else:
        hour = rng.randint(21, 22)
    return datetime.time(hour, rng.choice((0, 0, 15, 30, 30, 45)))


def generate(count: int, seed: int = 5):
    """`count` meetings at about count/2.5 locations, deterministically."""
    from django.db import connection, transaction

    from recoverynet.directory.models import Fellowship, Location, Meeting, MeetingDay, MeetingType
    from recoverynet.federation.models import Federation, Network

    rng = random.Random(seed)
    started = time.monotonic()
    federation = Federation.objects.create(name="Bench federation", slug="bench")
    networks = {
        county: Network.objects.create(federation=federation, name=county, slug=county.lower().replace(" ", "-"))
        for county in sorted(NW_COUNTIES)
    }
    elsewhere = Network.objects.create(federation=federation, name="Elsewhere in Great Britain", slug="elsewhere")
    fellowships = [
        Fellowship.objects.create(name=name, short_name=short, slug=slug, kind=kind)
        for name, short, slug, kind, _ in FELLOWSHIPS
    ]
    fellowship_weights = [w for *_, w in FELLOWSHIPS]
    types = {t.code: t.pk for t in MeetingType.objects.all()}
    open_id, closed_id = types["O"], types["C"]

    rows, weights = outcodes()
    location_count = max(1, int(count / 2.5))
    centres = rng.choices(rows, weights=weights, k=location_count)
    locations = []
    for i, centre in enumerate(centres):
        lat, lng = jitter(rng, float(centre["latitude"]), float(centre["longitude"]), 1.2)
        approximate = rng.random() < 0.06
        locations.append(
            Location(
                network=networks.get(centre["county"], elsewhere),
                name="" if approximate else f"{rng.choice(('St', 'Holy', 'Community', 'Old'))} Hall {i}",
                address="" if approximate else f"{rng.randint(1, 300)} {rng.choice(NAME_WORDS)} Road",
                town=centre["place"] or centre["outcode"],
                postcode=f"{centre['outcode']} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                latitude=lat,
                longitude=lng,
                approximate=approximate,
            )
        )
    with transaction.atomic():
        Location.objects.bulk_create(locations, batch_size=2000)
    locations = list(Location.objects.order_by("pk").values_list("pk", "network_id", "approximate"))

    statuses = ["active"] * 90 + ["temporarily_closed"] * 4 + ["inactive"] * 6
    meetings, day_rows, type_rows = [], [], []
    for i in range(count):
        location_id, network_id, approximate = locations[rng.randrange(len(locations))]
        online = approximate or rng.random() < 0.12
        start = random_start(rng)
        end = None
        if rng.random() < 0.4:
            end = (datetime.datetime.combine(datetime.date(2000, 1, 3), start) + datetime.timedelta(minutes=90)).time()
        fellowship = rng.choices(fellowships, weights=fellowship_weights)[0]
        name = f"{rng.choice(NAME_WORDS)} {fellowship.short_name} {i}"
        meetings.append(
            Meeting(
                network_id=network_id,
                fellowship=fellowship,
                location_id=location_id,
                name=name,
                slug=f"m{i:06d}",
                start_time=start,
                end_time=end,
                monthly_week=rng.choice((1, 2, 3, -1)) if rng.random() < 0.04 else None,
                conference_url=f"https://zoom.us/j/{rng.randint(10**9, 10**10 - 1)}" if online else "",
                status=rng.choice(statuses),
                last_verified=datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 300)),
            )
        )
    Through = Meeting.types.through
    with transaction.atomic():
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        ids = Meeting.objects.order_by("pk").values_list("pk", flat=True)
        for meeting_id in ids:
            shape = rng.random()
            if shape < 0.85:
                days = [rng.randrange(7)]
            elif shape < 0.96:
                days = rng.sample(range(7), rng.randint(2, 3))
            else:
                days = list(range(7))
            day_rows.extend(MeetingDay(meeting_id=meeting_id, day=d) for d in days)
            codes = {open_id if rng.random() < 0.55 else closed_id}
            codes.update(types[code] for code, share in TYPE_SHARES if rng.random() < share)
            type_rows.extend(Through(meeting_id=meeting_id, meetingtype_id=t) for t in sorted(codes))
        MeetingDay.objects.bulk_create(day_rows, batch_size=5000)
        MeetingDay.objects.refresh_copies()  # bulk_create skips the copies Meeting.save() keeps
        Through.objects.bulk_create(type_rows, batch_size=5000)
    with connection.cursor() as cursor:
        # The steady state autovacuum keeps a live database in: statistics, and a visibility
        # map so index-only scans need not visit the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "meetings": count,
        "locations": len(locations),
        "meeting_days": len(day_rows),
        "meeting_types": len(type_rows),
        "seconds": round(time.monotonic() - started, 1),
    }


# --- the question, three ways ----------------------------------------------------


# The finder's sphere (haversine with R = 6371.0088 km): kilometres per degree of latitude.
KM_PER_DEGREE = 6371.0088 * math.pi / 180


def box():
    """A bounding box a little larger than the circle (the circle's widest point is just
    north of the centre's latitude in the north of the box)."""
    lat0, lng0 = POINT
    dlat = RADIUS_KM / KM_PER_DEGREE
    dlng = RADIUS_KM / (KM_PER_DEGREE * math.cos(math.radians(lat0 + dlat)))
    margin = 1e-4
    return lat0 - dlat - margin, lat0 + dlat + margin, lng0 - dlng - margin, lng0 + dlng + margin


def finder_orm():
    """(description, callable(code) -> list of meetings) through recoverynet.directory.finder."""
    from recoverynet.directory import finder

    return finder_adapter(finder)


def finder_adapter(finder):
    """The finder as the public page runs it: find_meetings(), then load the first page of 20."""

    def run(code):
        query = finder.FinderQuery(
            point=POINT, radius_km=RADIUS_KM, days=(DAY,), time_of_day=("evening",), types=(code,)
        )
        return [result.meeting for result in finder.find_meetings(query, now=NOW)[:LIMIT]]

    def find_only(code):
        query = finder.FinderQuery(
            point=POINT, radius_km=RADIUS_KM, days=(DAY,), time_of_day=("evening",), types=(code,)
        )
        return finder.find_meetings(query, now=NOW).rows_until(LIMIT)

    run.find_only = find_only
    return "recoverynet.directory.finder.find_meetings() + loading the page's 20 meetings", run


def week_offset_sql():
    """How many weeks after the first Tuesday on or after NOW each monthly rule next meets (CASE expression)."""
    first = NOW.astimezone(LONDON).date()
    while (first.weekday() + 1) % 7 != DAY:
        first += datetime.timedelta(days=1)
    parts = []
    for week in (1, 2, 3, 4, -1):
        offset = 0
        while True:
            date = first + datetime.timedelta(days=7 * offset)
            last = (date + datetime.timedelta(days=7)).month != date.month
            if (week == -1 and last) or (week != -1 and (date.day - 1) // 7 + 1 == week):
                break
            offset += 1
        parts.append(f"WHEN {week} THEN {offset}")
    return f"CASE m.monthly_week {' '.join(parts)} ELSE 0 END"


# The same answer as the finder: listed meetings (not inactive, active network, not
# temporarily closed unless online) in Europe/London, on Tuesday, starting 17:00 or
# later, with the type, within RADIUS_KM (the day rows' copies of start time and
# coordinates, range-scanned on their index, then the equirectangular distance at the
# mid latitude: within centimetres of haversine), ordered by next occurrence (monthly
# rules meet some weeks later), then start time, distance and meeting id.
HAND_SQL = """
SELECT m.id, m.slug, m.name, m.start_time, m.end_time, m.conference_url, m.status,
       l.name, l.address, l.town, l.postcode, f.name, f.short_name, n.name, {distance} AS distance2
FROM directory_meetingday d
JOIN directory_meeting m ON m.id = d.meeting_id
JOIN directory_location l ON l.id = m.location_id
JOIN federation_network n ON n.id = m.network_id
JOIN directory_fellowship f ON f.id = m.fellowship_id
WHERE d.day = %s
  AND d.latitude BETWEEN %s AND %s AND d.longitude BETWEEN %s AND %s
  AND d.start_time >= %s
  AND {distance} <= %s
  AND m.status <> 'inactive' AND n.is_active AND m.timezone = 'Europe/London'
  AND (m.status <> 'temporarily_closed' OR m.conference_url <> '' OR m.conference_phone <> '')
  AND EXISTS (SELECT 1 FROM directory_meeting_types mt
              WHERE mt.meeting_id = m.id
                AND mt.meetingtype_id = (SELECT t.id FROM directory_meetingtype t WHERE t.code = %s))
ORDER BY {week_offset}, d.start_time, distance2, m.id
LIMIT %s
"""


def hand_sql_text():
    lat0, lng0 = POINT
    k = KM_PER_DEGREE
    c0, s0 = math.cos(math.radians(lat0)), math.sin(math.radians(lat0))
    # Equirectangular at the mid latitude, cos(mid) by Taylor series in pure arithmetic
    # (no trigonometry in SQL): within centimetres of haversine at 10 km.
    half = f"((d.latitude - {lat0}) * {math.pi / 360!r})"
    cos_mid = f"({c0!r} - {s0!r} * {half} - {c0 / 2!r} * {half} * {half})"
    dy = f"((d.latitude - {lat0}) * {k!r})"
    dx = f"((d.longitude - {lng0}) * {k!r} * {cos_mid})"
    distance = f"({dy} * {dy} + {dx} * {dx})"
    return HAND_SQL.format(distance=distance, week_offset=week_offset_sql())


def hand_sql_params(code):
    from django.db import connection

    south, north, west, east = box()
    evening = connection.ops.adapt_timefield_value(EVENING[0])
    return [DAY, south, north, west, east, evening, RADIUS_KM * RADIUS_KM, code, LIMIT]


def hand_sql(code):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(hand_sql_text(), hand_sql_params(code))
        return cursor.fetchall()


def explain(code):
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + hand_sql_text(), hand_sql_params(code))
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def timed(function, code, runs, warmup):
    for _ in range(warmup):
        function(code)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function(code)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50": round(statistics.median(samples), 2),
        "p95": round(samples[min(len(samples) - 1, math.ceil(0.95 * len(samples)) - 1)], 2),
        "max": round(samples[-1], 2),
    }


def measure(runs, warmup):
    from django.db import connection

    description, orm = finder_orm()
    results = {"orm": description, "phases": []}
    for phase in ("model indexes", "model + bench indexes"):
        if phase != "model indexes":
            with connection.cursor() as cursor:
                for name, table, columns in EXTRA_INDEXES:
                    cursor.execute(f"CREATE INDEX {name} ON {table} ({columns})")
                cursor.execute("ANALYZE")
        rows = []
        for code in TYPES:
            orm_slugs = [m.slug for m in orm(code)]
            sql_slugs = [row[1] for row in hand_sql(code)]
            orm_time = timed(orm, code, runs, warmup)
            sql_time = timed(hand_sql, code, runs, warmup)
            find_time = timed(orm.find_only, code, runs, warmup) if hasattr(orm, "find_only") else None
            rows.append(
                {
                    "type": code,
                    "results": len(sql_slugs),
                    "same_answer": orm_slugs == sql_slugs,
                    "difference": None if orm_slugs == sql_slugs else {"orm": orm_slugs, "sql": sql_slugs},
                    "orm": orm_time,
                    "sql": sql_time,
                    "find_only": find_time,
                    "ratio": round(orm_time["p95"] / sql_time["p95"], 2) if sql_time["p95"] else None,
                    "plan": explain(code),
                }
            )
        results["phases"].append({"phase": phase, "rows": rows})
    return results


# --- page against feed -------------------------------------------------------------


def page_bytes():
    """One finder result page against the whole Meeting Guide feed."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    client = Client()
    out = {}
    try:
        finder_path = reverse("directory:finder")
    except NoReverseMatch:
        finder_path = None
    targets = [
        ("finder page", finder_path, FINDER_QUERY),
        ("Meeting Guide feed", "/feeds/meeting-guide.json", {}),
    ]
    for name, path, query in targets:
        if path is None:
            out[name] = {"error": "URL not available yet"}
            continue
        response = client.get(path, query)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out[name] = {
            "path": path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
            "status": response.status_code,
            "bytes": len(body),
            "gzip": len(gzip.compress(body, compresslevel=6)),
        }
    return out


FINDER_QUERY = {"where": "Manchester", "distance": "10", "day": "2", "time": "evening", "type": "W", "sort": "time"}


# --- processes ---------------------------------------------------------------------


def worker(kind, meetings, runs, warmup):
    if kind == "postgres":
        recreate_postgres_database()
        setup_django(f"{POSTGRES_SERVER}/{POSTGRES_DB}")
        scratch = None
    else:
        handle, scratch = tempfile.mkstemp(prefix="recoverynet-bench-", suffix=".sqlite3")
        os.close(handle)
        setup_django(f"sqlite:///{scratch}")
    from django.db import connection

    try:
        migrate()
        result = {"database": kind}
        if kind == "pages":
            result["places_loaded"] = load_places()
        result["data"] = generate(meetings)
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
            result["version"] = cursor.fetchone()[0]
        load_before = os.getloadavg()[0]
        if kind == "pages":
            result["pages"] = page_bytes()
        else:
            result.update(measure(runs, warmup))
        result["load"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    finally:
        connection.close()
        if kind == "postgres":
            drop_postgres_database()
        elif scratch is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(scratch + suffix).unlink(missing_ok=True)
    print("RESULT " + json.dumps(result, default=str))


def run_worker(kind, meetings, runs, warmup):
    command = [sys.executable, __file__, "--worker", kind, "--meetings", str(meetings)]
    command += ["--runs", str(runs), "--warmup", str(warmup)]
    print(f"… {kind}: {meetings:,} meetings", file=sys.stderr, flush=True)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        raise SystemExit(f"{kind} worker failed")
    line = [x for x in completed.stdout.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} CPUs{memory}; {platform.platform()}; Python {platform.python_version()}"


def report(results, args) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Measured {when} on {machine()}.",
        "",
        f"Question (asked on {NOW:%A %Y-%m-%d %H:%M %Z}): day {DAY} (Tuesday), starting {EVENING[0]:%H:%M} or later, "
        f"type W or SP, within "
        f"{RADIUS_KM} km of Manchester centre {POINT}, next {LIMIT} by start time. {args.runs} runs after "
        f"{args.warmup} warm-up runs; times in ms.",
        "",
    ]
    for result in results:
        if result["database"] == "pages":
            continue
        data = result["data"]
        lines += [
            f"**{result['database']} {result['version']}** — {data['meetings']:,} meetings, "
            f"{data['locations']:,} locations, {data['meeting_days']:,} day rows, {data['meeting_types']:,} "
            f"type rows (generated in {data['seconds']} s). ORM side: {result['orm']}. "
            f"Load average (1 min) before/after timing: {result['load'][0]} / {result['load'][1]}.",
            "",
            "| indexes | type | rows | same answer | ORM p50 / p95 / max | SQL p50 / p95 / max | p95 ratio "
            "| ORM without loading the page: p50 / p95 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for phase in result["phases"]:
            for row in phase["rows"]:
                orm, sql = row["orm"], row["sql"]
                lines.append(
                    f"| {phase['phase']} | {row['type']} | {row['results']} | {'yes' if row['same_answer'] else 'NO'} "
                    f"| {orm['p50']} / {orm['p95']} / {orm['max']} | {sql['p50']} / {sql['p95']} / {sql['max']} "
                    f"| {row['ratio']}× | {find_only(row)} |"
                )
        lines.append("")
    for result in results:
        if result["database"] != "pages":
            continue
        lines += [
            f"**Page against feed** — {result['data']['meetings']:,} meetings (SQLite; gazetteer loaded: "
            f"{'yes' if result['places_loaded'] else 'no'}):",
            "",
            "| what | path | status | bytes | gzip |",
            "|---|---|---|---|---|",
        ]
        for name, row in result["pages"].items():
            if "error" in row:
                lines.append(f"| {name} | — | {row['error']} | — | — |")
            else:
                lines.append(f"| {name} | `{row['path']}` | {row['status']} | {row['bytes']:,} | {row['gzip']:,} |")
        lines.append("")
    return "\n".join(lines)


def find_only(row):
    times = row.get("find_only")
    return f"{times['p50']} / {times['p95']}" if times else "—"


def write_readme(text):
    readme = README.read_text(encoding="utf-8")
    start, end = readme.index(START) + len(START), readme.index(END)
    README.write_text(readme[:start] + "\n" + text + "\n" + readme[end:], encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", action="store_true", help="measure on a scratch SQLite file")
    parser.add_argument("--postgres", action="store_true", help=f"measure on {POSTGRES_SERVER}/{POSTGRES_DB}")
    parser.add_argument("--pages", action="store_true", help="only the page-against-feed bytes")
    parser.add_argument("--no-pages", action="store_true", help="skip the page-against-feed bytes")
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--page-meetings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--write", action="store_true", help="record the results in bench/README.md")
    parser.add_argument("--plans", action="store_true", help="print the hand-written SQL's query plans")
    parser.add_argument("--worker", choices=["sqlite", "postgres", "pages"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.meetings, args.runs, args.warmup)
        return
    kinds = [k for k in ("sqlite", "postgres") if getattr(args, k)]
    if not kinds and not args.pages:
        parser.error("choose --sqlite and/or --postgres (or --pages)")
    results = [run_worker(kind, args.meetings, args.runs, args.warmup) for kind in kinds]
    if (args.pages or "sqlite" in kinds) and not args.no_pages:
        results.append(run_worker("pages", args.page_meetings, args.runs, args.warmup))
    text = report(results, args)
    print(text)
    if args.plans:
        for result in results:
            for phase in result.get("phases", []):
                for row in phase["rows"]:
                    print(f"\n{result['database']} / {phase['phase']} / {row['type']}:\n{row['plan']}")
                    if row.get("difference"):
                        print(f"different answers: {row['difference']}")
    if args.write:
        write_readme(text)


if __name__ == "__main__":
    main()
