"""Enqueue every app's daily work (each AppConfig's ``daily_tasks``, see
core.registry): reminders, automatic confirmations. Run it once a day from a
systemd timer or cron (docs/deployment.md); the worker runs the tasks, or the
command itself with the ImmediateBackend."""

from django.core.management.base import BaseCommand

from recoverynet.core.registry import daily_tasks


class Command(BaseCommand):
    help = "Enqueue every app's daily tasks (reminders, automatic confirmations)."

    def handle(self, *args, **options):
        for label, task in daily_tasks():
            result = task.enqueue()
            self.stdout.write(f"{label}: enqueued {task.name} (task {result.id}).")
