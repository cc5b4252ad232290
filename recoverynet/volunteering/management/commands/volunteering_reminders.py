"""Email each volunteer the day before their shift now (run_daily also does, through its task)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from recoverynet.volunteering.reminders import send_reminders


class Command(BaseCommand):
    help = "Email each volunteer the day before their confirmed shift (run once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default=None, help="The site's address for links (default: SITE_URL)")

    def handle(self, *args, site_url=None, **options):
        sent = send_reminders(site_url=(site_url or settings.SITE_URL).rstrip("/"))
        self.stdout.write(f"Sent {sent} volunteering reminder{'s' if sent != 1 else ''}.")
