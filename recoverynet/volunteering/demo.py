"""Volunteering's part of seed_demo (declared on VolunteeringConfig, after the
federation's, the time bank's and the initiatives'): roles from organisations
of every sector, from settlements and from initiatives, a year of past shifts
with confirmed hours, shifts still to come, and organisers' commendations (one
for the demo member mentions their recovery and waits for their approval).
Written with bulk inserts, so it stays fast; a database that already has roles
is left as it is."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from recoverynet.federation.models import Membership, Sector
from recoverynet.initiatives.models import Initiative

from .models import (
    DEFAULT_INTERESTS,
    Commendation,
    DBSLevel,
    Interest,
    Job,
    JobOutcome,
    MemberInterest,
    Role,
    RoleSkill,
    Shift,
    SignUp,
)

SEED = 20261206
# The interests (seeded by migration 0005) each demo role suits, by its title.
ROLE_INTERESTS = {
    "Library digital helper": ["Digital and IT", "Training others"],
    "Recovery café host": ["Cooking and food", "Peer support"],
    "Community garden volunteer": ["Gardening and outdoors"],
    "Events steward": ["Events"],
    "Peer mentor": ["Peer support", "Training others"],
    "Welcome desk volunteer": ["Admin and office", "Peer support"],
    "Online befriender": ["Peer support", "Digital and IT"],
    "Initiative helper": ["Events", "Peer support"],
}
PAST_SHIFTS = 8
FUTURE_SHIFTS = 3

# (title, what it involves, skills, dbs, early recovery, alcohol, medication, lone working, remote)
TEMPLATES = {
    Sector.PUBLIC: (
        "Library digital helper",
        "Help visitors get online, set up email and apply for things.",
        [("Using computers", 2)],
        DBSLevel.NONE,
        "yes",
        False,
        False,
        False,
        False,
    ),
    Sector.VOLUNTARY: (
        "Recovery café host",
        "Welcome people, make drinks, keep the café tidy and friendly.",
        [("Food hygiene", 1), ("Listening", 1)],
        DBSLevel.NONE,
        "yes",
        False,
        False,
        False,
        False,
    ),
    Sector.SOCIAL_ENTERPRISE: (
        "Community garden volunteer",
        "Grow food with others, look after tools and beds.",
        [("Gardening", 1)],
        DBSLevel.NONE,
        "yes",
        False,
        False,
        False,
        False,
    ),
    Sector.PRIVATE: (
        "Events steward",
        "Help run community events at a venue with a bar.",
        [("Customer service", 1)],
        DBSLevel.BASIC,
        "no",
        True,
        False,
        False,
        False,
    ),
    Sector.MUTUAL_AID: (
        "Peer mentor",
        "Meet people new to recovery, one to one, and walk alongside them.",
        [("Listening", 2), ("Lived experience of recovery", 2)],
        DBSLevel.ENHANCED,
        "no",
        False,
        False,
        True,
        False,
    ),
}
SETTLEMENT_TEMPLATES = [
    (
        "Welcome desk volunteer",
        "Greet visitors, answer the phone, point people to groups.",
        [("Customer service", 1)],
        DBSLevel.NONE,
        "yes",
        False,
        False,
        False,
        False,
    ),
    (
        "Online befriender",
        "Phone or video calls with members who are isolated.",
        [("Listening", 2)],
        DBSLevel.STANDARD,
        "ask",
        False,
        False,
        True,
        True,
    ),
]


INITIATIVE_TEMPLATE = (
    "Initiative helper",
    "Help the team run their sessions: set up, welcome people, tidy away.",
    [("Organising", 1)],
    DBSLevel.NONE,
    "yes",
    False,
    False,
    False,
    False,
)
COMMENDATIONS = [
    "Always on time, and the first to help a new volunteer find their feet.",
    "Calm, kind and organised: visitors asked for them by name.",
    "Took on the rota without being asked and kept it running for months.",
    "Patient with everyone, and very good at explaining things simply.",
]
# Mentions the member's recovery: kept, but shown to nobody until the member approves it.
AWAITING_COMMENDATION = "A steady presence at the café throughout their own recovery, and a great listener."
DEMO_MEMBER_EMAIL = "demo.member@example.org"


def _unique(slug, taken) -> str:
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def load_volunteering_demo(demo) -> None:
    if Role.objects.exists():
        demo.notes.append("Volunteering: already has roles, left as it is.")
        return
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not security
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    roles, slugs = [], set()
    for network in sorted(demo.objects["networks"].values(), key=lambda n: n.slug):
        offers = [(o, TEMPLATES[o.sector]) for o in network.organisations.order_by("name")[:5]]
        settlements = [s for s in demo.objects["settlements"].values() if s.network_id == network.pk]
        offers += [(s, SETTLEMENT_TEMPLATES[i % 2]) for i, s in enumerate(sorted(settlements, key=lambda s: s.slug))]
        initiative = Initiative.objects.filter(network=network, status=Initiative.Status.ACTIVE).order_by("pk").first()
        if initiative is not None:
            offers.append((initiative, INITIATIVE_TEMPLATE))
        for offerer, (title, involves, skills, dbs, early, alcohol, medication, alone, remote) in offers:
            kind = offerer._meta.model_name
            role = Role(
                network=network,
                organisation=offerer if kind == "organisation" else None,
                settlement=offerer if kind == "settlement" else None,
                initiative=offerer if kind == "initiative" else None,
                title=title,
                slug=_unique(slugify(f"{title}-{getattr(offerer, 'slug', '') or offerer.pk}")[:70], slugs),
                description=f"{title} with {offerer.name}: give a few hours and be part of {network.name}.",
                involves=involves,
                is_remote=remote,
                time_commitment=rng.choice(["One morning a week", "Two afternoons a month", "One evening a week"]),
                min_recovery_months=12 if dbs == DBSLevel.ENHANCED else 0,
                dbs_level=dbs,
                supervision_available=not alone,
                early_recovery=early,
                alcohol_at_venue=alcohol,
                handles_medication=medication,
                lone_working=alone,
                confirm_automatically=dbs == DBSLevel.NONE,
            )
            roles.append((role, skills))
    Role.objects.bulk_create([role for role, _ in roles])
    RoleSkill.objects.bulk_create(
        RoleSkill(role=role, name=name, level=level) for role, skills in roles for name, level in skills
    )
    members = {}
    for membership in Membership.objects.filter(status=Membership.Status.ACTIVE, role=Membership.Role.MEMBER):
        members.setdefault(membership.network_id, []).append(membership.user_id)
    chosen = _interests(random.Random(SEED + 1), [role for role, _ in roles], members)  # noqa: S311 - demo data
    shifts = []
    for role, _ in roles:
        for week in range(PAST_SHIFTS + FUTURE_SHIFTS):
            offset = datetime.timedelta(weeks=6 * (week - PAST_SHIFTS) + 1, days=rng.randint(0, 4))
            start = (now + offset).replace(hour=rng.choice([9, 10, 13, 18]))
            shifts.append(Shift(role=role, starts_at=start, ends_at=start + datetime.timedelta(hours=3), places=4))
    shifts += _flexible_shifts([role for role, _ in roles], now)
    Shift.objects.bulk_create(shifts)
    signups = []
    for shift in shifts:
        people = members.get(shift.role.network_id, [])
        for user_id in rng.sample(people, min(len(people), rng.randint(1, 3))):
            past = shift.ends_at < now
            signups.append(
                SignUp(
                    shift=shift,
                    user_id=user_id,
                    status=SignUp.Status.CONFIRMED,
                    decided_at=shift.starts_at - datetime.timedelta(days=2),
                    attended=True if past else None,
                    minutes=min(rng.choice([120, 150, 180]), shift.max_minutes) if past else None,
                    hours_recorded_at=shift.ends_at if past else None,
                    hours_confirmed_at=shift.ends_at + datetime.timedelta(days=1) if past else None,
                )
            )
    SignUp.objects.bulk_create(signups, batch_size=500)
    commendations = _commendations(rng, [s for s in signups if s.attended])
    jobs, outcomes = _jobs(demo, rng, members, slugs)
    demo.notes.append(
        f"Volunteering: {len(roles)} roles, {len(shifts)} shifts, {len(signups)} sign-ups, "
        f"{len(commendations)} commendations ({sum(c.awaits_member for c in commendations)} waiting for the "
        f"member's approval), {len(jobs)} jobs, {len(outcomes)} job outcomes, {chosen} members' interests."
    )


def ensure_default_interests() -> None:
    """The shared list of interests, as migration 0005_seed_interests seeds it on every site, made again
    where a database was emptied after migrating (the tests' transactional flushes). A name the list has
    in another case (a coordinator may have renamed "Events" to "events") counts as there."""
    there = {name.casefold() for name in Interest.objects.values_list("name", flat=True)}
    Interest.objects.bulk_create(Interest(name=name) for name in DEFAULT_INTERESTS if name.casefold() not in there)


def _interests(rng, roles, members) -> int:
    """Tag the roles with their interests, and give each demo member one or two: returns how many members."""
    ensure_default_interests()
    interests = dict(Interest.objects.values_list("name", "pk"))
    Role.interests.through.objects.bulk_create(
        Role.interests.through(role_id=role.pk, interest_id=interests[name])
        for role in roles
        for name in ROLE_INTERESTS.get(role.title, [])
        if name in interests
    )
    people = sorted({user_id for ids in members.values() for user_id in ids})
    names = sorted(interests)
    MemberInterest.objects.bulk_create(
        (
            MemberInterest(user_id=user_id, interest_id=interests[name])
            for user_id in people
            for name in rng.sample(names, min(len(names), rng.randint(1, 2)))
        ),
        batch_size=500,
    )
    return len(people) if names else 0


def _flexible_shifts(roles, now) -> list:
    """For every third role, flexible windows: any 2 hours in a week some weeks ago (9am to 5pm),
    and 3 hours a week during four weeks starting next week."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate(now)
    windows = []
    for role in roles[::3]:
        first = today - datetime.timedelta(weeks=8)
        windows.append(
            Shift(
                role=role,
                kind=Shift.Kind.FLEXIBLE,
                starts_at=datetime.datetime.combine(first, datetime.time(9), tzinfo=zone),
                ends_at=datetime.datetime.combine(first + datetime.timedelta(days=4), datetime.time(17), tzinfo=zone),
                day_starts=datetime.time(9),
                day_ends=datetime.time(17),
                expected_minutes=120,
                expected_per=Shift.Per.TOTAL,
                places=6,
            )
        )
        first = today + datetime.timedelta(weeks=1)
        windows.append(
            Shift(
                role=role,
                kind=Shift.Kind.FLEXIBLE,
                starts_at=datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
                ends_at=datetime.datetime.combine(first + datetime.timedelta(weeks=4), datetime.time.min, tzinfo=zone),
                expected_minutes=180,
                expected_per=Shift.Per.WEEK,
                places=8,
            )
        )
    return windows


def _commendations(rng, attended):
    """Organisers' commendations for some attended sign-ups: one per member and role at most, written
    by a coordinator of the role's network. The demo member's first one mentions their recovery and
    waits for them to approve it (someone else's, when the demo member volunteered nowhere)."""
    writers = dict(
        Membership.objects.filter(role=Membership.Role.NETWORK_COORDINATOR, status=Membership.Status.ACTIVE)
        .order_by("-pk")
        .values_list("network_id", "user_id")
    )
    demo_member = get_user_model().objects.filter(email=DEMO_MEMBER_EMAIL).values_list("pk", flat=True).first()
    chosen, seen = [], set()
    for signup in sorted(attended, key=lambda s: (s.shift.starts_at, s.user_id)):
        key = (signup.user_id, signup.shift.role_id)
        if key not in seen and (signup.user_id == demo_member or rng.random() < 0.15):
            seen.add(key)
            chosen.append(signup)
    waiting = next((s for s in chosen if s.user_id == demo_member), chosen[0] if chosen else None)
    commendations = []
    for signup in chosen:
        network_id = signup.shift.role.network_id
        waits = signup is waiting
        commendations.append(
            Commendation(
                user_id=signup.user_id,
                role=signup.shift.role,
                written_by_id=writers.get(network_id),
                text=AWAITING_COMMENDATION if waits else rng.choice(COMMENDATIONS),
                mentions_recovery=waits,
            )
        )
    Commendation.objects.bulk_create(commendations)
    return commendations


JOBS = [
    ("Café assistant", "16 hours a week, daytime", "£12.60 an hour", True, True, Job.Kind.WORK),
    ("Support worker (lived experience)", "30 hours a week", "£24,000 a year", True, False, Job.Kind.WORK),
    ("Warehouse operative", "37.5 hours a week, shifts", "£12.80 an hour", False, True, Job.Kind.WORK),
    ("Food hygiene course (level 2)", "Two mornings", "Free, with travel paid", True, True, Job.Kind.TRAINING),
    ("Catering apprenticeship", "30 hours a week for a year", "£7.55 an hour", True, True, Job.Kind.TRAINING),
]


def _jobs(demo, rng, members, slugs):
    today = timezone.localdate()
    jobs = []
    for network in sorted(demo.objects["networks"].values(), key=lambda n: n.slug):
        employers = list(network.organisations.filter(sector__in=[Sector.SOCIAL_ENTERPRISE, Sector.PRIVATE]))
        for i, (title, hours, pay, welcomed, friendly, kind) in enumerate(JOBS):
            employer = employers[i % len(employers)] if employers else None
            name = employer.name if employer else f"{network.name} partner employer"
            jobs.append(
                Job(
                    network=network,
                    organisation=employer,
                    employer=name,
                    title=title,
                    kind=kind,
                    slug=_unique(slugify(f"{title}-{network.slug}")[:70], slugs),
                    description=f"{title} with {name}.",
                    hours=hours,
                    pay=pay,
                    closing_date=today + datetime.timedelta(days=rng.randint(7, 60)),
                    how_to_apply="Ask at your settlement's welcome desk, or email the employer with a short letter.",
                    lived_experience_welcomed=welcomed,
                    recovery_friendly=friendly,
                )
            )
    Job.objects.bulk_create(jobs)
    outcomes = []
    for job in jobs:
        people = members.get(job.network_id, [])
        for user_id in rng.sample(people, min(len(people), 3)):
            status = rng.choice(["saved", "applied", "interview", "started"])
            started = today - datetime.timedelta(days=rng.randint(1, 80)) if status == "started" else None
            outcomes.append(JobOutcome(job=job, user_id=user_id, status=status, started_on=started))
    JobOutcome.objects.bulk_create(outcomes)
    return jobs, outcomes
