"""Start RecoveryNet as production runs it, check it answers over HTTP, stop it.

    .venv/bin/python scripts/production_smoke.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Creates a fresh PostgreSQL database, runs `migrate` and `collectstatic` with
the production settings (throwaway secrets, Redis at CACHE_URL), starts
gunicorn with two workers on a free loopback port and checks: /healthz over
plain HTTP (exempt from the HTTPS redirect), a public page and a static file
behind a TLS proxy (X-Forwarded-Proto: https), and that plain HTTP to a page is
redirected to HTTPS; then backs the database up with scripts/backup-postgres.sh
and restores the dump into another empty database (same rows, no migration
missing). Then stops gunicorn and drops the databases. Exit 0 only
when every check passed. `.ci/run` runs it; it talks to 127.0.0.1 only.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import psycopg.sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
SITE_HOST = "recoverynet.example.org"  # the name the proxy passes on
STARTUP_SECONDS = 60


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def say(message):
    print(f"smoke: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(port, path, *, https_proxy=True):
    headers = {"Host": SITE_HOST}
    if https_proxy:
        headers["X-Forwarded-Proto"] = "https"
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers)  # noqa: S310 - loopback only
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_checks(port) -> list[str]:
    failures = []

    def check(ok, what):
        say(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    status, _, body = get(port, "/healthz", https_proxy=False)
    check(status == 200 and b'"status": "ok"' in body.replace(b'":"', b'": "'), f"/healthz over plain HTTP: {status}")
    status, headers, body = get(port, "/")
    check(status == 200 and b"RecoveryNet" in body, f"home page behind the TLS proxy: {status}")
    check("Strict-Transport-Security" in headers, "HSTS header on the home page")
    check("Content-Security-Policy" in headers, "Content-Security-Policy header on the home page")
    status, _, body = get(port, "/accessibility/")
    check(status == 200, f"accessibility statement: {status}")
    stylesheets = re.findall(rb'<link rel="stylesheet" href="(/static/[^"]+\.css)"', body)
    check(bool(stylesheets), "the page links its stylesheets")
    for href in stylesheets:
        status, headers, css = get(port, href.decode())
        check(status == 200 and len(css) > 100, f"static file {href.decode()}: {status}, {len(css)} bytes")
        check("max-age=315360000" in headers.get("Cache-Control", ""), f"{href.decode()} is cached for good")
    status, headers, _ = get(port, "/", https_proxy=False)
    check(status == 301 and headers.get("Location", "").startswith("https://"), f"plain HTTP page redirects: {status}")
    return failures


def table_counts(url) -> dict:
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ]
        return {
            t: conn.execute(psycopg.sql.SQL("SELECT count(*) FROM {}").format(psycopg.sql.Identifier(t))).fetchone()[0]
            for t in tables
        }


def check_backup_and_restore(env, admin_url, name) -> list[str]:
    """The nightly backup script's dump restores into an empty database, whole."""
    failures = []
    backup_dir = tempfile.mkdtemp(prefix="recoverynet-backup-")
    restored = f"{name}_restored"
    try:
        dump = subprocess.run(
            [str(ROOT / "scripts" / "backup-postgres.sh")],
            env={**env, "BACKUP_DIR": backup_dir},
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{restored}"')
        restored_url = with_database(env["DATABASE_URL"], restored)
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored_url, dump], check=True)  # noqa: S607
        before, after = table_counts(env["DATABASE_URL"]), table_counts(restored_url)
        ok = before == after and sum(before.values()) > 0
        say(f"{'ok   ' if ok else 'FAIL '}backup restored: {len(after)} tables, {sum(after.values())} rows, as dumped")
        if not ok:
            failures.append("backup and restore")
        check = subprocess.run(
            [PYTHON, "manage.py", "migrate", "--check", "-v", "0"], cwd=ROOT, env={**env, "DATABASE_URL": restored_url}
        )
        say(f"{'ok   ' if check.returncode == 0 else 'FAIL '}the restored database needs no migration")
        if check.returncode:
            failures.append("restored database migrations")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        shutil.rmtree(backup_dir, ignore_errors=True)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--cache-url", default=os.environ.get("SMOKE_CACHE_URL", "redis://127.0.0.1:6379/14"))
    args = parser.parse_args()

    name = f"recoverynet_smoke_{secrets.token_hex(4)}"
    admin_url = with_database(args.database_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    say(f"created database {name}")
    static_root = tempfile.mkdtemp(prefix="recoverynet-static-")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_SALT_KEYS": secrets.token_urlsafe(32),
        "DJANGO_ALLOWED_HOSTS": SITE_HOST,
        "DATABASE_URL": with_database(args.database_url, name),
        "CACHE_URL": args.cache_url,
        "DJANGO_STATIC_ROOT": static_root,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    server = None
    failures = ["did not start"]
    try:
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        say("migrated")
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        say(f"collected static files into {static_root}")
        port = free_port()
        gunicorn = Path(PYTHON).with_name("gunicorn")
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [str(gunicorn), "config.wsgi", "--bind", f"{HOST}:{port}", "--workers", "2", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if get(port, "/healthz", https_proxy=False)[0]:
                    break
            except OSError:
                time.sleep(0.3)
        say(f"gunicorn answering on {HOST}:{port}")
        failures = run_checks(port) + check_backup_and_restore(env, admin_url, name)
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            say("stopped gunicorn")
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        say(f"dropped database {name}")
        shutil.rmtree(static_root, ignore_errors=True)
    if failures:
        say(f"{len(failures)} check(s) failed")
        sys.exit(1)
    say("every check passed")


if __name__ == "__main__":
    main()
