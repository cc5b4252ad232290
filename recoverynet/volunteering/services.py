"""Every change to volunteering: roles, shifts, sign-ups, hours, DBS records,
profiles, commendations. Each checks the actor's permission (rules.py), writes
in one transaction with its audit entry, or writes nothing and raises a
ValidationError that says how to put it right.

A sign-up locks the member's row, then the shift's row (always in that order,
so two sign-ups never wait on each other in a circle), and counts the places
taken while holding the lock: concurrent sign-ups never over-fill a shift."""

import datetime
import re
import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from recoverynet.core import audit
from recoverynet.core.models import AuditEntry
from recoverynet.core.services import create_instance, made_at_the_same_moment, require, update_instance
from recoverynet.federation.models import Membership
from recoverynet.federation.services import unique_slug
from recoverynet.timebank import services as timebank_services
from recoverynet.timebank.models import Account

from . import notifications
from .eligibility import eligibility, facts_for
from .models import (
    MAX_INTEREST_NAME,
    MAX_SHIFT_HOURS,
    Commendation,
    DBSCheck,
    Interest,
    Job,
    JobOutcome,
    MemberInterest,
    MemberSkill,
    Role,
    RoleSkill,
    Shift,
    SignUp,
    SkillLevel,
    VolunteerProfile,
    format_minutes,
)

MAX_REASON = 300
MAX_COMMENDATION = 2000
MAX_SKILLS = 12
MAX_INTERESTS = 30  # more than the list has: a bound for what a client sends


def _text(value, name, limit, *, required_message=None) -> str:
    if not isinstance(value, str):
        raise ValidationError({name: "Enter text."}, code="invalid")
    value = value.strip()
    if "\x00" in value or len(value) > limit:
        raise ValidationError({name: f"Keep it to {limit} characters or fewer."}, code="max_length")
    if required_message and not value:
        raise ValidationError({name: required_message}, code="required")
    return value


# --- Forms sent twice ----------------------------------------------------------------

MAX_IDEMPOTENCY_KEY = 80


def _check_key(key) -> str | None:
    if key is None or key == "":
        return None
    if not isinstance(key, str) or len(key) > MAX_IDEMPOTENCY_KEY or "\x00" in key:
        raise ValidationError("This form has expired: open it again.", code="idempotency")
    return key


def _once(model, key, create, *, same):
    """create() once per idempotency key (the hidden key of the form, as the time bank's forms do):
    the same form sent again, or twice at once, answers with the row the first one wrote.
    `same(row)` says whether that row was made from the same details; if not, nothing is written."""
    key = _check_key(key)
    if key is None:
        return create(None)
    existing = model.objects.filter(idempotency_key=key).first()
    if existing is None:
        try:
            return create(key)
        except (IntegrityError, ValidationError):
            # The other request with this key committed first (the unique check or the insert saw it).
            existing = model.objects.filter(idempotency_key=key).first()
            if existing is None:
                raise
    if not same(existing):
        raise ValidationError("This form was already sent with other details: open it again.", code="idempotency")
    return existing


# --- Roles and shifts -------------------------------------------------------------


def _check_skills(skills) -> list:
    skills = list(skills)
    if len(skills) > MAX_SKILLS:
        raise ValidationError({"skills": f"List at most {MAX_SKILLS} skills."})
    names = [_text(name, "skills", 60) for name, _ in skills]
    if len({n.lower() for n in names}) != len(names) or not all(names):
        raise ValidationError({"skills": "Name each skill once."})
    if any(level not in SkillLevel.values for _, level in skills):
        raise ValidationError({"skills": "Choose a level for each skill."})
    return [(name, level) for name, (_, level) in zip(names, skills, strict=True)]


def _check_interests(interests) -> list:
    """Interests (or their ids) that exist, each once: [Interest]."""
    ids = set()
    for interest in interests:
        pk = getattr(interest, "pk", interest)
        if isinstance(pk, bool) or not isinstance(pk, int):
            raise ValidationError({"interests": "Choose interests from the list."})
        ids.add(pk)
    found = list(Interest.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"interests": "Choose interests from the list."})
    return found


def _hold_interests(interests) -> None:
    """Inside the transaction that tags them: lock the chosen interests, so a coordinator removing
    one at this moment either waits and then sees it in use, or removed it first and we say so
    (rather than the database refusing the commit)."""
    ids = sorted({i.pk for i in interests})
    if len(list(Interest.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))) != len(ids):
        raise ValidationError(
            {"interests": "An interest you chose has just been taken off the list: choose again."}, code="removed"
        )


# --- The shared list of interests (federation coordinators) --------------------------


def _interest_name(name) -> str:
    """Trimmed, each run of spaces (or tabs, or line breaks) made one space, 1 to 60 characters."""
    if not isinstance(name, str):
        raise ValidationError({"name": "Enter a name for the interest."}, code="invalid")
    # One form for one look ("Café" typed two ways); invisible and unassigned characters refused below.
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name:
        raise ValidationError({"name": "Enter a name for the interest."}, code="required")
    if len(name) > MAX_INTEREST_NAME:
        raise ValidationError({"name": f"Keep the name to {MAX_INTEREST_NAME} characters or fewer."}, code="max_length")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cn", "Co", "Cs") for c in name):
        raise ValidationError({"name": "Use letters, numbers, spaces and punctuation only."}, code="invalid")
    return name


def _name_taken(name) -> ValidationError:
    return ValidationError({"name": f"There is already an interest called {name}: choose another name."})


def _check_name_free(name, *, keep=None) -> None:
    """Refuse a name the list already has in any case (the list is short: compared here, in Python,
    so that "Café" and "CAFÉ" are one name on SQLite too)."""
    folded = name.casefold()
    for pk, other in Interest.objects.values_list("pk", "name"):
        if pk != getattr(keep, "pk", None) and other.casefold() == folded:
            raise _name_taken(other)


def add_interest(*, actor, name) -> Interest:
    """A federation coordinator adds an interest to the list every network's roles and members choose from."""
    require(actor, "volunteering.manage_interests")
    name = _interest_name(name)
    with transaction.atomic():
        _check_name_free(name)
        # Two coordinators adding the same name at once: one row, and the same clear error for the other.
        with made_at_the_same_moment(_name_taken(name)), transaction.atomic():
            return create_instance(actor=actor, instance=Interest(name=name), summary="Interest added")


def rename_interest(*, actor, interest: Interest, name) -> dict:
    """Rename an interest: the roles and members that chose it keep it, under its new name.
    Returns the changes ({} when the name is the same)."""
    require(actor, "volunteering.manage_interests")
    name = _interest_name(name)
    with transaction.atomic():
        locked = Interest.objects.select_for_update().filter(pk=interest.pk).first()
        if locked is None:
            raise ValidationError({"name": "This interest has been removed from the list."}, code="removed")
        _check_name_free(name, keep=locked)
        with made_at_the_same_moment(_name_taken(name)), transaction.atomic():
            changes = update_instance(actor=actor, instance=locked, data={"name": name}, summary="Interest renamed")
    interest.name = locked.name
    return changes


def interest_in_use(interest: Interest, roles: int, members: int) -> str:
    used_by = []
    if roles:
        used_by.append(f"{roles} role{'s are' if roles != 1 else ' is'} tagged with it")
    if members:  # not how many: members' interests are theirs, and small counts are never shown
        used_by.append("members have chosen it")
    return (
        f"You cannot remove {interest.name}: {' and '.join(used_by)}. Removing it would take it away from them. "
        "Rename it instead if its name is wrong."
    )


def remove_interest(*, actor, interest: Interest) -> None:
    """Take an interest off the list: only one that no role and no member uses, so nobody's
    choice is silently dropped. Refused otherwise, saying how many use it."""
    require(actor, "volunteering.manage_interests")
    with transaction.atomic():
        # Locked, so a role or member choosing it at this moment is either counted below or refused by
        # the database (a reference to a row that is gone), never left pointing at nothing.
        locked = Interest.objects.select_for_update().filter(pk=interest.pk).first()
        if locked is None:
            raise ValidationError("This interest has already been removed from the list.", code="removed")
        roles = Role.interests.through.objects.filter(interest=locked).count()
        members = MemberInterest.objects.filter(interest=locked).count()
        if roles or members:
            raise ValidationError(interest_in_use(locked, roles, members), code="in_use")
        audit.record(actor=actor, action=AuditEntry.Action.DELETE, instance=locked, summary="Interest removed")
        locked.delete()


def create_role(*, actor, network, data: dict, skills=(), interests=(), idempotency_key=None) -> Role:
    """A coordinator adds a role offered by an organisation, settlement or initiative of their network.
    `skills`: [(name, level)]; `interests`: Interest rows (or ids) the role suits. The same
    `idempotency_key` again returns the role it created."""
    require(actor, "volunteering.add_role", network)
    skills = _check_skills(skills)
    interests = _check_interests(interests)

    def create(key):
        role = Role(network=network, idempotency_key=key, **data)
        role.slug = unique_slug(Role, role.title)
        with transaction.atomic():
            _hold_interests(interests)
            role = create_instance(actor=actor, instance=role, network=network, summary=f"{len(skills)} skills")
            RoleSkill.objects.bulk_create(RoleSkill(role=role, name=name, level=level) for name, level in skills)
            role.interests.set(interests)
        return role

    return _once(
        Role,
        idempotency_key,
        create,
        same=lambda role: role.network_id == network.pk and role.title == data.get("title"),
    )


def update_role(*, actor, role, data: dict, skills=None, interests=None) -> dict:
    """An organiser changes a role (and, when given, replaces the skills it wants and the interests it suits)."""
    require(actor, "volunteering.manage_role", role)
    extra = {}
    with transaction.atomic():
        if interests is not None:
            interests = _check_interests(interests)
            before = sorted(i.name for i in role.interests.all())
            if before != sorted(i.name for i in interests):
                _hold_interests(interests)
                role.interests.set(interests)
                extra["interests"] = [before, sorted(i.name for i in interests)]
        if skills is not None:
            skills = _check_skills(skills)
            before = sorted((s.name, s.level) for s in role.skills.all())
            if before != sorted(skills):
                role.skills.all().delete()
                RoleSkill.objects.bulk_create(RoleSkill(role=role, name=name, level=level) for name, level in skills)
                extra["skills"] = [before, sorted(skills)]
        return update_instance(actor=actor, instance=role, data=data, network=role.network, extra_changes=extra)


SHIFT_TIME_FIELDS = ("starts_at", "ends_at", "day_starts", "day_ends")


def _check_not_past(shift: Shift) -> None:
    """A fixed shift starts in the future; a flexible window starts today or later."""
    now = timezone.now()
    if shift.is_flexible:
        if shift.starts_at and shift.starts_at.date() < timezone.localdate() and shift.starts_at < now:
            raise ValidationError({"starts_at": "Choose a first day today or later."})
    elif shift.starts_at and shift.starts_at <= now:
        raise ValidationError({"starts_at": "Choose a start time in the future."})


def create_shift(
    *,
    actor,
    role,
    starts_at,
    ends_at,
    places,
    kind=Shift.Kind.FIXED,
    expected_minutes=None,
    expected_per="",
    day_starts=None,
    day_ends=None,
) -> Shift:
    """An organiser adds a shift: fixed times, or a flexible window (with the time each
    volunteer is expected to give, in total or a week, and optional daily hours)."""
    require(actor, "volunteering.manage_role", role)
    if kind not in Shift.Kind.values:
        raise ValidationError({"kind": "Choose fixed times or a flexible window."})
    shift = Shift(role=role, kind=kind, starts_at=starts_at, ends_at=ends_at, places=places)
    if kind == Shift.Kind.FLEXIBLE:
        shift.expected_minutes, shift.expected_per = expected_minutes, expected_per
        shift.day_starts, shift.day_ends = day_starts, day_ends
    _check_not_past(shift)
    return create_instance(actor=actor, instance=shift, network=role.network)


def update_shift(*, actor, shift: Shift, data: dict) -> dict:
    """An organiser changes a shift's times, places (or a flexible shift's expected time).
    Never fewer places than people holding one; never a start in the past; a shift that has
    started keeps its times; a flexible window keeps every time a member chose. Members
    with a place are emailed the new time (after the change commits) and reminded again.
    A fixed shift moved onto another place a member holds still moves: that member's email
    says which place and asks them to cancel one. The organiser is told nothing of it, not
    even a count: moving a shift onto other roles' public times and back would otherwise
    show which other roles a member volunteers for. (A flexible window cannot create a
    clash: it never moves away from the times members chose.)"""
    require(actor, "volunteering.manage_role", shift)
    allowed = {"starts_at", "ends_at", "places"}
    if shift.is_flexible:
        allowed |= {"expected_minutes", "expected_per", "day_starts", "day_ends"}
    if set(data) - allowed:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(set(data) - allowed))}.")
    with transaction.atomic():
        locked = Shift.objects.select_for_update().select_related("role__network").get(pk=shift.pk)
        if locked.cancelled_at is not None:
            raise ValidationError("This shift is cancelled: it can no longer change.", code="cancelled")
        holding = list(
            SignUp.objects.filter(shift=locked, status__in=SignUp.HOLDS_PLACE).select_related("user").order_by("pk")
        )
        places = data.get("places", locked.places)
        if isinstance(places, int) and places < len(holding):
            raise ValidationError(
                {
                    "places": f"{len(holding)} people have a place on this shift: offer at least {len(holding)} "
                    "places, or decline places first."
                },
                code="below_taken",
            )
        before_when = locked.when
        moved = any(name in data and data[name] != getattr(locked, name) for name in SHIFT_TIME_FIELDS)
        if moved:
            now = timezone.now()
            if locked.closes_at <= now:
                what = "window has closed" if locked.is_flexible else "shift has started"
                raise ValidationError(f"This {what}: its times can no longer change.", code="started")
            candidate = Shift(**{**{n: getattr(locked, n) for n in (*SHIFT_TIME_FIELDS, "kind")}, **data})
            if candidate.starts_at != locked.starts_at:
                _check_not_past(candidate)
            if candidate.ends_at and candidate.ends_at <= now:
                raise ValidationError({"ends_at": "Choose an end in the future."})
            if locked.is_flexible and candidate.starts_at and candidate.ends_at:
                outside = [
                    s
                    for s in holding
                    if s.chosen_starts_at and not candidate.contains(s.chosen_starts_at, s.chosen_ends_at)
                ]
                if outside:
                    raise ValidationError(
                        f"{len(outside)} of the people with a place chose a time outside the new window. "
                        "Keep the window around their times, or agree new times with them first.",
                        code="chosen_outside",
                    )
        changes = update_instance(actor=actor, instance=locked, data=data, network=locked.role.network)
        if moved and changes.keys() & set(SHIFT_TIME_FIELDS) and holding:
            SignUp.objects.filter(pk__in=[s.pk for s in holding]).update(reminder_sent_at=None)
            overlapping = {} if locked.is_flexible else _other_places_overlapping(locked, holding)
            notifications.shift_moved(locked, holding, before_when, overlapping=overlapping)
    for name in data:
        setattr(shift, name, getattr(locked, name))
    return changes


def cancel_shift(*, actor, shift: Shift, reason="") -> str:
    """An organiser withdraws a shift. With nobody ever signed up it is deleted; otherwise it
    is kept, marked cancelled, every place on it cancelled, and each member who held a
    place is emailed (after the change commits). Returns "deleted" or "cancelled"."""
    require(actor, "volunteering.manage_role", shift)
    reason = _text(reason, "reason", MAX_REASON)
    with transaction.atomic():
        locked = Shift.objects.select_for_update().select_related("role__network").get(pk=shift.pk)
        if locked.cancelled_at is not None:
            raise ValidationError("This shift is already cancelled.", code="cancelled")
        if SignUp.objects.filter(shift=locked, hours_recorded_at__isnull=False).exists():
            raise ValidationError("Hours are already recorded for this shift: it cannot be cancelled.", code="hours")
        if not SignUp.objects.filter(shift=locked).exists():
            audit.record(
                actor=actor,
                action=AuditEntry.Action.DELETE,
                instance=locked,
                network=locked.role.network,
                summary="Shift deleted",
            )
            locked.delete()
            return "deleted"
        holding = list(
            SignUp.objects.select_for_update()
            .filter(shift=locked, status__in=SignUp.HOLDS_PLACE)
            .select_related("user")
            .order_by("pk")
        )
        now = timezone.now()
        SignUp.objects.filter(pk__in=[s.pk for s in holding]).update(
            status=SignUp.Status.CANCELLED, decided_at=now, decline_reason=reason
        )
        locked.cancelled_at = now
        locked.save(update_fields=["cancelled_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=locked,
            network=locked.role.network,
            changes={"cancelled_at": [None, now.isoformat()], "places_cancelled": [None, len(holding)]},
            summary=f"Shift cancelled; {len(holding)} places cancelled",
        )
        notifications.shift_cancelled(locked, holding, reason)
    shift.cancelled_at = now
    return "cancelled"


# --- Sign-ups ---------------------------------------------------------------------


def _lock_person_and_shift(user, shift) -> Shift:
    """Lock the member's row, then the shift's (always in this order), and return the shift as it is now."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    return Shift.objects.select_for_update().get(pk=shift.pk)


def _check_chosen(locked: Shift, chosen):
    """A time a member chose in a flexible window: (start, end) or None (agreed with the organiser later)."""
    if chosen is None:
        return None
    if not locked.is_flexible:
        raise ValidationError("This shift has fixed times: there is no time to choose.", code="fixed")
    start, end = chosen
    if end <= start:
        raise ValidationError({"chosen_end": "Your time must end after it starts."}, code="chosen")
    if end - start > datetime.timedelta(hours=MAX_SHIFT_HOURS):
        raise ValidationError({"chosen_end": f"Choose at most {MAX_SHIFT_HOURS} hours at a time."}, code="chosen")
    if start <= timezone.now():
        raise ValidationError({"chosen_start": "Choose a time in the future."}, code="chosen")
    if not locked.contains(start, end):
        raise ValidationError(
            {"chosen_start": f"Choose a time within the window: {locked.when.removeprefix('Any ')}."}, code="chosen"
        )
    return start, end


def _check_place(user, locked: Shift, *, actor, allow_started=False, chosen=None) -> None:
    if locked.cancelled_at is not None:
        raise ValidationError("This shift was cancelled. Choose another shift.", code="cancelled")
    if not allow_started and locked.closes_at <= timezone.now():
        message = "This window has closed." if locked.is_flexible else "This shift has already started."
        raise ValidationError(f"{message} Choose a later one.", code="past")
    existing = SignUp.objects.filter(shift=locked, user=user).first()
    if existing is not None and existing.status in SignUp.HOLDS_PLACE:
        raise ValidationError("You already have a place on this shift (or asked for one).", code="duplicate")
    if existing is not None and existing.status == SignUp.Status.DECLINED:
        raise ValidationError("The organiser declined your place on this shift.", code="declined")
    taken = SignUp.objects.filter(shift=locked, status__in=SignUp.HOLDS_PLACE).count()
    if taken >= locked.places:
        raise ValidationError("This shift is full. Choose another shift.", code="full")
    # The time this place keeps the member busy: a fixed shift's times, or the time they chose in a
    # flexible window. A flexible place without a chosen time blocks nothing (and is blocked by nothing).
    busy = (locked.starts_at, locked.ends_at) if not locked.is_flexible else chosen
    if busy is not None:
        _check_overlap(user, locked, busy, actor=actor)


def _places_overlapping(start, end):
    """Places held that keep their member busy at some moment between `start` and `end` (values, or
    expressions over each row): a fixed shift's times, or the time chosen in a flexible window. A
    flexible place without a chosen time keeps its member busy at no particular time."""
    return SignUp.objects.filter(status__in=SignUp.HOLDS_PLACE).filter(
        Q(shift__kind=Shift.Kind.FIXED, shift__starts_at__lt=end, shift__ends_at__gt=start)
        | Q(chosen_starts_at__lt=end, chosen_ends_at__gt=start)
    )


def _check_overlap(user, locked: Shift, busy, *, actor) -> None:
    """Refuse a time (start, end) that overlaps another place the member holds. Only the member
    is told which place: an organiser (a walk-in, a time set for someone) must not learn which
    other roles a member volunteers for."""
    start, end = busy
    overlapping = _places_overlapping(start, end).filter(user=user)
    clash = overlapping.exclude(shift=locked).select_related("shift__role").order_by("shift__starts_at").first()
    if clash is not None and getattr(actor, "pk", None) != user.pk:
        raise ValidationError(
            "This person already has another volunteering place at that time. They can cancel it on their "
            "volunteering page, or choose another time.",
            code="overlap",
        )
    if clash is not None:
        when = timezone.localtime(clash.chosen_starts_at or clash.shift.starts_at)
        raise ValidationError(
            f"You already have a place at that time: {clash.shift.role.title}, {when:%-d %B, %H:%M}. "
            "To take this one instead, cancel that place on your volunteering page first.",
            code="overlap",
        )


def _other_places_overlapping(locked: Shift, holding) -> dict:
    """Each member holding a place on the fixed shift `locked` whose other places overlap its
    times, with the earliest such place: `_check_overlap`'s rule for everyone at once, in one
    query. Best effort: a sign-up elsewhere committing at the same moment is not seen."""
    others = (
        _places_overlapping(locked.starts_at, locked.ends_at)
        .filter(user__in=[signup.user_id for signup in holding])
        .exclude(shift=locked)
        .select_related("shift__role")
        .order_by("shift__starts_at", "pk")
    )
    earliest = {}
    for other in others:
        earliest.setdefault(other.user_id, other)
    return earliest


def _place(*, actor, user, locked: Shift, status, walk_in, summary, chosen=None) -> SignUp:
    decided_at = timezone.now() if status == SignUp.Status.CONFIRMED else None
    chosen_starts_at, chosen_ends_at = chosen or (None, None)
    values = {
        "status": status,
        "walk_in": walk_in,
        "decided_at": decided_at,
        "chosen_starts_at": chosen_starts_at,
        "chosen_ends_at": chosen_ends_at,
    }
    signup, created = SignUp.objects.get_or_create(shift=locked, user=user, defaults=values)
    if not created:  # a cancelled place taken again
        for name, value in values.items():
            setattr(signup, name, value)
        signup.save(update_fields=list(values))
    changes = {"status": [None, status]}
    if chosen:
        changes["chosen"] = [None, [chosen_starts_at.isoformat(), chosen_ends_at.isoformat()]]
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        instance=signup,
        network=locked.role.network,
        changes=changes,
        summary=summary,
    )
    return signup


def _refuse_ineligible(role, user) -> None:
    verdict = eligibility(role, facts_for(user), timezone.localdate())
    if not verdict.can_take:
        raise ValidationError(" ".join(verdict.reasons), code="ineligible")


def sign_up(*, actor, shift: Shift, chosen=None) -> SignUp:
    """A member asks for a place on a shift: confirmed at once where the role allows,
    otherwise waiting for the organiser. On a flexible shift, `chosen` is the
    (start, end) they picked within the window, or None to agree it with the
    organiser. Refused (nothing written) when the shift is full, cancelled, started
    (a flexible window: closed) or past, the member cannot take the role, has an
    overlapping place, already asked, or chose a time outside the window."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("Sign in to volunteer.")
    role = Role.objects.select_related("network").get(pk=shift.role_id)
    if not role.is_published:
        raise ValidationError("This role is not taking volunteers.", code="closed")
    _refuse_ineligible(role, actor)
    status = SignUp.Status.CONFIRMED if role.confirm_automatically else SignUp.Status.REQUESTED
    try:
        with transaction.atomic():
            locked = _lock_person_and_shift(actor, shift)
            locked.role = role
            chosen = _check_chosen(locked, chosen)
            _check_place(actor, locked, actor=actor, chosen=chosen)
            return _place(
                actor=actor, user=actor, locked=locked, status=status, walk_in=False, summary="Signed up", chosen=chosen
            )
    except IntegrityError:  # the same form sent twice at once: the other one won
        raise ValidationError("You already have a place on this shift (or asked for one).", code="duplicate") from None


def choose_time(*, actor, signup: SignUp, chosen) -> SignUp:
    """Set or change the time of a place on a flexible shift after signing up: the member, or
    one of the role's organisers. `chosen` is (start, end), checked as at sign-up (inside the
    window and its daily hours, in the future, no longer than a shift may be, overlapping none
    of the member's other places). Refused (nothing written) for a place not held, a fixed or
    cancelled shift, a closed window, a chosen time that has started, or hours already
    recorded. The same time again changes nothing. The other party is emailed once it commits."""
    require(actor, "volunteering.choose_time", signup)
    if chosen is None:
        raise ValidationError({"chosen_start": "Choose a day and the times you will come."}, code="required")
    with transaction.atomic():
        locked_shift = _lock_person_and_shift(signup.user, signup.shift)
        locked_shift.role = Role.objects.select_related("network", "organisation", "settlement").get(
            pk=locked_shift.role_id
        )
        locked = SignUp.objects.select_for_update().select_related("user").get(pk=signup.pk)
        if not locked_shift.is_flexible:
            raise ValidationError("This shift has fixed times: there is no time to choose.", code="fixed")
        if locked_shift.cancelled_at is not None:
            raise ValidationError("This shift was cancelled.", code="cancelled")
        if locked.status not in SignUp.HOLDS_PLACE:
            raise ValidationError(f"This place is {locked.get_status_display().lower()}.", code="decided")
        if locked.hours_recorded_at is not None:
            raise ValidationError("Hours are already recorded for this place.", code="hours")
        now = timezone.now()
        if locked_shift.closes_at <= now:
            raise ValidationError("This window has closed: its times can no longer change.", code="past")
        if locked.chosen_starts_at is not None and locked.chosen_starts_at <= now:
            raise ValidationError("The time chosen has already started: it can no longer change.", code="started")
        chosen = _check_chosen(locked_shift, chosen)
        before = (locked.chosen_starts_at, locked.chosen_ends_at)
        if before == chosen:
            return locked
        _check_overlap(locked.user, locked_shift, chosen, actor=actor)
        locked.chosen_starts_at, locked.chosen_ends_at = chosen
        locked.reminder_sent_at = None
        locked.save(update_fields=["chosen_starts_at", "chosen_ends_at", "reminder_sent_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=locked,
            network=locked_shift.role.network,
            changes={
                "chosen": [
                    [t.isoformat() for t in before] if before[0] else None,
                    [t.isoformat() for t in chosen],
                ]
            },
            summary="Time chosen" if before[0] is None else "Time changed",
        )
        locked.shift = locked_shift
        notifications.time_chosen(locked, actor=actor, before=before)
    return locked


def record_walk_in(*, actor, shift: Shift, user) -> SignUp:
    """An organiser records a member who came without signing up (during or after the shift too)."""
    require(actor, "volunteering.manage_role", shift)
    role = Role.objects.select_related("network").get(pk=shift.role_id)
    if not Membership.objects.filter(user=user, network=role.network, status=Membership.Status.ACTIVE).exists():
        raise ValidationError({"person": "Choose a member of this network."})
    _refuse_ineligible(role, user)
    try:
        with transaction.atomic():
            locked = _lock_person_and_shift(user, shift)
            locked.role = role
            _check_place(user, locked, actor=actor, allow_started=True)
            return _place(
                actor=actor, user=user, locked=locked, status=SignUp.Status.CONFIRMED, walk_in=True, summary="Walk-in"
            )
    except IntegrityError:
        raise ValidationError("This person already has a place on this shift.", code="duplicate") from None


def _decide(actor, signup, perm, allowed, action, summary, **changes) -> SignUp:
    require(actor, perm, signup)
    with transaction.atomic():
        locked = SignUp.objects.select_for_update().get(pk=signup.pk)
        if locked.status not in allowed:
            raise ValidationError(f"This place is already {locked.get_status_display().lower()}.", code="decided")
        if locked.hours_recorded_at is not None:
            raise ValidationError("Hours are already recorded for this place.", code="hours")
        before = locked.status
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.decided_at = timezone.now()
        locked.save(update_fields=[*changes, "decided_at"])
        audit.record(
            actor=actor,
            action=action,
            instance=locked,
            network=signup.shift.role.network,
            changes={"status": [before, locked.status]},
            summary=summary,
        )
    return locked


def confirm_signup(*, actor, signup: SignUp) -> SignUp:
    return _decide(
        actor,
        signup,
        "volunteering.manage_role",
        (SignUp.Status.REQUESTED,),
        AuditEntry.Action.APPROVE,
        "Place confirmed",
        status=SignUp.Status.CONFIRMED,
    )


def decline_signup(*, actor, signup: SignUp, reason) -> SignUp:
    reason = _text(reason, "reason", MAX_REASON, required_message="Say why, so the member understands.")
    return _decide(
        actor,
        signup,
        "volunteering.manage_role",
        SignUp.HOLDS_PLACE,
        AuditEntry.Action.DECLINE,
        "Place declined",
        status=SignUp.Status.DECLINED,
        decline_reason=reason,
    )


def cancel_signup(*, actor, signup: SignUp) -> SignUp:
    """Before the shift starts (a flexible place: before the time chosen, or before the window closes)."""
    shift = signup.shift
    starts = signup.chosen_starts_at or shift.closes_at if shift.is_flexible else shift.starts_at
    if starts <= timezone.now():
        raise ValidationError("This shift has already started: it can no longer be cancelled.", code="past")
    return _decide(
        actor,
        signup,
        "volunteering.cancel_signup",
        SignUp.HOLDS_PLACE,
        AuditEntry.Action.UPDATE,
        "Place cancelled",
        status=SignUp.Status.CANCELLED,
    )


# --- Hours --------------------------------------------------------------------------


def _check_minutes(value, shift: Shift, name) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({name: "Enter the time as a whole number of minutes."}, code="invalid")
    if value < 0:
        raise ValidationError({name: "Time cannot be negative."}, code="min_value")
    if value > shift.max_minutes:
        most = format_minutes(shift.max_minutes)
        if not shift.is_flexible:
            message = f"Enter at most the shift's length, {most}."
        elif shift.max_minutes == shift.length_minutes:
            message = f"Enter at most the window's length, {most}."
        else:
            message = f"Enter at most {most}, the most one place on a flexible shift can record."
        raise ValidationError({name: message}, code="max_value")
    return value


def record_hours(*, actor, shift: Shift, entries: dict) -> list[SignUp]:
    """The organiser records, in one batch, who came and for how long:
    `entries` maps sign-up id -> (attended, minutes). All or nothing: any bad
    entry refuses the whole batch. Hours a member has confirmed never change."""
    require(actor, "volunteering.manage_role", shift)
    if shift.starts_at > timezone.now():
        what = "window has opened" if shift.is_flexible else "shift has started"
        raise ValidationError(f"Record hours once the {what}.", code="future")
    if not entries:
        raise ValidationError("Record at least one person's attendance.", code="empty")
    with transaction.atomic():
        rows = {s.pk: s for s in SignUp.objects.select_for_update().filter(shift=shift, status=SignUp.Status.CONFIRMED)}
        checked = []
        for signup_id, (attended, minutes) in entries.items():
            name = f"minutes_{signup_id}"
            signup = rows.get(signup_id)
            if signup is None:
                raise ValidationError("Record hours only for confirmed places on this shift.", code="unknown")
            if signup.hours_confirmed_at is not None:
                raise ValidationError({name: "These hours are already confirmed by the member."}, code="confirmed")
            if not isinstance(attended, bool):
                raise ValidationError({name: "Say whether they came."}, code="invalid")
            minutes = _check_minutes(minutes, shift, name) if attended else 0
            if attended and minutes == 0:
                raise ValidationError({name: "Enter how long they volunteered."}, code="min_value")
            checked.append((signup, attended, minutes))
        now = timezone.now()
        for signup, attended, minutes in checked:
            signup.attended, signup.minutes, signup.hours_recorded_at = attended, minutes, now
            signup.save(update_fields=["attended", "minutes", "hours_recorded_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=shift,
            network=shift.role.network,
            changes={"hours": [None, {str(s.pk): [a, m] for s, a, m in checked}]},
            summary=f"Recorded attendance for {len(checked)}",
        )
    return [signup for signup, _, _ in checked]


def confirm_hours(*, actor, signup: SignUp) -> SignUp:
    """The member confirms the hours the organiser recorded for them."""
    require(actor, "volunteering.confirm_hours", signup)
    with transaction.atomic():
        locked = SignUp.objects.select_for_update().get(pk=signup.pk)
        if locked.hours_recorded_at is None or not locked.attended:
            raise ValidationError("There are no hours to confirm for this shift yet.", code="none")
        if locked.hours_confirmed_at is not None:
            raise ValidationError("You have already confirmed these hours.", code="confirmed")
        locked.hours_confirmed_at = timezone.now()
        locked.save(update_fields=["hours_confirmed_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.APPROVE,
            instance=locked,
            network=signup.shift.role.network,
            summary=f"Confirmed {format_minutes(locked.minutes)}",
        )
    return locked


def paying_account(role) -> Account | None:
    """The time bank account of whoever offers the role, in the role's network (None when it has none).
    An initiative has no account of its own: its settlement's pays (none when it has no settlement)."""
    if role.organisation_id:
        holder = {"organisation_id": role.organisation_id}
    elif role.settlement_id:
        holder = {"settlement_id": role.settlement_id}
    elif role.initiative_id and role.initiative.settlement_id:
        holder = {"settlement_id": role.initiative.settlement_id}
    else:
        return None
    return Account.objects.filter(network_id=role.network_id, is_open=True, **holder).first()


def credit_hours(*, actor, shift: Shift) -> dict:
    """Credit every confirmed, not yet credited hour of the shift to each member's
    time bank account from the offering organisation's (or settlement's) account,
    in one transaction: all or nothing. Each sign-up is credited at most once (its
    one-to-one link to the transaction, and the transfer's idempotency key).
    Returns {"credited": [sign-ups], "no_account": [sign-ups of members without one]}."""
    require(actor, "volunteering.manage_role", shift)
    role = shift.role
    source = paying_account(role)
    if source is None:
        raise ValidationError(
            f"{role.offered_by_name} has no time bank account in {role.network.name}, so these hours cannot be "
            "credited. A coordinator can open one"
            + (" for the initiative's settlement." if role.initiative_id else "."),
            code="no_account",
        )
    require(actor, "timebank.move_time", source)
    credited, no_account = [], []
    with transaction.atomic():
        due = list(
            SignUp.objects.select_for_update()
            .filter(shift=shift, attended=True, hours_confirmed_at__isnull=False, credit__isnull=True, minutes__gt=0)
            .order_by("pk")
        )
        accounts = {
            a.user_id: a
            for a in Account.objects.filter(
                network_id=role.network_id, kind=Account.Kind.MEMBER, is_open=True, user__in=[s.user_id for s in due]
            )
        }
        for signup in due:
            destination = accounts.get(signup.user_id)
            if destination is None:
                no_account.append(signup)
                continue
            record = timebank_services.transfer(
                actor=actor,
                source=source,
                destination=destination,
                minutes=signup.minutes,
                description=f"Volunteering: {role.title}"[:200],
                idempotency_key=f"volunteering-signup-{signup.pk}",
            )
            signup.credit = record
            signup.save(update_fields=["credit"])
            credited.append(signup)
        if credited:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                instance=shift,
                network=role.network,
                changes={"credited": [None, [s.pk for s in credited]]},
                summary=f"Credited hours to {len(credited)} in the time bank",
            )
    return {"credited": credited, "no_account": no_account}


# --- Profile, DBS, commendations ------------------------------------------------------


def save_profile(
    *,
    actor,
    user,
    recovery_start,
    avoid_alcohol_venues,
    shift_reminders=True,
    skills=None,
    skills_findable=False,
    avoid_medication_roles=False,
    interests=None,
) -> VolunteerProfile:
    """A member's own private profile: nobody else may change (or see) it. `skills`, when
    given, replaces the skills they listed: [(name, level)]; `interests`, the interests they chose."""
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied("Only you can change your volunteering profile.")
    if recovery_start is not None and recovery_start > timezone.localdate():
        raise ValidationError({"recovery_start": "Enter a date in the past."})
    if recovery_start is not None and recovery_start < datetime.date(1900, 1, 1):
        raise ValidationError({"recovery_start": "Enter a date after 1900."})
    if skills is not None:
        skills = _check_skills(skills)
    if interests is not None:
        interests = _check_interests(interests)
    profile = VolunteerProfile.objects.filter(user=user).first()
    data = {
        "recovery_start": recovery_start,
        "avoid_alcohol_venues": bool(avoid_alcohol_venues),
        "avoid_medication_roles": bool(avoid_medication_roles),
        "shift_reminders": bool(shift_reminders),
        "skills_findable": bool(skills_findable),
    }
    with transaction.atomic():
        extra = {}
        if skills is not None:
            before = sorted((s.name, s.level) for s in MemberSkill.objects.filter(user=user))
            if before != sorted(skills):
                MemberSkill.objects.filter(user=user).delete()
                MemberSkill.objects.bulk_create(
                    MemberSkill(user=user, name=name, level=level) for name, level in skills
                )
                extra["skills"] = [len(before), len(skills)]  # how many, never which
        if interests is not None:
            before = set(MemberInterest.objects.filter(user=user).values_list("interest_id", flat=True))
            if before != {i.pk for i in interests}:
                _hold_interests(interests)
                MemberInterest.objects.filter(user=user).delete()
                MemberInterest.objects.bulk_create(MemberInterest(user=user, interest=i) for i in interests)
                extra["interests"] = [len(before), len(interests)]  # how many, never which
        if profile is None:
            return create_instance(actor=actor, instance=VolunteerProfile(user=user, **data))
        update_instance(actor=actor, instance=profile, data=data, extra_changes=extra)
    return profile


def record_dbs_check(*, actor, network, user, level, checked_on, checker) -> DBSCheck:
    """A coordinator of the network records the DBS check they saw: level, date and checker, nothing more."""
    require(actor, "volunteering.record_dbs", network)
    if not Membership.objects.filter(user=user, network=network, status=Membership.Status.ACTIVE).exists():
        raise ValidationError({"person": "Choose a member of this network."})
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "Enter a date in the past."})
    checker = _text(checker, "checker", 120, required_message="Say who saw the certificate.")
    data = {"level": level, "checked_on": checked_on, "checker": checker, "recorded_by": actor}
    existing = DBSCheck.objects.filter(user=user, network=network).first()
    if existing is None:
        return create_instance(
            actor=actor, instance=DBSCheck(user=user, network=network, **data), network=network, summary="DBS recorded"
        )
    update_instance(actor=actor, instance=existing, data=data, network=network, summary="DBS updated")
    return existing


# Words that would tell a reader of a reference about the member's recovery: word families and
# plurals, the fellowships by name, and AA / NA only as capitalised whole words ("na" is not flagged).
RECOVERY_WORDS = re.compile(
    r"\b(?:(?:alcoholics|narcotics|cocaine|gamblers)\s+anonymous|"
    r"recover(?:s|ed|ing|y|ies)?|addict(?:s|ed|ion|ions|ive)?|alcohol(?:ic|ics|ism)?|"
    r"drink(?:ing|er|ers)|drunk|drugs?|sober|sobriety|clean\s+time|relaps(?:e|es|ed|ing)|rehab|detox|"
    r"treatment|substances?|heroin|methadone|cocaine|crack|gambling|"
    r"12[- ]?steps?|twelve[- ]steps?)\b"
    r"|\b(?-i:AA|NA)\b",
    re.IGNORECASE,
)


def mentions_recovery(text: str) -> list[str]:
    """The words in `text` that would identify the member's recovery, as written."""
    return sorted({match.group(0) for match in RECOVERY_WORDS.finditer(text)}, key=str.lower)


def write_commendation(*, actor, role, user, text, idempotency_key=None) -> Commendation:
    """An organiser commends a member who volunteered in the role. A text with words that would
    identify the member's recovery is kept, flagged, and shown to nobody but the member until
    they approve it (`approve_commendation`). The same `idempotency_key` again returns the
    commendation it wrote."""
    require(actor, "volunteering.manage_role", role)
    text = _text(text, "text", MAX_COMMENDATION, required_message="Write what they did well.")
    if not SignUp.objects.filter(shift__role=role, user=user, attended=True).exists():
        raise ValidationError({"person": "Commend someone who has volunteered in this role."})
    flagged = bool(mentions_recovery(text))

    def create(key):
        commendation = Commendation(
            role=role, user=user, written_by=actor, text=text, mentions_recovery=flagged, idempotency_key=key
        )
        with transaction.atomic():
            return create_instance(actor=actor, instance=commendation, network=role.network)

    return _once(
        Commendation,
        idempotency_key,
        create,
        same=lambda c: (c.role_id, c.user_id, c.text) == (role.pk, user.pk, text),
    )


def _awaiting(actor, commendation) -> Commendation:
    if getattr(actor, "pk", None) is None or commendation.user_id != actor.pk:
        raise PermissionDenied("Only the member it is about can approve a commendation.")
    locked = Commendation.objects.select_for_update().get(pk=commendation.pk)
    if not locked.awaits_member:
        raise ValidationError("This commendation is not waiting for your approval.", code="decided")
    return locked


def approve_commendation(*, actor, commendation: Commendation) -> Commendation:
    """The member agrees that a commendation mentioning their recovery may be shown and go in references."""
    with transaction.atomic():
        locked = _awaiting(actor, commendation)
        locked.member_agreed_at = timezone.now()
        locked.save(update_fields=["member_agreed_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.APPROVE,
            instance=locked,
            network=locked.role.network,
            summary="The member's choice recorded",
        )
    return locked


def refuse_commendation(*, actor, commendation: Commendation) -> None:
    """The member does not want a commendation that mentions their recovery: it is deleted."""
    with transaction.atomic():
        locked = _awaiting(actor, commendation)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            instance=locked,
            network=locked.role.network,
            summary="Removed at the member's choice",
        )
        locked.delete()


# --- Jobs pathway ----------------------------------------------------------------------


def create_job(*, actor, network, data: dict, idempotency_key=None) -> Job:
    """A coordinator lists paid work or training in their network. The same `idempotency_key`
    again returns the job it listed."""
    require(actor, "volunteering.add_job", network)
    if data.get("closing_date") and data["closing_date"] < timezone.localdate():
        raise ValidationError({"closing_date": "Enter a closing date today or later."})

    def create(key):
        job = Job(network=network, idempotency_key=key, **data)
        job.slug = unique_slug(Job, f"{job.title} {job.employer}")
        with transaction.atomic():
            return create_instance(actor=actor, instance=job, network=network)

    return _once(
        Job, idempotency_key, create, same=lambda job: (job.network_id, job.title) == (network.pk, data["title"])
    )


def record_job_outcome(*, actor, job: Job, status) -> JobOutcome:
    """A member saves a job or records how their application went: theirs alone to record."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("Sign in to save jobs.")
    if status not in JobOutcome.Status.values:
        raise ValidationError({"status": "Choose what happened from the list."})
    if not job.is_published:
        raise ValidationError("This job is no longer listed.", code="closed")
    with transaction.atomic():
        outcome = JobOutcome.objects.select_for_update().filter(user=actor, job=job).first()
        if outcome is None and job.closing_date < timezone.localdate():
            raise ValidationError("This job has closed.", code="closed")
        started_on = timezone.localdate() if status == JobOutcome.Status.STARTED else None
        if outcome is None:
            return create_instance(
                actor=actor,
                instance=JobOutcome(user=actor, job=job, status=status, started_on=started_on),
                network=job.network,
            )
        if outcome.status == JobOutcome.Status.STARTED and status == JobOutcome.Status.STARTED:
            return outcome
        update_instance(
            actor=actor, instance=outcome, data={"status": status, "started_on": started_on}, network=job.network
        )
    return outcome


def unsave_job(*, actor, job: Job) -> bool:
    """A member takes a job off their saved list. Only a job merely saved: once they record
    how an application went it stays (people starting work are counted for the outcomes),
    and "not this time" is the way to say it is over. Returns whether there was one to remove."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("Sign in to save jobs.")
    with transaction.atomic():
        outcome = JobOutcome.objects.select_for_update().filter(user=actor, job=job).first()
        if outcome is None:
            return False
        if outcome.status != JobOutcome.Status.SAVED:
            raise ValidationError(
                {"status": 'You recorded how this application went: choose "Not this time" instead of removing it.'},
                code="recorded",
            )
        audit.record(
            actor=actor, action=AuditEntry.Action.DELETE, instance=outcome, network=job.network, summary="Job unsaved"
        )
        outcome.delete()
    return True
