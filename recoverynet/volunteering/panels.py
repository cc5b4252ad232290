"""Volunteering's sections on other apps' pages (declared on VolunteeringConfig.panels)."""

from django.template.loader import render_to_string

from recoverynet.core import scoping

from .models import Commendation, SignUp
from .selectors import organised_roles, public_roles


def _roles_panel(request, roles, heading, where):
    count = roles.count()
    return render_to_string(
        "volunteering/includes/roles_panel.html",
        {"count": count, "roles": list(roles.order_by("-created_at", "pk")[:3]), "heading": heading, "where": where},
        request=request,
    )


def home_roles(request, obj):
    """The home page: a way in to the roles on offer."""
    return _roles_panel(request, public_roles(), "Volunteer", "")


def network_roles(request, network):
    """The network's roles; while it offers none, a short panel leading to roles across the federation."""
    return _roles_panel(request, public_roles().filter(network=network), "Volunteering", network.slug)


def settlement_roles(request, settlement):
    """The settlement's roles; while it offers none, a short panel leading to roles across the federation."""
    roles = public_roles().filter(settlement=settlement)
    return _roles_panel(request, roles, "Volunteering here", settlement.network.slug)


def initiative_roles(request, initiative):
    """An initiative's page: the roles it offers (one query), or a way to roles elsewhere."""
    roles = list(public_roles().filter(initiative=initiative).order_by("title", "pk")[:20])
    return render_to_string("volunteering/includes/initiative_roles.html", {"roles": roles}, request=request)


def profile_volunteering(request, user):
    """/me/: the person's shifts and hours to confirm, and commendations waiting for their approval."""
    waiting = SignUp.objects.filter(
        user=user, attended=True, hours_recorded_at__isnull=False, hours_confirmed_at__isnull=True
    ).count()
    commendations = Commendation.objects.awaiting_member().filter(user=user).count()
    return render_to_string(
        "volunteering/includes/profile_section.html",
        {"waiting": waiting, "commendations": commendations},
        request=request,
    )


def manage_index(request, user):
    """/manage/: the way to organising volunteering, for those who coordinate a network or
    organise a role (nothing for anyone else)."""
    if not (scoping.coordinated_network_ids(user) or organised_roles(user).exists()):
        return None
    return render_to_string("volunteering/includes/manage_section.html", {}, request=request)
