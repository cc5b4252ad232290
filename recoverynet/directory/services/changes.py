"""Change requests from anyone, reviewed by the network's coordinators.

Anyone may report that a meeting's details are out of date
(`submit_change_request`). A coordinator of the meeting's network applies it
(`apply_change_request`: for details that map onto one field, the proposed
value is written through `update_meeting`, validated and audited, in the same
transaction) or declines it with a reason (`decline_change_request`).

Privacy by design: the reporter's email address, if they left one, is used
only to tell them the outcome, and is erased from the row (set to None) in the
same transaction as the decision. The email itself is sent once the
transaction has committed.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from recoverynet.core.models import AuditEntry
from recoverynet.core.services import create_instance, require, update_instance

from ..models import ChangeRequest, Meeting
from .listings import update_meeting

logger = logging.getLogger(__name__)

# Which detail is wrong: (value, label). Stored in ChangeRequest.field.
FIELD_CHOICES = [
    ("name", "Name"),
    ("days", "Day or days"),
    ("start_time", "Start time"),
    ("end_time", "End time"),
    ("location", "Location or address"),
    ("conference_url", "Online meeting link"),
    ("conference_phone", "Phone number to join"),
    ("types", "Meeting types (for example open, closed, wheelchair access)"),
    ("status", "The meeting has stopped or is temporarily closed"),
    ("notes", "Notes"),
    ("other", "Something else"),
]
FIELD_LABELS = dict(FIELD_CHOICES)
# Details a coordinator can apply with one action: they map onto one meeting field.
DIRECT_FIELDS = ("name", "start_time", "end_time", "notes", "conference_url", "conference_phone", "status")

MAX_PROPOSED_LENGTH = 1000
MAX_REASON_LENGTH = 2000

_STATUS_WORDS = {
    "active": Meeting.Status.ACTIVE,
    "meeting again": Meeting.Status.ACTIVE,
    "temporarily closed": Meeting.Status.TEMPORARILY_CLOSED,
    "temporarily_closed": Meeting.Status.TEMPORARILY_CLOSED,
    "closed": Meeting.Status.TEMPORARILY_CLOSED,
    "inactive": Meeting.Status.INACTIVE,
    "stopped": Meeting.Status.INACTIVE,
    "has stopped": Meeting.Status.INACTIVE,
}
_TIME_FORMATS = ("%H:%M", "%H.%M", "%I:%M%p", "%I.%M%p", "%I%p", "%H%M")  # after removing spaces


def is_direct(field: str) -> bool:
    return field in DIRECT_FIELDS


def current_value(meeting, field: str) -> str:
    """The meeting's present value of a reported detail, as text for the review page."""
    if field in ("start_time", "end_time"):
        value = getattr(meeting, field)
        return value.strftime("%H:%M") if value else ""
    if field == "status":
        return meeting.get_status_display()
    if field == "days":
        from ..models import DAY_NAMES

        return ", ".join(DAY_NAMES[d] for d in meeting.weekdays)
    if field == "location":
        return meeting.location.formatted_address if meeting.location_id else ""
    if field == "types":
        return ", ".join(sorted(t.name for t in meeting.types.all()))
    if field == "other":
        return ""
    return str(getattr(meeting, field, "") or "")


def _parse_time(text: str, field: str):
    text = text.strip().lower().replace(" ", "") if text else ""
    if not text:
        if field == "end_time":
            return None
        raise ValidationError({"value": "Enter the start time, for example 19:30."})
    for fmt in _TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).time()  # noqa: DTZ007 - a time of day, in the meeting's zone
        except ValueError:
            continue
    raise ValidationError({"value": "Enter a time like 19:30 (24-hour clock)."})


def _parse_status(text: str):
    key = (text or "").strip().lower()
    if key in _STATUS_WORDS:
        return _STATUS_WORDS[key]
    for value, label in Meeting.Status.choices:
        if key == label.lower():
            return value
    raise ValidationError({"value": "Enter active, temporarily closed or inactive."})


def parse_value(field: str, text: str):
    """The proposed text as the meeting field's value; ValidationError on {"value": ...} if it cannot be."""
    if field in ("start_time", "end_time"):
        return _parse_time(text, field)
    if field == "status":
        return _parse_status(text)
    text = (text or "").strip()
    if field == "name" and not text:
        raise ValidationError({"value": "Enter the meeting's name."})
    return text


def _reporter_email(change_request):
    return (change_request.reporter_email or "").strip()


def _notify(email: str, subject: str, body: str) -> None:
    """Send after commit; a failure to send never undoes the decision, and is logged without the address."""

    def send():
        try:
            send_mail(subject, body, None, [email])
        except Exception:  # noqa: BLE001 - the decision stands; the address is already erased
            logger.warning("Could not send a change request outcome email.")

    transaction.on_commit(send)


@transaction.atomic
def submit_change_request(*, actor, meeting, data) -> ChangeRequest:
    """Anyone (signed in or not) reports a change to a meeting anyone can find.

    `data`: field, proposed_value, reason, reporter_email (optional)."""
    if meeting.status == Meeting.Status.INACTIVE or not meeting.network.is_active:
        raise ValidationError("This meeting is no longer listed.")
    field = data.get("field", "")
    if field not in FIELD_LABELS:
        raise ValidationError({"field": "Choose which detail is wrong."})
    proposed = (data.get("proposed_value") or "").strip()
    reason = (data.get("reason") or "").strip()
    errors = {}
    if len(proposed) > MAX_PROPOSED_LENGTH:
        errors["proposed_value"] = f"The new detail must be {MAX_PROPOSED_LENGTH} characters or fewer."
    if not reason:
        errors["reason"] = "Tell us why the detail needs changing."
    elif len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = f"The reason must be {MAX_REASON_LENGTH} characters or fewer."
    if errors:
        raise ValidationError(errors)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    change_request = ChangeRequest(
        meeting=meeting,
        field=field,
        proposed_value=proposed,
        reason=reason,
        reporter_email=(data.get("reporter_email") or "").strip() or None,
        reporter=actor if authenticated else None,
    )
    return create_instance(
        actor=actor if authenticated else None,
        instance=change_request,
        network=meeting.network,
        summary=f"Change reported to {meeting.audit_repr()} ({field})",
    )


def _lock_open(change_request) -> ChangeRequest:
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    change_request.status = locked.status
    change_request.reporter_email = locked.reporter_email
    if locked.status != ChangeRequest.Status.OPEN:
        raise ValidationError("This change request has already been decided.")
    return locked


def _decide(*, actor, change_request, status, reason, action):
    email = _reporter_email(change_request)
    update_instance(
        actor=actor,
        instance=change_request,
        data={
            "status": status,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_reason": reason,
            "reporter_email": None,  # erased with the decision: it was only to hear back
        },
        network=change_request.meeting.network,
        action=action,
    )
    return email


@transaction.atomic
def apply_change_request(*, actor, change_request, value=None) -> ChangeRequest:
    """Apply the reported change and close the request.

    For details that map onto one field (DIRECT_FIELDS) the proposed value, or
    `value` when the coordinator corrected it, is written through
    update_meeting: a value that is not valid raises ValidationError on
    "value" and nothing is written. For the other details the coordinator has
    already changed the meeting on its edit page; this only closes the request."""
    require(actor, "directory.review_changerequest", change_request.meeting)
    _lock_open(change_request)
    meeting = change_request.meeting
    field = change_request.field
    if is_direct(field):
        text = change_request.proposed_value if value is None else value
        parsed = parse_value(field, text)
        try:
            update_meeting(actor=actor, meeting=meeting, data={field: parsed})
        except ValidationError as exc:
            messages = exc.message_dict.get(field) if hasattr(exc, "error_dict") else None
            raise ValidationError({"value": messages or exc.messages}) from exc
    email = _decide(
        actor=actor,
        change_request=change_request,
        status=ChangeRequest.Status.APPLIED,
        reason="",
        action=AuditEntry.Action.APPROVE,
    )
    if email:
        _notify(
            email,
            "Your reported change has been made",
            f"Thank you for reporting a change to the meeting \u201c{meeting.name}\u201d "
            f"({FIELD_LABELS.get(field, field).lower()}).\n\n"
            "A coordinator has checked it and updated the listing.\n\n"
            "We have now deleted your email address from our records.\n\nRecoveryNet\n",
        )
    return change_request


@transaction.atomic
def decline_change_request(*, actor, change_request, reason) -> ChangeRequest:
    require(actor, "directory.review_changerequest", change_request.meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason for declining the change."})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": f"The reason must be {MAX_REASON_LENGTH} characters or fewer."})
    _lock_open(change_request)
    meeting = change_request.meeting
    email = _decide(
        actor=actor,
        change_request=change_request,
        status=ChangeRequest.Status.DECLINED,
        reason=reason,
        action=AuditEntry.Action.DECLINE,
    )
    if email:
        _notify(
            email,
            "About the change you reported",
            f"Thank you for reporting a change to the meeting \u201c{meeting.name}\u201d "
            f"({FIELD_LABELS.get(change_request.field, change_request.field).lower()}).\n\n"
            "A coordinator has checked it and has not changed the listing, because:\n\n"
            f"{reason}\n\n"
            "We have now deleted your email address from our records.\n\nRecoveryNet\n",
        )
    return change_request
