"""Enqueue the nightly re-import of every scheduled Meeting Guide feed.

Run it from cron or a systemd timer, for example nightly at 02:30:
    30 2 * * *  cd /srv/recoverynet && .venv/bin/python manage.py reimport_feeds
"""

from django.core.management.base import BaseCommand

from recoverynet.directory.models import FeedSource
from recoverynet.directory.tasks import reimport_feed


class Command(BaseCommand):
    help = "Enqueue a re-import for every feed source with a URL and scheduled re-import on."

    def handle(self, *args, **options):
        sources = FeedSource.objects.filter(scheduled=True, network__is_active=True).exclude(url="").order_by("pk")
        count = 0
        for source_id in sources.values_list("pk", flat=True):
            reimport_feed.enqueue(source_id)
            count += 1
        self.stdout.write(f"Enqueued {count} feed re-import{'s' if count != 1 else ''}.")
