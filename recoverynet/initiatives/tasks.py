"""Scheduled work for initiatives (django-tasks), declared on InitiativesConfig.daily_tasks."""

from django_tasks import task

from .notifications import milestones_due


@task()
def email_milestones_due() -> int:
    """Email initiative leads about milestones due within a week and not done."""
    return milestones_due(within_days=7)
