#!/usr/bin/env python3
"""RecoveryNet's two commands, needing only Python 3.11+ and git.

    python3 dev.py run    # virtualenv from the lock, migrate SQLite, load the demo, serve on 127.0.0.1:8000
    python3 dev.py test   # the whole test suite (DATABASE_URL picks the database; SQLite by default)

`python3 dev.py test ARGS` passes ARGS to pytest, for example
`python3 dev.py test recoverynet/accounts -x`. The whole suite runs on several
processes (pytest-xdist) when the machine has more than one CPU, a subset
(paths or test ids given) on one; TEST_WORKERS=N or `-n N` overrides that.

Also: `python3 dev.py lock` re-locks requirements/*.txt from requirements/*.in.
"""

import os
import secrets
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
LOCK = ROOT / "requirements" / "dev.txt"
STAMP = VENV / ".installed-lock"
MAX_TEST_WORKERS = 4


def sh(*args, env=None):
    print("+", " ".join(str(a) for a in args), flush=True)
    try:
        result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        sys.exit(130)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv():
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself runs on whatever python3 is
        sys.exit("RecoveryNet needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print(f"Creating the virtualenv in {VENV} ...", flush=True)
        try:
            venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
        except subprocess.CalledProcessError:
            sys.exit("Could not create the virtualenv: this Python lacks ensurepip (Debian: apt install python3-venv).")
    lock = LOCK.read_text()
    if not STAMP.exists() or STAMP.read_text() != lock:
        print(f"Installing the locked dependencies from {LOCK.relative_to(ROOT)} ...", flush=True)
        sh(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes", "-r", LOCK)
        STAMP.write_text(lock)


def ensure_env_file():
    """Fresh random secrets for local development, kept out of git."""
    env_file = ROOT / ".env"
    if not env_file.exists():
        env_file.write_text(
            "DJANGO_DEBUG=true\n"
            f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
            f"FIELD_ENCRYPTION_SALT_KEYS={secrets.token_urlsafe(32)}\n"
            "ACCOUNT_EMAIL_VERIFICATION=optional\n"
        )
    (ROOT / "var").mkdir(exist_ok=True)


def run():
    ensure_venv()
    ensure_env_file()
    # Local settings (and .env); the SQLite file in var/ unless DATABASE_URL says otherwise.
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.base")
    manage = [PYTHON, "manage.py"]
    sh(*manage, "migrate", "--noinput", env=env)
    sh(*manage, "seed_demo", env=env)
    print("\nRecoveryNet is starting on http://127.0.0.1:8000 (Ctrl+C stops it).\n", flush=True)
    sh(*manage, "runserver", "127.0.0.1:8000", env=env)


def pytest_workers(args):
    """How many pytest-xdist processes: TEST_WORKERS if set; otherwise, for the
    whole suite, one per CPU (at most MAX_TEST_WORKERS) and, for a few files or
    tests, one (starting workers would cost more than it saves). None when the
    caller chose (-n, -p no:xdist) or is debugging (--pdb, --trace)."""
    chosen = any(a in ("--pdb", "--trace") or a.startswith(("-n", "--numprocesses")) for a in args)
    if chosen or "no:xdist" in args:
        return 0
    workers = os.environ.get("TEST_WORKERS")
    if workers is not None:
        return int(workers) if workers.strip().isdigit() else 0
    subset = any("::" in a or (not a.startswith("-") and (ROOT / a).exists()) for a in args)
    return 1 if subset else min(os.cpu_count() or 1, MAX_TEST_WORKERS)


def test(extra):
    ensure_venv()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
    # -rfEs: list failures, errors and skip reasons; a test stuck for 5 minutes dumps every thread's traceback.
    args = ["-rfEs", "-o", "faulthandler_timeout=300", *extra]
    workers = pytest_workers(extra)
    if workers > 1:
        args = ["-n", str(workers), *args]
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"Running the tests on {database}{f' with {workers} workers' if workers > 1 else ''}.", flush=True)
    sh(PYTHON, "-m", "pytest", *args, env=env)


def lock():
    ensure_venv()
    for name in ("base", "dev"):
        sh(
            PYTHON,
            "-m",
            "piptools",
            "compile",
            "--quiet",
            "--generate-hashes",
            "--allow-unsafe",
            "--strip-extras",
            "-o",
            f"requirements/{name}.txt",
            f"requirements/{name}.in",
        )


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "run":
        run()
    elif command == "test":
        test(rest)
    elif command == "lock":
        lock()
    else:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)
