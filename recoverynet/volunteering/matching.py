"""A member's "for you" list: the roles they can take, ranked by the skills they
share with the role (a member's higher level meets a lower one asked for), then
how many of their interests the role is tagged with, then distance from their own
settlement, then safety fit (fewer things to weigh up), then title.
The /volunteering/ list's "Best match for you" order ranks the same way (BestMatchOrder).

A fixed number of queries and little memory, whatever the number of roles: every
published role of the member's networks is read as a plain row of the few fields
ranking needs (streamed, never all held at once); of the roles' skills only a score
is kept (and of their interests a count), for the roles that share one of the member's;
the best `limit` are kept as they go (heapq.nsmallest, which ranks exactly as sorting
all of them would), and only those are then read as roles. See bench/volunteering_for_you.py."""

import heapq
import math
from dataclasses import dataclass, field
from types import SimpleNamespace

from recoverynet.federation.models import Membership

from .eligibility import Eligibility, eligibility, facts_for
from .models import MemberInterest, MemberSkill, Role, RoleSkill
from .selectors import public_roles

EARTH_KM = 6371.0
KM_PER_MILE = 1.609344


@dataclass
class Match:
    role: object
    verdict: Eligibility
    shared_skills: list
    km: float | None  # None: remote, or no place to measure from
    shared_interests: list = field(default_factory=list)

    @property
    def miles(self) -> int | None:
        """The distance in whole miles, as people in England read it (the meeting finder's default too)."""
        return None if self.km is None else round(self.km / KM_PER_MILE)


def _km(a, b) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude)))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def shared_skills(role_skills, member_levels: dict) -> tuple[int, list]:
    """(score, names): 2 for each skill the member has at the level asked or higher, 1 below it."""
    score, names = 0, []
    for skill in role_skills:
        have = member_levels.get(skill.name.casefold())
        if have is not None:
            score += _points(have, skill.level)
            names.append(skill.name)
    return score, names


def _points(have: int, asked: int) -> int:
    return 2 if have >= asked else 1


# What ranking reads of a role: eligibility's fields and where it is.
ROW_FIELDS = (
    "pk",
    "title",
    "network_id",
    "network__name",
    "settlement_id",
    "settlement__latitude",
    "settlement__longitude",
    "initiative_id",
    "initiative__settlement__latitude",
    "initiative__settlement__longitude",
    "is_remote",
    "dbs_level",
    "min_recovery_months",
    "early_recovery",
    "alcohol_at_venue",
    "lone_working",
    "supervision_available",
    "handles_medication",
)
CHUNK = 2000  # rows fetched at a time while streaming


def _candidate(row) -> SimpleNamespace:
    """A role as eligibility() and the distance read it, from a plain row."""
    fields = dict(zip(ROW_FIELDS, row, strict=True))
    return SimpleNamespace(
        **{name: value for name, value in fields.items() if "__" not in name},
        network=SimpleNamespace(name=fields["network__name"]),
        settlement=SimpleNamespace(latitude=fields["settlement__latitude"], longitude=fields["settlement__longitude"]),
        initiative=SimpleNamespace(
            settlement=SimpleNamespace(
                latitude=fields["initiative__settlement__latitude"],
                longitude=fields["initiative__settlement__longitude"],
            )
        ),
    )


def _place(role):
    """Where the role is: its settlement's, or the offering initiative's settlement's (None: nowhere known)."""
    if role.settlement_id:
        return role.settlement
    if role.initiative_id and role.initiative.settlement is not None:
        return role.initiative.settlement
    return None


def _distance(home, role) -> tuple[float | None, float]:
    """(km or None, the distance's place in the ranking): remote first, then nearest, then unknown."""
    km = None
    place = _place(role)
    if home is not None and place is not None and not role.is_remote:
        km = _km(home.settlement, place)
    return km, 0 if role.is_remote else (km if km is not None else 10_000)


@dataclass(frozen=True)
class Member:
    """What ranking reads of a member: their facts, skills (name casefolded -> level), interests (id -> name)
    and home settlement (their first active membership with one)."""

    facts: object
    levels: dict
    interests: dict
    home: object

    @property
    def has_preferences(self) -> bool:
        return bool(self.levels or self.interests)


def member_of(user) -> Member:
    home = (
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE, settlement__isnull=False)
        .select_related("settlement")
        .order_by("pk")
        .first()
    )
    return Member(
        facts=facts_for(user),
        levels={s.name.casefold(): s.level for s in MemberSkill.objects.filter(user=user)},
        interests=dict(MemberInterest.objects.filter(user=user).values_list("interest_id", "interest__name")),
        home=home,
    )


def _scores(member: Member, candidates) -> tuple[dict, dict]:
    """({role id: skills score}, {role id: interests shared}), for the roles sharing any: all ranking keeps of them."""
    scores, shared = {}, {}
    role_ids = candidates.values("pk")
    if member.levels:
        skills = RoleSkill.objects.filter(role__in=role_ids).values_list("role_id", "name", "level")
        for role_id, name, level in skills.iterator(chunk_size=CHUNK):
            have = member.levels.get(name.casefold())
            if have is not None:
                scores[role_id] = scores.get(role_id, 0) + _points(have, level)
    if member.interests:
        tags = Role.interests.through.objects.filter(role__in=role_ids, interest_id__in=list(member.interests))
        for role_id in tags.values_list("role_id", flat=True).iterator(chunk_size=CHUNK):
            shared[role_id] = shared.get(role_id, 0) + 1
    return scores, shared


def _keys(member: Member, candidates, today, *, takeable_only: bool):
    """(ranking key, role id) for each role of `candidates` (in pk order, so that equal keys keep it)."""
    scores, shared = _scores(member, candidates)
    rows = candidates.prefetch_related(None).order_by("pk").values_list(*ROW_FIELDS)
    for row in rows.iterator(chunk_size=CHUNK):
        role = _candidate(row)
        verdict = eligibility(role, member.facts, today)
        if takeable_only and not verdict.can_take:
            continue
        _, distance_rank = _distance(member.home, role)
        key = (-scores.get(role.pk, 0), -shared.get(role.pk, 0), distance_rank, len(verdict.notes), role.title)
        yield ((0 if verdict.can_take else 1, *key) if not takeable_only else key), role.pk


def _best(keys, limit) -> list:
    return [pk for _, pk in heapq.nsmallest(limit, keys, key=lambda item: item[0])]


def shared_interests(role, member: Member) -> list:
    """The names of the role's interests the member chose (role.interests prefetched)."""
    return [interest.name for interest in role.interests.all() if interest.pk in member.interests]


def for_you(user, today, *, limit=50) -> list[Match]:
    member = member_of(user)
    candidates = Role.objects.published().filter(network_id__in=member.facts.network_ids)
    best = _best(_keys(member, candidates, today, takeable_only=True), limit)
    roles = {role.pk: role for role in public_roles().filter(pk__in=best)}
    matches = []
    for pk in best:
        role = roles.get(pk)
        if role is None:  # unpublished in between
            continue
        _, names = shared_skills(role.skills.all(), member.levels)
        km, _ = _distance(member.home, role)
        matches.append(Match(role, eligibility(role, member.facts, today), names, km, shared_interests(role, member)))
    return matches


class BestMatchOrder:
    """The roles of `queryset` best match first for a member, as a Paginator reads them: `count()` is one
    query, and a page ranks every role streamed (as for_you does) but keeps only up to that page's last.
    Roles the member can take come first, then the rest, each ranked as for_you ranks; `fetch(pks)` reads a
    page's roles."""

    def __init__(self, member: Member, queryset, today, fetch):
        self.member, self.queryset, self.today, self.fetch = member, queryset, today, fetch

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        start, stop = index.start or 0, index.stop
        pks = _best(_keys(self.member, self.queryset, self.today, takeable_only=False), stop)[start:]
        roles = {role.pk: role for role in self.fetch(pks)}
        return [roles[pk] for pk in pks if pk in roles]
