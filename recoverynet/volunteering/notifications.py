"""Emails to the members with a place on a shift an organiser moved or cancelled, and
about the time of a place on a flexible shift (to whichever side did not set it).
Sent after the change commits (never for a change that was rolled back); a mail
server that fails is logged without the address and never undoes the change."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from recoverynet.federation.models import Membership

logger = logging.getLogger(__name__)


def _site(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def _send_to(people, subject: str, body) -> None:
    """`body(person)` is each person's message; only active people with an email address get one."""
    messages = [
        (person.email, body(person))
        for person in people
        if person.is_active and person.email and not getattr(person, "erased_at", None)
    ]

    def send():
        for email, text in messages:
            try:
                send_mail(subject, text, None, [email])
            except Exception:  # noqa: BLE001 - the change stands; say so without the address
                logger.warning("Could not send a volunteering shift email.")

    if messages:
        transaction.on_commit(send)


def _send_later(signups, subject: str, body) -> None:
    """`body(signup)` is each member's message."""
    by_user = {signup.user.pk: signup for signup in signups}
    _send_to([signup.user for signup in signups], subject, lambda person: body(by_user[person.pk]))


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


def shift_moved(shift, signups, before: str, *, overlapping=None) -> None:
    """`overlapping`: for a member whose place now overlaps another place they hold, that place."""
    role, overlapping = shift.role, overlapping or {}
    mine = _site(reverse("volunteering:mine"))

    def what_now(signup) -> str:
        other = overlapping.get(signup.user_id)
        if other is None:
            return (
                "Your place is kept. If you cannot come at the new time, please cancel it so someone else can "
                f"take it: {mine}"
            )
        return (
            f"Your place is kept, but the new time overlaps your place on {other.shift.role.title} at "
            f"{other.busy_when}. You cannot be at both: please cancel one of the two places on your "
            f"volunteering page: {mine}"
        )

    _send_later(
        signups,
        f"Volunteering shift changed: {role.title}",
        lambda signup: (
            f"Hello {signup.user.display_name},\n\n"
            f"The organiser has changed the time of a volunteering shift you have a place on.\n\n"
            f"{role.title} with {role.offered_by}\nWas: {before}\nNow: {shift.when}\n\n"
            f"{what_now(signup)}\n\nRecoveryNet"
        ),
    )


def organisers_to_tell(role):
    """Who hears that a member chose their time: the hosts of the offering settlement or the
    professionals of the offering organisation (active, in the role's network); failing
    those, the network's coordinators."""
    active = Membership.objects.filter(network_id=role.network_id, status=Membership.Status.ACTIVE).select_related(
        "user"
    )
    if role.settlement_id:
        close = active.filter(role=Membership.Role.SETTLEMENT_HOST, settlement_id=role.settlement_id)
    else:
        close = active.filter(role=Membership.Role.PROFESSIONAL, organisation_id=role.organisation_id)
    people = {m.user_id: m.user for m in close}
    if not people:
        people = {m.user_id: m.user for m in active.filter(role=Membership.Role.NETWORK_COORDINATOR)}
    return [people[pk] for pk in sorted(people)]


def time_chosen(signup, *, actor, before) -> None:
    """The member set their time: tell the organisers. An organiser set it: tell the member."""
    shift, role = signup.shift, signup.shift.role
    was = ""
    if before[0] is not None:
        was = f"Was: {type(signup)(chosen_starts_at=before[0], chosen_ends_at=before[1]).chosen_time}\n"
    if actor.pk == signup.user_id:
        _send_to(
            [person for person in organisers_to_tell(role) if person.pk != actor.pk],
            f"Volunteering time chosen: {role.title}",
            lambda person: (
                f"Hello {person.display_name},\n\n"
                f"{signup.user.display_name} chose their time on a flexible shift of {role.title}.\n\n"
                f"{was}Now: {signup.chosen_time}\nWindow: {shift.when}\n\n"
                f"The shift's places: {_site(reverse('volunteering:manage:shift', args=[shift.pk]))}\n\nRecoveryNet"
            ),
        )
    else:
        _send_later(
            [signup],
            f"Your volunteering time: {role.title}",
            lambda s: (
                f"Hello {s.user.display_name},\n\n"
                f"The organiser set the time of your place on {role.title} with {role.offered_by}.\n\n"
                f"{was}Now: {s.chosen_time}\n\n"
                "If you cannot come then, choose another time or cancel your place: "
                f"{_site(reverse('volunteering:mine'))}\n\nRecoveryNet"
            ),
        )
