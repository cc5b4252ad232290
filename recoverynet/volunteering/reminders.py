"""Reminders the day before a shift (a flexible window: the day before it opens):
one email per confirmed place, at most once (the sign-up is claimed before the
message goes), never to someone who turned reminders off, has no email address or was erased. Run daily:
`manage.py volunteering_reminders` (cron or a systemd timer, like reimport_feeds)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from .models import SignUp, VolunteerProfile

logger = logging.getLogger(__name__)


def due_tomorrow(now=None):
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    quiet = VolunteerProfile.objects.filter(shift_reminders=False).values("user_id")
    return (
        SignUp.objects.filter(
            status=SignUp.Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            shift__cancelled_at__isnull=True,
            shift__starts_at__gte=start,
            shift__starts_at__lt=end,
            user__is_active=True,
            user__erased_at__isnull=True,
        )
        .exclude(user__email="")
        .exclude(user_id__in=quiet)
        .select_related("user", "shift__role__settlement", "shift__role__organisation", "shift__role__initiative")
        .order_by("pk")
    )


def send_reminders(*, now=None, site_url="") -> int:
    """Send tomorrow's reminders; returns how many were sent."""
    now = now or timezone.now()
    connection = get_connection()
    sent = 0
    for signup in due_tomorrow(now):
        # Claim it first: a second run at the same time finds nothing to send.
        if not SignUp.objects.filter(pk=signup.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
            continue
        role = signup.shift.role
        body = render_to_string(
            "volunteering/email/reminder.txt", {"signup": signup, "role": role, "site_url": site_url}
        )
        message = EmailMessage(
            "Your volunteering window opens tomorrow"
            if signup.shift.is_flexible
            else "Your volunteering shift tomorrow",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [signup.user.email],
            connection=connection,
        )
        try:
            sent += message.send()
        except Exception:  # noqa: BLE001 - the mail server is down: let the next run try again
            logger.exception("Volunteering reminder for sign-up %s could not be sent", signup.pk)
            SignUp.objects.filter(pk=signup.pk).update(reminder_sent_at=None)
    return sent
