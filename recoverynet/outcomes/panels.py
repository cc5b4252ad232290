"""The outcomes' sections on other apps' pages (declared on OutcomesConfig.panels)."""

from django.template.loader import render_to_string

from recoverynet.core import scoping
from recoverynet.federation.models import Network


def manage_index(request, user):
    """/manage/: the way to the outcomes dashboards a person may read (nothing for anyone else)."""
    federation = user.has_perm("outcomes.view_federation_dashboard")
    if federation:
        networks = []
    else:
        coordinated = Network.objects.active().filter(pk__in=scoping.coordinated_network_ids(user))
        networks = [n for n in coordinated.order_by("name") if user.has_perm("outcomes.view_network_outcomes", n)]
    if not federation and not networks:
        return None
    return render_to_string(
        "outcomes/includes/manage_section.html",
        {"outcomes_federation": federation, "outcomes_networks": networks},
        request=request,
    )


def network_dashboard(request, network):
    """A coordinator's network dashboard: a link to the network's outcomes and quarterly report."""
    if not request.user.has_perm("outcomes.view_network_outcomes", network):
        return None
    return render_to_string("outcomes/includes/dashboard_section.html", {"network": network}, request=request)
