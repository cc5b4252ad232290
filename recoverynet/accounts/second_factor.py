"""Which sessions completed two-factor authentication, and how long privileged sessions last.

A coordinator's, commissioner's or admin's account reads special-category data, so having a
TOTP device is not enough: the session in use must itself have passed the
second factor. allauth tells us when an authenticator is used (at sign-in or
when the code is asked for again) or added (enrolment proves the new device),
and we note that in the session, tied to the person's id.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

SECOND_FACTOR_SESSION_KEY = "recoverynet_second_factor"
SIGNED_IN_AT_SESSION_KEY = "recoverynet_signed_in_at"
LAST_SEEN_SESSION_KEY = "recoverynet_last_seen"
# Don't write the session on every request just to move "last seen" on.
LAST_SEEN_RESOLUTION_SECONDS = 60


def now_timestamp() -> float:
    return timezone.now().timestamp()


def mark_second_factor(session, user) -> None:
    session[SECOND_FACTOR_SESSION_KEY] = {"user": str(user.pk), "at": now_timestamp()}


def session_passed_second_factor(session, user) -> bool:
    record = session.get(SECOND_FACTOR_SESSION_KEY)
    return isinstance(record, dict) and record.get("user") == str(user.pk)


def privileged_session_expired(session) -> str | None:
    """Why a privileged session must end now ("idle" or "age"), or None.

    Starts the clocks on a session that has none yet (one signed in before
    this rule existed)."""
    now = now_timestamp()
    signed_in_at = session.get(SIGNED_IN_AT_SESSION_KEY)
    last_seen = session.get(LAST_SEEN_SESSION_KEY)
    if not isinstance(signed_in_at, int | float):
        session[SIGNED_IN_AT_SESSION_KEY] = signed_in_at = now
    if not isinstance(last_seen, int | float):
        session[LAST_SEEN_SESSION_KEY] = last_seen = now
    if now - signed_in_at > settings.PRIVILEGED_SESSION_MAX_AGE_SECONDS:
        return "age"
    if now - last_seen > settings.PRIVILEGED_SESSION_IDLE_SECONDS:
        return "idle"
    if now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN_SESSION_KEY] = now
    # The session store forgets it too once the person has been away that long.
    if session.get_expiry_age() > settings.PRIVILEGED_SESSION_IDLE_SECONDS:
        session.set_expiry(settings.PRIVILEGED_SESSION_IDLE_SECONDS)
    return None


def needs_second_factor(user) -> bool:
    from recoverynet.federation.scoping import is_privileged

    # Coordinators, commissioners (they read outcomes of people in recovery) and admins.
    return user.is_authenticated and (user.is_staff or user.is_superuser or is_privileged(user))


@receiver(user_logged_in)
def start_session_clocks(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[SIGNED_IN_AT_SESSION_KEY] = request.session[LAST_SEEN_SESSION_KEY] = now_timestamp()
    if needs_second_factor(user):
        request.session.set_expiry(settings.PRIVILEGED_SESSION_IDLE_SECONDS)


def record_second_factor(sender, request, user, authenticator, **kwargs):
    """allauth's authenticator_used (sign-in, code asked again) and authenticator_added (enrolment)."""
    if request is not None and hasattr(request, "session") and user is not None:
        mark_second_factor(request.session, user)


def connect_allauth_signals():
    from allauth.mfa.signals import authenticator_added, authenticator_used

    authenticator_used.connect(record_second_factor, dispatch_uid="recoverynet_second_factor_used")
    authenticator_added.connect(record_second_factor, dispatch_uid="recoverynet_second_factor_added")
