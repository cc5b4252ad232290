"""The directory's sections on the federation's pages (declared on DirectoryConfig.panels)."""

from django.template.loader import render_to_string

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
