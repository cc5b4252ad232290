"""`manage.py load_places`: load the bundled offline gazetteer (idempotent)."""

import time

from django.core.management.base import BaseCommand

from recoverynet.directory.places import load_places


class Command(BaseCommand):
    help = (
        "Load the offline gazetteer used by the meeting finder: North West towns (with alternative names) "
        "and every current Great Britain postcode district. Replaces what is there; safe to run again."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = load_places()
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} places in {time.monotonic() - started:.1f}s."))
