"""Reads that decide who sees what in volunteering."""

from django.db.models import Count, Max, Min, Prefetch, Q, Sum
from django.utils import timezone

from recoverynet.core import scoping
from recoverynet.initiatives.models import TeamMember

from .models import Commendation, DBSCheck, Interest, MemberSkill, Role, Shift, SignUp


def public_roles():
    return Role.objects.published().for_lists()


def interests_with_use():
    """The shared list of interests, each with `published_roles`: how many published roles
    (in active networks, as on /volunteering/) are tagged with it. One query."""
    return Interest.objects.annotate(
        published_roles=Count("roles", filter=Q(roles__is_published=True, roles__network__is_active=True))
    ).order_by("name")


def upcoming_shifts(now=None):
    """Shifts still to start (flexible windows: still open), not cancelled, each with how many places are taken."""
    now = now or timezone.now()
    return Shift.objects.open().filter(_still_open(now)).with_taken().order_by("starts_at", "pk")


def _still_open(now, prefix=""):
    """A fixed shift not yet started, or a flexible window not yet closed."""
    return Q(**{f"{prefix}kind": Shift.Kind.FIXED, f"{prefix}starts_at__gt": now}) | Q(
        **{f"{prefix}kind": Shift.Kind.FLEXIBLE, f"{prefix}ends_at__gt": now}
    )


def roles_with_next_shifts(queryset, now=None):
    """Roles with `next_shifts` (upcoming, places taken counted) prefetched: two queries for any number of roles."""
    now = now or timezone.now()
    return queryset.annotate(
        upcoming=Count(
            "shifts", filter=_still_open(now, "shifts__") & Q(shifts__cancelled_at__isnull=True), distinct=True
        )
    ).prefetch_related(Prefetch("shifts", queryset=upcoming_shifts(now), to_attr="next_shifts"))


def organised_roles(user, queryset=None):
    """Roles a person organises: their networks' (coordinators), their settlement's (hosts),
    their organisation's (professionals), their initiative's (its team); every role for
    federation coordinators."""
    queryset = Role.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if scoping.is_federation_coordinator(user):
        return queryset
    return queryset.filter(
        Q(network_id__in=scoping.coordinated_network_ids(user))
        | Q(settlement_id__in=scoping.hosted_settlement_ids(user))
        | Q(organisation_id__in=scoping.professional_organisation_ids(user))
        | Q(initiative_id__in=TeamMember.objects.filter(user=user).values("initiative_id"))
    )


def signups_visible_to(user, queryset=None):
    """A member sees their own sign-ups; organisers those on the roles they organise."""
    queryset = SignUp.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(Q(user=user) | Q(shift__role__in=organised_roles(user)))


def dbs_checks_visible_to(user, queryset=None):
    """Only coordinators of the network itself see its DBS records (not the federation's coordinators)."""
    queryset = DBSCheck.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(network_id__in=scoping.coordinated_network_ids(user))


def volunteering_record(user, *, role_ids=None, commendation_ids=None):
    """A member's record, per role: the role, shifts attended and hours confirmed, and the
    commendations organisers wrote (those that may be shown: a commendation mentioning the
    member's recovery only once they approved it; only `commendation_ids` when given).
    Three queries, whatever its length."""
    done = SignUp.objects.filter(user=user, attended=True, hours_confirmed_at__isnull=False)
    if role_ids is not None:
        done = done.filter(shift__role_id__in=role_ids)
    totals = {
        row["shift__role_id"]: row
        for row in done.values("shift__role_id").annotate(
            shifts=Count("pk"),
            minutes=Sum("minutes"),
            first=Min("shift__starts_at"),
            last=Max("shift__starts_at"),
        )
    }
    roles = (
        Role.objects.filter(pk__in=totals)
        .select_related("network", "organisation", "settlement", "initiative")
        .order_by("title")
    )
    commendations = (
        Commendation.objects.shown().filter(user=user).select_related("role", "written_by").order_by("created_at")
    )
    if role_ids is not None:
        commendations = commendations.filter(role_id__in=role_ids)
    if commendation_ids is not None:
        commendations = commendations.filter(pk__in=commendation_ids)
    by_role = {}
    for commendation in commendations:
        by_role.setdefault(commendation.role_id, []).append(commendation)
    return [{"role": role, **totals[role.pk], "commendations": by_role.get(role.pk, [])} for role in roles]


def members_with_skill(network, skill: str, min_level: int):
    """Active members of `network` who let its coordinators find them by their skills and
    listed `skill` (any case) at `min_level` or higher (levels are ordered: 2 finds 2 and 3),
    as their skill rows with the person selected: best level first, then by display name."""
    from recoverynet.federation.models import Membership

    members = Membership.objects.filter(network=network, status=Membership.Status.ACTIVE).values("user_id")
    return (
        MemberSkill.objects.filter(
            user__in=members,
            user__volunteer_profile__skills_findable=True,
            name__iexact=skill,
            level__gte=min_level,
        )
        .select_related("user")
        .order_by("-level", "user__display_name", "pk")
    )
