"""Emails to the members with a place on a shift an organiser moved or cancelled.
Sent after the change commits (never for a change that was rolled back); a mail
server that fails is logged without the address and never undoes the change."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

logger = logging.getLogger(__name__)


def _site(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def _send_later(signups, subject: str, body) -> None:
    """`body(signup)` is each person's message; only active members with an email address get one."""
    messages = [
        (signup.user.email, body(signup))
        for signup in signups
        if signup.user.is_active and signup.user.email and not getattr(signup.user, "erased_at", None)
    ]

    def send():
        for email, text in messages:
            try:
                send_mail(subject, text, None, [email])
            except Exception:  # noqa: BLE001 - the change stands; say so without the address
                logger.warning("Could not send a volunteering shift email.")

    if messages:
        transaction.on_commit(send)


def shift_cancelled(shift, signups, reason: str) -> None:
    role = shift.role
    why = f"\nThe organiser said: {reason}\n" if reason else ""
    _send_later(
        signups,
        f"Volunteering shift cancelled: {role.title}",
        lambda signup: (
            f"Hello {signup.user.display_name},\n\n"
            f"The organiser has cancelled this volunteering shift, and your place on it:\n\n"
            f"{role.title} with {role.offered_by}\n{shift.when}\n{why}\n"
            f"Other shifts of this role: {_site(role.get_absolute_url())}\n\n"
            "Thank you for offering your time.\nRecoveryNet"
        ),
    )


def shift_moved(shift, signups, before: str) -> None:
    role = shift.role
    _send_later(
        signups,
        f"Volunteering shift changed: {role.title}",
        lambda signup: (
            f"Hello {signup.user.display_name},\n\n"
            f"The organiser has changed the time of a volunteering shift you have a place on.\n\n"
            f"{role.title} with {role.offered_by}\nWas: {before}\nNow: {shift.when}\n\n"
            "Your place is kept. If you cannot come at the new time, please cancel it so someone else can "
            f"take it: {_site(reverse('volunteering:mine'))}\n\nRecoveryNet"
        ),
    )
