"""A member's "for you" list: the roles they can take, ranked by the skills they
share with the role (a member's higher level meets a lower one asked for), then
distance from their own settlement, then safety fit (fewer things to weigh up).
A fixed number of queries, whatever the number of roles; ranked in Python."""

import math
from dataclasses import dataclass

from recoverynet.federation.models import Membership

from .eligibility import Eligibility, eligibility, facts_for
from .models import MemberSkill
from .selectors import public_roles

EARTH_KM = 6371.0
KM_PER_MILE = 1.609344


@dataclass
class Match:
    role: object
    verdict: Eligibility
    shared_skills: list
    km: float | None  # None: remote, or no place to measure from

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
            score += 2 if have >= skill.level else 1
            names.append(skill.name)
    return score, names


def for_you(user, today, *, limit=50) -> list[Match]:
    facts = facts_for(user)
    levels = {s.name.casefold(): s.level for s in MemberSkill.objects.filter(user=user)}
    home = (
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE, settlement__isnull=False)
        .select_related("settlement")
        .order_by("pk")
        .first()
    )
    roles = public_roles().filter(network_id__in=facts.network_ids).order_by("pk")
    ranked = []
    for role in roles:
        verdict = eligibility(role, facts, today)
        if not verdict.can_take:
            continue
        score, names = shared_skills(role.skills.all(), levels)
        km = None
        place = role.settlement or (role.initiative.settlement if role.initiative_id else None)
        if home is not None and place is not None and not role.is_remote:
            km = _km(home.settlement, place)
        distance_rank = 0 if role.is_remote else (km if km is not None else 10_000)
        ranked.append(((-score, distance_rank, len(verdict.notes), role.title), Match(role, verdict, names, km)))
    ranked.sort(key=lambda item: item[0])
    return [match for _, match in ranked[:limit]]
