"""Email initiative leads about milestones due within a week (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from recoverynet.initiatives.notifications import milestones_due


class Command(BaseCommand):
    help = "Email the leads of initiatives whose milestones are due within the next days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Look this many days ahead (default 7).")

    def handle(self, *args, days, **options):
        sent = milestones_due(within_days=max(0, min(days, 90)))
        self.stdout.write(f"Sent {sent} milestones-due email(s).")
