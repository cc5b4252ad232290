"""Scheduled work for volunteering (django-tasks), declared on VolunteeringConfig.daily_tasks."""

from django.conf import settings
from django_tasks import task

from .reminders import send_reminders


@task()
def send_shift_reminders() -> int:
    """Email each volunteer the day before their confirmed shift, once."""
    return send_reminders(site_url=settings.SITE_URL.rstrip("/"))
