from django.conf import settings
from django.core.management.base import BaseCommand

from recoverynet.volunteering.reminders import send_reminders


def default_site_url() -> str:
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "") and not h.startswith(".")]
    return f"https://{hosts[0]}" if hosts else ""


class Command(BaseCommand):
    help = "Email each volunteer the day before their confirmed shift (run once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default=None, help="The site's address for links, e.g. https://example.org")

    def handle(self, *args, site_url=None, **options):
        sent = send_reminders(site_url=(site_url or default_site_url()).rstrip("/"))
        self.stdout.write(f"Sent {sent} volunteering reminder{'s' if sent != 1 else ''}.")
