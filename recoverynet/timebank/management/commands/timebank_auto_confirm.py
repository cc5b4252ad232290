"""Enqueue the time bank's daily automatic confirmation (and its reminders).

Run it from cron or a systemd timer, for example daily at 03:15:
    15 3 * * *  cd /srv/recoverynet && .venv/bin/python manage.py timebank_auto_confirm
"""

from django.core.management.base import BaseCommand

from recoverynet.timebank.tasks import auto_confirm_exchanges


class Command(BaseCommand):
    help = "Remind receivers of exchanges about to confirm themselves, and confirm those waiting long enough."

    def handle(self, *args, **options):
        result = auto_confirm_exchanges.enqueue()
        self.stdout.write(f"Enqueued the time bank's automatic confirmation (task {result.id}).")
