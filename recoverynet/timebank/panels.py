"""The time bank's sections on other apps' pages (declared on TimebankConfig.panels)."""

from django.db.models import Count, Q
from django.template.loader import render_to_string

from .models import Account, Exchange


def profile_time_bank(request, user):
    """/me/: the person's time bank, with what waits for them to confirm."""
    waiting = Exchange.objects.filter(receiver__user=user, status=Exchange.Status.RECORDED).count()
    has_account = Account.objects.filter(user=user, kind=Account.Kind.MEMBER).exists()
    return render_to_string(
        "timebank/includes/profile_section.html", {"waiting": waiting, "has_account": has_account}, request=request
    )


def network_dashboard(request, network):
    """A coordinator's network dashboard: the time bank's disputes and waiting exchanges, open
    reports and vetted members, with links."""
    from .models import Report, Vetting

    counts = Exchange.objects.filter(network=network).aggregate(
        disputed=Count("pk", filter=Q(status=Exchange.Status.DISPUTED)),
        waiting=Count("pk", filter=Q(status=Exchange.Status.RECORDED)),
    )
    return render_to_string(
        "timebank/manage/includes/dashboard_section.html",
        {
            "network": network,
            **counts,
            "open_reports": Report.objects.filter(network=network, status=Report.Status.OPEN).count(),
            "vetted": Vetting.objects.filter(network=network).count(),
        },
        request=request,
    )


def home_time_bank(request, obj):
    """The home page: what the time bank is, and the way to it (members' pages: sign in first)."""
    return render_to_string("timebank/includes/home_panel.html", {}, request=request)
