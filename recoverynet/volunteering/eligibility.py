"""Whether a member can take a role, and if not why, in plain words: decided here
and only here (the role page, the list, the sign-up service all ask this).

`facts_for(user)` reads what the decision needs about the person in a fixed
number of queries (their networks, their private profile, their DBS checks),
so a list of roles asks `eligibility(role, facts, today)` per row for free.
What it reads about the person is shown to nobody but them: the reasons speak
to the member ("you"), and no page shows them to anyone else."""

import calendar
import datetime
from dataclasses import dataclass, field

from recoverynet.core import scoping

from .models import DBS_RANK, DBSCheck, DBSLevel, Role, VolunteerProfile

EARLY_RECOVERY_MONTHS = 12  # "early in recovery": the first year
DBS_VALID_YEARS = 3  # a DBS check older than this is asked for again


@dataclass(frozen=True)
class MemberFacts:
    network_ids: frozenset = frozenset()
    recovery_start: datetime.date | None = None
    avoid_alcohol_venues: bool = False
    avoid_medication_roles: bool = False
    dbs: dict = field(default_factory=dict)  # network id -> (level, checked_on)


@dataclass(frozen=True)
class Eligibility:
    can_take: bool
    reasons: tuple = ()  # why not: each one something the member can understand and act on
    notes: tuple = ()  # worth knowing or talking about, but no bar


def facts_for(user) -> MemberFacts:
    if user is None or not user.is_authenticated:
        return MemberFacts()
    profile = VolunteerProfile.objects.filter(user=user).first()
    dbs = {row.network_id: (row.level, row.checked_on) for row in DBSCheck.objects.filter(user=user)}
    return MemberFacts(
        network_ids=scoping.member_network_ids(user),
        recovery_start=profile.recovery_start if profile else None,
        avoid_alcohol_venues=profile.avoid_alcohol_venues if profile else False,
        avoid_medication_roles=profile.avoid_medication_roles if profile else False,
        dbs=dbs,
    )


def add_months(date: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def _in_early_recovery(facts: MemberFacts, today) -> bool | None:
    """True or False when the member told us when their recovery started; None when they did not."""
    if facts.recovery_start is None:
        return None
    return today < add_months(facts.recovery_start, EARLY_RECOVERY_MONTHS)


def eligibility(role: Role, facts: MemberFacts, today: datetime.date) -> Eligibility:
    reasons, notes = [], []
    if role.network_id not in facts.network_ids:
        reasons.append(f"This role is with {role.network.name}. Join that network first.")

    required = DBS_RANK[DBSLevel(role.dbs_level)]
    if required:
        wanted = DBSLevel(role.dbs_level).label.lower()
        article = "an" if wanted[0] in "aeiou" else "a"
        held = facts.dbs.get(role.network_id)
        if held is None:
            reasons.append(
                f"This role needs {article} {wanted} DBS check. "
                f"Ask a coordinator of {role.network.name} to record yours."
            )
        elif DBS_RANK[DBSLevel(held[0])] < required:
            reasons.append(
                f"This role needs {article} {wanted} DBS check; "
                f"the one recorded for you is {DBSLevel(held[0]).label.lower()}."
            )
        elif held[1] < add_months(today, -12 * DBS_VALID_YEARS):
            reasons.append(
                f"Your DBS check is more than {DBS_VALID_YEARS} years old. Ask a coordinator to record a new one."
            )

    if role.min_recovery_months:
        months = role.min_recovery_months
        if facts.recovery_start is None:
            reasons.append(
                f"This role asks for at least {months} months in recovery. Add when your recovery started "
                "to your volunteering profile: only you ever see it."
            )
        elif today < add_months(facts.recovery_start, months):
            reached = add_months(facts.recovery_start, months)
            reasons.append(
                f"This role asks for at least {months} months in recovery. You reach that on {reached:%-d %B %Y}."
            )

    early = _in_early_recovery(facts, today)
    if role.early_recovery == Role.EarlyRecovery.NO:
        if early:
            reasons.append(
                "This role involves handling medication and is not suited to the first year of recovery."
                if role.handles_medication
                else "This role is not suited to the first year of recovery."
            )
        elif early is None:
            notes.append("This role is not suited to people in their first year of recovery.")
    elif role.early_recovery == Role.EarlyRecovery.ASK and early is not False:
        notes.append("Talk to the organiser about whether this role suits you early in recovery.")

    if role.alcohol_at_venue:
        if facts.avoid_alcohol_venues:
            reasons.append("Alcohol is served at this venue, and you asked not to be offered such roles.")
        else:
            notes.append("Alcohol is served at the venue.")
    # Handling medication: early in recovery it is at least "ask us", and "not suitable" where the
    # role says so (above); a member may ask not to be offered such roles at all.
    if role.handles_medication:
        if facts.avoid_medication_roles:
            reasons.append("This role involves handling medication, and you asked not to be offered such roles.")
        elif early and role.early_recovery != Role.EarlyRecovery.NO:
            notes.append(
                "This role involves handling medication. As you are in your first year of recovery, "
                "talk to the organiser before you sign up."
            )
        elif early is None:
            notes.append(
                "This role involves handling medication. If you are in your first year of recovery, "
                "talk to the organiser before you sign up."
            )
        elif not early:
            notes.append("This role involves handling medication.")
    if role.lone_working and not role.supervision_available:
        notes.append("You would work alone, without supervision.")
    return Eligibility(can_take=not reasons, reasons=tuple(reasons), notes=tuple(notes))
