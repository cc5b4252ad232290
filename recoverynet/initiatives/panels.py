"""The pitches' sections on other apps' pages (declared on InitiativesConfig.panels)."""

import rules
from django.db.models import Count, Q
from django.template.loader import render_to_string

from .models import Pitch, ReviewRound
from .selectors import decision_makers_share, public_pitches


def network_pitches(request, network):
    """A network's public page: how many ideas were pitched to it, the latest, and a link to them all."""
    counts = (
        public_pitches()
        .filter(network=network)
        .aggregate(total=Count("pk"), accepted=Count("pk", filter=Q(state=Pitch.State.ACCEPTED)))
    )
    recent = list(public_pitches().filter(network=network).order_by("-published_at", "-pk")[:3])
    can_configure = rules.has_perm("initiatives.change_network_settings", getattr(request, "user", None), network)
    return render_to_string(
        "initiatives/includes/network_panel.html",
        {
            "network": network,
            "recent": recent,
            "rounds": list(ReviewRound.objects.filter(network=network).order_by("-created_at", "-pk")[:3]),
            "can_configure": can_configure,
            "decision_makers": decision_makers_share(network=network),
            **counts,
        },
        request=request,
    )


def home_pitches(request, obj):
    """The home page: a link to the ideas."""
    total = public_pitches().filter(network__is_active=True).count()
    return render_to_string("initiatives/includes/home_panel.html", {"total": total}, request=request)


def network_dashboard(request, network):
    """A coordinator's network dashboard: the way to the pitch settings, review rounds and reports."""
    if not rules.has_perm("initiatives.change_network_settings", request.user, network):
        return None
    return render_to_string("initiatives/includes/dashboard_section.html", {"network": network}, request=request)


def profile_pitches(request, user):
    """/me/: the person's own pitches (drafts included), with a link to pitch an idea."""
    counts = Pitch.objects.filter(author=user).aggregate(
        total=Count("pk"), drafts=Count("pk", filter=Q(state=Pitch.State.DRAFT))
    )
    return render_to_string("initiatives/includes/profile_section.html", counts, request=request)
