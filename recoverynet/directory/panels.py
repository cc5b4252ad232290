"""The directory's sections on the federation's pages (declared on DirectoryConfig.panels)."""

from django.template.loader import render_to_string

from .models import ChangeRequest
from .selectors import change_requests_visible_to, may_review_any
from .views.public import meetings_for


def network_meetings(request, network):
    """A network page's next meetings, with links to search them and print the schedule."""
    return render_to_string(
        "directory/includes/upcoming_meetings.html",
        {"meetings": meetings_for(network=network), "network": network},
        request=request,
    )


def settlement_meetings(request, settlement):
    """A settlement page's next meetings held there."""
    return render_to_string(
        "directory/includes/upcoming_meetings.html",
        {"meetings": meetings_for(settlement=settlement), "settlement": settlement, "heading_class": "govuk-heading-m"},
        request=request,
    )


def network_dashboard(request, network):
    """The coordinator's dashboard of a network: its meetings, locations, services,
    reported changes and CSV downloads, with links to manage each."""
    return render_to_string("directory/manage/includes/dashboard_section.html", {"network": network}, request=request)


def manage_index(request, user):
    """/manage/: reported changes waiting for this coordinator, with a count."""
    if not may_review_any(user):
        return None
    waiting = change_requests_visible_to(user).filter(status=ChangeRequest.Status.OPEN).count()
    return render_to_string("directory/manage/includes/index_section.html", {"waiting": waiting}, request=request)
