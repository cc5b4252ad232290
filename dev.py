#!/usr/bin/env python3
"""RecoveryNet's two commands, needing only Python 3.11+ and git.

    python3 dev.py run    # virtualenv from the lock, migrate SQLite, load the demo, serve on 127.0.0.1:8000
    python3 dev.py test   # the whole test suite (DATABASE_URL picks the database; SQLite by default)

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


def sh(*args, env=None):
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv():
    if sys.version_info < (3, 11):
        sys.exit("RecoveryNet needs Python 3.11 or newer.")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = LOCK.read_text()
    if not STAMP.exists() or STAMP.read_text() != lock:
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
    manage = [PYTHON, "manage.py"]
    sh(*manage, "migrate", "--noinput")
    sh(*manage, "seed_demo")
    sh(*manage, "runserver", "127.0.0.1:8000")


def test(extra):
    ensure_venv()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
    sh(PYTHON, "-m", "pytest", *extra, env=env)


def lock():
    ensure_venv()
    for name in ("base", "dev"):
        sh(PYTHON, "-m", "piptools", "compile", "--quiet", "--generate-hashes", "--allow-unsafe", "--strip-extras",
           "-o", f"requirements/{name}.txt", f"requirements/{name}.in")


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
