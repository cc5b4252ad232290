"""`manage.py seed_demo`: load the fictional demo federation, every app's part of it (idempotent)."""

import time
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from recoverynet.federation.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo


class Command(BaseCommand):
    help = (
        "Load the fictional North West Recovery Federation demo: five networks, their recovery settlements, "
        "organisations, partnerships and 300+ pseudonymous members, plus one demo login per role. "
        "Running it again creates nothing new and puts back any demo row that was changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off. The demo logins have a published password: never in production.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it only runs with DEBUG on. "
                "Use --force to load it anyway (never on a production site)."
            )
        started = time.monotonic()
        result = load_demo()
        elapsed = time.monotonic() - started

        if result.touched:
            for label in sorted(set(result.created) | set(result.changed)):
                self.stdout.write(f"  {label}: {result.created[label]} created, {result.changed[label]} changed")
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f}s."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Demo data already loaded: nothing to change ({elapsed:.1f}s)."))
        for note in result.notes:
            self.stdout.write(f"  {note}")
        self.print_logins(result.logins)

    def print_logins(self, logins):
        """A Markdown table, so it can be pasted into the README as it is."""
        rows = [("Role", "Email", "Display name", "Where")]
        rows += [(login.role, login.email, login.display_name, login.network) for login in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write("Demo logins (fictional people; never use this password anywhere real):")
        self.stdout.write("")
        for number, row in enumerate(rows):
            self.stdout.write("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
            if number == 0:
                self.stdout.write("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        self.stdout.write("")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(
            f"Two-factor (TOTP) secret for the coordinators and the admin: {DEMO_TOTP_SECRET}\n"
            "  Add it to an authenticator app (as a 'setup key', time-based), or use this URI:\n"
            f"  otpauth://totp/RecoveryNet:demo?secret={DEMO_TOTP_SECRET}&issuer={quote('RecoveryNet')}"
        )
        self.stdout.write("Every other demo person has the same password (and coordinators the same TOTP secret).")
