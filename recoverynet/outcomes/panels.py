"""The outcomes' sections on other apps' pages (declared on OutcomesConfig.panels)."""

from django.template.loader import render_to_string

from recoverynet.core import scoping
from recoverynet.federation.models import Network


def _readable(user):
    """(federation dashboard?, [networks]) whose outcomes the person may read."""
    if user.has_perm("outcomes.view_federation_dashboard"):
        return True, []
    readable = scoping.coordinated_network_ids(user) | scoping.commissioned_network_ids(user)
    readable = Network.objects.active().filter(pk__in=readable)
    return False, [n for n in readable.order_by("name") if user.has_perm("outcomes.view_network_outcomes", n)]


def manage_index(request, user):
    """/manage/: the way to the outcomes dashboards a person may read, a coordinator's or a
    commissioner's (nothing for anyone else)."""
    federation, networks = _readable(user)
    if not federation and not networks:
        return None
    return render_to_string(
        "outcomes/includes/manage_section.html",
        {"outcomes_federation": federation, "outcomes_networks": networks},
        request=request,
    )


def profile(request, user):
    """/me/, where everyone lands after signing in: a commissioner's way to the outcomes
    they may read (a coordinator's is in Manage; nothing for anyone else)."""
    if not scoping.is_commissioner(user):
        return None
    federation, networks = _readable(user)
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
