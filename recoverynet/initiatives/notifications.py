"""Emails about a person's own pitch or initiative: a pledge received, the review's
decision, a milestone coming due. Sent after the change commits; a failure to send is
logged without the address and never undoes the change. Display names only, no
pledger's or reviewer's identity."""

import contextlib
import contextvars
import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)
_quiet: contextvars.ContextVar[bool] = contextvars.ContextVar("initiatives_quiet", default=False)


@contextlib.contextmanager
def quiet():
    """No emails inside this block (the demo loader writes through the services)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _site(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def _send_later(user, subject: str, body: str) -> None:
    if user is None or not user.is_active or not user.email or _quiet.get():
        return
    email = user.email

    def send():
        try:
            send_mail(subject, body, None, [email])
        except Exception:  # noqa: BLE001 - the change stands; say so without the address
            logger.warning("Could not send an initiatives email.")

    transaction.on_commit(send)


def pledge_received(pledge) -> None:
    pitch = pledge.pitch
    what = f"{pledge.hours} hours" if pledge.hours else pledge.get_kind_display().lower()
    from_whom = pledge.organisation.name if pledge.organisation_id else "a member"
    _send_later(
        pitch.author,
        f"A pledge to your pitch: {pitch.title}",
        f"Hello {pitch.author.display_name if pitch.author else ''},\n\n"
        f"Your pitch \u201c{pitch.title}\u201d has a new pledge of {what} from {from_whom}.\n\n"
        f"See what is pledged against what it needs: {_site(pitch.get_absolute_url())}\n",
    )


def decision_made(pitch) -> None:
    outcome = "accepted" if pitch.state == pitch.State.ACCEPTED else "not taken forward"
    reason = f"\nReason: {pitch.get_decline_reason_display()}" if pitch.decline_reason else ""
    explanation = f"\n\n{pitch.decision_explanation}" if pitch.decision_explanation else ""
    _send_later(
        pitch.author,
        f"Your pitch was {outcome}: {pitch.title}",
        f"Your pitch \u201c{pitch.title}\u201d was {outcome}.{reason}{explanation}\n\n"
        f"The decision is published on the pitch: {_site(pitch.get_absolute_url())}\n",
    )


def milestones_due(*, within_days: int = 7, today=None) -> int:
    """Email each initiative's leads about milestones not done that fall due `within_days` from today, and
    again on the day they are due: run daily, that is two emails per milestone, never one every day of the
    week before. Returns emails sent."""
    from .models import Milestone, TeamMember

    today = today or timezone.localdate()
    due = (
        Milestone.objects.filter(
            due_on__in=[today, today + datetime.timedelta(days=within_days)],
            status__in=[Milestone.Status.PLANNED, Milestone.Status.IN_PROGRESS],
            initiative__status="active",
        )
        .select_related("initiative")
        .order_by("initiative_id", "due_on")
    )
    by_initiative: dict = {}
    for milestone in due:
        by_initiative.setdefault(milestone.initiative, []).append(milestone)
    leads = TeamMember.objects.filter(
        initiative__in=list(by_initiative), role=TeamMember.Role.LEAD, user__is_active=True
    ).select_related("user")
    sent = 0
    for lead in leads:
        milestones = by_initiative[lead.initiative]
        lines = "\n".join(f"- {m.title}: due {m.due_on:%d %B %Y}" for m in milestones)
        manage = reverse("initiatives:initiative_manage", kwargs={"pk": lead.initiative.pk})
        try:
            send_mail(
                f"Milestones due soon: {lead.initiative.name}",
                f"These milestones of {lead.initiative.name} are due soon:\n\n{lines}\n\n"
                f"Update their status: {_site(manage)}\n",
                None,
                [lead.user.email],
            )
            sent += 1
        except Exception:  # noqa: BLE001 - one failure does not stop the others
            logger.warning("Could not send a milestones-due email.")
    return sent
