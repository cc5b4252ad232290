from django.core.management.base import BaseCommand

from recoverynet.recoverycapital.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Email members whose next recovery capital assessment is due (each reminder once)."

    def handle(self, *args, **options):
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Reminders enqueued ({result.status}).")
