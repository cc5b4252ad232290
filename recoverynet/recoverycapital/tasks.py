"""Reminders to take the next assessment (Django's tasks framework, django-tasks).

`send_due_reminders()` emails each member whose latest finished assessment is
older than their chosen interval (default 3 months), once for that assessment:
`reminded_after` remembers which one, so running it again sends nothing until
they finish another. Only members with outcome-measurement consent, an email
address and reminders on. `manage.py recoverycapital_reminders` enqueues it;
run it daily from cron or a systemd timer."""

import calendar

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from recoverynet.accounts.models import ConsentPurpose, User
from recoverynet.accounts.privacy import consented_user_ids

from .models import DEFAULT_REMINDER_MONTHS, ReminderPreference


def add_months(moment, months: int):
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def due_reminders(now) -> list[tuple]:
    """[(user, latest completed_at, preference or None)] of reminders due at `now`."""
    latest = dict(
        User.objects.filter(assessments__completed_at__isnull=False, is_active=True, erased_at__isnull=True)
        .exclude(email="")
        .annotate(latest=Max("assessments__completed_at"))
        .values_list("pk", "latest")
    )
    consented = consented_user_ids(ConsentPurpose.OUTCOME_MEASUREMENT, latest)
    preferences = {p.person_id: p for p in ReminderPreference.objects.filter(person_id__in=consented)}
    due = []
    for user in User.objects.filter(pk__in=consented).order_by("pk"):
        preference = preferences.get(user.pk)
        if preference is not None and not preference.enabled:
            continue
        months = preference.interval_months if preference else DEFAULT_REMINDER_MONTHS
        last = latest[user.pk]
        if now < add_months(last, months):
            continue
        if preference is not None and preference.reminded_after is not None and preference.reminded_after >= last:
            continue  # reminded already for this assessment
        due.append((user, last, preference))
    return due


@task()
def send_due_reminders() -> int:
    """Email every reminder that is due; returns how many were sent."""
    now = timezone.now()
    sent = 0
    for user, last, _ in due_reminders(now):
        with transaction.atomic():
            preference, _created = ReminderPreference.objects.select_for_update().get_or_create(person=user)
            if preference.reminded_after is not None and preference.reminded_after >= last:
                continue  # another run got here first
            body = render_to_string(
                "recoverycapital/email_reminder.txt",
                {"user": user},
            )
            EmailMessage("Time for your next recovery check-in", body, to=[user.email]).send()
            preference.reminded_after = last
            preference.last_sent_at = now
            preference.save(update_fields=["reminded_after", "last_sent_at"])
            sent += 1
    return sent
