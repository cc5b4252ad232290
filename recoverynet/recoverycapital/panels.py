"""Recovery capital's section on other apps' pages (declared on RecoveryCapitalConfig.panels)."""

from django.template.loader import render_to_string

from recoverynet.core import scoping
from recoverynet.federation.models import Network, Settlement

from .models import Assessment


def profile_journey(request, user):
    """/me/: the member's latest score and a link to their journey."""
    latest = (
        Assessment.objects.filter(person=user, completed_at__isnull=False)
        .select_related("instrument")
        .order_by("-completed_at")
        .first()
    )
    in_progress = Assessment.objects.filter(person=user, completed_at__isnull=True).count()
    return render_to_string(
        "recoverycapital/includes/profile_section.html",
        {"journey_latest": latest, "journey_in_progress": in_progress},
        request=request,
    )


def manage_index(request, user):
    """/manage/: questionnaires a peer worker or coordinator can enter with members, per network."""
    hosted = Settlement.objects.filter(pk__in=scoping.hosted_settlement_ids(user)).values("network_id")
    if scoping.is_federation_coordinator(user):
        networks = Network.objects.active()
    else:
        networks = Network.objects.active().filter(
            pk__in=scoping.coordinated_network_ids(user)
        ) | Network.objects.active().filter(pk__in=hosted)
    networks = list(networks.distinct().order_by("name"))
    if not networks:
        return None
    coordinates = scoping.is_federation_coordinator(user) or bool(scoping.coordinated_network_ids(user))
    return render_to_string(
        "recoverycapital/manage/includes/index_section.html",
        {"assess_networks": networks, "coordinates": coordinates},
        request=request,
    )
