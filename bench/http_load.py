"""Requests per second under gunicorn, as production runs it, page by page.

    .venv/bin/python bench/http_load.py                      # 16 clients, 10 s a page
    .venv/bin/python bench/http_load.py --clients 16 --seconds 20 --write   # record in bench/README.md
    .venv/bin/python bench/http_load.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Creates a scratch PostgreSQL database, migrates it, loads the demo federation
(`seed_demo --force`: its 479 meetings), collects static files and starts
gunicorn with the production settings (2 workers, Redis at --cache-url) on a
loopback port — the set-up of scripts/production_smoke.py. Then, for each page
in PAGES in turn, it drives --clients concurrent HTTP/1.1 clients (one asyncio loop in this
process; they keep connections alive where the server allows, and gunicorn's
sync workers do not) at it for --seconds after a short warm-up,
and reports requests/s, p50 and p95 latency, and each page's requests/s as a
ratio of the zero-query accessibility statement's, measured in the same run on
the same machine (the ratio travels between machines better than the rate).
Every response must be 200 with the same body length as the first, or the run
fails. Drops the database at the end. Not a test: pytest does not collect it.
"""

import argparse
import asyncio
import datetime
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import production_smoke as smoke  # noqa: E402 - the shared production set-up

README = ROOT / "bench" / "README.md"
START, END = "<!-- http-load:start -->", "<!-- http-load:end -->"
BASELINE = "/accessibility/"
PAGES = [
    ("Accessibility statement (no queries)", BASELINE),
    ("Home", "/"),
    ("Network (Lancashire)", "/networks/lancashire/"),
    ("Meeting finder, near Preston", "/meetings/?where=Preston"),
    # A new address each request (an ignored parameter): what a search costs when no one made it this minute.
    ("Meeting finder, never the same search", "/meetings/?where=Preston&n={n}"),
    ("Meeting Guide feed (all meetings), uncompressed", "/feeds/meeting-guide.json"),
    # As apps fetch it: the cached gzip bytes (about 1/15 of the size).
    ("Meeting Guide feed (all meetings), gzip", "/feeds/meeting-guide.json", "gzip"),
]
TARGETS = {("/meetings/?where=Preston", "identity"): 150, ("/feeds/meeting-guide.json", "gzip"): 500}


REQUEST_NUMBER = iter(range(10**9))


def pages():
    """(label, path, Accept-Encoding) for each page in PAGES."""
    return [(label, path, rest[0] if rest else "identity") for label, path, *rest in PAGES]


async def one_client(path, encoding, stop_at, latencies, errors, lengths):
    reader, writer = await asyncio.open_connection(smoke.HOST, PORT)
    try:
        while time.monotonic() < stop_at:
            request = (
                f"GET {path.format(n=next(REQUEST_NUMBER))} HTTP/1.1\r\nHost: {smoke.SITE_HOST}\r\n"
                f"X-Forwarded-Proto: https\r\nAccept-Encoding: {encoding}\r\nConnection: keep-alive\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            match = re.search(rb"\r\ncontent-length: *(\d+)", head, re.IGNORECASE)
            if match:
                body = await reader.readexactly(int(match.group(1)))
            else:  # chunked or streamed: gunicorn closes the connection after it
                body = await reader.read()
            latencies.append(time.perf_counter() - started)
            lengths.add(len(body))
            if status != 200:
                errors.append(status)
            if not match or re.search(rb"\r\nconnection: *close", head, re.IGNORECASE):
                # gunicorn's sync workers answer one request a connection
                writer.close()
                reader, writer = await asyncio.open_connection(smoke.HOST, PORT)
    finally:
        writer.close()


async def load(path, encoding, clients, seconds):
    latencies, errors, lengths = [], [], set()
    await asyncio.gather(*(one_client(path, encoding, time.monotonic() + 1, [], [], set()) for _ in range(clients)))
    started = time.monotonic()
    await asyncio.gather(
        *(one_client(path, encoding, started + seconds, latencies, errors, lengths) for _ in range(clients))
    )
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "errors": errors,
        "lengths": lengths,
    }


def table(results, clients, seconds) -> str:
    base = results[(BASELINE, "identity")]["rps"]
    lines = [
        f"Measured {datetime.datetime.now(tz=datetime.UTC).date()} on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, "
        f"gunicorn 2 workers, production settings, PostgreSQL, Redis, the demo federation; "
        f"{clients} concurrent clients, {seconds} s a page.",
        "",
        "| Page | Path | Accept-Encoding | Requests/s | × zero-query page | p50 ms | p95 ms | Target req/s |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, path, encoding in pages():
        r = results[(path, encoding)]
        target = TARGETS.get((path, encoding))
        met = "" if target is None else (" (met)" if r["rps"] >= target else " (NOT met)")
        lines.append(
            f"| {label} | `{path}` | {encoding} | {r['rps']:.0f} | {r['rps'] / base:.2f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {target or '–'}{met} |"
        )
    return "\n".join(lines)


def write_readme(text):
    readme = README.read_text()
    if START not in readme:
        readme += f"\n## HTTP load (`bench/http_load.py`)\n\n{START}\n{END}\n"
    head, rest = readme.split(START, 1)
    README.write_text(f"{head}{START}\n{text}\n{END}{rest.split(END, 1)[1]}")


def main():
    global PORT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="record the table in bench/README.md")
    args = parser.parse_args()

    name = f"recoverynet_load_{secrets.token_hex(4)}"
    admin_url = smoke.with_database(args.database_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    static_root = tempfile.mkdtemp(prefix="recoverynet-static-")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_SALT_KEYS": secrets.token_urlsafe(32),
        "DJANGO_ALLOWED_HOSTS": smoke.SITE_HOST,
        "DATABASE_URL": smoke.with_database(args.database_url, name),
        "CACHE_URL": args.cache_url,
        "DJANGO_STATIC_ROOT": static_root,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    server = None
    failed = False
    try:
        manage = [smoke.PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "seed_demo", "--force"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(["redis-cli", "-u", args.cache_url, "flushdb"], check=False, stdout=subprocess.DEVNULL)  # noqa: S607
        PORT = smoke.free_port()
        gunicorn = Path(smoke.PYTHON).with_name("gunicorn")
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [str(gunicorn), "config.wsgi", "--bind", f"{smoke.HOST}:{PORT}", "--workers", str(args.workers)]
            + ["--log-level", "warning", "--keep-alive", "30"],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + smoke.STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                if smoke.get(PORT, "/healthz", https_proxy=False)[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        results = {}
        for label, path, encoding in pages():
            results[(path, encoding)] = result = asyncio.run(load(path, encoding, args.clients, args.seconds))
            print(
                f"{label:40} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
                f"p95 {result['p95_ms']:6.1f} ms  ({result['requests']} requests)",
                flush=True,
            )
            same_length = len(result["lengths"]) == 1 or "{n}" in path  # the echoed address differs
            if result["errors"] or not same_length:
                failed = True
                print(f"  FAIL: statuses {sorted(set(result['errors']))}, body lengths {sorted(result['lengths'])}")
        text = table(results, args.clients, args.seconds)
        print("\n" + text)
        if args.write and not failed:
            write_readme(text)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(static_root, ignore_errors=True)
    sys.exit(1 if failed else 0)


PORT = 0

if __name__ == "__main__":
    main()
